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
/// <param name="Alert">True when the return period reaches <see cref="SpikeDetectorSettings.AlertReturnPeriod"/> (a dip: <see cref="SpikeDetectorSettings.DipAlertReturnPeriod"/>).</param>
/// <param name="Direction">Spike, dip, or none.</param>
/// <param name="Observed">What <paramref name="Window"/> up to and including the bucket held.</param>
/// <param name="Expected">What <paramref name="Window"/> was expected to hold.</param>
/// <param name="ReturnPeriod">How often a surprise this large is expected: once in this much time; zero when the bucket is not scored.</param>
/// <param name="Window">The time <paramref name="Observed"/> and <paramref name="Expected"/> cover: the bucket, or the
/// <see cref="SpikeDetectorSettings.SurgeWindow"/> (a surge seen in the window's sum) or <see cref="SpikeDetectorSettings.DipWindow"/> (a dip) ending with it.</param>
public readonly record struct DetectorPoint(double Score, bool Alert, AnomalyDirection Direction, double Observed, double Expected, TimeSpan ReturnPeriod, TimeSpan Window);

/// <summary>
/// Spike and dip detection on a count series (pure, causal: each bucket is judged from the buckets
/// before it and itself).
/// <list type="number">
/// <item>Counts are compared in square-root space, where Poisson-like noise has a near-constant spread.
/// Surges are looked for at two scales, each bucket and the sum over <c>SurgeWindow</c>, each with
/// the steps below; the rarer counts, less log10 2 for looking twice.</item>
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
/// <item>A surge alerts at a return period of <c>AlertReturnPeriod</c>, a dip at
/// <c>DipAlertReturnPeriod</c>. Within <c>Refractory</c> after a surprise only a larger one scores,
/// one event alerts once, and a growing surge scores again only when it is <c>EscalationFactor</c>
/// times rarer. A dip scores only when it alerts.</item>
/// <item>A budget per series: once it has sent <c>AlertBudget</c> surge alerts within its history, a
/// new one must be rarer than the budget-th rarest of them, so a series that keeps surging is held
/// to about that many alerts per history (one a week as shipped), calibrated on its own alerts.</item>
/// <item>Dips use the same steps on sums over <c>DipWindow</c>, with the signs turned, where at least
/// <c>DipMinimumExpected</c> posts were expected; their expectation is the lower of the recent and
/// the seasonal level, so the hour after a burst is not taken for a fade.</item>
/// </list>
/// The detector is a stream: <see cref="Push"/> judges the next bucket from the state the buckets
/// before it left, so a live series is judged bucket by bucket without re-reading its history, and
/// <see cref="Run"/> is the same over a whole series.
/// </summary>
public sealed class SpikeDetector
{
    /// <summary>Part of every alert, so a decision can be reproduced with the same settings.</summary>
    public const string Version = "sqrt-seasonal-gumbel/5";

    private const double EulerGamma = 0.5772156649015329;

    /// <summary>A surge is looked for at two scales, so its rarity gives up log10 2 (Bonferroni): noise alone must not alert twice as often.</summary>
    private static readonly double TwoLooks = Math.Log10(2);

    private readonly TimeSpan _bucket;
    private readonly SpikeDetectorSettings _settings;
    private readonly Rows _rows;
    private readonly double _alertLog10;
    private readonly double _dipAlertLog10;
    private readonly SurpriseStream _spike;
    private readonly SurpriseStream _surge;
    private readonly SurpriseStream _dip;
    private readonly TailStream _spikeTail;
    private readonly TailStream _surgeTail;
    private readonly TailStream _dipTail;
    private readonly List<double> _values;
    private readonly MonotonicMax _spikeReached;
    private readonly List<(int Row, double Log10)> _spikeAlerts;
    private double _dipSum;
    private double _surgeSum;
    private int _lastSpikeAlert = int.MinValue / 2;
    private int _lastDipAlert = int.MinValue / 2;

