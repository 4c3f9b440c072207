using System.Net;
using System.Text;
using HazaraMonitor.Worker.Platforms.Instagram;
using HazaraMonitor.Worker.Platforms.Threads;

namespace HazaraMonitor.Tests.Platforms;

/// <summary>What Instagram and Threads share from Meta's Graph API: usage headers, error codes, timestamps; and their pages as recorded on the wire.</summary>
public sealed class MetaGraphTests : IDisposable
{
    private const string Hint = "Check HazaraMonitor:Platforms:Instagram:AccessToken.";

    private static readonly TimeSpan Backoff = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 25, 14, 0, 0, TimeSpan.Zero));
    private Func<HttpResponseMessage> _answer = () => new HttpResponseMessage(HttpStatusCode.OK);
    private HttpClient? _http;

    public void Dispose() => _http?.Dispose();

    [Fact]
    public void ReadsTheHighestUsageOfBothHeadersAndTheLongestWaitToRegainAccess()
    {
        using var response = Answer(HttpStatusCode.OK, "{}",
            ("X-App-Usage", """{"call_count":28,"total_time":25,"total_cputime":41}"""),
            ("X-Business-Use-Case-Usage", """{"17841405309211844":[{"type":"instagram","call_count":67,"total_cputime":9,"total_time":12,"estimated_time_to_regain_access":0}],"other":[{"type":"pages","call_count":3,"estimated_time_to_regain_access":19}]}"""));

        var usage = GraphUsage.Read(response.Headers);

        Assert.NotNull(usage);
        Assert.Equal(67, usage.Percent);
        Assert.Equal("X-Business-Use-Case-Usage call_count", usage.Which);
        Assert.Equal(TimeSpan.FromMinutes(19), usage.RegainAccessIn);
        Assert.True(usage.Throttled, "a wait before access returns stops the polls, whatever the percentages");
        Assert.Equal(new RateLimitInfo(100, 33, _time.GetUtcNow().AddMinutes(19)), usage.AsRateLimit(_time.GetUtcNow()));
    }

    [Fact]
    public void TakesAnAppAtAHundredPercentAsThrottledAndIgnoresAHeaderThatDoesNotParse()
    {
        using var full = Answer(HttpStatusCode.OK, "{}", ("X-App-Usage", """{"call_count":100,"total_time":12,"total_cputime":12}"""));
        using var broken = Answer(HttpStatusCode.OK, "{}", ("X-App-Usage", "{\"call_count\":"), ("X-Business-Use-Case-Usage", "[1,2]"));
        using var none = Answer(HttpStatusCode.OK, "{}");

        Assert.True(GraphUsage.Read(full.Headers)!.Throttled);
        Assert.Null(GraphUsage.Read(broken.Headers));
        Assert.Null(GraphUsage.Read(none.Headers));
    }

    [Theory]
    [InlineData(190, PollOutcome.AuthFailed)]
    [InlineData(10, PollOutcome.AuthFailed)]
    [InlineData(4, PollOutcome.RateLimited)]
    [InlineData(17, PollOutcome.RateLimited)]
    [InlineData(32, PollOutcome.RateLimited)]
    [InlineData(613, PollOutcome.RateLimited)]
    [InlineData(80002, PollOutcome.RateLimited)]
    [InlineData(100, PollOutcome.HttpError)]
    public async Task ReadsAGraphErrorByItsCodeNotItsStatus(int code, PollOutcome outcome)
    {
        _answer = () => Answer(HttpStatusCode.BadRequest, $$$"""{"error":{"message":"Something (#{{{code}}})","type":"OAuthException","code":{{{code}}},"fbtrace_id":"A1"}}""");

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "ig_hashtag_search", CancellationToken.None));

        Assert.Equal(outcome, failure.Outcome);
        Assert.Equal(400, failure.StatusCode);
        Assert.Contains($"Something (#{code})", failure.Message, StringComparison.Ordinal);
        Assert.Equal(outcome == PollOutcome.AuthFailed, failure.Message.EndsWith(Hint, StringComparison.Ordinal));
        Assert.Equal(outcome == PollOutcome.RateLimited ? _time.GetUtcNow() + Backoff : null, failure.RetryAt);
    }

    [Fact]
    public async Task WaitsAsLongAsMetaEstimatesWhenAThrottleSaysHowLong()
    {
        _answer = () => Answer(HttpStatusCode.BadRequest, """{"error":{"message":"Too many calls","code":80002}}""",
            ("X-Business-Use-Case-Usage", """{"1":[{"type":"instagram","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":7}]}"""));

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "1/recent_media", CancellationToken.None));

        Assert.Equal(PollOutcome.RateLimited, failure.Outcome);
        Assert.Equal(_time.GetUtcNow().AddMinutes(7), failure.RetryAt);
    }

    [Theory]
    [InlineData("2017-08-31T18:10:00+0000", "2017-08-31T18:10:00Z")]
    [InlineData("2023-10-17T05:42:03+0430", "2023-10-17T01:12:03Z")]
    [InlineData("2023-10-17T05:42:03Z", "2023-10-17T05:42:03Z")]
    public void ReadsGraphTimestampsWithTheirColonLessOffset(string wire, string utc)
    {
        Assert.True(GraphTime.TryParse(wire, out var time));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), time);
    }

    [Fact]
    public void GivesInstagramMediaNoAuthorAndTheHashtagItWasFoundUnder()
    {
        // A recent_media page as documented: no username, like_count missing where hidden, no order.
        var page = InstagramClient.ParsePage(Encoding.UTF8.GetBytes("""
            {"data":[
              {"id":"17880997618081620","caption":"Justice #StopHazaraGenocide","media_type":"IMAGE","permalink":"https://www.instagram.com/p/x/","timestamp":"2026-05-25T13:10:00+0000","like_count":12,"comments_count":3},
              {"id":"17871000000000001","caption":"Protest today","media_type":"VIDEO","timestamp":"2026-05-25T13:50:00+0000","comments_count":0}],
             "paging":{"cursors":{"after":"QVFIUabc"},"next":"https://graph.facebook.com/v24.0/178/recent_media?after=QVFIUabc"}}
            """), "stophazaragenocide", null);

        Assert.Equal(["17880997618081620", "17871000000000001"], page.Posts.Select(p => p.Id));
        Assert.All(page.Posts, p => Assert.Equal(string.Empty, p.AuthorId));
        Assert.All(page.Posts, p => Assert.Contains("stophazaragenocide", p.Hashtags));
        Assert.Equal(new Engagement(12, 0, 3, 0), page.Posts[0].Engagement);
        Assert.Equal(0, page.Posts[1].Engagement.Likes);
        Assert.Equal(("QVFIUabc", true), (page.After, page.More));
    }

    [Fact]
    public void CallsAMediaWithoutATimestampMalformed()
    {
        var failure = Assert.Throws<PlatformRequestException>(() => InstagramClient.ParsePage(
            Encoding.UTF8.GetBytes("""{"data":[{"id":"1","caption":"#x"}],"paging":{"cursors":{"after":"A"}}}"""), "x", null));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [Fact]
    public void ReadsAThreadsPageWithItsAuthorsAndNewestTime()
    {
        var page = ThreadsClient.ParsePage(Encoding.UTF8.GetBytes("""
            {"data":[
              {"id":"18050206876707110","text":"Education is not a crime","media_type":"TEXT_POST","permalink":"https://www.threads.net/@a/post/1","timestamp":"2026-05-25T13:59:58+0000","username":"a","has_replies":false,"is_quote_post":false,"is_reply":false},
              {"id":"18050206876707100","text":"#StopHazaraGenocide now","timestamp":"2026-05-25T13:58:00+0000","username":"b"}],
             "paging":{"cursors":{"before":"B","after":"QVFI"},"next":"https://graph.threads.net/v1.0/keyword_search?after=QVFI"}}
            """), "stophazaragenocide", RateLimitInfo.None);

        Assert.Equal(["a", "b"], page.Posts.Select(p => p.AuthorId));
        Assert.All(page.Posts, p => Assert.Contains("stophazaragenocide", p.Hashtags));
        Assert.Equal(new DateTimeOffset(2026, 5, 25, 13, 59, 58, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), page.Newest);
        Assert.Equal("QVFI", page.NextPage);
    }

    [Fact]
    public void ReadsAnEmptyThreadsAnswerAsTheEndOfTheSweep()
    {
        var page = ThreadsClient.ParsePage(Encoding.UTF8.GetBytes("""{"data":[]}"""), "x", RateLimitInfo.None);

        Assert.Empty(page.Posts);
        Assert.Null(page.Newest);
        Assert.Null(page.NextPage);
    }

    private PlatformReader Reader() => MetaGraph.Reader("Instagram", _time, Backoff, Hint);

    private HttpClient Http() => _http ??= new HttpClient(new StubHandler(() => _answer())) { BaseAddress = new Uri("http://graph.test/") };

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private sealed class StubHandler(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }
}
