namespace HazaraMonitor.Core.Detection;

/// <summary>Which way a bucket departed from what was expected.</summary>
public enum AnomalyDirection
{
    None,
    Spike,
    Dip,
}

/// <summary>The detector's judgement of one bucket.</summary>
/// <param name="Score">0..1, higher is more unusual: <c>1 - exp(-L/3)</c> where L = -log10 of the tail probability.</param>
/// <param name="Alert">True when the return period reaches <see cref="SpikeDetectorSettings.AlertReturnPeriod"/>.</param>
/// <param name="Direction">Spike, dip, or none.</param>
/// <param name="Expected">What the bucket was expected to hold (for a dip: the dip window's expected sum).</param>
/// <param name="ReturnPeriod">How often a surprise this large is expected: once in this much time; zero when the bucket is not scored.</param>
public readonly record struct DetectorPoint(double Score, bool Alert, AnomalyDirection Direction, double Expected, TimeSpan ReturnPeriod);

/// <summary>
/// Spike and dip detection on a count series (pure, causal: each bucket is judged from the buckets
/// before it and itself).
/// <list type="number">
/// <item>Counts are compared in square-root space, where Poisson-like noise has a near-constant spread.</item>
/// <item>The expectation is the mean of the recent level (median of <c>LevelWindow</c>) and the daily
/// seasonal level (median of the same time of day on the previous <c>SeasonalDays</c>), so a daily
/// cycle is expected and a level shift after a wave is followed within hours.</item>
/// <item>The surprise z is the distance from the expectation in units of the robust spread of the
/// residuals (value minus expectation) over the last <c>ScaleWindow</c>, never below
/// <c>ScaleFloor</c> (sparse series). Residuals, not values: a daily cycle is not noise.</item>
/// <item>How rare z is comes from extreme-value theory: a Gumbel distribution fitted (by moments) to
/// the largest z of each of the last <c>HistoryBlocks</c> days. Its tail gives the probability p that
/// a day holds a surprise this large, and the return period 1/p days. Each series is thus judged
/// against its own history of bursts: a spiky series needs a bigger burst to alert.</item>
/// <item>Novelty: a surprise smaller than the largest of the last <c>HistoryBlocks</c> (before the
/// refractory time) keeps only that fraction of its rarity: the series has done this before.</item>
/// <item>Within <c>Refractory</c> after a surprise only a larger one scores, one event alerts once,
/// and a growing surge scores again only when it is <c>EscalationFactor</c> times rarer. A dip
/// scores only when it alerts.</item>
/// <item>Dips use the same steps on sums over <c>DipWindow</c>, with the signs turned, where at least
/// <c>DipMinimumExpected</c> posts were expected; their expectation is the lower of the recent and
/// the seasonal level, so the hour after a burst is not taken for a fade.</item>
/// </list>
/// </summary>
public static class SpikeDetector
{
    /// <summary>Part of every alert, so a decision can be reproduced with the same settings.</summary>
    public const string Version = "sqrt-seasonal-gumbel/3";

    private const double EulerGamma = 0.5772156649015329;

