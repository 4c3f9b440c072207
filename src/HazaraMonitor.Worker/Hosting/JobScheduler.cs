using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>
/// Adds the named jobs and triggers once the configuration has been validated (start-up
/// validation runs before hosted services, so a bad cron expression is reported with its key
/// instead of failing here): one poll per campaign and platform endpoint, and the gauge refresh.
/// Bluesky's Jetstream is not polled: <see cref="Streaming.JetstreamConsumer"/> follows it. A platform
/// turned off (<c>Platforms:&lt;P&gt;:Enabled=false</c>) is not in any campaign of the catalog, so it
/// gets no job; the one line logged here says so.
/// </summary>
internal sealed class JobScheduler(
    ISchedulerFactory schedulers,
    CampaignCatalog campaigns,
    IOptions<HazaraMonitorOptions> options,
    ILogger<JobScheduler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Platforms.DisabledPlatforms() is { Count: > 0 } disabled)
        {
            Log.PlatformsDisabled(logger, string.Join(", ", disabled.Select(p => $"{p.Name()} ({PlatformsOptions.EnabledKey(p)}=false)")));
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await ScheduleAsync<GaugeRefreshJob>(scheduler, "gauges.refresh", null, options.Value.Metrics.RefreshSchedule, cancellationToken);
        await ScheduleAsync<DetectionJob>(scheduler, "detection", null, options.Value.Alerts.Schedule, cancellationToken);
        var x = options.Value.Platforms.X;
        foreach (var campaign in campaigns.All.Where(c => c.Platforms.Contains(Platform.X)))
        {
            var mode = x.ParsedMode;
            if (mode is XMode.Search or XMode.Both)
            {
                await ScheduleAsync<XSearchJob>(scheduler, $"x-search.{campaign.Id}", campaign.Id, x.Schedule, cancellationToken);
            }

            if (mode is XMode.Counts or XMode.Both)
            {
                await ScheduleAsync<XCountsJob>(scheduler, $"x-counts.{campaign.Id}", campaign.Id, x.Schedule, cancellationToken);
            }
        }

        var mastodon = options.Value.Platforms.Mastodon;
        foreach (var campaign in campaigns.All.Where(c => c.Platforms.Contains(Platform.Mastodon)))
        {
            for (var i = 0; i < mastodon.Instances.Count; i++)
            {
                var target = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ScheduleAsync<MastodonTimelineJob>(scheduler, $"mastodon.{mastodon.Instances[i].Name}.{campaign.Id}", campaign.Id, mastodon.Schedule, cancellationToken, target);
                await ScheduleAsync<MastodonTagHistoryJob>(scheduler, $"mastodon-history.{mastodon.Instances[i].Name}.{campaign.Id}", campaign.Id, mastodon.HistorySchedule, cancellationToken, target);
            }
        }

        var bluesky = options.Value.Platforms.Bluesky;
        foreach (var campaign in campaigns.All.Where(c => c.Platforms.Contains(Platform.Bluesky) && bluesky.ParsedMode is not BlueskyMode.Jetstream))
        {
            await ScheduleAsync<BlueskySearchJob>(scheduler, $"bluesky-search.{campaign.Id}", campaign.Id, bluesky.SearchSchedule, cancellationToken);
        }

        foreach (var campaign in campaigns.All.Where(c => c.Platforms.Contains(Platform.Reddit)))
        {
            await ScheduleAsync<RedditSearchJob>(scheduler, $"reddit-search.{campaign.Id}", campaign.Id, options.Value.Platforms.Reddit.Schedule, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ScheduleAsync<TJob>(IScheduler scheduler, string name, string? campaignId, string cron, CancellationToken cancellationToken, string? target = null)
        where TJob : IJob
    {
        var group = campaignId is null ? "service" : "polls";
        var builder = JobBuilder.Create<TJob>().WithIdentity(name, group);
        if (campaignId is not null)
        {
            builder = builder.UsingJobData(PollJob.CampaignKey, campaignId);
        }

        if (target is not null)
        {
            builder = builder.UsingJobData(PollJob.TargetKey, target);
        }

        var job = builder.Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, group)
            .ForJob(job)
            .StartNow()
            // A poll that overran its slot is not repeated for the missed slots: the next poll
            // continues from the stored cursor and catches up on its own.
            .WithCronSchedule(cron, b => b.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        Log.Scheduled(logger, name, cron);
    }
}
