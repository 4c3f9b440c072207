using System.Text.Json;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Alerts;

namespace HazaraMonitor.Tests.Detection;

public sealed class AlertTextTests
{
    private static Alert Surge(double windowMinutes, double returnPeriodDays = 3, double historyMinutes = 21 * 1440) => new(
        "id", "stop-hazara-genocide", "#StopHazaraGenocide", "StopHazaraGenocide", "x", "spike",
        new DateTimeOffset(2022, 9, 30, 7, 30, 0, TimeSpan.Zero), 720, 480, windowMinutes, 0.4, returnPeriodDays, 1, "http://127.0.0.1:5080/", SpikeDetector.Version,
        new DateTimeOffset(2022, 9, 30, 7, 31, 0, TimeSpan.Zero), historyMinutes);

    private static string Rarity(Alert alert) => Assert.Single(alert.Lines, l => l.StartsWith("How unusual: ", StringComparison.Ordinal));

    [Fact]
    public void SaysAnAllPlatformAlertsCompletenessIsItsLeastCompletePlatforms()
    {
        var x = Surge(1) with { Completeness = 0.5 };
        var all = x with { Platform = "all" };

        Assert.Contains("Data: INCOMPLETE, 50% of that minute's polls succeeded; the true volume may be higher", x.Lines);
        Assert.Contains("Data: INCOMPLETE, 50% of that minute's polls succeeded on the least complete platform; the true volume may be higher", all.Lines);
    }

    [Fact]
    public void GivesTheReturnPeriodWhereTheHistoryCoversIt()
    {
        Assert.Equal("How unusual: expected about once in 3 days (score 0.40)", Rarity(Surge(1)));
        Assert.Equal("How unusual: expected about once in 2.4 hours (score 0.40)", Rarity(Surge(1, returnPeriodDays: 0.1)));
    }

    [Fact]
    public void ClaimsNoMoreRarityThanItsHistorySupports()
    {
        // Two hours of history cannot tell once a century from once a week.
        var twoHours = Surge(1, returnPeriodDays: 36_500, historyMinutes: 120);
        var fourDays = Surge(60, returnPeriodDays: 90, historyMinutes: 4 * 1440);

        Assert.Equal("How unusual: rarer than once in 2 hours, all the history it was judged against (score 0.40)", Rarity(twoHours));
        Assert.Equal("How unusual: rarer than once in 4 days, all the history it was judged against (score 0.40)", Rarity(fourDays));
    }

    [Fact]
    public void KeepsTheTextOfAnAlertStoredBeforeItsHistoryWasRecorded()
    {
        // Pending alerts stored by an older version are sent again with what they said then.
        const string stored = """
            {"id":"id","campaign":"stop-hazara-genocide","campaignName":"#StopHazaraGenocide","hashtagGroup":"StopHazaraGenocide","platform":"x",
             "direction":"spike","since":"2022-09-30T07:30:00+00:00","volume":720,"expected":480,"windowMinutes":1,"score":0.4,"returnPeriodDays":36500,
             "completeness":1,"seriesUrl":"http://127.0.0.1:5080/","detector":"sqrt-seasonal-gumbel/4","raisedAt":"2022-09-30T07:31:00+00:00"}
            """;

        var alert = JsonSerializer.Deserialize(stored, AlertJsonContext.Default.Alert)!;

        Assert.Equal(0, alert.HistoryMinutes);
        Assert.Equal("How unusual: rarer than once a century at the usual pace (score 0.40)", Rarity(alert));
    }

    [Fact]
    public void CarriesItsHistoryInTheJsonItIsStoredAndSentAs()
    {
        var json = JsonSerializer.Serialize(Surge(1, historyMinutes: 110), AlertJsonContext.Default.Alert);

        Assert.Contains("\"historyMinutes\":110", json, StringComparison.Ordinal);
        Assert.Equal(110, JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert)!.HistoryMinutes);
    }

    [Fact]
    public void SaysWhenItsFiguresAreAnHoursSumNotAMinutesCount()
    {
        var hour = Surge(60);

        Assert.Equal("Surge: #StopHazaraGenocide on x, 720 posts in the last 60 minutes against 480 expected", hour.Title);
        Assert.Contains("Volume: 720 posts in the last 60 minutes, expected 480 (1.5x)", hour.Lines);
    }

    [Fact]
    public void SaysNothingMoreForOneMinutesCount()
    {
        var minute = Surge(1);

        Assert.Equal("Surge: #StopHazaraGenocide on x, 720 posts against 480 expected", minute.Title);
        Assert.Contains("Volume: 720 posts, expected 480 (1.5x)", minute.Lines);
    }

    [Fact]
    public void NamesTheIncidentTheSpikeFollowedInTheLinesEverySinkSends()
    {
        var kaaj = new AlertIncident("f-8d1c2e", new DateTimeOffset(2022, 9, 30, 0, 0, 0, TimeSpan.Zero), "2022-09-30",
            "Suicide bombing of the Kaaj education centre", "Dasht-e-Barchi, Kabul, Afghanistan", "https://example.org/kaaj");
        var alert = Surge(1) with { Incident = kaaj };

        Assert.Contains("Nearest incident before it: 2022-09-30, Suicide bombing of the Kaaj education centre (Dasht-e-Barchi, Kabul, Afghanistan), 7.5 hours earlier: https://example.org/kaaj", alert.Lines);
        Assert.Contains("Nearest incident before it: 2022-09-30, Kaaj, in the same minute", (alert with { Incident = kaaj with { Title = "Kaaj", Place = null, Link = null, Time = alert.Since } }).Lines);
        var json = JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert);
        Assert.Contains("\"incident\":{\"id\":\"f-8d1c2e\",\"time\":\"2022-09-30T00:00:00+00:00\"", json, StringComparison.Ordinal);
        Assert.Equal(kaaj, JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert)!.Incident);
    }

    [Fact]
    public void SaysNothingOfIncidentsWhenItNamesNone()
    {
        const string storedBeforeIncidents = """
            {"id":"id","campaign":"stop-hazara-genocide","campaignName":"#StopHazaraGenocide","hashtagGroup":"StopHazaraGenocide","platform":"x",
             "direction":"spike","since":"2022-09-30T07:30:00+00:00","volume":720,"expected":480,"windowMinutes":1,"score":0.4,"returnPeriodDays":3,
             "completeness":1,"seriesUrl":"http://127.0.0.1:5080/","detector":"sqrt-seasonal-gumbel/4","raisedAt":"2022-09-30T07:31:00+00:00","historyMinutes":30240}
            """;

        var stored = JsonSerializer.Deserialize(storedBeforeIncidents, AlertJsonContext.Default.Alert)!;

        Assert.Null(stored.Incident);
        Assert.DoesNotContain(stored.Lines, l => l.Contains("incident", StringComparison.OrdinalIgnoreCase));
        Assert.Equal((Surge(1) with { Detector = stored.Detector }).Lines, stored.Lines);
    }
}
