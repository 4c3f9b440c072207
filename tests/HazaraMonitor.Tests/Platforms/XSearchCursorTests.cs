using HazaraMonitor.Platforms;
using HazaraMonitor.Platforms.X;

namespace HazaraMonitor.Tests.Platforms;

public sealed class XSearchCursorTests
{
    private static XSearchPage Page(string? newest, string? next) => new([], newest, next, RateLimitInfo.None);

    [Fact]
    public void KeepsSinceIdWhilePagingAndTakesTheFirstPagesNewestIdAtTheEnd()
    {
        var cursor = new XSearchCursor("100", null, null);

        var afterFirst = cursor.After(Page(newest: "300", next: "t1"));
        var afterSecond = afterFirst.After(Page(newest: "250", next: "t2"));
        var afterLast = afterSecond.After(Page(newest: "200", next: null));

        Assert.Equal(new XSearchCursor("100", "300", "t1"), afterFirst);
        Assert.Equal(new XSearchCursor("100", "300", "t2"), afterSecond);
        Assert.Equal(new XSearchCursor("300", null, null), afterLast);
    }

    [Fact]
    public void AnEmptyPollKeepsTheCursor()
    {
        var cursor = new XSearchCursor("100", null, null);

        Assert.Equal(cursor, cursor.After(Page(newest: null, next: null)));
    }

    [Fact]
    public void KeepsTheStartTimeUntilAFirstPostArrives()
    {
        var start = new DateTimeOffset(2022, 9, 30, 0, 0, 0, TimeSpan.Zero);
        var cursor = XSearchCursor.Empty with { StartTime = start };

        var empty = cursor.After(Page(null, null));
        var first = empty.After(Page("500", null));

        Assert.Equal(start, empty.StartTime);
        Assert.Equal(new XSearchCursor("500", null, null), first);
    }

    [Fact]
    public void RoundTripsThroughItsStoredForm()
    {
        var cursor = new XSearchCursor("1", "2", "b26v89c19zqg8o3fobd8v73egzbdt3qao235oql", new DateTimeOffset(2022, 10, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(cursor, XSearchCursor.Parse(cursor.Serialize()));
        Assert.Equal(XSearchCursor.Empty, XSearchCursor.Parse(null));
        Assert.Throws<InvalidDataException>(() => XSearchCursor.Parse("{not json"));
    }
}
