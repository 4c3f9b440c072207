
namespace HazaraMonitor.Worker.Telemetry;

/// <summary>Posts in the last closed bucket of one resolution.</summary>
internal sealed record VolumeReading(string Campaign, Platform Platform, string HashtagGroup, Resolution Resolution, long Count, long? Reported);

/// <summary>Distinct authors over a window: "1h" the last closed hour, "1d" the current UTC day so far.</summary>
internal sealed record AuthorsReading(string Campaign, Platform Platform, string Window, long Authors);

/// <summary>Share of the polls of the last closed minute that succeeded.</summary>
internal sealed record CompletenessReading(string Campaign, Platform Platform, double Completeness);

/// <summary>What a metered platform has spent today and this month (UTC), and the posts it read this month.</summary>
internal sealed record SpendReading(Platform Platform, decimal DayUsd, decimal MonthUsd, long MonthPostReads);

/// <summary>An incident of a campaign, from its file or the API.</summary>
internal sealed record IncidentReading(string Campaign, string Id, string Title, DateTimeOffset Time);

/// <summary>Everything the gauges show, read from Redis at one moment.</summary>
internal sealed record GaugeSnapshot(
    DateTimeOffset At,
    IReadOnlyList<VolumeReading> Volumes,
    IReadOnlyList<AuthorsReading> Authors,
    IReadOnlyList<CompletenessReading> Completeness,
    IReadOnlyList<SpendReading> Spends,
    bool RedisUp = true)
{
    /// <summary>Every campaign's incidents (<see cref="Incidents.IncidentCatalog"/>).</summary>
    public IReadOnlyList<IncidentReading> Incidents { get; init; } = [];

    public static GaugeSnapshot Empty { get; } = new(DateTimeOffset.MinValue, [], [], [], []);
}

/// <summary>
/// Holds the latest <see cref="GaugeSnapshot"/>. Observable gauges are read on every scrape and
/// must not block on Redis, so a job refreshes this every few seconds and the gauges read it.
/// </summary>
internal sealed class CampaignGauges
{
    private GaugeSnapshot _current = GaugeSnapshot.Empty;

    public GaugeSnapshot Current => Volatile.Read(ref _current);

    public void Publish(GaugeSnapshot snapshot) => Volatile.Write(ref _current, snapshot);

    /// <summary>Redis could not be read: the last values stay, marked as coming from an unreachable Redis.</summary>
    public void RedisDown() => Volatile.Write(ref _current, Current with { RedisUp = false });
}
