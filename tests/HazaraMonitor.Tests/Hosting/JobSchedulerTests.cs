using HazaraMonitor.Tests.Configuration;
using HazaraMonitor.Worker.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Quartz;

namespace HazaraMonitor.Tests.Hosting;

/// <summary>The jobs the scheduler adds from what the platforms registered, on an in-memory Quartz scheduler that is never started.</summary>
public sealed class JobSchedulerTests
{
    private static Dictionary<string, string?> AllFour()
    {
        var settings = ConfiguredWorker.Following(ConfiguredWorker.OnX(), "x", "mastodon", "bluesky", "reddit");
        settings["HazaraMonitor:Platforms:Mastodon:Instances:0:BaseUrl"] = "https://mastodon.social";
        settings["HazaraMonitor:Platforms:Reddit:ClientId"] = "id";
        settings["HazaraMonitor:Platforms:Reddit:ClientSecret"] = "secret";
        // Search polls Bluesky, so a job shows whether Bluesky is scheduled.
        settings["HazaraMonitor:Platforms:Bluesky:Mode"] = "Both";
        return settings;
    }

    private static async Task<(IReadOnlyList<string> Jobs, FakeLogger<JobScheduler> Log)> ScheduleAsync(Dictionary<string, string?> settings)
    {
        using var worker = new ConfiguredWorker(settings);
        var factory = worker.Services.GetRequiredService<ISchedulerFactory>();
        var scheduler = await factory.GetScheduler();
        try
        {
            var log = new FakeLogger<JobScheduler>();
            await ActivatorUtilities.CreateInstance<JobScheduler>(worker.Services, log).StartAsync(CancellationToken.None);
            var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup());
            return ([.. jobs.Select(j => j.Name).Order(StringComparer.Ordinal)], log);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task SchedulesEveryPlatformACampaignFollows()
    {
        var (jobs, log) = await ScheduleAsync(AllFour());

        Assert.Equal(
            ["bluesky-search.stop-hazara-genocide", "detection", "gauges.refresh", "mastodon-history.mastodon.social.stop-hazara-genocide",
             "mastodon.mastodon.social.stop-hazara-genocide", "reddit-search.stop-hazara-genocide", "x-counts.stop-hazara-genocide", "x-search.stop-hazara-genocide"],
            jobs);
        Assert.DoesNotContain(log.Collector.GetSnapshot(), r => r.Id.Id == 1006);
    }

    [Fact]
    public async Task SchedulesOnlyThePollsAModeAsksFor()
    {
        var settings = AllFour();
        settings["HazaraMonitor:Platforms:X:Mode"] = "Counts";
        settings["HazaraMonitor:Platforms:Bluesky:Mode"] = "Jetstream";

        var (jobs, _) = await ScheduleAsync(settings);

        Assert.Contains("x-counts.stop-hazara-genocide", jobs);
        Assert.DoesNotContain("x-search.stop-hazara-genocide", jobs);
        Assert.DoesNotContain("bluesky-search.stop-hazara-genocide", jobs);
    }

    [Fact]
    public async Task SchedulesNothingForATurnedOffPlatformAndSaysSoOnce()
    {
        var settings = AllFour();
        settings["HazaraMonitor:Platforms:Reddit:Enabled"] = "false";
        settings["HazaraMonitor:Platforms:Bluesky:Enabled"] = "false";

        var (jobs, log) = await ScheduleAsync(settings);

        Assert.Equal(
            ["detection", "gauges.refresh", "mastodon-history.mastodon.social.stop-hazara-genocide", "mastodon.mastodon.social.stop-hazara-genocide",
             "x-counts.stop-hazara-genocide", "x-search.stop-hazara-genocide"],
            jobs);
        var line = Assert.Single(log.Collector.GetSnapshot(), r => r.Id.Id == 1006);
        Assert.EndsWith("bluesky (HazaraMonitor:Platforms:Bluesky:Enabled=false), reddit (HazaraMonitor:Platforms:Reddit:Enabled=false)", line.Message, StringComparison.Ordinal);
    }
}
