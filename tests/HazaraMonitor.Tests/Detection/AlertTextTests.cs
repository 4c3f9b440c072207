using HazaraMonitor.Core.Detection;

namespace HazaraMonitor.Tests.Detection;

public sealed class AlertTextTests
{
    private static Alert Surge(double windowMinutes) => new(
        "id", "stop-hazara-genocide", "#StopHazaraGenocide", "StopHazaraGenocide", "x", "spike",
        new DateTimeOffset(2022, 9, 30, 7, 30, 0, TimeSpan.Zero), 720, 480, windowMinutes, 0.4, 3, 1, "http://127.0.0.1:5080/", SpikeDetector.Version,
        new DateTimeOffset(2022, 9, 30, 7, 31, 0, TimeSpan.Zero));

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
}