    /// <summary>A detector that has seen no bucket yet.</summary>
    public SpikeDetector(TimeSpan bucket, SpikeDetectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "The bucket width must be positive.");
        }

        _settings = settings;
        _bucket = bucket;
        _rows = new Rows(bucket, settings);
        _alertLog10 = -Math.Log10(settings.Block / settings.AlertReturnPeriod);
        _dipAlertLog10 = -Math.Log10(settings.Block / settings.DipAlertReturnPeriod);
        _spike = new SurpriseStream(_rows, settings, Mean);
        _surge = new SurpriseStream(_rows, settings, Mean);
        // A fade must fall below both the recent level and the usual volume of the time of day: the
        // hour after a burst is back to normal, not a dip under the burst-inflated level.
        _dip = new SurpriseStream(_rows, settings, Math.Min);
        _spikeTail = new TailStream(_rows, settings, sign: 1);
        _surgeTail = new TailStream(_rows, settings, sign: 1);
        _dipTail = new TailStream(_rows, settings, sign: -1);
        _values = [];
        _spikeReached = new MonotonicMax(_rows.Refractory);
        _spikeAlerts = [];
    }

    private SpikeDetector(SpikeDetector other)
    {
        _settings = other._settings;
        _bucket = other._bucket;
        _rows = other._rows;
        _alertLog10 = other._alertLog10;
        _dipAlertLog10 = other._dipAlertLog10;
        _spike = other._spike.Clone();
        _surge = other._surge.Clone();
        _dip = other._dip.Clone();
        _spikeTail = other._spikeTail.Clone();
        _surgeTail = other._surgeTail.Clone();
        _dipTail = other._dipTail.Clone();
        _values = [.. other._values];
        _spikeReached = other._spikeReached.Clone();
        _spikeAlerts = [.. other._spikeAlerts];
        _dipSum = other._dipSum;
        _surgeSum = other._surgeSum;
        _lastSpikeAlert = other._lastSpikeAlert;
        _lastDipAlert = other._lastDipAlert;
    }

    /// <summary>How many buckets the detector has judged.</summary>
    public int Count => _values.Count;

    /// <summary>The value the detector learnt for bucket <paramref name="index"/> (0 = the first pushed).</summary>
    public double this[int index] => _values[index];

    /// <summary>Judges a whole series from its first bucket.</summary>
    public static IReadOnlyList<DetectorPoint> Run(IReadOnlyList<double> values, TimeSpan bucket, SpikeDetectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(values);
        var detector = new SpikeDetector(bucket, settings);
        var points = new DetectorPoint[values.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = detector.Push(values[i]);
        }

        return points;
    }

    /// <summary>An independent copy: what it is pushed does not reach this detector (to judge buckets that may still change).</summary>
    public SpikeDetector Clone() => new(this);

    /// <summary>Judges the next bucket, and remembers it for the buckets after it.</summary>
    public DetectorPoint Push(double value)
    {
        var i = _values.Count;
        _values.Add(value);
        _dipSum = RollingSum(_dipSum, i, _rows.Dip);
        _surgeSum = RollingSum(_surgeSum, i, _rows.Surge);

        var spike = _spike.Push(value);
        var surge = _surge.Push(_surgeSum);
        var dip = _dip.Push(_dipSum);
        // A surge is looked for at two scales, the bucket and the sum over SurgeWindow: a burst
        // of one bucket and a rise sustained over an hour (each unremarkable bucket by bucket).
        var bucketLog10 = _spikeTail.Push(spike.Z, eligible: true);
        var surgeLog10 = _surgeTail.Push(surge.Z, eligible: i + 1 >= _rows.Surge);
        var sustained = surgeLog10 > bucketLog10;
        var spikeLog10 = Math.Max(0, Math.Max(bucketLog10, surgeLog10) - TwoLooks);
        var dipLog10 = _dipTail.Push(dip.Z, eligible: dip.Expected >= _settings.DipMinimumExpected && i + 1 >= _rows.Dip);

        var spiking = spikeLog10 >= dipLog10;
        var log10 = spiking ? spikeLog10 : dipLog10;
        var lastAlert = spiking ? _lastSpikeAlert : _lastDipAlert;
        // An event alerts once per direction within the refractory time. Surges and fades have
        // their own return periods: a surge must reach responders within minutes, while a fade
        // is slow by nature and costs nothing to confirm.
        var alert = log10 > 0 && log10 >= (spiking ? _alertLog10 : _dipAlertLog10) && i - lastAlert > _rows.Refractory
            && (!spiking || WithinBudget(i, log10));
        // A surge also scores as it builds, so a dashboard sees it coming: when it is
        // EscalationFactor times rarer than anything it reached in the refractory time, not at
        // every step up. A fade scores only when it alerts: a quieter hour than usual (a night,
        // a weekend, a slow news day) is ordinary, and a fade worth telling keeps going until it
        // reaches the alert's return period.
        var escalates = spiking && log10 > _settings.EscalationFactor * Math.Max(0, _spikeReached.Max(i));
        if (spiking && log10 > 0)
        {
            _spikeReached.Add(i, log10);
        }

        if (!alert && !escalates)
        {
            return new DetectorPoint(0, false, AnomalyDirection.None, value, spike.Expected, TimeSpan.Zero, _bucket);
        }

        if (alert && spiking)
        {
            _lastSpikeAlert = i;
            _spikeAlerts.Add((i, log10));
        }
        else if (alert)
        {
            _lastDipAlert = i;
        }

        var (direction, observed, expected, rows) = !spiking ? (AnomalyDirection.Dip, _dipSum, dip.Expected, _rows.Dip)
            : sustained ? (AnomalyDirection.Spike, _surgeSum, surge.Expected, _rows.Surge)
            : (AnomalyDirection.Spike, value, spike.Expected, 1);
        return new DetectorPoint(Score(log10), alert, direction, observed, expected, ReturnPeriod(_settings.Block, log10), _bucket * rows);
    }

    /// <summary>
    /// Whether a surge of this rarity may alert within the series' budget: fewer than
    /// <c>AlertBudget</c> surge alerts sent in the history, or rarer than the budget-th rarest of them.
    /// </summary>
    private bool WithinBudget(int row, double log10)
    {
        var budget = _settings.AlertBudget;
        if (budget == 0)
        {
            return true;
        }

        _spikeAlerts.RemoveAll(a => a.Row < row - _rows.History);
        return _spikeAlerts.Count < budget || log10 > _spikeAlerts.Select(a => a.Log10).OrderDescending().ElementAt(budget - 1);
    }

    /// <summary>A surge is measured against the mean of the recent and the seasonal level.</summary>
    private static double Mean(double level, double seasonal) => (level + seasonal) / 2;

    /// <summary>The sum of the last <paramref name="width"/> values once value <paramref name="i"/> is added (negative counts as 0).</summary>
    private double RollingSum(double sum, int i, int width)
    {
        sum += Math.Max(0, _values[i]);
        return i >= width ? sum - Math.Max(0, _values[i - width]) : sum;
    }

    private static double Score(double log10) => 1 - Math.Exp(-log10 / 3);

    private static TimeSpan ReturnPeriod(TimeSpan block, double log10) =>
        log10 > 6 ? TimeSpan.MaxValue : block * Math.Pow(10, log10);

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

    private static double Median(ReadOnlySpan<double> source, List<double> scratch)
    {
        scratch.Clear();
        scratch.AddRange(source);
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
    private static double Mad(ReadOnlySpan<double> source, List<double> scratch)
    {
        var median = Median(source, scratch);
        scratch.Clear();
        foreach (var v in source)
        {
            scratch.Add(Math.Abs(v - median));
        }

        return 1.4826 * MedianInPlace(scratch);
    }

    private static ReadOnlySpan<double> Slice(List<double> list, int from, int to) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)[from..to];

    /// <summary>The surprise of every bucket against its expectation, in square-root units, and the expectation (counts).</summary>
    private sealed class SurpriseStream(Rows rows, SpikeDetectorSettings settings, Func<double, double, double> expect)
    {
        private readonly List<double> _window = [];
        private List<double> _root = [];
        private List<double> _residual = [];
        private double _scale = settings.ScaleFloor;

        public SurpriseStream Clone() => new(rows, settings, expect) { _root = [.. _root], _residual = [.. _residual], _scale = _scale };

        public (double Z, double Expected) Push(double value)
        {
            var i = _root.Count;
            _root.Add(Math.Sqrt(Math.Max(0, value)));
            // The first block only fills the windows: its surprises would be measured against a few buckets.
            if (i < rows.Block)
            {
                _residual.Add(0);
                return (0, 0);
            }

            var level = Median(Slice(_root, Math.Max(0, i - rows.Level), i), _window);
            _window.Clear();
            for (var d = 1; d <= settings.SeasonalDays; d++)
            {
                var center = i - (d * rows.Day);
                if (center - rows.SeasonalHalf < 0)
                {
                    break;
                }

                _window.AddRange(Slice(_root, center - rows.SeasonalHalf, center + rows.SeasonalHalf + 1));
            }

            var expectedRoot = _window.Count == 0 ? level : expect(level, MedianInPlace(_window));
            var residual = _root[i] - expectedRoot;
            _residual.Add(residual);

            // The noise is the spread of what the expectation did not explain (so a daily cycle is not
            // taken for noise), re-measured once an hour (or every bucket when buckets are longer).
            // Until an hour of residuals exists, the spread of the values themselves stands in.
            if (i % rows.ScaleRefresh == 0 || i == rows.Block)
            {
                var from = Math.Max(rows.Block, i - rows.Scale);
                var spread = i - from >= rows.ScaleRefresh
                    ? Mad(Slice(_residual, from, i), _window)
                    : Mad(Slice(_root, Math.Max(0, i - rows.Scale), i), _window);
                _scale = Math.Max(settings.ScaleFloor, spread);
            }

            return (residual / _scale, expectedRoot * expectedRoot);
        }
    }

    /// <summary>
    /// -log10 of the probability that a block holds a surprise at least this large (sign +1) or
    /// small (sign -1), discounted unless the surprise is new; 0 for buckets that do not score. A
    /// bucket scores when it
    /// <list type="bullet">
    /// <item>sets a new extreme within the refractory time (one event, one score),</item>
    /// <item>and is weighed by how it compares with the largest surprise of the history before the
    /// refractory time: the rarity is multiplied by min(1, surprise / that largest), so only a
    /// burst the series has not shown in <c>HistoryBlocks</c> keeps its full rarity.</item>
    /// </list>
    /// </summary>
    private sealed class TailStream(Rows rows, SpikeDetectorSettings settings, int sign)
    {
        private List<double> _values = [];
        private List<double> _maxima = [];
        private double _blockMax = double.NegativeInfinity;
        private MonotonicMax _recentMax = new(rows.Refractory);
        private MonotonicMax _historyMax = new(Math.Max(0, rows.History - rows.Refractory));

        public TailStream Clone() => new(rows, settings, sign)
        {
            _values = [.. _values],
            _maxima = [.. _maxima],
            _blockMax = _blockMax,
            _recentMax = _recentMax.Clone(),
            _historyMax = _historyMax.Clone(),
        };

        public double Push(double z, bool eligible)
        {
            var i = _values.Count;
            if (i > 0 && i % rows.Block == 0)
            {
                _maxima.Add(double.IsNegativeInfinity(_blockMax) ? 0 : _blockMax);
                _blockMax = double.NegativeInfinity;
            }

            var value = eligible ? sign * z : double.NegativeInfinity;
            _values.Add(value);
            var before = i - rows.Refractory;
            if (before >= 0)
            {
                _historyMax.Add(before, _values[before]);
            }

            var result = 0d;
            var previous = _recentMax.Max(i);
            if (_maxima.Count >= settings.WarmupBlocks && value > previous && value > 0)
            {
                var history = _maxima.Count > settings.HistoryBlocks ? _maxima.GetRange(_maxima.Count - settings.HistoryBlocks, settings.HistoryBlocks) : _maxima;
                var largest = _historyMax.Max(before);
                var novelty = largest > 0 ? Math.Min(1, value / largest) : 1;
                result = GumbelLog10Exceedance(history, value) * novelty;
            }

            _recentMax.Add(i, value);
            if (value > _blockMax)
            {
                _blockMax = value;
            }

            return result;
        }
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

        public int Surge { get; } = Count(settings.SurgeWindow, bucket);

        private static int Count(TimeSpan span, TimeSpan bucket) => Math.Max(1, (int)Math.Round(span / bucket));
    }

    /// <summary>The largest value among the last <c>width</c> rows, in amortised O(1).</summary>
    private sealed class MonotonicMax(int width)
    {
        private LinkedList<(int Row, double Value)> _window = new();

        public MonotonicMax Clone() => new(width) { _window = new(_window) };

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
