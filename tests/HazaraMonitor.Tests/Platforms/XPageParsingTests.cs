using System.Text;

namespace HazaraMonitor.Tests.Platforms;

public sealed class XPageParsingTests
{
    private static SweepPage Parse(string json) => XApiClient.ParseSearchPage(Encoding.UTF8.GetBytes(json), RateLimitInfo.None);

    [Fact]
    public void MapsTheDocumentedFieldsAndNormalizesEntityHashtags()
    {
        var page = Parse("""
            {"data":[{"id":"1790000000000000000","text":"Launch day! #StopHazaraGenocide","created_at":"2026-05-20T09:15:02.000Z","lang":"fa",
              "author_id":"2244994945","edit_history_tweet_ids":["1790000000000000000"],
              "entities":{"hashtags":[{"start":12,"end":31,"tag":"StopHazaraGenocide"}]},
              "public_metrics":{"retweet_count":7,"reply_count":3,"like_count":38,"quote_count":1,"bookmark_count":2,"impression_count":1250}}],
             "meta":{"newest_id":"1790000000000000000","oldest_id":"1790000000000000000","result_count":1,"next_token":"abc"}}
            """);

        var post = Assert.Single(page.Posts);
        Assert.Equal("1790000000000000000", post.Id);
        Assert.Equal("2244994945", post.AuthorId);
        Assert.Equal(new DateTimeOffset(2026, 5, 20, 9, 15, 2, TimeSpan.Zero), post.CreatedAt);
        Assert.Equal(["stophazaragenocide"], post.Hashtags);
        Assert.Equal(38, post.Engagement.Likes);
        Assert.Equal(7, post.Engagement.Reposts);
        Assert.Equal("abc", page.NextPage);
        Assert.Equal("1790000000000000000", page.Newest);
    }

    [Fact]
    public void FallsBackToTheTextWhenThereAreNoEntities()
    {
        var page = Parse("""{"data":[{"id":"5","text":"#Hazara\u060C#Kabul","created_at":"2022-10-01T00:00:00.000Z"}],"meta":{"result_count":1,"newest_id":"5"}}""");

        Assert.Equal(["hazara", "kabul"], Assert.Single(page.Posts).Hashtags);
    }

    [Theory]
    [InlineData("in", "id")] // Indonesian
    [InlineData("iw", "he")] // Hebrew
    [InlineData("ji", "yi")] // Yiddish
    [InlineData("IN", "id")]
    [InlineData("qht", "und")] // X: hashtags only
    [InlineData("qme", "und")] // X: media links only
    [InlineData("und", "und")]
    [InlineData("fa", "fa")]
    [InlineData("zh-TW", "zh-TW")]
    [InlineData(null, null)]
    public void MapsXsLegacyLanguageCodesToBcp47(string? lang, string? expected)
    {
        var field = lang is null ? string.Empty : $",\"lang\":\"{lang}\"";
        var page = Parse("""{"data":[{"id":"5","text":"#Hazara","created_at":"2022-10-01T00:00:00.000Z" """ + field + """}],"meta":{"result_count":1,"newest_id":"5"}}""");

        Assert.Equal(expected, Assert.Single(page.Posts).Language);
    }

    [Fact]
    public void RefusesAPostWithoutCreatedAtAloneAndKeepsItsPage()
    {
        var limit = new RateLimitInfo(450, 17, new DateTimeOffset(2026, 5, 20, 9, 30, 0, TimeSpan.Zero));
        var page = XApiClient.ParseSearchPage(Encoding.UTF8.GetBytes("""
            {"data":[{"id":"7","text":"#Hazara","created_at":"2022-10-01T00:00:07.000Z"},
                     {"id":"6","text":"#Hazara"},
                     {"id":"5","text":"#Hazara","created_at":"2022-10-01T00:00:05.000Z"}],
             "meta":{"newest_id":"7","oldest_id":"5","result_count":3,"next_token":"next"}}
            """), limit);

        Assert.Equal(["7", "5"], page.Posts.Select(p => p.Id));
        Assert.Equal("X post '6' has no created_at", Assert.Single(page.Refused!));
        Assert.Equal("7", page.Newest);
        Assert.Equal("next", page.NextPage);
        Assert.Equal(limit, page.RateLimit);
    }

    [Fact]
    public void AnEmptyResultIsAPageWithoutPosts()
    {
        var page = Parse("""{"meta":{"result_count":0}}""");

        Assert.Empty(page.Posts);
        Assert.Null(page.NextPage);
    }

    [Theory]
    [InlineData("""{"data":[{"id":"5","text":"x","created_at":"2022-10-01T00:00:00.000Z"}],"meta":{"res""")]
    [InlineData("""{"data":[{"id":"not-a-number","created_at":"2022-10-01T00:00:00.000Z"}],"meta":{"result_count":1}}""")]
    [InlineData("""{"data":[{"id":"5","created_at":"2022-10-01T00:00:00.000Z"}]}""")]
    [InlineData("null")]
    public void CallsABrokenPageMalformed(string json)
    {
        var failure = Assert.Throws<PlatformRequestException>(() => Parse(json));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }
}
