using System.Net.Http.Json;
using System.Text.Json;
using HazaraMonitor.IntegrationTests.Infrastructure;

namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>The real executable refuses bad configuration at start-up, naming every key, never echoing secrets.</summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task StopsWithExitCodeTwoNamingEveryBadKey()
    {
        const string token = "secret-bearer-token-that-must-not-leak";
        await using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["HazaraMonitor__Platforms__X__BearerToken"] = token,
            ["HazaraMonitor__Platforms__X__Mode"] = "Sometimes",
            ["HazaraMonitor__Platforms__X__Schedule"] = "every minute",
            ["HazaraMonitor__Campaigns__0__Id"] = "Not A Slug",
            ["HazaraMonitor__Campaigns__0__Platforms__1"] = "myspace",
            ["HazaraMonitor__Redis__Configuration"] = "127.0.0.1:1",
        });

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("HazaraMonitor:Platforms:X:Mode must be one of Counts, Search, Both (got 'Sometimes')", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:X:Schedule 'every minute' is not a Quartz cron expression", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Campaigns:0:Id must be a slug", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Campaigns:0:Platforms:1 'myspace' is not a supported platform", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartsWithNothingButAnXTokenWhenTheOtherPlatformsAreTurnedOff()
    {
        // The README's real-X steps: the token and the three Enabled=false lines, nothing else
        // (Redis points at a closed port here, so the test needs none and touches none).
        const string token = "x-bearer-token-that-must-not-leak";
        await using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["HazaraMonitor__Platforms__X__BearerToken"] = token,
            ["HazaraMonitor__Platforms__Mastodon__Enabled"] = "false",
            ["HazaraMonitor__Platforms__Bluesky__Enabled"] = "false",
            ["HazaraMonitor__Platforms__Reddit__Enabled"] = "false",
            ["HazaraMonitor__Platforms__X__BaseUrl"] = "http://127.0.0.1:1",
            ["HazaraMonitor__Redis__Configuration"] = "127.0.0.1:1",
        });

        await worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var campaigns = await worker.Http.GetFromJsonAsync<JsonElement>("/api/campaigns");
        using var health = await worker.Http.GetAsync("/healthz");
        var platforms = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("platforms");

        Assert.False(worker.HasExited, worker.Output);
        Assert.Equal(["x"], campaigns[0].GetProperty("platforms").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(
            ["mastodon", "bluesky", "reddit"],
            platforms.GetProperty("data").GetProperty("disabled").EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("Disabled by configuration: mastodon, bluesky, reddit.", platforms.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Platforms turned off by configuration, skipped by every campaign", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("mastodon.social", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("jetstream", worker.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesTheKeyOfAValueThatIsNotADuration()
    {
        await using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["HazaraMonitor__Platforms__X__BearerToken"] = "t",
            ["HazaraMonitor__Redis__MinuteRetention"] = "a week",
        });

        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("HazaraMonitor:Redis:MinuteRetention", worker.Output, StringComparison.Ordinal);
    }
}
