using System.Globalization;
using System.Text;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Detection;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Tests.Detection;

/// <summary>
/// Live detection's policy on in-memory minute buckets and a fake clock: what is learnt, judged,
/// waited for and rebuilt, and that a series fed minute by minute raises the alerts <c>detect</c>
/// raises on the whole series.
/// </summary>
public sealed class LiveEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2022, 10, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly Campaign Campaign = new("stop-hazara-genocide", "Stop Hazara Genocide", ["StopHazaraGenocide"], [XPlatform.Id]);

    /// <summary>Seeded Poisson minute counts from <see cref="Start"/>, about 10 a minute with a daily cycle.</summary>
    private static long[] Quiet(int days, int seed = 930)
    {
        var random = new Random(seed);
        var counts = new long[days * 1440];
        for (var i = 0; i < counts.Length; i++)
        {
            var mean = 10 + (5 * Math.Sin(2 * Math.PI * (i % 1440) / 1440.0));
            var (limit, k, p) = (Math.Exp(-mean), 0, random.NextDouble());
            while (p > limit)
            {
                (k, p) = (k + 1, p * random.NextDouble());
            }

            counts[i] = k;
        }

        return counts;
    }

    /// <summary>The platform's buckets as the store serves them: what was collected by the fake clock's current minute, with its polls.</summary>
    private sealed class Buckets(long[] counts, TimeProvider time)
    {
        public Dictionary<int, (long Ok, long Failed)> Polls { get; } = [];

        public Task<IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var read = new List<IReadOnlyDictionary<Platform, PlatformBucket>>();
            for (var minute = from; minute < to; minute += Minute)
            {
                var i = (int)((minute - Start) / Minute);
                var (ok, failed) = Polls.GetValueOrDefault(i, (1, 0));
                read.Add(i >= 0 && i < counts.Length && minute <= now
                    ? new Dictionary<Platform, PlatformBucket> { [XPlatform.Id] = new(counts[i], null, ok, failed) }
                    : new Dictionary<Platform, PlatformBucket>());
            }

            return Task.FromResult<IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>>>(read);
        }
    }

    /// <summary>An evaluator and the judged marks it moves, as the job keeps them in Redis.</summary>
    private sealed class Live(long[] counts, FakeTimeProvider time, SpikeDetectorSettings? detection = null, bool perPlatform = false)
    {
        private readonly LiveEvaluator _evaluator = new(
            new LiveDetectors(), Options.Create(new AlertsOptions { PerPlatform = perPlatform }), Options.Create(detection ?? new SpikeDetectorSettings()), Options.Create(new RedisOptions()), time);
        private readonly Dictionary<string, DateTimeOffset?> _judged = [];

        public Buckets Buckets { get; } = new(counts, time);

        public async Task<Evaluation> EvaluateAsync(DateTimeOffset? runningSince = null)
        {
            var evaluation = await _evaluator.EvaluateAsync(Campaign, _judged, runningSince ?? DateTimeOffset.MinValue, Buckets.ReadAsync, CancellationToken.None);
            foreach (var (series, minute) in evaluation.Judged)
            {
                _judged[series] = minute;
            }

            return evaluation;
        }

        public DateTimeOffset? Judged(string series) => _judged.GetValueOrDefault(series);
    }

    /// <summary>Five quiet days, then <paramref name="extra"/> minutes, with the clock a few seconds into the minute after the last day's first minute.</summary>
    private static (long[] Counts, FakeTimeProvider Time) History(int days = 5, int extra = 60)
    {
        var counts = Quiet(days + 1)[..((days * 1440) + extra)];
        return (counts, new FakeTimeProvider(Start + TimeSpan.FromDays(days) + TimeSpan.FromSeconds(5)));
    }

    /// <summary>
    /// The shipped settings but a surge alert at a century's rarity: noise in the quiet history then
    /// raises no alert whose refractory time would hold back the surge a test is about.
    /// </summary>
    private static SpikeDetectorSettings Rare() => new() { AlertReturnPeriod = TimeSpan.FromDays(36_500) };

    [Fact]
    public async Task RaisesTheAlertsDetectRaisesAtTheSameMinutes()
    {
        // Eight days: a five-minute burst on day 5, an hour of silence (a fade) on day 6, an hour at
        // twice the pace on day 7; the job runs every 1 to 15 minutes, as a busy scheduler may.
        var counts = Quiet(8);
        for (var i = 0; i < 5; i++)
        {
            counts[(5 * 1440) + (12 * 60) + i] += 120;
        }

        Array.Clear(counts, (6 * 1440) + (14 * 60), 60);
        for (var i = 0; i < 60; i++)
        {
            counts[(7 * 1440) + (3 * 60) + i] *= 2;
        }

        var time = new FakeTimeProvider(Start + Minute + TimeSpan.FromSeconds(5));
        var live = new Live(counts, time);
        var raised = new List<(DateTimeOffset Minute, AnomalyDirection Direction)>();
        var steps = new Random(2022);
        while (time.GetUtcNow() < Start + TimeSpan.FromDays(8) + Minute)
        {
            var evaluation = await live.EvaluateAsync();
            raised.AddRange(evaluation.Judgements.Where(j => j.Series == LiveSeries.AllPlatforms && j.Verdict == Verdict.Alert && j.Minute < Start.AddDays(8)).Select(j => (j.Minute, j.Point.Direction)));
            time.Advance(Minute * steps.Next(1, 16));
        }

        var backtest = await DetectAsync(counts);
        Assert.Equal(backtest, raised.Select(r => r.Minute));
        Assert.Contains(raised, r => r.Direction == AnomalyDirection.Spike && r.Minute.Date == Start.AddDays(5).Date);
        Assert.Contains(raised, r => r.Direction == AnomalyDirection.Dip && r.Minute.Date == Start.AddDays(6).Date);
        Assert.Contains(raised, r => r.Direction == AnomalyDirection.Spike && r.Minute.Date == Start.AddDays(7).Date);
    }

    /// <summary>The minutes whose <c>alert</c> is 1 in what the worker's <c>detect</c> command writes for the series.</summary>
    private static async Task<IReadOnlyList<DateTimeOffset>> DetectAsync(long[] counts)
    {
        var folder = Directory.CreateTempSubdirectory("hm-live-backtest-");
        try
        {
            var input = Path.Combine(folder.FullName, "series.csv");
            var text = new StringBuilder("timestamp,value\n");
            for (var i = 0; i < counts.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Start + (Minute * i):yyyy-MM-dd HH:mm:ss},{counts[i]}\n");
            }

            await File.WriteAllTextAsync(input, text.ToString());
            var output = Path.Combine(folder.FullName, "out.csv");
            Assert.Equal(0, await DetectCommand.RunAsync(["--input", input, "--output", output], TextWriter.Null, TextWriter.Null));
            return [.. (await File.ReadAllLinesAsync(output)).Skip(1).Select(line => line.Split(','))
                .Where(cells => cells[3] == "1")
                .Select(cells => new DateTimeOffset(DateTime.Parse(cells[0], CultureInfo.InvariantCulture), TimeSpan.Zero))];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnIncompleteMinuteWaitsForItsPollsThenIsJudgedAndSaysSo()
    {
        var (counts, time) = History();
        var live = new Live(counts, time, Rare());
        await live.EvaluateAsync();
        var incomplete = Start + TimeSpan.FromDays(5) + (2 * Minute);
        live.Buckets.Polls[(int)((incomplete - Start) / Minute)] = (1, 1);

        // Closed, half its polls failed, no surge: it waits, and the mark stops before it.
        time.Advance(3 * Minute);
        var waiting = await live.EvaluateAsync();
        Assert.Contains(waiting.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Minute == incomplete && j.Verdict == Verdict.Waits && j.Completeness == 0.5);
        Assert.Equal(incomplete - Minute, live.Judged(LiveSeries.AllPlatforms));

        // Alerts:IncompleteWait (3 minutes) after its end, it is judged, flagged as incomplete.
        time.Advance(new AlertsOptions().IncompleteWait);
        var judged = await live.EvaluateAsync();
        Assert.Contains(judged.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Minute == incomplete && j.Verdict == Verdict.QuietIncomplete);
        Assert.True(live.Judged(LiveSeries.AllPlatforms) > incomplete);
    }

    [Fact]
    public async Task AGapInReadingFakesNoFadeNeitherBeforeNorAfterItsPostsArrive()
    {
        // Redis down for 40 minutes: the polls of those minutes fail and nothing is counted; once it is
        // back the sweep reads those posts again, late. The same silence with every poll succeeding
        // is a real fade, and alerts (RaisesTheAlertsDetectRaisesAtTheSameMinutes).
        var (counts, time) = History(extra: 60);
        var live = new Live(counts, time);
        await live.EvaluateAsync();
        var gap = (5 * 1440) + 5;
        var held = counts[gap..(gap + 40)];
        for (var i = gap; i < gap + 40; i++)
        {
            counts[i] = 0;
            live.Buckets.Polls[i] = (0, 1);
        }

        // Back after the outage, its minutes' waits long over: judged on the silence, and no fade alerts.
        time.Advance(50 * Minute);
        var during = await live.EvaluateAsync();
        Assert.Contains(during.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Point.Alert && j.Point.Direction == AnomalyDirection.Dip);
        Assert.DoesNotContain(during.Judgements, j => j.Verdict == Verdict.Alert);

        // The posts arrive late; the detectors relearn them; still nothing alerts.
        held.CopyTo(counts, gap);
        time.Advance(5 * Minute);
        var after = await live.EvaluateAsync();
        Assert.DoesNotContain(after.Judgements, j => j.Verdict == Verdict.Alert);
    }

    [Fact]
    public async Task ASurgeOnAnIncompleteMinuteAlertsAtOnce()
    {
        var (counts, time) = History();
        var surge = (5 * 1440) + 2;
        counts[surge] = 400;
        var live = new Live(counts, time, Rare());
        await live.EvaluateAsync();
        live.Buckets.Polls[surge] = (1, 1);

        time.Advance(3 * Minute);
        var evaluation = await live.EvaluateAsync();

        var alert = Assert.Single(evaluation.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Verdict == Verdict.Alert);
        Assert.Equal(Start + (surge * Minute), alert.Minute);
        Assert.Equal(0.5, alert.Completeness);
    }

    [Fact]
    public async Task AMinuteNoReadHasCoveredWaitsFromWhenTheWorkerStarted()
    {
        // After downtime: the minutes before the worker started hold no polls and no read after them yet.
        var (counts, time) = History();
        var live = new Live(counts, time, Rare());
        await live.EvaluateAsync();
        var down = (5 * 1440) + 1;
        for (var i = down; i < down + 30; i++)
        {
            live.Buckets.Polls[i] = (0, 0);
        }

        time.Advance(3 * Minute);
        var started = time.GetUtcNow();

        var evaluation = await live.EvaluateAsync(runningSince: started);
        Assert.Contains(evaluation.Judgements, j => j.Minute == Start + (down * Minute) && j.Verdict == Verdict.Waits && j.Completeness == 0);

        // IncompleteWait after the start, with still no read, it is judged as possibly short.
        time.Advance(new AlertsOptions().IncompleteWait);
        var later = await live.EvaluateAsync(runningSince: started);
        Assert.Contains(later.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Minute == Start + (down * Minute) && j.Verdict == Verdict.QuietIncomplete);
    }

    [Fact]
    public async Task KeepsItsDetectorsUntilLatePostsChangeALearntMinuteOrTheHistoryMovesADay()
    {
        var (counts, time) = History(days: 5, extra: 1440);
        var live = new Live(counts, time);
        Assert.Equal("start", (await live.EvaluateAsync()).Rebuilt);

        time.Advance(30 * Minute);
        var kept = await live.EvaluateAsync();
        Assert.Null(kept.Rebuilt);
        Assert.True(kept.MinutesRead < 8 * 60, $"read {kept.MinutesRead} minutes, more than the recheck window and the new minutes");

        // Five posts reach a minute learnt twenty minutes ago (a platform's search indexing late).
        counts[(5 * 1440) + 10] += 5;
        time.Advance(Minute);
        Assert.Equal("late posts in a learnt minute", (await live.EvaluateAsync()).Rebuilt);

        // The history's first day moves on at midnight.
        time.Advance(TimeSpan.FromDays(1) - (30 * Minute));
        Assert.Equal("new day of history", (await live.EvaluateAsync()).Rebuilt);
    }

    [Fact]
    public async Task LearnsTheLastMinutesOnlyOnceLatePostsHadTimeToArrive()
    {
        var (counts, time) = History();
        var live = new Live(counts, time);
        await live.EvaluateAsync();
        time.Advance(5 * Minute);
        await live.EvaluateAsync();

        // Five posts reach a minute judged three minutes ago: judged on a copy, not learnt yet, so
        // the detectors learn its final count when it is LearnAfter old, without a rebuild.
        var late = (5 * 1440) + 2;
        counts[late] += 5;
        time.Advance(LiveEvaluator.LearnAfter);
        Assert.Null((await live.EvaluateAsync()).Rebuilt);
        time.Advance(Minute);
        Assert.Null((await live.EvaluateAsync()).Rebuilt);
    }

    [Fact]
    public async Task APlatformSeriesAlertsOnlyWhenPerPlatformAlertsAreOn()
    {
        var (counts, time) = History();
        counts[(5 * 1440) + 2] = 400;
        foreach (var perPlatform in new[] { false, true })
        {
            var clock = new FakeTimeProvider(time.GetUtcNow());
            var live = new Live(counts, clock, Rare(), perPlatform);
            await live.EvaluateAsync();
            clock.Advance(3 * Minute);
            var evaluation = await live.EvaluateAsync();
            Assert.Equal(perPlatform, evaluation.Judgements.Any(j => j.Series == "x" && j.Verdict == Verdict.Alert));
            Assert.Contains(evaluation.Judgements, j => j.Series == LiveSeries.AllPlatforms && j.Verdict == Verdict.Alert);
        }
    }
}
