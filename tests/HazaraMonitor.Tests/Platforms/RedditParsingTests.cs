using System.Text;
using HazaraMonitor.Worker.Platforms.Reddit;

namespace HazaraMonitor.Tests.Platforms;

public sealed class RedditParsingTests
{
    private static byte[] Listing(string after, params (string Name, double Created)[] items)
    {
        var children = items.Select(i =>
            """{"kind":"t3","data":{"id":"x","name":""" + "\"" + i.Name + "\",\"created_utc\":" + i.Created.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ""","author":"someone","title":"March today #StopHazaraGenocide","selftext":"","ups":42,"num_comments":7}}""");
        return Encoding.UTF8.GetBytes("""{"kind":"Listing","data":{"after":""" + after + ""","before":null,"modhash":"","children":[""" + string.Join(',', children) + "]}}");
    }

    [Fact]
    public void ReadsPostsAndTheNextPage()
    {
        var page = RedditClient.ParsePage(Listing("\"t3_1czx9aa\"", ("t3_1czx9ac", 1716543212.5), ("t3_1czx9ab", 1716543210.0)), SweepCursor.Empty, RateLimitInfo.None);

        Assert.Equal("t3_1czx9aa", page.NextPage);
        Assert.Equal("t3_1czx9ac", page.Newest);
        Assert.Equal(["t3_1czx9ac", "t3_1czx9ab"], page.Posts.Select(p => p.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1716543212500), page.Posts[0].CreatedAt);
        Assert.Equal(["stophazaragenocide"], page.Posts[0].Hashtags);
        Assert.Equal(7, page.Posts[0].Engagement.Replies);
    }

    [Fact]
    public void StopsTheSweepAtThePreviousSweepsNewestPost()
    {
        var cursor = new SweepCursor("t3_1czx9ab", null, null);

        var page = RedditClient.ParsePage(Listing("\"t3_1czx9a0\"", ("t3_1czx9ac", 3), ("t3_1czx9ab", 2), ("t3_1czx9aa", 1)), cursor, RateLimitInfo.None);

        Assert.Equal(["t3_1czx9ac"], page.Posts.Select(p => p.Id));
        Assert.Null(page.NextPage);
    }

    [Fact]
    public void StopsTheFirstSweepAtItsStartTime()
    {
        var cursor = SweepCursor.Empty with { StartTime = DateTimeOffset.FromUnixTimeSeconds(100) };

        var page = RedditClient.ParsePage(Listing("\"t3_zz\"", ("t3_zzb", 150), ("t3_zza", 99)), cursor, RateLimitInfo.None);

        Assert.Equal(["t3_zzb"], page.Posts.Select(p => p.Id));
        Assert.Null(page.NextPage);
    }

    [Theory]
    [InlineData("t3_1czx9ac", "t3_1czx9ab", true)]
    [InlineData("t3_1czx9ab", "t3_1czx9ab", false)]
    [InlineData("t3_zzzzzz", "t3_1000000", false)]
    [InlineData("t3_1000000", "t3_zzzzzz", true)]
    public void OrdersFullnamesByTheirBase36Ids(string fullname, string than, bool newer) =>
        Assert.Equal(newer, RedditClient.IsNewer(fullname, than));

    [Fact]
    public void TreatsAnErrorBodyWithStatus200AsARateLimit()
    {
        var failure = Assert.Throws<PlatformRequestException>(() => RedditClient.ParsePage(Encoding.UTF8.GetBytes("""{"message": "Too Many Requests", "error": 429}"""), SweepCursor.Empty, RateLimitInfo.None));

        Assert.Equal(PollOutcome.RateLimited, failure.Outcome);
    }

    [Fact]
    public void CallsATruncatedListingMalformed()
    {
        var bytes = Listing("null", ("t3_a", 1));
        var failure = Assert.Throws<PlatformRequestException>(() => RedditClient.ParsePage(bytes[..(bytes.Length / 2)], SweepCursor.Empty, RateLimitInfo.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }
}
