using System.Text.Json.Serialization;

namespace HazaraMonitor.Core.Incidents;

/// <summary>How exactly an incident's time is known: reports often give only the day, some only the month.</summary>
public enum IncidentPrecision
{
    /// <summary>The time of day is known.</summary>
    Time,

    /// <summary>Only the day: the time is its start (00:00 UTC).</summary>
    Day,

    /// <summary>Only the month: the time is its first day's start.</summary>
    Month,
}

/// <summary>Where an incident comes from.</summary>
public enum IncidentSource
{
    /// <summary>The campaign's <c>IncidentsFile</c>, read at start-up; changed only by editing the file.</summary>
    File,

    /// <summary>Posted to the API and kept in Redis; deleted through the API.</summary>
    Api,
}

/// <summary>
/// A dated event of a campaign (an attack, a relaunch): shown beside its volume, and named by the
/// spike alerts that follow it.
/// </summary>
/// <param name="Id">Stable id: <c>f-</c> and a hash of the time and title for a file's incidents, <c>a-</c> and a random part for the API's.</param>
/// <param name="Time">UTC; for a day or month precision, the start of that day or month.</param>
/// <param name="Kind">A free word from the file (<c>attack</c>, <c>campaign</c>); null when not given.</param>
/// <param name="Link">An absolute http(s) URL: the source reporting it; null when not given.</param>
public sealed record Incident(
    string Id,
    DateTimeOffset Time,
    IncidentPrecision Precision,
    string Title,
    string? Place,
    string? Link,
    string? Kind,
    IncidentSource Source)
{
    /// <summary>The time as precisely as it is known: <c>2022-04</c>, <c>2022-09-30</c> or <c>2022-09-30 08:15 UTC</c> (derived, so not stored).</summary>
    [JsonIgnore]
    public string When => Precision switch
    {
        IncidentPrecision.Month => Time.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        IncidentPrecision.Day => Time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
    };
}
