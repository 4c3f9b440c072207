using HazaraMonitor.Core.Detection;
using HazaraMonitor.Core.Incidents;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Incidents;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Detection;

/// <summary>
/// Live detection. Every minute, for each campaign, the <see cref="LiveEvaluator"/> judges the
/// closed minutes of each series (every platform it follows, and all of them together) after the
/// series' judged mark in Redis; this job reads the buckets and marks, reports each score, logs what
/// waits or was judged on incomplete data, raises the alerts through the <see cref="AlertOutbox"/>,
/// and moves the marks on.
/// <list type="bullet">
/// <item>A minute whose polls did not all succeed, or that no read has covered yet (after downtime),
/// may be missing posts. A surge seen in it alerts at once (missing posts cannot fake a surge) and
/// says how complete the minute was; anything else waits up to <c>Alerts:IncompleteWait</c> (from
/// the minute's end or the worker's start) for polls to fill it, and a judgement without an alert
/// after that is logged as possibly hiding a surge. Incomplete data never passes silently.</item>
/// <item>The marks move on after the alerts are raised: a crash in between judges those minutes
/// again, and each alert's claim keeps it from being raised twice.</item>
/// <item>One instance of a deployment judges: the one holding the <c>detection</c> lease, renewed at
/// each run; the others skip, and one of them takes over within <see cref="LeaseTimeToLive"/> after
/// the owner dies (its detectors are rebuilt from Redis, as after a restart).</item>
/// </list>
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DetectionJob(
    CampaignCatalog campaigns,
    LiveEvaluator evaluator,
    AlertOutbox outbox,
    IncidentCatalog incidents,
    RedisCountStore counts,
    RedisAlertStore alerts,
    RedisLeaseStore leases,
    InstanceIdentity instance,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<DetectionJob> logger) : IJob
{
    public const string LeaseName = "detection";

    /// <summary>Three runs of the default schedule: an owner that misses two still holds it.</summary>
    public static readonly TimeSpan LeaseTimeToLive = TimeSpan.FromMinutes(3);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (await leases.AcquireAsync(LeaseName, instance.Name, LeaseTimeToLive, cancellationToken) is null)
            {
                return;
            }

            var runningSince = (await context.Scheduler.GetMetadata(cancellationToken)).RunningSince ?? time.GetUtcNow();
            foreach (var campaign in campaigns.All)
            {
                await EvaluateAsync(campaign, runningSince, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new JobExecutionException(e);
        }
    }

    /// <summary>Judges every closed minute of the campaign's series not judged yet; returns the alerts raised.</summary>
    /// <param name="runningSince">When this worker's scheduler started: minutes it could not have read yet wait from then.</param>
    internal async Task<IReadOnlyList<Alert>> EvaluateAsync(Campaign campaign, DateTimeOffset runningSince, CancellationToken cancellationToken)
    {
        await outbox.ResendPendingAsync(campaign.Id, cancellationToken);
        var series = LiveSeries.Of(campaign);
        var marks = await alerts.GetEvaluatedAsync(campaign.Id, [.. series.Select(s => s.Name)], cancellationToken);
        var evaluation = await evaluator.EvaluateAsync(campaign, series.Zip(marks).ToDictionary(x => x.First.Name, x => x.Second), runningSince,
            (from, to, ct) => counts.GetMinuteBucketsAsync(campaign.Id, from, to, ct), cancellationToken);
        if (evaluation.Rebuilt is { } reason)
        {
            Log.DetectorsBuilt(logger, campaign.Id, evaluation.MinutesRead, reason);
        }

        var raised = new List<Alert>();
        // Read once per run, and only when a judgement alerts: the alert names the nearest incident.
        IncidentTimeline? timeline = null;
        foreach (var judgement in evaluation.Judgements)
        {
            metrics.AnomalyScore(campaign.Id, judgement.Series, campaign.Canonical.Display, judgement.Point.Score);
            switch (judgement.Verdict)
            {
                case Verdict.Waits:
                    Log.DetectionWaits(logger, campaign.Id, judgement.Series, judgement.Minute, judgement.Completeness);
                    break;
                case Verdict.QuietIncomplete:
                    Log.JudgedIncomplete(logger, campaign.Id, judgement.Series, judgement.Minute, judgement.Completeness);
                    break;
                case Verdict.Alert:
                    timeline ??= await incidents.TimelineAsync(campaign.Id, cancellationToken);
                    var alert = outbox.Compose(campaign, judgement, timeline);
                    if (await outbox.RaiseAsync(alert, cancellationToken))
                    {
                        raised.Add(alert);
                    }

                    break;
            }
        }

        await alerts.SetEvaluatedAsync(campaign.Id, evaluation.Judged, cancellationToken);

        return raised;
    }
}
