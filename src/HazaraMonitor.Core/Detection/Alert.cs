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
/// <param name="Volume">Posts counted in the <paramref name="WindowMinutes"/> up to and including that minute.</param>
/// <param name="Expected">What was expected there.</param>
/// <param name="WindowMinutes">The minutes <paramref name="Volume"/> and <paramref name="Expected"/> cover: 1 for a burst in one
/// minute, more for a surge seen in <c>SurgeWindow</c>'s sum or a dip (0 in alerts stored before detector version 4).</param>
/// <param name="Score">The detector's 0..1 score.</param>
/// <param name="ReturnPeriodDays">How rare: a departure this large is expected about once in this many days.</param>
/// <param name="Completeness">Share of that minute's polls that succeeded (1 = complete); below 1 the volume may be short.</param>
/// <param name="SeriesUrl">The series around the alert, on this worker's API.</param>
/// <param name="Detector">The detector's version, for reproducing the decision with the same settings.</param>
/// <param name="RaisedAt">When the alert was raised.</param>
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
    DateTimeOffset RaisedAt)
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
        ReturnPeriodDays >= 36_500
            ? string.Create(CultureInfo.InvariantCulture, $"How unusual: rarer than once a century at the usual pace (score {Score:0.00})")
            : string.Create(CultureInfo.InvariantCulture, $"How unusual: expected about once in {ReturnPeriodDays:0.#} days (score {Score:0.00})"),
        $"Since: {Since.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
        Completeness >= 1
            ? "Data: complete (every poll of that minute succeeded)"
            : string.Create(CultureInfo.InvariantCulture, $"Data: INCOMPLETE, {Completeness * 100:0}% of that minute's polls succeeded; the true volume may be higher"),
        $"Series: {SeriesUrl}",
        $"Detector: {Detector}",
    ];

    /// <summary>" in the last N minutes" when the figures cover more than the one minute, so a sum is not read as a minute's count.</summary>
    private string Span => WindowMinutes > 1 ? string.Create(CultureInfo.InvariantCulture, $" in the last {WindowMinutes:0} minutes") : string.Empty;
}
