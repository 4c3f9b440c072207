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