    public static IReadOnlyList<DetectorPoint> Run(IReadOnlyList<double> values, TimeSpan bucket, SpikeDetectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(settings);
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "The bucket width must be positive.");
        }

        var rows = new Rows(bucket, settings);
        var spike = Surprises(values, rows, settings, (level, seasonal) => (level + seasonal) / 2);
        // A fade must fall below both the recent level and the usual volume of the time of day: the
        // hour after a burst is back to normal, not a dip under the burst-inflated level.
        var dip = Surprises(WindowSums(values, rows.Dip), rows, settings, Math.Min);
        var spikeTail = Tail(spike.Z, rows, settings, sign: 1, eligible: _ => true);
        var dipTail = Tail(dip.Z, rows, settings, sign: -1, eligible: i => dip.Expected[i] >= settings.DipMinimumExpected && i + 1 >= rows.Dip);

        var points = new DetectorPoint[values.Count];
        var alertLog10 = -Math.Log10(settings.Block / settings.AlertReturnPeriod);
        int lastSpikeAlert = int.MinValue / 2, lastDipAlert = int.MinValue / 2;
        var spikeReached = new MonotonicMax(rows.Refractory);
        for (var i = 0; i < points.Length; i++)
        {
            var spiking = spikeTail[i] >= dipTail[i];
            var (log10, expected) = spiking ? (spikeTail[i], spike.Expected[i]) : (dipTail[i], dip.Expected[i]);
            var lastAlert = spiking ? lastSpikeAlert : lastDipAlert;
            // An event alerts once per direction within the refractory time.
            var alert = log10 > 0 && log10 >= alertLog10 && i - lastAlert > rows.Refractory;
            // A surge also scores as it builds, so a dashboard sees it coming: when it is
            // EscalationFactor times rarer than anything it reached in the refractory time, not at
            // every step up. A fade scores only when it alerts: a quieter hour than usual (a night,
            // a weekend, a slow news day) is ordinary, and a fade worth telling keeps going until it
            // reaches the alert's return period.
            var escalates = spiking && log10 > settings.EscalationFactor * Math.Max(0, spikeReached.Max(i));
            if (spiking && log10 > 0)
            {
                spikeReached.Add(i, log10);
            }

            if (!alert && !escalates)
            {
                points[i] = new DetectorPoint(0, false, AnomalyDirection.None, spike.Expected[i], TimeSpan.Zero);
                continue;
            }

            if (alert && spiking)
            {
                lastSpikeAlert = i;
            }
            else if (alert)
            {
                lastDipAlert = i;
            }

            points[i] = new DetectorPoint(1 - Math.Exp(-log10 / 3), alert, spiking ? AnomalyDirection.Spike : AnomalyDirection.Dip, expected, ReturnPeriod(settings.Block, log10));
        }

        return points;
    }

    private static TimeSpan ReturnPeriod(TimeSpan block, double log10) =>
        log10 > 6 ? TimeSpan.MaxValue : block * Math.Pow(10, log10);

    /// <summary>The surprise of every row against its expectation, in square-root units, and the expectation (counts).</summary>
    private static (double[] Z, double[] Expected) Surprises(IReadOnlyList<double> values, Rows rows, SpikeDetectorSettings settings, Func<double, double, double> expect)
    {
        var n = values.Count;
        var root = new double[n];
        for (var i = 0; i < n; i++)
        {
            root[i] = Math.Sqrt(Math.Max(0, values[i]));
        }

        var z = new double[n];
        var residual = new double[n];
        var expected = new double[n];
        var scale = settings.ScaleFloor;
        var window = new List<double>();
        // The first block only fills the windows: its surprises would be measured against a few buckets.
        for (var i = rows.Block; i < n; i++)
        {
            var level = Median(root, Math.Max(0, i - rows.Level), i, window);
            window.Clear();
            for (var d = 1; d <= settings.SeasonalDays; d++)
            {
                var center = i - (d * rows.Day);
                if (center - rows.SeasonalHalf < 0)
                {
                    break;
                }

                for (var j = center - rows.SeasonalHalf; j <= center + rows.SeasonalHalf; j++)
                {
                    window.Add(root[j]);
                }
            }

            var expectedRoot = window.Count == 0 ? level : expect(level, MedianInPlace(window));
            residual[i] = root[i] - expectedRoot;
            expected[i] = expectedRoot * expectedRoot;

            // The noise is the spread of what the expectation did not explain (so a daily cycle is not
            // taken for noise), re-measured once an hour (or every bucket when buckets are longer).
            // Until an hour of residuals exists, the spread of the values themselves stands in.
            if (i % rows.ScaleRefresh == 0 || i == rows.Block)
            {
                var from = Math.Max(rows.Block, i - rows.Scale);
                var spread = i - from >= rows.ScaleRefresh
                    ? Mad(residual, from, i, window)
                    : Mad(root, Math.Max(0, i - rows.Scale), i, window);
                scale = Math.Max(settings.ScaleFloor, spread);
            }

            z[i] = residual[i] / scale;
        }

        return (z, expected);
    }

    /// <summary>
    /// -log10 of the probability that a block holds a surprise at least this large (sign +1) or
    /// small (sign -1), discounted unless the surprise is new; 0 for rows that do not score. A row
    /// scores when it
    /// <list type="bullet">
    /// <item>sets a new extreme within the refractory time (one event, one score),</item>
    /// <item>and is weighed by how it compares with the largest surprise of the history before the
    /// refractory time: the rarity is multiplied by min(1, surprise / that largest), so only a
    /// burst the series has not shown in <c>HistoryBlocks</c> keeps its full rarity.</item>
    /// </list>
    /// </summary>
    private static double[] Tail(double[] z, Rows rows, SpikeDetectorSettings settings, int sign, Func<int, bool> eligible)
    {
        var n = z.Length;
        var result = new double[n];
        var values = new double[n];
        var maxima = new List<double>();
        var blockMax = double.NegativeInfinity;
        var recentMax = new MonotonicMax(rows.Refractory);
        var historyMax = new MonotonicMax(Math.Max(0, rows.History - rows.Refractory));
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && i % rows.Block == 0)
            {
                maxima.Add(double.IsNegativeInfinity(blockMax) ? 0 : blockMax);
                blockMax = double.NegativeInfinity;
            }

            var value = values[i] = eligible(i) ? sign * z[i] : double.NegativeInfinity;
            var before = i - rows.Refractory;
            if (before >= 0)
            {
                historyMax.Add(before, values[before]);
            }

            var previous = recentMax.Max(i);
            if (maxima.Count >= settings.WarmupBlocks && value > previous && value > 0)
            {
                var history = maxima.Count > settings.HistoryBlocks ? maxima.GetRange(maxima.Count - settings.HistoryBlocks, settings.HistoryBlocks) : maxima;
                var largest = historyMax.Max(before);
                var novelty = largest > 0 ? Math.Min(1, value / largest) : 1;
                result[i] = GumbelLog10Exceedance(history, value) * novelty;
            }

            recentMax.Add(i, value);
            if (value > blockMax)
            {
                blockMax = value;
            }
        }

        return result;
    }

    /// <summary>-log10 P(block maximum &gt; value) under a Gumbel fitted by moments to <paramref name="maxima"/>.</summary>
    internal static double GumbelLog10Exceedance(IReadOnlyList<double> maxima, double value)
    {
        var mean = maxima.Average();
        var variance = maxima.Sum(m => (m - mean) * (m - mean)) / (maxima.Count - 1);
        // Daily extremes vary by at least one noise unit; a history of near-identical extremes (a
        // series with no dips at all) would otherwise make the smallest departure look extreme.
        var beta = Math.Max(1, Math.Sqrt(variance) * Math.Sqrt(6) / Math.PI);
        var mu = mean - (EulerGamma * beta);
        var y = (value - mu) / beta;
        // P = 1 - exp(-exp(-y)); for large y it is exp(-y), whose log10 is exact.
        var p = y > 30 ? double.NaN : -double.ExpM1(-Math.Exp(-y));
        return double.IsNaN(p) ? y / Math.Log(10) : Math.Max(0, -Math.Log10(p));
    }

    private static double[] WindowSums(IReadOnlyList<double> values, int width)
    {
        var sums = new double[values.Count];
        var sum = 0d;
        for (var i = 0; i < values.Count; i++)
        {
            sum += Math.Max(0, values[i]);
            if (i >= width)
            {
                sum -= Math.Max(0, values[i - width]);
            }

            sums[i] = sum;
        }

        return sums;
    }

    private static double Median(double[] source, int from, int to, List<double> scratch)
    {
        scratch.Clear();
        for (var j = from; j < to; j++)
        {
            scratch.Add(source[j]);
        }

        return MedianInPlace(scratch);
    }

    /// <summary>The median, found by quickselect (linear time; the list is reordered).</summary>
    private static double MedianInPlace(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        var mid = span.Length / 2;
        var upper = Select(span, mid);
        if (span.Length % 2 == 1)
        {
            return upper;
        }

        // After selection everything left of mid is no larger: the lower middle is their maximum.
        var lower = double.NegativeInfinity;
        foreach (var v in span[..mid])
        {
            lower = Math.Max(lower, v);
        }

        return (lower + upper) / 2;
    }

    /// <summary>Hoare's selection: puts the k-th smallest at index k, smaller ones before it, and returns it.</summary>
    private static double Select(Span<double> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            // Median of three as the pivot keeps sorted and constant runs (common in counts) linear.
            var middle = left + ((right - left) / 2);
            var pivot = Math.Max(Math.Min(values[left], values[middle]), Math.Min(Math.Max(values[left], values[middle]), values[right]));
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    /// <summary>Median absolute deviation scaled to a normal standard deviation (×1.4826).</summary>
    private static double Mad(double[] source, int from, int to, List<double> scratch)
    {
        var median = Median(source, from, to, scratch);
        scratch.Clear();
        for (var j = from; j < to; j++)
        {
            scratch.Add(Math.Abs(source[j] - median));
        }

        return 1.4826 * MedianInPlace(scratch);
    }

    /// <summary>Settings turned into row counts for one bucket width.</summary>
    private sealed class Rows(TimeSpan bucket, SpikeDetectorSettings settings)
    {
        public int Level { get; } = Count(settings.LevelWindow, bucket);

        public int Scale { get; } = Count(settings.ScaleWindow, bucket);

        public int ScaleRefresh { get; } = Count(TimeSpan.FromHours(1), bucket);

        public int Day { get; } = Count(TimeSpan.FromDays(1), bucket);

        public int SeasonalHalf { get; } = (int)(settings.SeasonalHalfWidth / bucket);

        public int Block { get; } = Count(settings.Block, bucket);

        public int History { get; } = Count(settings.Block, bucket) * settings.HistoryBlocks;

        public int Refractory { get; } = (int)(settings.Refractory / bucket);

        public int Dip { get; } = Count(settings.DipWindow, bucket);

        private static int Count(TimeSpan span, TimeSpan bucket) => Math.Max(1, (int)Math.Round(span / bucket));
    }

    /// <summary>The largest value among the last <c>width</c> rows, in amortised O(1).</summary>
    private sealed class MonotonicMax(int width)
    {
        private readonly LinkedList<(int Row, double Value)> _window = new();

        public double Max(int row)
        {
            while (_window.First is { } first && first.Value.Row < row - width)
            {
                _window.RemoveFirst();
            }

            return _window.First?.Value.Value ?? double.NegativeInfinity;
        }

        public void Add(int row, double value)
        {
            while (_window.Last is { } last && last.Value.Value <= value)
            {
                _window.RemoveLast();
            }

            _window.AddLast((row, value));
        }
    }
}
