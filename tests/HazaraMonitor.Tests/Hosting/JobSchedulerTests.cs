using HazaraMonitor.Tests.Configuration;
using HazaraMonitor.Worker.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Quartz;

namespace HazaraMonitor.Tests.Hosting;

/// <summary>The jobs the scheduler adds from what the platforms registered, on an in-memory Quartz scheduler that is never started.</summary>
public sealed class JobSchedulerTests
{
    /// <summary>One campaign on all four platforms, with what each needs; <paramref name="values"/> set last.</summary>
    private static Dictionary<string, string?> AllFour(params (string Key, string? Value)[] values) => ConfiguredWorker.With(
        ConfiguredWorker.Following(ConfiguredWorker.OnX(), "x", "mastodon", "bluesky", "reddit"),
        [
            ("HazaraMonitor:Platforms:Mastodon:Instances:0:BaseUrl", "https://mastodon.social"),
            ("HazaraMonitor:Platforms:Reddit:ClientId", "id"),
            ("HazaraMonitor:Platforms:Reddit:ClientSecret", "secret"),
            // Search polls Bluesky, so a job shows whether Bluesky is scheduled.
            ("HazaraMonitor:Platforms:Bluesky:Mode", "Both"),
            .. values,
        ]);

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
            ["bluesky-search.stop-hazara-genocide", "detection", "digest", "mastodon-history.mastodon.social.stop-hazara-genocide",
             "mastodon.mastodon.social.stop-hazara-genocide", "reddit-search.stop-hazara-genocide", "x-counts.stop-hazara-genocide", "x-search.stop-hazara-genocide"],
            jobs);
        Assert.DoesNotContain(log.Collector.GetSnapshot(), r => r.Id.Id == 1006);
    }

    [Fact]
    public async Task SchedulesOnlyThePollsAModeAsksFor()
    {
        var (jobs, _) = await ScheduleAsync(AllFour(("HazaraMonitor:Platforms:X:Mode", "Counts"), ("HazaraMonitor:Platforms:Bluesky:Mode", "Jetstream")));

        Assert.Contains("x-counts.stop-hazara-genocide", jobs);
        Assert.DoesNotContain("x-search.stop-hazara-genocide", jobs);
        Assert.DoesNotContain("bluesky-search.stop-hazara-genocide", jobs);
    }

    [Fact]
    public async Task SchedulesNothingForATurnedOffPlatformAndSaysSoOnce()
    {
        var (jobs, log) = await ScheduleAsync(AllFour(("HazaraMonitor:Platforms:Reddit:Enabled", "false"), ("HazaraMonitor:Platforms:Bluesky:Enabled", "false")));

        Assert.Equal(
            ["detection", "digest", "mastodon-history.mastodon.social.stop-hazara-genocide", "mastodon.mastodon.social.stop-hazara-genocide",
             "x-counts.stop-hazara-genocide", "x-search.stop-hazara-genocide"],
            jobs);
        var line = Assert.Single(log.Collector.GetSnapshot(), r => r.Id.Id == 1006);
        Assert.EndsWith("bluesky (HazaraMonitor:Platforms:Bluesky:Enabled=false), reddit (HazaraMonitor:Platforms:Reddit:Enabled=false)", line.Message, StringComparison.Ordinal);
    }
}
