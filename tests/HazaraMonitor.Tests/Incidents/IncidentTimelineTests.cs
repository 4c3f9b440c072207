using HazaraMonitor.Core.Incidents;

namespace HazaraMonitor.Tests.Incidents;

public sealed class IncidentTimelineTests
{
    private static readonly DateTimeOffset Kaaj = new(2022, 9, 30, 0, 0, 0, TimeSpan.Zero);

    private static Incident At(string id, DateTimeOffset time, IncidentPrecision precision = IncidentPrecision.Time) =>
        new(id, time, precision, id, null, null, null, IncidentSource.Api);

    private static readonly IncidentTimeline Timeline = new(
    [
        At("relaunch", new(2022, 11, 9, 0, 0, 0, TimeSpan.Zero), IncidentPrecision.Day),
        At("kaaj", Kaaj, IncidentPrecision.Day),
        At("muharram", new(2022, 8, 1, 0, 0, 0, TimeSpan.Zero), IncidentPrecision.Month),
        At("shiraz", new(2022, 10, 27, 0, 0, 0, TimeSpan.Zero), IncidentPrecision.Day),
    ]);

    [Fact]
    public void KeepsTheIncidentsOldestFirst() =>
        Assert.Equal(["muharram", "kaaj", "shiraz", "relaunch"], Timeline.All.Select(i => i.Id));

    [Fact]
    public void NamesTheLatestIncidentBeforeTheTimeWithinTheLookback()
    {
        var lookback = TimeSpan.FromDays(3);

        Assert.Equal("kaaj", Timeline.NearestBefore(Kaaj.AddHours(7), lookback)?.Id);
        Assert.Equal("kaaj", Timeline.NearestBefore(Kaaj.AddDays(3), lookback)?.Id);
        // Exactly at the incident's time counts; an incident after the time never does.
        Assert.Equal("kaaj", Timeline.NearestBefore(Kaaj, lookback)?.Id);
        Assert.Equal("shiraz", Timeline.NearestBefore(new(2022, 10, 28, 12, 0, 0, TimeSpan.Zero), lookback)?.Id);
    }

    [Fact]
    public void NamesNoneWhenTheLatestBeforeIsOlderThanTheLookback()
    {
        // Kaaj is 3 days and a minute back: older than the lookback, and Shiraz has not happened yet.
        Assert.Null(Timeline.NearestBefore(Kaaj.AddDays(3).AddMinutes(1), TimeSpan.FromDays(3)));
        // A nearer old one is not passed over for an even older one within a longer lookback.
        Assert.Equal("kaaj", Timeline.NearestBefore(Kaaj.AddDays(20), TimeSpan.FromDays(60))?.Id);
        Assert.Null(Timeline.NearestBefore(new(2022, 7, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(3650)));
    }

    [Fact]
    public void NamesNoneWithALookbackOfZero() =>
        Assert.Null(Timeline.NearestBefore(Kaaj.AddHours(1), TimeSpan.Zero));

    [Fact]
    public void AnswersARangeFromItsStartToBeforeItsEnd()
    {
        Assert.Equal(["kaaj", "shiraz"], Timeline.Between(Kaaj, new(2022, 11, 9, 0, 0, 0, TimeSpan.Zero)).Select(i => i.Id));
        Assert.Equal(["muharram"], Timeline.Between(null, Kaaj).Select(i => i.Id));
        Assert.Equal(4, Timeline.Between(null, null).Count);
    }
}
