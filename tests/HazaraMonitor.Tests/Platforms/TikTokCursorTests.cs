using HazaraMonitor.Worker.Platforms.TikTok;

namespace HazaraMonitor.Tests.Platforms;

public sealed class TikTokCursorTests
{
    private static readonly DateTimeOffset Now = new(2022, 10, 14, 9, 30, 0, TimeSpan.Zero);

    private static DateOnly Day(int year, int month, int day) => new(year, month, day);

    [Fact]
    public void SplitsALongReachIntoWindowsOfAtMostThirtyDaysEndingToday()
    {
        // 45 days back: 30 Aug 2022 to 14 Oct 2022, 46 days with both ends.
        var cursor = TikTokCursor.Starting(Now.AddDays(-45)).Begin(Now, TimeSpan.Zero);

        var first = cursor.Days;
        cursor = cursor.After(hasMore: false, next: null, searchId: null);
        var second = cursor.Days;
        var ended = cursor.After(hasMore: false, next: null, searchId: null);

        Assert.Equal((Day(2022, 8, 30), Day(2022, 9, 28)), first);
        Assert.Equal((Day(2022, 9, 29), Day(2022, 10, 14)), second);
        Assert.Equal(TikTokCursor.WindowDays, first.End.DayNumber - first.Start.DayNumber + 1);
        Assert.False(ended.InSweep);
        Assert.Equal(Now, ended.ReadTo);
    }

    [Fact]
    public void FollowsTheSearchIdAndCursorWithinAWindowThenStartsTheNextWindowAfresh()
    {
        var cursor = TikTokCursor.Starting(Now.AddDays(-40)).Begin(Now, TimeSpan.Zero);

        var paging = cursor.After(hasMore: true, next: 100, searchId: "7201388525814961198");
        var nextWindow = paging.After(hasMore: false, next: null, searchId: null);

        Assert.Equal(("7201388525814961198", 100), (paging.SearchId, paging.Next));
        Assert.Equal(cursor.Days, paging.Days);
        Assert.Equal((null, null), (nextWindow.SearchId, nextWindow.Next));
        Assert.Equal(cursor.Days.End.AddDays(1), nextWindow.Days.Start);
    }

    [Fact]
    public void TheNextSweepReadsFromTheDayThePreviousOneStartedLessTheRelook()
    {
        var previous = TikTokCursor.Starting(Now.AddHours(-1)).Begin(Now, TimeSpan.Zero).After(false, null, null);
        var tomorrow = Now.AddDays(1);

        var plain = previous.Begin(tomorrow, TimeSpan.Zero);
        var relooking = previous.Begin(tomorrow, TimeSpan.FromDays(2));

        Assert.Equal((Day(2022, 10, 14), Day(2022, 10, 15)), plain.Days);
        // Never before the first day to count.
        Assert.Equal((Day(2022, 10, 14), Day(2022, 10, 15)), relooking.Days);
        Assert.Equal((Day(2022, 10, 15), Day(2022, 10, 15)), plain.After(false, null, null).Begin(tomorrow.AddHours(1), TimeSpan.Zero).Days);
    }

    [Fact]
    public void RestartingAWindowForgetsItsSearchOnly()
    {
        var cursor = TikTokCursor.Starting(Now.AddHours(-1)).Begin(Now, TimeSpan.Zero).After(true, 200, "s1");

        var restarted = cursor.RestartWindow();

        Assert.Equal(cursor with { SearchId = null, Next = null }, restarted);
        Assert.True(restarted.InSweep);
    }

    [Fact]
    public void RoundTripsAndRefusesACursorWithoutItsStart()
    {
        var cursor = TikTokCursor.Starting(Now.AddHours(-1)).Begin(Now, TimeSpan.Zero).After(true, 100, "s1");

        Assert.Equal(cursor, TikTokCursor.Parse(cursor.Serialize()));
        Assert.Null(TikTokCursor.Parse(null));
        Assert.Throws<InvalidDataException>(() => TikTokCursor.Parse("""{"since":"123"}"""));
        Assert.Throws<InvalidDataException>(() => TikTokCursor.Parse("not json"));
    }
}
