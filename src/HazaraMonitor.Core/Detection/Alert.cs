using System.Globalization;
using System.Text.Json.Serialization;

namespace HazaraMonitor.Core.Detection;

/// <summary>
/// One alert, as it is stored, served by the API and sent to every sink.
/// </summary>
/// <param name="Id">Stable id: campaign, series, direction and minute; the same decision always has the same id.</param>
/// <param name="Campaign">Campaign id.</param>
/// <param name="CampaignName">Its display name.</param>
/// <param name="HashtagGroup">The campaign's canonical hashtag: the group the series counts.</param>
/// <param name="Platform">A platform name, or <c>all</c> for the total over the campaign's platforms.</param>
/// <param name="Direction"><c>spike</c> or <c>dip</c>.</param>
/// <param name="Since">Start of the minute that set it off (UTC).</param>
/// <param name="Volume">Posts counted in the <paramref name="WindowMinutes"/> up to and including that minute (a whole number).</param>
/// <param name="Expected">What was expected there, rounded to 0.1 post.</param>
/// <param name="WindowMinutes">The minutes <paramref name="Volume"/> and <paramref name="Expected"/> cover: 1 for a burst in one
/// minute, more for a surge seen in <c>SurgeWindow</c>'s sum or a dip (0 in alerts stored before detector version 4).</param>
/// <param name="Score">The detector's 0..1 score, rounded to 0.001.</param>
/// <param name="ReturnPeriodDays">How rare, as the detector's tail model puts it: a departure this large is expected about once
/// in this many days (at most 36,500). Beyond <paramref name="HistoryMinutes"/> it is an extrapolation the history cannot confirm.</param>
/// <param name="Completeness">Share of that minute's polls that succeeded (1 = complete), for the all-platform series on its least
/// complete platform; below 1 the volume may be short.</param>
/// <param name="SeriesUrl">The series around the alert, on this worker's API.</param>
/// <param name="Detector">The detector's version, for reproducing the decision with the same settings.</param>
/// <param name="RaisedAt">When the alert was raised.</param>
/// <param name="HistoryMinutes">The history the series was judged against, in minutes: what the detector had learnt, at most its
/// tail model's reach (<c>HistoryBlocks</c> blocks); 0 when unknown (alerts stored before it was recorded).</param>
/// <param name="Incident">For a spike, the campaign's latest incident at or before the end of its minute and within
/// <c>Alerts:IncidentLookback</c>; null when there is none, for a dip, and in alerts stored before incidents were kept.</param>
public sealed record Alert(
    string Id,
    string Campaign,
    string CampaignName,
    string HashtagGroup,
    string Platform,
    string Direction,
    DateTimeOffset Since,
    double Volume,
    double Expected,
    double WindowMinutes,
    double Score,
    double ReturnPeriodDays,
    double Completeness,
    string SeriesUrl,
    string Detector,
    DateTimeOffset RaisedAt,
    double HistoryMinutes = 0,
    AlertIncident? Incident = null)
{
    /// <summary>One line for chat titles and email subjects (derived, so not stored or sent as JSON).</summary>
    [JsonIgnore]
    public string Title => string.Create(CultureInfo.InvariantCulture,
        $"{(Direction == "dip" ? "Dip" : "Surge")}: #{HashtagGroup} on {(Platform == "all" ? "all platforms" : Platform)}, {Volume:0} posts{Span} against {Expected:0.#} expected");

    /// <summary>The details, one per line, the same in every sink (derived, so not stored or sent as JSON).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Lines =>
    [
        $"Campaign: {CampaignName} ({Campaign})",
        $"Hashtag group: #{HashtagGroup}",
        $"Platform: {(Platform == "all" ? "all platforms together" : Platform)}",
        string.Create(CultureInfo.InvariantCulture, $"Volume: {Volume:0} posts{Span}, expected {Expected:0.#} ({(Expected > 0 ? Volume / Expected : double.PositiveInfinity):0.#}x)"),
        Rarity,
        $"Since: {Since.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
        .. IncidentLine,
        Completeness >= 1
            ? "Data: complete (every poll of that minute succeeded)"
            : string.Create(CultureInfo.InvariantCulture, $"Data: INCOMPLETE, {Completeness * 100:0}% of that minute's polls succeeded{(Platform == "all" ? " on the least complete platform" : string.Empty)}; the true volume may be higher"),
        $"Series: {SeriesUrl}",
        $"Detector: {Detector}",
    ];

    /// <summary>
    /// How rare, as far as the history supports: a return period longer than the history it was
    /// judged against is an extrapolation (two hours of history cannot tell "once a century" from
    /// "once a week"), so the line then says only that it is rarer than once in that history.
    /// </summary>
    private string Rarity =>
        HistoryMinutes > 0 && ReturnPeriodDays * 1440 > HistoryMinutes
            ? string.Create(CultureInfo.InvariantCulture, $"How unusual: rarer than once in {Duration(HistoryMinutes)}, all the history it was judged against (score {Score:0.00})")
            : HistoryMinutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"How unusual: expected about once in {Duration(ReturnPeriodDays * 1440)} (score {Score:0.00})")
            // Alerts stored before the history was recorded keep the text they were sent with.
            : ReturnPeriodDays >= 36_500
            ? string.Create(CultureInfo.InvariantCulture, $"How unusual: rarer than once a century at the usual pace (score {Score:0.00})")
            : string.Create(CultureInfo.InvariantCulture, $"How unusual: expected about once in {ReturnPeriodDays:0.#} days (score {Score:0.00})");

    /// <summary>The incident the spike followed, when it names one.</summary>
    private IEnumerable<string> IncidentLine => Incident is { } incident ? [IncidentText(incident)] : [];

    /// <summary>When, what, where, how long before the alert's minute, and its source.</summary>
    private string IncidentText(AlertIncident incident)
    {
        var ago = Since - incident.Time;
        var place = incident.Place is null ? string.Empty : $" ({incident.Place})";
        var before = ago < TimeSpan.FromMinutes(1) ? "in the same minute" : Duration(ago.TotalMinutes) + " earlier";
        var link = incident.Link is null ? string.Empty : ": " + incident.Link;
        return $"Nearest incident before it: {incident.When}, {incident.Title}{place}, {before}{link}";
    }

    /// <summary>A span for people: days from one day up, hours below, minutes below an hour.</summary>
    private static string Duration(double minutes) => minutes switch
    {
        >= 1440 => string.Create(CultureInfo.InvariantCulture, $"{minutes / 1440:0.#} days"),
        >= 60 => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:0.#} hours"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{minutes:0} minutes"),
    };

    /// <summary>" in the last N minutes" when the figures cover more than the one minute, so a sum is not read as a minute's count.</summary>
    private string Span => WindowMinutes > 1 ? string.Create(CultureInfo.InvariantCulture, $" in the last {WindowMinutes:0} minutes") : string.Empty;
}

/// <summary>The incident an alert names: the campaign's nearest before the spike.</summary>
/// <param name="When">Its time as precisely as it is known: <c>2022-09</c>, <c>2022-09-30</c> or <c>2022-09-30 08:15 UTC</c>.</param>
public sealed record AlertIncident(string Id, DateTimeOffset Time, string When, string Title, string? Place, string? Link);
