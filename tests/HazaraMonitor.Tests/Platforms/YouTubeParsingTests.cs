using System.Net;
using System.Text;
using HazaraMonitor.Worker.Platforms.YouTube;

namespace HazaraMonitor.Tests.Platforms;

public sealed class YouTubeParsingTests
{
    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A search page shaped as search.list documents it, its description cut short as search cuts it.</summary>
    private const string SearchPage = """
        {"kind":"youtube#searchListResponse","etag":"q1","nextPageToken":"CDIQAA","regionCode":"US","pageInfo":{"totalResults":1000000,"resultsPerPage":50},
         "items":[{"kind":"youtube#searchResult","etag":"r1","id":{"kind":"youtube#video","videoId":"dQw4w9WgXcQ"},
                   "snippet":{"publishedAt":"2026-05-20T09:15:02Z","channelId":"UCuAXFkgsw1L7xaCfnd5JJOw","title":"Kaaj, one year on #StopHazaraGenocide",
                              "description":"Students remember their classmates #Hazara...","thumbnails":{"default":{"url":"https://i.ytimg.com/vi/dQw4w9WgXcQ/default.jpg","width":120,"height":90}},
                              "channelTitle":"A channel","liveBroadcastContent":"none","publishTime":"2026-05-20T09:15:02Z"}}]}
        """;

    /// <summary>The same video from videos.list: the whole description, the uploader's languages, counts as strings.</summary>
    private const string Videos = """
        {"kind":"youtube#videoListResponse","etag":"v1","items":[{"kind":"youtube#video","etag":"v2","id":"dQw4w9WgXcQ",
          "snippet":{"publishedAt":"2026-05-20T09:15:02Z","channelId":"UCuAXFkgsw1L7xaCfnd5JJOw","title":"Kaaj, one year on #StopHazaraGenocide",
                     "description":"Students remember their classmates #Hazara #\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647","defaultLanguage":"fa","defaultAudioLanguage":"en"},
          "statistics":{"viewCount":"12345","likeCount":"678","favoriteCount":"0","commentCount":"90"}}],
         "pageInfo":{"totalResults":1,"resultsPerPage":1}}
        """;

    [Fact]
    public void MapsAVideoWithTheWholeDescriptionItsLanguageAndItsCounts()
    {
        var page = YouTubeClient.ParseSearchPage(Bytes(SearchPage));
        var videos = YouTubeClient.ParseVideos(Bytes(Videos));

        var post = YouTubeClient.Map(Assert.Single(page.Results), videos["dQw4w9WgXcQ"]);

        Assert.Equal("CDIQAA", page.NextPageToken);
        Assert.Equal("dQw4w9WgXcQ", post.Id);
        Assert.Equal("UCuAXFkgsw1L7xaCfnd5JJOw", post.AuthorId);
        Assert.Equal(new DateTimeOffset(2026, 5, 20, 9, 15, 2, TimeSpan.Zero), post.CreatedAt);
        // The Dari tag (نسل_کشی_هزاره) is past the cut of the search snippet's description: only videos.list has it.
        Assert.Equal(["stophazaragenocide", "hazara", "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647"], post.Hashtags);
        // The language of the text, where the hashtags are, before the language spoken.
        Assert.Equal("fa", post.Language);
        Assert.Equal(new Engagement(678, 0, 90, 0), post.Engagement);
    }

    [Fact]
    public void AVideoGoneSinceTheSearchIsReadFromItsSearchResult()
    {
        var page = YouTubeClient.ParseSearchPage(Bytes(SearchPage));

        var post = YouTubeClient.Map(Assert.Single(page.Results), null);

        Assert.Equal(["stophazaragenocide", "hazara"], post.Hashtags);
        Assert.Null(post.Language);
        Assert.Equal(default, post.Engagement);
    }

    [Fact]
    public void TakesTheAudioLanguageWhenTheTextHasNoneAndHiddenCountsAsZero()
    {
        var videos = YouTubeClient.ParseVideos(Bytes("""
            {"kind":"youtube#videoListResponse","items":[{"id":"dQw4w9WgXcQ","snippet":{"title":"t","description":"d","defaultAudioLanguage":"fa-AF"},"statistics":{"viewCount":"1","commentCount":"2"}}]}
            """));

        var post = YouTubeClient.Map(Assert.Single(YouTubeClient.ParseSearchPage(Bytes(SearchPage)).Results), videos["dQw4w9WgXcQ"]);

        Assert.Equal("fa-AF", post.Language);
        Assert.Equal(new Engagement(0, 0, 2, 0), post.Engagement);
    }

    [Fact]
    public void RefusesAResultWithoutItsVideoIdOrTimeAloneAndKeepsThePage()
    {
        var page = YouTubeClient.ParseSearchPage(Bytes("""
            {"kind":"youtube#searchListResponse","nextPageToken":"next","items":[
              {"id":{"kind":"youtube#video","videoId":"dQw4w9WgXcQ"},"snippet":{"publishedAt":"2026-05-20T09:15:02Z","channelId":"UC1","title":"#Hazara"}},
              {"id":{"kind":"youtube#video"},"snippet":{"publishedAt":"2026-05-20T09:14:00Z","channelId":"UC1","title":"#Hazara"}},
              {"id":{"kind":"youtube#video","videoId":"9bZkp7q19f0"},"snippet":{"channelId":"UC1","title":"#Hazara"}}]}
            """));

        Assert.Equal(["dQw4w9WgXcQ"], page.Results.Select(r => r.Id!.VideoId));
        Assert.Equal(2, page.Refused.Count);
        Assert.Equal("next", page.NextPageToken);
    }

