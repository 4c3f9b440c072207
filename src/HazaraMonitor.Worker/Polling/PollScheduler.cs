using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// Adds one named job and trigger per campaign and platform endpoint once the configuration has
/// been validated (start-up validation runs before hosted services, so a bad cron expression is
/// reported with its key instead of failing here).
/// </summary>
internal sealed class PollScheduler(
    ISchedulerFactory schedulers,
    CampaignCatalog campaigns,
    IOptions<HazaraMonitorOptions> options,
    ILogger<PollScheduler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ScheduleAsync<TJob>(IScheduler scheduler, string name, string campaignId, string cron, CancellationToken cancellationToken)
        where TJob : IJob
    {
        var job = JobBuilder.Create<TJob>()
            .WithIdentity(name, "polls")
            .UsingJobData(PollJob.CampaignKey, campaignId)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, "polls")
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
