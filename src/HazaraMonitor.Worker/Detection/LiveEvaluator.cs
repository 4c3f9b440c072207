using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Alerts;

namespace HazaraMonitor.Worker.Detection;

/// <summary>A campaign's minute buckets, one per minute from <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
internal delegate Task<IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>>> MinuteBucketReader(
    DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

/// <summary>One series a campaign's detection judges: a platform, or all of them together.</summary>
internal sealed record LiveSeries(string Name, IReadOnlyCollection<Platform> Platforms)
{
    /// <summary>The name of the series that totals every platform a campaign follows.</summary>
    public const string AllPlatforms = "all";

    /// <summary>Every platform the campaign follows, then their total.</summary>
    public static IReadOnlyList<LiveSeries> Of(Campaign campaign) =>
        [.. campaign.Platforms.Select(p => new LiveSeries(p.Name, [p])), new LiveSeries(AllPlatforms, campaign.Platforms)];
}

/// <summary>What became of one closed minute of one series.</summary>
internal enum Verdict
{
    /// <summary>Judged: nothing to send.</summary>
    Quiet,

    /// <summary>Judged on a minute whose polls did not all succeed, without an alert: a surge may hide in it.</summary>
    QuietIncomplete,

    /// <summary>Judged: the detector alerts and the series sends alerts.</summary>
    Alert,

    /// <summary>Not judged yet: the minute may still fill (its polls did not all succeed) and shows no surge.</summary>
    Waits,
}

/// <summary>The evaluator's decision on one minute of one series.</summary>
/// <param name="History">What the minute was judged against: the minutes the series' detector learnt before it and the minute
/// itself, at most the tail model's reach (<c>HistoryBlocks</c> blocks, 21 days as shipped).</param>
internal sealed record Judgement(string Series, DateTimeOffset Minute, DetectorPoint Point, double Completeness, Verdict Verdict, TimeSpan History);

/// <summary>One evaluation of a campaign.</summary>
/// <param name="Rebuilt">Why the detectors were built again from the stored history; null when the kept ones served.</param>
/// <param name="MinutesRead">How many minute buckets were read.</param>
/// <param name="Judgements">Every minute judged or waiting, per series in order.</param>
/// <param name="Judged">Per series whose judged mark moves on, the last minute judged before the first one still waiting.</param>
internal sealed record Evaluation(string? Rebuilt, int MinutesRead, IReadOnlyList<Judgement> Judgements, IReadOnlyDictionary<string, DateTimeOffset> Judged);

/// <summary>
/// Live detection's policy, with no store and no clock of its own: which minute buckets to read,
/// when the kept detectors are built again, which minutes each series' detector learns and which it
/// only judges, and what becomes of each closed minute not judged yet. The detector is deterministic,
/// so every instance that evaluates the same buckets reaches the same judgements, and a series fed
/// minute by minute reaches the judgements <c>detect</c> reaches on the whole series at once.
/// </summary>
internal sealed class LiveEvaluator(
    LiveDetectors detectors, IOptions<AlertsOptions> alerts, IOptions<SpikeDetectorSettings> detection, IOptions<RedisOptions> redis, TimeProvider time)
{
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

    /// <summary>Judges every closed minute of the campaign's series after its judged mark.</summary>
    /// <param name="judged">Per series, the last minute judged (by any instance); null before the first evaluation, which judges only the last closed minute.</param>
    /// <param name="runningSince">When this worker started: minutes it could not have read yet wait from then.</param>
    public async Task<Evaluation> EvaluateAsync(
        Campaign campaign, IReadOnlyDictionary<string, DateTimeOffset?> judged, DateTimeOffset runningSince, MinuteBucketReader read, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lastClosed = Resolution.Minute.Start(now) - Minute;
        var series = LiveSeries.Of(campaign);
        var marks = series.ToDictionary(s => s.Name, s => judged.GetValueOrDefault(s.Name) ?? lastClosed - Minute);
        var (live, from, buckets, rebuilt) = await LoadAsync(campaign, series, marks, now, lastClosed, read, cancellationToken);

        // A minute without read records is covered when a later read of the platform succeeded
        // (sweeps and the stream read everything since their cursor); until then it is not
        // collected yet, as after a worker's downtime, and its silence is no fade.
        var lastRead = campaign.Platforms.ToDictionary(p => p, p => buckets.Index().Where(b => b.Item.GetValueOrDefault(p).PollsOk > 0).Select(b => b.Index).DefaultIfEmpty(-1).Max());
        var judgements = new List<Judgement>();
        var moved = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (name, platforms) in series)
        {
            var detector = live.Series[name];
            var alerting = name == LiveSeries.AllPlatforms || alerts.Value.PerPlatform;
            double Completeness(int row) => platforms.Min(p => buckets[row].GetValueOrDefault(p).Completeness ?? (row < lastRead[p] ? 1 : 0));

            // How many rows before each were not completely read, so a fade's whole window is checked at once.
            var incompleteBefore = new int[buckets.Count + 1];
            for (var row = 0; row < buckets.Count; row++)
            {
                incompleteBefore[row + 1] = incompleteBefore[row] + (Completeness(row) < 1 ? 1 : 0);
            }

            var fadeRows = Math.Max(1, (int)(detection.Value.DipWindow / Minute));
            // Minutes that may still change (incomplete, or younger than LearnAfter) are judged on a
            // copy of the detector, so the detector itself learns what a minute finally held.
            SpikeDetector? provisional = null;
            var waiting = false;
            for (var minute = live.Through(detector) + Minute; minute <= lastClosed; minute += Minute)
            {
                var row = (int)((minute - from) / Minute);
                var value = Sum(buckets[row], platforms);
                var completeness = Completeness(row);
                var readableSince = minute + Minute > runningSince ? minute + Minute : runningSince;
                var complete = completeness >= 1 || now - readableSince >= alerts.Value.IncompleteWait;
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

                if (minute <= marks[name])
                {
                    // Judged already (by this or another instance): only learnt.
                    continue;
                }

                // Missing posts can hide a surge or fake a fade, never fake a surge: a surge seen on
                // incomplete data alerts at once (saying so); anything else waits for the minute to
                // fill, counting from when this worker could first have read it. A fade whose window
                // holds a minute not completely read (failed polls, Redis or the worker down) may be
                // ours rather than the campaign's: it does not alert, and will once its window is
                // read in full if the fade is real.
                var surge = point.Alert && point.Direction == AnomalyDirection.Spike;
                var fadeOnGap = point.Alert && !surge && incompleteBefore[row + 1] - incompleteBefore[Math.Max(0, row + 1 - fadeRows)] > 0;
                var alert = point.Alert && !fadeOnGap;
                var verdict = !complete && !surge ? Verdict.Waits
                    : alert && alerting ? Verdict.Alert
                    : completeness < 1 && alerting && !alert ? Verdict.QuietIncomplete
                    : Verdict.Quiet;
                judgements.Add(new Judgement(name, minute, point, completeness, verdict, History(live, minute)));

                // The mark stops before the first minute still waiting; minutes after it are judged
                // again next time, and an alert already raised for one is held back by its claim.
                waiting |= verdict == Verdict.Waits;
                if (!waiting)
                {
                    moved[name] = minute;
                }
            }
        }

        return new Evaluation(rebuilt, buckets.Count, judgements, moved);
    }

    /// <summary>
    /// The campaign's kept detectors, and the minute buckets from <c>From</c> through the current
    /// minute: the minutes the detectors have not learnt yet, and the last <see cref="Recheck"/>.
    /// </summary>
    private async Task<(LiveCampaign Live, DateTimeOffset From, IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>> Buckets, string? Rebuilt)> LoadAsync(
        Campaign campaign, IReadOnlyList<LiveSeries> series, Dictionary<string, DateTimeOffset> marks,
        DateTimeOffset now, DateTimeOffset lastClosed, MinuteBucketReader read, CancellationToken cancellationToken)
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
            : series.Any(x => live.Series[x.Name].Count > 0 && marks[x.Name] < live.Through(live.Series[x.Name])) ? "judged mark behind" : null;
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
            buckets = await read(from, to, cancellationToken);
            reason = !live.Active && buckets.Any(Active) ? "first activity"
                : series.Any(x => Relearn(live, live.Series[x.Name], x.Platforms, buckets, from)) ? "late posts in a learnt minute" : null;
            if (reason is null)
            {
                return (live, from, buckets, null);
            }
        }

        from = start;
        buckets = await read(from, to, cancellationToken);
        // Minutes before the campaign was first followed are not quiet history but no history: the
        // series starts at the first block boundary after the first minute with posts or polls, so a
        // new deployment warms up instead of taking its first posts for a surge over zero.
        var first = buckets.Index().Where(b => Active(b.Item)).Select(b => b.Index).DefaultIfEmpty(-1).First();
        var blockRows = (int)(detection.Value.Block / Minute);
        var seriesStart = start + (Minute * (first <= 0 ? 0 : (first + blockRows - 1) / blockRows * blockRows));
        live = detectors.Set(campaign.Id, new LiveCampaign(start, seriesStart, first >= 0,
            series.ToDictionary(x => x.Name, _ => new SpikeDetector(Minute, detection.Value))));
        return (live, from, buckets, reason);
    }

    /// <summary>From the first minute the campaign's detectors learnt through <paramref name="minute"/>, at most the tail model's reach.</summary>
    private TimeSpan History(LiveCampaign live, DateTimeOffset minute)
    {
        var learnt = minute + Minute - live.SeriesStart;
        var reach = detection.Value.Block * detection.Value.HistoryBlocks;
        return learnt < reach ? learnt : reach;
    }

    private static double Sum(IReadOnlyDictionary<Platform, PlatformBucket> bucket, IReadOnlyCollection<Platform> platforms) =>
        platforms.Sum(p => bucket.GetValueOrDefault(p).Volume);

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
        var settings = detection.Value;
        var reach = TimeSpan.FromTicks(Math.Min(redis.Value.MinuteRetention.Ticks, (settings.Block * (settings.HistoryBlocks + 1)).Ticks));
        var earliest = (now - reach).UtcTicks;
        return new DateTimeOffset(earliest - (earliest % settings.Block.Ticks), TimeSpan.Zero) + settings.Block;
    }
}
