using System.Text;
using HazaraMonitor.Worker.Platforms.TikTok;

namespace HazaraMonitor.Tests.Platforms;

public sealed class TikTokParsingTests
{
    private static byte[] Page(string videos, string rest = "\"cursor\":100,\"has_more\":true,\"search_id\":\"7201388525814961198\"") =>
        Encoding.UTF8.GetBytes($$$"""{"data":{"videos":[{{{videos}}}],{{{rest}}}},"error":{"code":"ok","message":"","log_id":"20221014093000ABC"}}""");

    // An id past 2^53, as TikTok's are: it must not pass through a double.
    private const string Video = """
        {"id":7154201234567890123,"create_time":1665739800,"username":"kabul_voices","region_code":"AF",
         "video_description":"Education is not a crime #StopHazaraGenocide #\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647",
         "hashtag_names":["stophazaragenocide","\u0646\u0633\u0644_\u0643\u0634\u064A_\u0647\u0632\u0627\u0631\u0647","fyp"],
         "like_count":120,"share_count":30,"comment_count":7,"view_count":5400}
        """;

    [Fact]
    public void MapsAVideoToAPostWithoutPretendingToKnowItsLanguage()
    {
        var page = TikTokClient.ParsePage(Page(Video), sent: 0);

        var post = Assert.Single(page.Posts);
        Assert.Equal("7154201234567890123", post.Id);
        Assert.Equal("kabul_voices", post.AuthorId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1665739800), post.CreatedAt);
        Assert.Null(post.Language);
        // نسل_كشي_هزاره with the Arabic kaf and yeh folds to the Persian spelling's key.
        Assert.Equal(["stophazaragenocide", HazaraMonitor.Core.Hashtags.HashtagNormalizer.Normalize("\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647"), "fyp"], post.Hashtags);
        Assert.Equal(new Engagement(120, 30, 7, 0), post.Engagement);
        Assert.Equal((true, 100, "7201388525814961198"), (page.HasMore, page.Next, page.SearchId));
    }

    [Fact]
    public void RefusesAVideoWithoutACreationTimeAndKeepsTheRestOfThePage()
    {
        var page = TikTokClient.ParsePage(Page(Video + """,{"id":7154201234567890124,"username":"no_time"},null"""), sent: 0);

        Assert.Equal(["7154201234567890123"], page.Posts.Select(p => p.Id));
        Assert.Equal(3, page.Returned);
        Assert.Equal(["TikTok video '7154201234567890124' has no create_time", "TikTok video without an id"], page.Refused);
    }

    [Fact]
    public void TheLastPageEndsTheSearch()
    {
        var page = TikTokClient.ParsePage(Page(Video, "\"cursor\":101,\"has_more\":false,\"search_id\":\"7201388525814961198\""), sent: 100);

        Assert.Equal((false, null, null), (page.HasMore, page.Next, page.SearchId));
    }

    [Theory]
    [InlineData("\"cursor\":100,\"has_more\":true,\"search_id\":\"s\"", 100)]
    [InlineData("\"cursor\":200,\"has_more\":true", 100)]
    [InlineData("\"cursor\":200", 100)]
    public void APageThatCannotEndTheSearchIsMalformed(string rest, int sent)
    {
        var failure = Assert.Throws<PlatformRequestException>(() => TikTokClient.ParsePage(Page(Video, rest), sent));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [Fact]
    public void AnErrorCodeInASuccessfulAnswerIsAFailure()
    {
        var body = Encoding.UTF8.GetBytes("""{"data":{},"error":{"code":"internal_error","message":"Something went wrong.","log_id":"x"}}""");

        var failure = Assert.Throws<PlatformRequestException>(() => TikTokClient.ParsePage(body, 0));

        Assert.Equal(PollOutcome.HttpError, failure.Outcome);
        Assert.Contains("internal_error", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedPageIsMalformed()
    {
        var body = Page(Video);

        var failure = Assert.Throws<PlatformRequestException>(() => TikTokClient.ParsePage(body[..(body.Length / 2)], 0));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }
}
