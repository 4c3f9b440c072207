namespace HazaraMonitor.Core.Hashtags;

/// <summary>
/// Turns an unbounded stream of values (hashtags discovered beside a campaign's own) into a bounded
/// set of metric label values: the values that are among the most frequent while slots remain get a
/// label of their own, for good; everything else is <see cref="Other"/>. Frequencies come from a
/// Space-Saving sketch (Metwally et al. 2005) of 8x the label capacity, so memory is bounded too.
/// </summary>
public sealed class BoundedLabelSet
{
    public const string Other = "other";

    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly int _sketchSize;
    private readonly int _admitAfter;
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <param name="capacity">Most labels of their own (the label set is at most this plus <see cref="Other"/>).</param>
    /// <param name="admitAfter">Sightings before a value may get its own label, so one-off typos never do.</param>
    public BoundedLabelSet(int capacity, int admitAfter = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _sketchSize = capacity * 8;
        _admitAfter = admitAfter;
    }

    public IReadOnlyCollection<string> Labels
    {
        get
        {
            lock (_gate)
            {
                return [.. _labels];
            }
        }
    }

    /// <summary>Counts one sighting of <paramref name="value"/> and returns the label to record it under.</summary>
    public string Observe(string value)
    {
        lock (_gate)
        {
            if (_labels.Contains(value))
            {
                return value;
            }

            long count;
            if (_counts.TryGetValue(value, out count))
            {
                _counts[value] = ++count;
            }
            else if (_counts.Count < _sketchSize)
            {
                _counts[value] = count = 1;
            }
            else
            {
                // Space-Saving: the newcomer takes over the smallest counter and inherits its count.
                var (victim, least) = _counts.MinBy(kv => kv.Value);
                _counts.Remove(victim);
                _counts[value] = count = least + 1;
            }

            if (_labels.Count < _capacity && count >= _admitAfter)
            {
                _labels.Add(value);
                _counts.Remove(value);
                return value;
            }

            return Other;
        }
    }
}