    [Theory]
    [InlineData("""{"kind":"youtube#searchListResponse","items":[{"id":{"videoId":"dQw4w9WgXcQ"}""")]
    [InlineData("""{"kind":"youtube#channelListResponse","items":[]}""")]
    [InlineData("null")]
    public void CallsABrokenPageMalformed(string json)
    {
        var failure = Assert.Throws<PlatformRequestException>(() => YouTubeClient.ParseSearchPage(Bytes(json)));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [Theory]
    // 23:30 on 30 June in Los Angeles (daylight time, UTC-7): the quota resets at 07:00 UTC.
    [InlineData("2026-07-01T06:30:00Z", "2026-07-01T07:00:00Z")]
    // 00:00 exactly: the next reset is a day away.
    [InlineData("2026-07-01T07:00:00Z", "2026-07-02T07:00:00Z")]
    // Winter (standard time, UTC-8): 08:00 UTC.
    [InlineData("2026-01-15T20:00:00Z", "2026-01-16T08:00:00Z")]
    // The night daylight time ends (1 November 2026): midnight of 2 November is in standard time.
    [InlineData("2026-11-01T12:00:00Z", "2026-11-02T08:00:00Z")]
    public void ResetsTheQuotaAtMidnightPacificTime(string now, string reset) =>
        Assert.Equal(DateTimeOffset.Parse(reset, System.Globalization.CultureInfo.InvariantCulture), YouTubeQuota.NextReset(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ReadsQuotaExceededAsARateLimitUntilMidnightPacificTime()
    {
        var now = new DateTimeOffset(2026, 7, 1, 6, 30, 0, TimeSpan.Zero);
        var failure = YouTubeClient.ReadFailure(HttpStatusCode.Forbidden, Bytes("""
            {"error":{"code":403,"message":"The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
              "errors":[{"message":"The request cannot be completed because you have exceeded your quota.","domain":"youtube.quota","reason":"quotaExceeded"}]}}
            """), now);

        Assert.Equal(PollOutcome.RateLimited, failure!.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), failure.RetryAt);
        Assert.Contains("midnight Pacific time, 2026-07-01 07:00 UTC", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsAShortTermLimitAsAMinutesWait()
    {
        var now = new DateTimeOffset(2026, 7, 1, 6, 30, 0, TimeSpan.Zero);
        var failure = YouTubeClient.ReadFailure(HttpStatusCode.Forbidden, Bytes("""
            {"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Rate Limit Exceeded"}]}}
            """), now);

        Assert.Equal(PollOutcome.RateLimited, failure!.Outcome);
        Assert.Equal(now.AddMinutes(1), failure.RetryAt);
    }

    [Theory]
    // The errors page's shape (usageLimits / keyInvalid), and the newer google.rpc.ErrorInfo one.
    [InlineData("""{"error":{"code":400,"message":"Bad Request","errors":[{"domain":"usageLimits","reason":"keyInvalid","message":"Bad Request"}]}}""")]
    [InlineData("""{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","errors":[{"domain":"global","reason":"badRequest"}],"status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""")]
    public void ReadsAnUnknownKeyAsRefusedCredentialsNamingTheKey(string body)
    {
        var failure = YouTubeClient.ReadFailure(HttpStatusCode.BadRequest, Bytes(body), DateTimeOffset.UnixEpoch);

        Assert.Equal(PollOutcome.AuthFailed, failure!.Outcome);
        Assert.Contains("HazaraMonitor:Platforms:YouTube:ApiKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeavesOtherFailuresToTheirStatus()
    {
        // 403 forbidden (no key, or the API not enabled) is refused credentials by status; 400 badRequest an HTTP error.
        Assert.Null(YouTubeClient.ReadFailure(HttpStatusCode.Forbidden, Bytes("""{"error":{"code":403,"errors":[{"domain":"global","reason":"forbidden"}]}}"""), DateTimeOffset.UnixEpoch));
        Assert.Null(YouTubeClient.ReadFailure(HttpStatusCode.BadRequest, Bytes("""{"error":{"code":400,"errors":[{"domain":"global","reason":"badRequest"}]}}"""), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void AStalePageTokenRestartsTheSweep()
    {
        var failure = YouTubeClient.ReadFailure(HttpStatusCode.BadRequest, Bytes("""{"error":{"code":400,"errors":[{"domain":"youtube.parameter","reason":"invalidPageToken"}]}}"""), DateTimeOffset.UnixEpoch);

        Assert.True(failure?.PageTokenRefused);
        Assert.Equal(PollOutcome.HttpError, failure!.Outcome);
    }
}
