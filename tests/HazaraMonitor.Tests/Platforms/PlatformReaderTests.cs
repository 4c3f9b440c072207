using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HazaraMonitor.Tests.Platforms;

/// <summary>The answer handling every platform client shares, over a stub handler: statuses, error bodies, transport failures, JSON.</summary>
public sealed class PlatformReaderTests : IDisposable
{
    private const string Hint = "Check HazaraMonitor:Platforms:Test:Token.";

    private static readonly TimeSpan Backoff = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 25, 14, 0, 0, TimeSpan.Zero));
    private readonly List<string?> _sentTokens = [];
    private Func<HttpRequestMessage, HttpResponseMessage> _answer = _ => new HttpResponseMessage(HttpStatusCode.OK);
    private HttpClient? _http;

    public void Dispose() => _http?.Dispose();

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task ReportsRefusedCredentialsWithTheBodysDetailAndTheHint(HttpStatusCode status)
    {
        _answer = _ => Answer(status, """{"message":"Token revoked"}""");

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));

        Assert.Equal(PollOutcome.AuthFailed, failure.Outcome);
        Assert.Equal((int)status, failure.StatusCode);
        Assert.Equal($"Test refused the request ({(int)status}: Token revoked). {Hint}", failure.Message);
        Assert.Null(failure.RetryAt);
    }

    [Fact]
    public async Task WaitsForTheReportedResetAfterA429OrElseTheDefaultBackoff()
    {
        var reset = _time.GetUtcNow().AddSeconds(90);
        _answer = _ => Answer(HttpStatusCode.TooManyRequests, "{}", ("x-rate-limit-reset", reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var reported = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));
        _answer = _ => Answer(HttpStatusCode.TooManyRequests, "{}");
        var unreported = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));

        Assert.Equal(PollOutcome.RateLimited, reported.Outcome);
        Assert.Equal(reset, reported.RetryAt);
        Assert.Equal(_time.GetUtcNow() + Backoff, unreported.RetryAt);
        Assert.Equal("Test rate limit reached (429).", unreported.Message);
    }

    [Fact]
    public async Task QuotesAtMost200CharactersOfAnErrorBody()
    {
        _answer = _ => Answer(HttpStatusCode.InternalServerError, $$"""{"message":"{{new string('x', 300)}}"}""");

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));

        Assert.Equal(PollOutcome.HttpError, failure.Outcome);
        Assert.Equal($"Test answered 500: {new string('x', 200)}.", failure.Message);
    }

    [Fact]
    public async Task SaysOnlyTheStatusWhenTheErrorBodyIsNotJson()
    {
        _answer = _ => Answer(HttpStatusCode.BadGateway, "<html><body>Bad gateway</body></html>");

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));

        Assert.Equal("Test answered 502.", failure.Message);
    }

    [Fact]
    public async Task HandsBackAFailureStatusOnlyToACallerThatHandlesIt()
    {
        _answer = _ => Answer(HttpStatusCode.NotFound, """{"message":"Record not found"}""");

        var handled = await Reader().GetAsync(Http(), "tags/unknown", null, HttpStatusCode.NotFound, CancellationToken.None);
        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "tags/unknown", CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, handled.Status);
        Assert.Equal(PollOutcome.HttpError, failure.Outcome);
        Assert.Equal(404, failure.StatusCode);
    }

    [Fact]
    public async Task NamesThePlatformWhenItCannotBeReachedOrDoesNotAnswerInTime()
    {
        _answer = _ => throw new HttpRequestException(HttpRequestError.NameResolutionError);
        var unreachable = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));
        _answer = _ => throw new TaskCanceledException();
        var timeout = await Assert.ThrowsAsync<PlatformRequestException>(() => Reader().GetAsync(Http(), "search", CancellationToken.None));

        Assert.Equal(PollOutcome.HttpError, unreachable.Outcome);
        Assert.Equal("Test could not be reached: NameResolutionError.", unreachable.Message);
        Assert.Equal(PollOutcome.Timeout, timeout.Outcome);
        Assert.Equal("Test did not answer in time.", timeout.Message);
    }

    [Theory]
    [InlineData("""{"message":""", "Test sent a page that is not valid JSON (")]
    [InlineData("null", "Test sent a page that is null.")]
    public void CallsABodyThatIsNotTheJsonExpectedMalformed(string body, string message)
    {
        var failure = Assert.Throws<PlatformRequestException>(() =>
            PlatformReader.Deserialize(Encoding.UTF8.GetBytes(body), TestJsonContext.Default.TestError, "Test", "a page"));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.StartsWith(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewsATokenThePlatformRejectsAndSendsOnceMore()
    {
        using var tokens = new AccessTokenCache<PlatformReaderTests>(_time);
        var issued = 0;
        _answer = request => Answer(request.Headers.Authorization?.Parameter == "token-2" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, "{}");

        var answer = await tokens.GetAsync(Reader(), Http(), "search", "Bearer", _ => Task.FromResult(($"token-{++issued}", TimeSpan.FromHours(1))), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["token-1", "token-2"], _sentTokens);
    }

    [Fact]
    public async Task ReportsASecondRejectionAsRefusedCredentialsWithoutTheToken()
    {
        using var tokens = new AccessTokenCache<PlatformReaderTests>(_time);
        var issued = 0;
        _answer = _ => Answer(HttpStatusCode.Unauthorized, "{}");

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() =>
            tokens.GetAsync(Reader(), Http(), "search", "Bearer", _ => Task.FromResult(($"secret-token-{++issued}", TimeSpan.FromHours(1))), CancellationToken.None));

        Assert.Equal(PollOutcome.AuthFailed, failure.Outcome);
        Assert.Equal(2, _sentTokens.Count);
        Assert.DoesNotContain("secret-token", failure.ToString(), StringComparison.Ordinal);
    }

    private PlatformReader Reader() =>
        new("Test", _time, (headers, _) => RateLimitHeaders.ReadEpochSeconds(headers, "x-rate-limit-"),
            content => JsonDocument.Parse(content).RootElement.TryGetProperty("message", out var message) ? message.GetString() : null, Backoff, Hint);

    private HttpClient Http() => _http ??= new HttpClient(new StubHandler(request =>
    {
        _sentTokens.Add(request.Headers.Authorization?.Parameter);
        return _answer(request);
    }))
    {
        BaseAddress = new Uri("http://platform.test/"),
    };

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.Add(name, value);
        }

        return response;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}

internal sealed class TestError
{
    [JsonPropertyName("message")] public string? Message { get; init; }
}

[JsonSerializable(typeof(TestError))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
