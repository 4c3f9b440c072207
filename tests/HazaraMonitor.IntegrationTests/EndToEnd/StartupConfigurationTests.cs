
namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>The real executable refuses bad configuration at start-up, naming every key, never echoing secrets.</summary>
public sealed class StartupConfigurationTests
{
    /// <summary>Starts the worker executable with <paramref name="environment"/>: one NAME=value a line, as an operator's environment file has them.</summary>
    private static WorkerProcess Start(string environment) =>
        WorkerProcess.Start(environment.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal));

    [Fact]
    public async Task StopsWithExitCodeTwoNamingEveryBadKey()
    {
        const string token = "secret-bearer-token-that-must-not-leak";
        await using var worker = Start($"""
            HazaraMonitor__Platforms__X__BearerToken={token}
            HazaraMonitor__Platforms__X__Schedule=every minute
            HazaraMonitor__Platforms__X__BaseUrl=api.x.com
            HazaraMonitor__Campaigns__0__Id=Not A Slug
            HazaraMonitor__Campaigns__0__Platforms__1=myspace
            HazaraMonitor__Redis__Configuration=127.0.0.1:1
            """);

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("HazaraMonitor:Platforms:X:BaseUrl must be an absolute http or https URL", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:X:Schedule 'every minute' is not a Quartz cron expression", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Campaigns:0:Id must be a slug", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Campaigns:0:Platforms:1 'myspace' is not a supported platform", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartsWithNothingButAnXTokenWhenTheOtherPlatformsAreTurnedOff()
    {
        // The README's real-X steps: the token and the seven Enabled=false lines, nothing else
        // (Redis points at a closed port here, so the test needs none and touches none).
        const string token = "x-bearer-token-that-must-not-leak";
        await using var worker = Start($"""
            HazaraMonitor__Platforms__X__BearerToken={token}
            HazaraMonitor__Platforms__Mastodon__Enabled=false
            HazaraMonitor__Platforms__Bluesky__Enabled=false
            HazaraMonitor__Platforms__Reddit__Enabled=false
            HazaraMonitor__Platforms__YouTube__Enabled=false
            HazaraMonitor__Platforms__TikTok__Enabled=false
            HazaraMonitor__Platforms__Instagram__Enabled=false
            HazaraMonitor__Platforms__Threads__Enabled=false
            HazaraMonitor__Platforms__X__BaseUrl=http://127.0.0.1:1
            HazaraMonitor__Redis__Configuration=127.0.0.1:1
            """);

        await worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var campaigns = await worker.Http.GetFromJsonAsync<JsonElement>("/api/campaigns");
        using var health = await worker.Http.GetAsync("/healthz");
        var platforms = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("platforms");

        Assert.False(worker.HasExited, worker.Output);
        Assert.Equal(["x"], campaigns[0].GetProperty("platforms").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(
            ["mastodon", "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads"],
            platforms.GetProperty("data").GetProperty("disabled").EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("Disabled by configuration: mastodon, bluesky, reddit, youtube, tiktok, instagram, threads.", platforms.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Platforms turned off by configuration, skipped by every campaign", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("mastodon.social", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("jetstream", worker.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
    }

    /// <summary>Values that are not of their key's type (a mode, a duration, a number, a flag): every one named at once, with what it takes.</summary>
    [Fact]
    public async Task NamesEveryValueThatIsNotOfItsKeysTypeAtOnce()
    {
        await using var worker = Start("""
            HazaraMonitor__Platforms__X__BearerToken=t
            HazaraMonitor__Platforms__X__Mode=Sometimes
            HazaraMonitor__Platforms__Bluesky__Mode=1
            HazaraMonitor__Redis__MinuteRetention=a week
            HazaraMonitor__Platforms__X__MaxPagesPerPoll=ten
            HazaraMonitor__Platforms__Reddit__Enabled=no
            HazaraMonitor__Alerts__Webhooks__0__Kind=Pager
            """);

        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("HazaraMonitor:Platforms:X:Mode must be one of Counts, Search, Both (got 'Sometimes').", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:Bluesky:Mode must be one of Jetstream, Search, Both (got '1').", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Redis:MinuteRetention 'a week' is not a duration such as 00:05:00", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:X:MaxPagesPerPoll 'ten' is not a whole number.", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:Reddit:Enabled 'no' is not true or false.", worker.Output, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Alerts:Webhooks:0:Kind must be one of Json, Slack, Discord, Teams (got 'Pager').", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>The shipped campaign's incidents file, named relative to the worker's folder, and a broken one in its place.</summary>
    [Fact]
    public async Task StopsNamingTheIncidentsFileAndLineOfABadRowButReadsTheShippedOne()
    {
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Repository.WorkerDll)!, "incidents", "stop-hazara-genocide.csv")), "the build copies the shipped incidents file beside the worker");
        var dir = Directory.CreateTempSubdirectory("hm-incidents-");
        try
        {
            var bad = Path.Combine(dir.FullName, "incidents.csv");
            await File.WriteAllTextAsync(bad, "date,title,source\n2022-09-30,Kaaj,javascript:alert(1)\n");
            await using var worker = Start($"""
                HazaraMonitor__Platforms__X__BearerToken=t
                HazaraMonitor__Campaigns__0__IncidentsFile={bad}
                HazaraMonitor__Redis__Configuration=127.0.0.1:1
                """);

            Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"HazaraMonitor:Campaigns:0:IncidentsFile '{bad}' (read as {bad}): line 2: source must be an absolute http or https URL (got 'javascript:alert(1)').", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
