using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>
/// Adds the named jobs and triggers once the configuration has been validated (start-up
/// validation runs before hosted services, so a bad cron expression is reported with its key
/// instead of failing here): one poll per campaign and platform endpoint, and live detection.
/// Bluesky's Jetstream is not polled: <see cref="Platforms.Bluesky.JetstreamConsumer"/> follows it. A platform
/// turned off (<c>Platforms:&lt;P&gt;:Enabled=false</c>) is not in any campaign of the catalog, so it
/// gets no job; the one line logged here says so.
/// <para>
/// It also starts the scheduler, once every job is in place, and stops it: running polls finish and
/// commit, but a stop gives up at the host's shutdown timeout. A clustered store whose PostgreSQL is
/// gone is retried by Quartz without end, and a worker must still exit when it is told to.
/// </para>
/// </summary>
internal sealed class JobScheduler(
    ISchedulerFactory schedulers,
    CampaignCatalog campaigns,
    PlatformCatalog platforms,
    IOptions<AlertsOptions> alerts,
    IEnumerable<PollRegistration> polls,
    IServiceProvider services,
    ILogger<JobScheduler> logger) : IHostedService
{
    private static readonly string[] Groups = ["service", "polls"];

    private readonly HashSet<JobKey> _scheduled = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (platforms.Disabled is { Count: > 0 } disabled)
        {
            Log.PlatformsDisabled(logger, string.Join(", ", disabled.Select(p => $"{p.Id} ({p.EnabledKey}=false)")));
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await ScheduleAsync(typeof(DetectionJob), scheduler, "detection", null, alerts.Value.Schedule, cancellationToken);
        await ScheduleAsync(typeof(DailyDigestJob), scheduler, "digest", null, alerts.Value.DigestSchedule, cancellationToken);
        foreach (var poll in polls)
        {
            if (poll.Plan(services) is not { } plan)
            {
                continue;
            }

            foreach (var campaign in campaigns.All.Where(c => c.Platforms.Contains(poll.Platform)))
            {
                if (plan.Targets is null)
                {
                    await ScheduleAsync(poll.Job, scheduler, $"{poll.Name}.{campaign.Id}", campaign.Id, plan.Schedule, cancellationToken);
                    continue;
                }

                foreach (var (target, data) in plan.Targets)
                {
                    await ScheduleAsync(poll.Job, scheduler, $"{poll.Name}.{target}.{campaign.Id}", campaign.Id, plan.Schedule, cancellationToken, data);
                }
            }
        }

        // A shared (PostgreSQL) schedule outlives the configuration that made it: a job this
        // configuration no longer has (a campaign or platform removed) is deleted, not left to fire.
        foreach (var group in Groups)
        {
            foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(group), cancellationToken))
            {
                if (!_scheduled.Contains(key))
                {
                    await scheduler.DeleteJob(key, cancellationToken);
                }
            }
        }

        await scheduler.Start(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(CancellationToken.None);
        try
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.SchedulerStopAbandoned(logger);
        }
    }

    private async Task ScheduleAsync(Type job, IScheduler scheduler, string name, string? campaignId, string cron, CancellationToken cancellationToken, string? target = null)
    {
        var group = campaignId is null ? "service" : "polls";
        var builder = JobBuilder.Create().OfType(job).WithIdentity(name, group);
        if (campaignId is not null)
        {
            builder = builder.UsingJobData(PollJob.CampaignKey, campaignId);
        }

        if (target is not null)
        {
            builder = builder.UsingJobData(PollJob.TargetKey, target);
        }

        var detail = builder.Build();
        _scheduled.Add(detail.Key);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, group)
            .ForJob(detail)
            .StartNow()
            // A poll that overran its slot is not repeated for the missed slots: the next poll
            // continues from the stored cursor and catches up on its own.
            .WithCronSchedule(cron, b => b.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await scheduler.ScheduleJob(detail, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        Log.Scheduled(logger, name, cron);
    }
}
