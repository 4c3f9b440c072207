using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Worker.Hosting;
using HazaraMonitor.Worker.Polling;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Quartz;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Tests.Hosting;

/// <summary>The jobs the scheduler adds, on an in-memory Quartz scheduler that is never started.</summary>
public sealed class JobSchedulerTests
{
    private static HazaraMonitorOptions AllFour()
    {
        var options = new HazaraMonitorOptions
        {
            Campaigns = [new CampaignOptions { Id = "stop-hazara-genocide", Name = "Stop", Hashtags = ["StopHazaraGenocide"], Platforms = ["x", "mastodon", "bluesky", "reddit"] }],
        };
        options.Platforms.Mastodon.Instances = [new MastodonInstanceOptions { BaseUrl = "https://mastodon.social" }];
        // Search polls Bluesky, so a job shows whether Bluesky is scheduled.
        options.Platforms.Bluesky.Mode = BlueskyMode.Both;
        return options;
    }

    private static async Task<(IReadOnlyList<string> Jobs, FakeLogger<JobScheduler> Log)> ScheduleAsync(HazaraMonitorOptions options)
    {
        await using var services = new ServiceCollection().AddLogging().AddQuartz()
            .AddXPlatform().AddMastodonPlatform().AddBlueskyPlatform().AddRedditPlatform().BuildServiceProvider();
        var factory = services.GetRequiredService<ISchedulerFactory>();
        var scheduler = await factory.GetScheduler();
        try
        {
            var log = new FakeLogger<JobScheduler>();
            await new JobScheduler(factory, CampaignCatalog.FromOptions(options), Options.Create(options), services.GetServices<PollRegistration>(), log).StartAsync(CancellationToken.None);
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
    public async Task SchedulesNothingForATurnedOffPlatformAndSaysSoOnce()
    {
        var options = AllFour();
        options.Platforms.Reddit.Enabled = false;
        options.Platforms.Bluesky.Enabled = false;

        var (jobs, log) = await ScheduleAsync(options);

        Assert.Equal(
            ["detection", "gauges.refresh", "mastodon-history.mastodon.social.stop-hazara-genocide", "mastodon.mastodon.social.stop-hazara-genocide",
             "x-counts.stop-hazara-genocide", "x-search.stop-hazara-genocide"],
            jobs);
        var line = Assert.Single(log.Collector.GetSnapshot(), r => r.Id.Id == 1006);
        Assert.EndsWith("bluesky (HazaraMonitor:Platforms:Bluesky:Enabled=false), reddit (HazaraMonitor:Platforms:Reddit:Enabled=false)", line.Message, StringComparison.Ordinal);
    }
}
