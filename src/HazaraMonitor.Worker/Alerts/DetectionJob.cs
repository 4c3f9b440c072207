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
    LiveDetectors detectors,
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

    /// <summary>
    /// How old a complete minute must be before the detectors learn it: posts still reach the last
    /// few minutes (a platform's search indexing late), so those are judged on a copy of the
    /// detector, and what it learns is what the minute finally held.
    /// </summary>
    internal static readonly TimeSpan LearnAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far back each evaluation re-reads the minutes its detectors already learnt, to relearn
    /// when late posts (a platform's search indexing late, a backlog read after a restart) changed
    /// one. Older changes are learnt at the daily rebuild.
    /// </summary>
    internal static readonly TimeSpan Recheck = TimeSpan.FromHours(6);

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
        var now = time.GetUtcNow();
        var lastClosed = Resolution.Minute.Start(now) - Minute;
        var series = campaign.Platforms.Select(p => (Name: p.Name(), Platforms: (IReadOnlyCollection<Platform>)[p])).Append((Name: AllPlatforms, Platforms: campaign.Platforms)).ToList();
        var marks = await store.GetEvaluatedAsync(campaign.Id, [.. series.Select(x => x.Name)], cancellationToken);
        var evaluated = series.Select((x, i) => (x.Name, Mark: marks[i] ?? lastClosed - Minute)).ToDictionary(x => x.Name, x => x.Mark);

        var (live, from, buckets) = await LoadAsync(campaign, series, evaluated, now, lastClosed, cancellationToken);

        // A minute without read records is covered when a later read of the platform succeeded
        // (sweeps and the stream read everything since their cursor); until then it is not
        // collected yet, as after a worker's downtime, and its silence is no fade.
        var lastRead = campaign.Platforms.ToDictionary(p => p, p => buckets.Index().Where(b => b.Item.GetValueOrDefault(p).PollsOk > 0).Select(b => b.Index).DefaultIfEmpty(-1).Max());
        var raised = new List<Alert>();
        foreach (var (name, platforms) in series)
        {
            var detector = live.Series[name];
            var alerting = name == AllPlatforms || options.Value.Alerts.PerPlatform;
            // Minutes that may still change (incomplete, or younger than LearnAfter) are judged on a
            // copy of the detector, so the detector itself learns what a minute finally held.
            SpikeDetector? provisional = null;
            DateTimeOffset? waiting = null;
            for (var minute = live.Through(detector) + Minute; minute <= lastClosed; minute += Minute)
            {
                var row = (int)((minute - from) / Minute);
                var value = Sum(buckets[row], platforms);
                var completeness = platforms.Min(p => buckets[row].GetValueOrDefault(p).Completeness ?? (row < lastRead[p] ? 1 : 0));
                var readableSince = minute + Minute > runningSince ? minute + Minute : runningSince;
                var complete = completeness >= 1 || now - readableSince >= options.Value.Alerts.IncompleteWait;
                DetectorPoint point;
                if (provisional is null && complete && minute <= lastClosed - LearnAfter)
                {
                    point = detector.Push(value);
                }
                else
                {
                    provisional ??= detector.Clone();
                    point = provisional.Push(value);
                }

                if (minute <= evaluated[name])
                {
                    // Judged already (by this or another instance): only learnt.
                    continue;
                }

                metrics.AnomalyScore(campaign.Id, name, campaign.Canonical.Display, point.Score);
                // Missing posts can hide a surge or fake a fade, never fake a surge: a surge seen on
                // incomplete data alerts at once (saying so); anything else waits for the minute to
                // fill, counting from when this worker could first have read it.
                var surge = point.Alert && point.Direction == AnomalyDirection.Spike;
                if (!complete && !surge)
                {
                    Log.DetectionWaits(logger, campaign.Id, name, minute, completeness);
                    waiting ??= minute;
                    continue;
                }

                if (point.Alert && alerting && await RaiseAsync(campaign, name, minute, point, completeness, cancellationToken) is { } alert)
                {
                    raised.Add(alert);
                }
                else if (completeness < 1 && alerting && !point.Alert)
                {
                    Log.JudgedIncomplete(logger, campaign.Id, name, minute, completeness);
                }

                // The mark stops before the first minute still waiting; minutes after it are judged
                // again next time, and an alert already raised for one is held back by its claim.
                if (waiting is null)
                {
                    await store.SetEvaluatedAsync(campaign.Id, name, minute, cancellationToken);
                }
            }
        }

        return raised;
    }

    /// <summary>
    /// The campaign's kept detectors, and the minute buckets from <c>From</c> through the current
    /// minute: the minutes the detectors have not learnt yet, and the last <see cref="Recheck"/>.
    /// </summary>
    private async Task<(LiveCampaign Live, DateTimeOffset From, IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>> Buckets)> LoadAsync(
        Campaign campaign, IReadOnlyList<(string Name, IReadOnlyCollection<Platform> Platforms)> series, Dictionary<string, DateTimeOffset> evaluated,
        DateTimeOffset now, DateTimeOffset lastClosed, CancellationToken cancellationToken)
    {
        // Each series' detector has learnt every settled minute up to its Through, so only the
        // minutes since are read, and the last Recheck of learnt minutes to see whether late posts
        // changed one. The detectors are built again from the stored history when such a change is
        // seen, when the history's first day moves on (the blocks stay calendar days), on a first
        // run, when the campaign's first posts or polls appear, and when the judged mark is behind a
        // minute they learnt (the mark expired).
        var start = HistoryStart(now);
        var live = detectors.Find(campaign.Id);
        var reason = live is null ? "start" : live.Start != start ? "new day of history"
            : series.Any(x => live.Series[x.Name].Count > 0 && evaluated[x.Name] < live.Through(live.Series[x.Name])) ? "judged mark behind" : null;
        var from = start;
        // Through the current minute: a read that ended in it may have covered the closed minutes.
        var to = lastClosed + (2 * Minute);
        IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>> buckets = [];
        bool Active(IReadOnlyDictionary<Platform, PlatformBucket> bucket) =>
            campaign.Platforms.Any(p => bucket.GetValueOrDefault(p) is { } x && (x.Count > 0 || x.PollsOk + x.PollsFailed > 0));
        if (live is not null && reason is null)
        {
            var recheckFrom = lastClosed - Recheck > live.SeriesStart ? lastClosed - Recheck : live.SeriesStart;
            var unlearnt = live.Series.Values.Min(live.Through) + Minute;
            from = recheckFrom < unlearnt ? recheckFrom : unlearnt;
            buckets = await store.GetMinuteBucketsAsync(campaign.Id, from, to, cancellationToken);
            reason = !live.Active && buckets.Any(Active) ? "first activity"
                : series.Any(x => Relearn(live, live.Series[x.Name], x.Platforms, buckets, from)) ? "late posts in a learnt minute" : null;
        }

        if (live is null || reason is not null)
        {
            from = start;
            buckets = await store.GetMinuteBucketsAsync(campaign.Id, from, to, cancellationToken);
            Log.DetectorsBuilt(logger, campaign.Id, buckets.Count, reason ?? "start");
            // Minutes before the campaign was first followed are not quiet history but no history: the
            // series starts at the first block boundary after the first minute with posts or polls, so a
            // new deployment warms up instead of taking its first posts for a surge over zero.
            var first = buckets.Index().Where(b => Active(b.Item)).Select(b => b.Index).DefaultIfEmpty(-1).First();
            var blockRows = (int)(options.Value.Detection.Block / Minute);
            var seriesStart = start + (Minute * (first <= 0 ? 0 : (first + blockRows - 1) / blockRows * blockRows));
            live = detectors.Set(campaign.Id, new LiveCampaign(start, seriesStart, first >= 0,
                series.ToDictionary(x => x.Name, _ => new SpikeDetector(Minute, options.Value.Detection))));
        }

        return (live, from, buckets);
    }

    private static double Sum(IReadOnlyDictionary<Platform, PlatformBucket> bucket, IReadOnlyCollection<Platform> platforms) =>
        platforms.Sum(p => bucket.GetValueOrDefault(p).Count);

    /// <summary>Whether a minute the series' detector learnt, among <paramref name="buckets"/> (from <paramref name="from"/>), now holds another count.</summary>
    private static bool Relearn(
        LiveCampaign live, SpikeDetector detector, IReadOnlyCollection<Platform> platforms, IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>> buckets, DateTimeOffset from)
    {
        for (var minute = from; minute <= live.Through(detector); minute += Minute)
        {
            if (Sum(buckets[(int)((minute - from) / Minute)], platforms) != detector[(int)((minute - live.SeriesStart) / Minute)])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Where the detectors' history starts: on a block boundary (UTC midnight for day blocks), so the
    /// detector's blocks are the calendar's, reaching back the tail model's history and one block
    /// more, within the minute retention.
    /// </summary>
    private DateTimeOffset HistoryStart(DateTimeOffset now)
    {
        var settings = options.Value.Detection;
        var reach = TimeSpan.FromTicks(Math.Min(options.Value.Redis.MinuteRetention.Ticks, (settings.Block * (settings.HistoryBlocks + 1)).Ticks));
        var earliest = (now - reach).UtcTicks;
        return new DateTimeOffset(earliest - (earliest % settings.Block.Ticks), TimeSpan.Zero) + settings.Block;
    }

    private async Task<Alert?> RaiseAsync(
        Campaign campaign, string series, DateTimeOffset minute, DetectorPoint point, double completeness, CancellationToken cancellationToken)
    {
        var alerts = options.Value.Alerts;
        var direction = point.Direction == AnomalyDirection.Dip ? "dip" : "spike";
        var id = $"{campaign.Id}:{series}:{direction}:{minute.UtcDateTime:yyyyMMddHHmm}";
        var range = string.Create(CultureInfo.InvariantCulture, $"from={Uri.EscapeDataString((minute - TimeSpan.FromHours(2)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString((minute + TimeSpan.FromMinutes(30)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))}");
        var url = $"{alerts.PublicBaseUrl.TrimEnd('/')}/api/campaigns/{campaign.Id}/series?resolution=1m{(series == AllPlatforms ? string.Empty : "&platform=" + series)}&{range}";
        var alert = new Alert(id, campaign.Id, campaign.Name, campaign.Canonical.Display, series, direction, minute, point.Observed, point.Expected, point.Window.TotalMinutes, point.Score,
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
