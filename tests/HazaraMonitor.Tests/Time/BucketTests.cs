using HazaraMonitor.Core.Time;

namespace HazaraMonitor.Tests.Time;

public sealed class BucketTests
{
    private static readonly DateTimeOffset AttackDay = new(2022, 9, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PutsTheLastMillisecondOfADayInThatDay()
    {
        var time = new FakeTimeProvider(AttackDay.AddDays(1).AddMilliseconds(-1));

        var now = time.GetUtcNow();

        Assert.Equal(AttackDay.AddHours(23).AddMinutes(59), Resolution.Minute.Start(now));
        Assert.Equal(AttackDay.AddHours(23), Resolution.Hour.Start(now));
        Assert.Equal(AttackDay, Resolution.Day.Start(now));
    }

    [Fact]
    public void StartsTheNextBucketExactlyOnTheBoundary()
    {
        var time = new FakeTimeProvider(AttackDay.AddHours(7).AddMinutes(59).AddSeconds(59));
        Assert.Equal(AttackDay.AddHours(7).AddMinutes(59), Resolution.Minute.Start(time.GetUtcNow()));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(AttackDay.AddHours(8), Resolution.Minute.Start(time.GetUtcNow()));
        Assert.Equal(AttackDay.AddHours(8), Resolution.Hour.Start(time.GetUtcNow()));
    }

    [Fact]
    public void AlignsBucketsToUtcWhateverTheOffset()
    {
        // 07:30 in Kabul (UTC+4:30) on 30 Sept 2022 is 03:00 UTC.
        var kabul = new DateTimeOffset(2022, 9, 30, 7, 30, 0, TimeSpan.FromHours(4.5));

        Assert.Equal(AttackDay.AddHours(3), Resolution.Hour.Start(kabul));
        Assert.Equal(TimeSpan.Zero, Resolution.Hour.Start(kabul).Offset);
        Assert.Equal("2022093003", Resolution.Hour.Stamp(Resolution.Hour.Start(kabul)));
    }

    [Fact]
    public void StampsSortAsTimeDoes()
    {
        Assert.Equal("202209302359", Resolution.Minute.Stamp(AttackDay.AddMinutes(1439)));
        Assert.Equal("20220930", Resolution.Day.Stamp(AttackDay));
    }

    [Fact]
    public void CountsAndRangesAgree()
    {
        var from = AttackDay.AddMinutes(10).AddSeconds(30);
        var to = AttackDay.AddMinutes(13);

        var starts = Resolution.Minute.Range(from, to).ToList();

        Assert.Equal([AttackDay.AddMinutes(10), AttackDay.AddMinutes(11), AttackDay.AddMinutes(12)], starts);
        Assert.Equal(3, Resolution.Minute.Count(from, to));
        Assert.Equal(0, Resolution.Minute.Count(to, from));
    }

    [Theory]
    [InlineData("1m", Resolution.Minute)]
    [InlineData("1H", Resolution.Hour)]
    [InlineData("1d", Resolution.Day)]
    public void ParsesTheApiSpelling(string label, Resolution expected)
    {
        Assert.True(Buckets.TryParse(label, out var parsed));
        Assert.Equal(expected, parsed);
        Assert.False(Buckets.TryParse("5m", out _));
    }
}
