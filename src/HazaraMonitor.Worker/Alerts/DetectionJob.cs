using System.Globalization;
using System.Text.Json;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// Live detection. Every minute, for each campaign and each series (every platform it follows, and
/// all of them together), the detector runs over the stored 1-minute buckets and judges the closed
/// minutes not judged yet. The detector is deterministic, so re-running it over the same buckets
/// gives the same decisions on every instance.
/// <list type="bullet">
/// <item>A minute whose polls did not all succeed, or that no read has covered yet (after downtime),
/// may be missing posts. A surge seen in it alerts at once (missing posts cannot fake a surge) and
/// says how complete the minute was; anything else waits up to <c>Alerts:IncompleteWait</c> (from
/// the minute's end or the worker's start) for polls to fill it, and a judgement without an alert
/// after that is logged as possibly hiding a surge. Incomplete data never passes silently.</item>
/// <item>An alert is claimed in Redis for <c>Alerts:Cooldown</c> in the same script that logs it and
/// marks it pending, so two instances, or a restart, raise it once; it is then dispatched and no
/// longer pending. A pending alert older than <see cref="ResendAfter"/> is sent again.</item>
/// </list>
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DetectionJob(
    CampaignCatalog campaigns,
    RedisCampaignStore store,
    AlertDispatcher dispatcher,
    HazaraMonitorMetrics metrics,
    IOptions<HazaraMonitorOptions> options,
    TimeProvider time,
    ILogger<DetectionJob> logger) : IJob
{
    public const string AllPlatforms = "all";

    /// <summary>
    /// A raised alert still pending after this long was not sent by the instance that raised it
    /// (sinks give up well within it: three retries from 1 s, and timeouts) and is sent again.
    /// </summary>
    internal static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
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
        await ResendPendingAsync(campaign, cancellationToken);
        var settings = options.Value.Detection;
        var now = time.GetUtcNow();
        var lastClosed = Resolution.Minute.Start(now) - Minute;
        // The detector's blocks count from the first row: start on a block boundary (UTC midnight for
        // day blocks), inside the minute retention.
        var reach = TimeSpan.FromTicks(Math.Min(options.Value.Redis.MinuteRetention.Ticks, (settings.Block * (settings.HistoryBlocks + 1)).Ticks));
        var earliest = (now - reach).UtcTicks;
        var start = new DateTimeOffset(earliest - (earliest % settings.Block.Ticks), TimeSpan.Zero) + settings.Block;
        // Through the current minute: a read that ended in it may have covered the closed minutes.
        var buckets = await store.GetMinuteBucketsAsync(campaign.Id, start, lastClosed + (2 * Minute), cancellationToken);
        // A minute without read records is covered when a later read of the platform succeeded
        // (sweeps and the stream read everything since their cursor); until then it is not
        // collected yet, as after a worker's downtime, and its silence is no fade.
        var lastRead = campaign.Platforms.ToDictionary(p => p, p => buckets.Index().Where(b => b.Item.GetValueOrDefault(p).PollsOk > 0).Select(b => b.Index).DefaultIfEmpty(-1).Max());
        // Minutes before the campaign was first followed are not quiet history but no history: the
        // series starts at the first block boundary after the first minute with posts or polls, so a
        // new deployment warms up instead of taking its first posts for a surge over zero.
        var blockRows = (int)(settings.Block / Minute);
        var first = buckets.Index()
            .Where(b => campaign.Platforms.Any(p => b.Item.GetValueOrDefault(p) is { } x && (x.Count > 0 || x.PollsOk + x.PollsFailed > 0)))
            .Select(b => b.Index).DefaultIfEmpty(-1).First();
        var offset = first <= 0 ? 0 : (first + blockRows - 1) / blockRows * blockRows;
        var raised = new List<Alert>();
        foreach (var series in campaign.Platforms.Select(p => (Name: p.Name(), Platforms: (IReadOnlyCollection<Platform>)[p])).Append((Name: AllPlatforms, Platforms: campaign.Platforms)))
        {
            var values = buckets.Take(buckets.Count - 1).Skip(offset).Select(b => (double)series.Platforms.Sum(p => b.GetValueOrDefault(p).Count)).ToArray();
            var points = SpikeDetector.Run(values, Minute, settings);
            var evaluated = await store.GetEvaluatedAsync(campaign.Id, series.Name, cancellationToken) ?? lastClosed - Minute;
            var alerting = series.Name == AllPlatforms || options.Value.Alerts.PerPlatform;
            DateTimeOffset? waiting = null;
            for (var minute = evaluated + Minute; minute <= lastClosed; minute += Minute)
            {
                var row = (int)((minute - start) / Minute);
                var index = row - offset;
                if (index < 0)
                {
                    // Before the series starts (warming up): nothing to judge.
                    continue;
                }

                var completeness = series.Platforms.Min(p => buckets[row].GetValueOrDefault(p).Completeness ?? (row < lastRead[p] ? 1 : 0));
                var point = points[index];
                metrics.AnomalyScore(campaign.Id, series.Name, campaign.Canonical.Display, point.Score);
                // Missing posts can hide a surge or fake a fade, never fake a surge: a surge seen on
                // incomplete data alerts at once (saying so); anything else waits for the minute to
                // fill, counting from when this worker could first have read it.
                var surge = point.Alert && point.Direction == AnomalyDirection.Spike;
                var readableSince = minute + Minute > runningSince ? minute + Minute : runningSince;
                if (completeness < 1 && !surge && now - readableSince < options.Value.Alerts.IncompleteWait)
                {
                    Log.DetectionWaits(logger, campaign.Id, series.Name, minute, completeness);
                    waiting ??= minute;
                    continue;
                }

                if (point.Alert && alerting && await RaiseAsync(campaign, series.Name, minute, point, values, index, completeness, cancellationToken) is { } alert)
                {
                    raised.Add(alert);
                }
                else if (completeness < 1 && alerting && !point.Alert)
                {
                    Log.JudgedIncomplete(logger, campaign.Id, series.Name, minute, completeness);
                }

                // The mark stops before the first minute still waiting; minutes after it are judged
                // again next time, and an alert already raised for one is held back by its claim.
                if (waiting is null)
                {
                    await store.SetEvaluatedAsync(campaign.Id, series.Name, minute, cancellationToken);
                }
            }
        }

        return raised;
    }

    private async Task<Alert?> RaiseAsync(
        Campaign campaign, string series, DateTimeOffset minute, DetectorPoint point, double[] values, int index, double completeness, CancellationToken cancellationToken)
    {
        var alerts = options.Value.Alerts;
        var direction = point.Direction == AnomalyDirection.Dip ? "dip" : "spike";
        var id = $"{campaign.Id}:{series}:{direction}:{minute.UtcDateTime:yyyyMMddHHmm}";
        var dipRows = (int)(options.Value.Detection.DipWindow / Minute);
        var volume = point.Direction == AnomalyDirection.Dip ? values.Skip(Math.Max(0, index - dipRows + 1)).Take(Math.Min(dipRows, index + 1)).Sum() : values[index];
        var range = string.Create(CultureInfo.InvariantCulture, $"from={Uri.EscapeDataString((minute - TimeSpan.FromHours(2)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString((minute + TimeSpan.FromMinutes(30)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))}");
        var url = $"{alerts.PublicBaseUrl.TrimEnd('/')}/api/campaigns/{campaign.Id}/series?resolution=1m{(series == AllPlatforms ? string.Empty : "&platform=" + series)}&{range}";
        var alert = new Alert(id, campaign.Id, campaign.Name, campaign.Canonical.Display, series, direction, minute, volume, point.Expected, point.Score,
            Math.Round(Math.Min(point.ReturnPeriod.TotalDays, 36_500), 1), Math.Round(completeness, 3), url, SpikeDetector.Version, time.GetUtcNow());
        if (!await store.TryRaiseAlertAsync(campaign.Id, series, direction, id, alerts.Cooldown, minute, JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert), cancellationToken))
        {
            // Raised already: by another instance, before a restart, or within the cooldown.
            return null;
        }

        Log.AlertRaised(logger, id, alert.Title);
        await dispatcher.DispatchAsync(alert, cancellationToken);
        await store.CompleteAlertAsync(campaign.Id, id, cancellationToken);
        return alert;
    }

    /// <summary>
    /// Sends again the alerts an instance raised but did not finish sending (it crashed or was
    /// stopped between raising and sending), once they are older than <see cref="ResendAfter"/>,
    /// under a lease so only one instance resends each.
    /// </summary>
    private async Task ResendPendingAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        foreach (var json in await store.GetPendingAlertsAsync(campaign.Id, cancellationToken))
        {
            var alert = JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert);
            if (alert is null || time.GetUtcNow() - alert.RaisedAt < ResendAfter
                || !await store.TryLeaseAlertAsync(campaign.Id, alert.Id, ResendAfter, cancellationToken))
            {
                continue;
            }

            Log.AlertResent(logger, alert.Id, alert.RaisedAt);
            await dispatcher.DispatchAsync(alert, cancellationToken);
            await store.CompleteAlertAsync(campaign.Id, alert.Id, cancellationToken);
        }
    }
}
