using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Time;

namespace HazaraMonitor.Tests.Ingest;

public sealed class BatchAggregatorTests
{
    private static readonly DateTimeOffset Now = new(2022, 10, 1, 12, 0, 0, TimeSpan.Zero);

    // نسل_کشی_هزاره
    private const string PersianTag = "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647";

    private static readonly Campaign Campaign = new("stop-hazara-genocide", "Stop", ["StopHazaraGenocide", PersianTag], [XPlatform.Id]);

    internal static Post Post(string id, DateTimeOffset at, string author = "a1", string? language = "en", params string[] tags) =>
        new(XPlatform.Id, id, author, at, "text", language, [.. tags.Select(t => HashtagNormalizer.Normalize(t))], default);

    [Fact]
    public void GroupsPostsOfTheSameMinuteTagsAndLanguageIntoOneShape()
    {
        var posts = Enumerable.Range(0, 50).Select(i => Post($"{i}", Now.AddSeconds(-i % 30), $"a{i % 7}", "en", "StopHazaraGenocide"));

        var batch = BatchAggregator.Aggregate(Campaign, XPlatform.Id, posts, Now, TimeSpan.FromDays(8));

        Assert.Equal(50, batch.Posts.Count);
        // 11:59:31..11:59:59 and 12:00:00 -> two minutes, one tag set, one language.
        Assert.Equal(2, batch.Shapes.Count);
        Assert.Equal(7, batch.AuthorsByHour[Resolution.Hour.Start(Now.AddMinutes(-1))].Count);
    }

    [Fact]
    public void CountsARepeatedIdInOneBatchOnce()
    {
        var post = Post("1", Now, tags: "StopHazaraGenocide");

        var batch = BatchAggregator.Aggregate(Campaign, XPlatform.Id, [post, post, post], Now, TimeSpan.FromDays(8));

        Assert.Single(batch.Posts);
        Assert.Equal(2, batch.RepeatedInBatch);
    }

    [Fact]
    public void MatchesEverySpellingOfAConfiguredHashtagAndSetsAsideTheRest()
    {
        // نسل_كشي_هزاره typed with Arabic kaf and yeh
        var arabicForms = "\u0646\u0633\u0644_\u0643\u0634\u064A_\u0647\u0632\u0627\u0631\u0647";
        var posts = new[]
        {
            Post("1", Now, language: "fa", tags: arabicForms),
            Post("2", Now, tags: ["STOPHAZARAGENOCIDE", "Kabul"]),
            Post("3", Now, tags: "Kabul"),
        };

        var batch = BatchAggregator.Aggregate(Campaign, XPlatform.Id, posts, Now, TimeSpan.FromDays(8));

        Assert.Equal(2, batch.Posts.Count);
        Assert.Equal(1, batch.Unmatched);
        Assert.Equal([HashtagNormalizer.Normalize(PersianTag)], batch.Shapes[batch.Posts[0].Shape].Hashtags);
        Assert.Equal("fa", batch.Shapes[batch.Posts[0].Shape].Language);
        Assert.Equal(["stophazaragenocide"], batch.Shapes[batch.Posts[1].Shape].Hashtags);
    }

    [Fact]
    public void RefusesPostsOlderThanTheDedupeWindow()
    {
        var posts = new[]
        {
            Post("old", Now.AddDays(-9), tags: "StopHazaraGenocide"),
            Post("edge", Resolution.Day.Start(Now.AddDays(-8)), tags: "StopHazaraGenocide"),
        };

        var batch = BatchAggregator.Aggregate(Campaign, XPlatform.Id, posts, Now, TimeSpan.FromDays(8));

        Assert.Equal(1, batch.TooOld);
        Assert.Equal("edge", Assert.Single(batch.Posts).Id);
    }

    [Theory]
    [InlineData("fa-AF", "fa")]
    [InlineData("EN", "en")]
    [InlineData(null, "und")]
    [InlineData("qme", "qme")]
    [InlineData("zxx-1234567", "zxx")]
    [InlineData("not a language", "und")]
    public void NormalizesLanguageTags(string? language, string expected) =>
        Assert.Equal(expected, BatchAggregator.NormalizeLanguage(language));
}
