
namespace HazaraMonitor.Tests.Platforms;

public sealed class SweepCursorTests
{
    [Fact]
    public void KeepsSinceWhilePagingAndTakesTheFirstPagesNewestMarkAtTheEnd()
    {
        var cursor = new SweepCursor("100", null, null);

        var afterFirst = cursor.After(newest: "300", nextPage: "t1");
        var afterSecond = afterFirst.After(newest: "250", nextPage: "t2");
        var afterLast = afterSecond.After(newest: "200", nextPage: null);

        Assert.Equal(new SweepCursor("100", "300", "t1"), afterFirst);
        Assert.Equal(new SweepCursor("100", "300", "t2"), afterSecond);
        Assert.Equal(new SweepCursor("300", null, null), afterLast);
    }

    [Fact]
    public void AnEmptyPollKeepsTheCursor()
    {
        var cursor = new SweepCursor("100", null, null);

        Assert.Equal(cursor, cursor.After(newest: null, nextPage: null));
    }

    [Fact]
    public void KeepsTheStartTimeUntilAFirstPostArrives()
    {
        var start = new DateTimeOffset(2022, 9, 30, 0, 0, 0, TimeSpan.Zero);
        var cursor = SweepCursor.Empty with { StartTime = start };

        var empty = cursor.After(null, null);
        var first = empty.After("500", null);

        Assert.Equal(start, empty.StartTime);
        Assert.Equal(new SweepCursor("500", null, null), first);
    }

    [Fact]
    public void StartsNoFurtherBackThanThePlatformReaches()
    {
        var now = new DateTimeOffset(2022, 10, 8, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddHours(-1), SweepCursor.Empty.Starting(now, TimeSpan.FromHours(1), TimeSpan.FromDays(7)).StartTime);
        Assert.Equal(now.AddDays(-7), SweepCursor.Empty.Starting(now, TimeSpan.FromDays(30), TimeSpan.FromDays(7)).StartTime);
        Assert.Null(new SweepCursor("1", null, null).Starting(now, TimeSpan.FromHours(1), TimeSpan.FromDays(7)).StartTime);
    }

    [Fact]
    public void RoundTripsThroughItsStoredForm()
    {
        var cursor = new SweepCursor("1", "2", "b26v89c19zqg8o3fobd8v73egzbdt3qao235oql", new DateTimeOffset(2022, 10, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(cursor, SweepCursor.Parse(cursor.Serialize()));
        Assert.Equal(SweepCursor.Empty, SweepCursor.Parse(null));
        Assert.Throws<InvalidDataException>(() => SweepCursor.Parse("{not json"));
        // X's cursor from before it was shared: refused, not silently read as a fresh start.
        Assert.Throws<InvalidDataException>(() => SweepCursor.Parse("""{"since_id":"1","next_token":null}"""));
    }
}
