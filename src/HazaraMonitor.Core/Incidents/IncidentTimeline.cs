namespace HazaraMonitor.Core.Incidents;

/// <summary>A campaign's incidents in time order (oldest first; ties by id), from its file and the API together.</summary>
public sealed class IncidentTimeline
{
    private readonly Incident[] _incidents;

    public IncidentTimeline(IEnumerable<Incident> incidents)
    {
        _incidents = [.. incidents.OrderBy(i => i.Time).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    public static IncidentTimeline Empty { get; } = new([]);

    public IReadOnlyList<Incident> All => _incidents;

    /// <summary>The incidents from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive); a null bound is open.</summary>
    public IReadOnlyList<Incident> Between(DateTimeOffset? from, DateTimeOffset? to) =>
        [.. _incidents.Where(i => (from is null || i.Time >= from) && (to is null || i.Time < to))];

    /// <summary>
    /// The latest incident at or before <paramref name="at"/> and no more than <paramref name="lookback"/>
    /// before it; null when there is none, or when <paramref name="lookback"/> is zero (turned off).
    /// An incident known only to the day or month counts from that day's or month's start.
    /// </summary>
    public Incident? NearestBefore(DateTimeOffset at, TimeSpan lookback)
    {
        if (lookback <= TimeSpan.Zero)
        {
            return null;
        }

        for (var i = _incidents.Length - 1; i >= 0; i--)
        {
            var incident = _incidents[i];
            if (incident.Time <= at)
            {
                return at - incident.Time <= lookback ? incident : null;
            }
        }

        return null;
    }
}
