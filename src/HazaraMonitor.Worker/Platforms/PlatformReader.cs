using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>An answer a client reads: its status, body and headers, and the rate-limit window it reported.</summary>
public sealed record PlatformResponse(HttpStatusCode Status, byte[] Content, HttpResponseHeaders Headers, RateLimitInfo RateLimit);

/// <summary>
/// Sends platform requests and reads the answers the same way for every client: a transport failure,
/// refused credentials, a rate limit or another failure status becomes a
/// <see cref="PlatformRequestException"/> with the same outcome and message shape on every platform,
/// and a body that is not the JSON expected becomes a malformed-page failure. What differs between
/// platforms is given here; paging, contracts and quirks stay in each client.
/// </summary>
/// <param name="who">How messages name the platform: "X", an instance's host.</param>
/// <param name="rateLimit">Reads the platform's rate-limit headers; the time now is given for resets counted in seconds from now.</param>
/// <param name="errorDetail">What an error body says, for the message (never a credential), or null. A body that is not JSON (proxies answer some errors in HTML) says nothing: the status says enough.</param>
/// <param name="defaultBackoff">How long to stay away after a 429 that carried no reset.</param>
/// <param name="authHint">What to check when credentials are refused, naming the configuration key.</param>
/// <param name="failure">
/// The platform's own reading of a failure answer, before the shared one, where its status says less
/// than its body (YouTube's 403 is a spent daily quota or refused credentials depending on the reason;
/// TikTok's 429 says whether the day's quota or the minute's rate is spent; Meta's Graph API answers
/// refused tokens and rate limits alike with 400 and an error code); given the status, the body and the
/// rate-limit window the answer reported. Null, a null answer or a body that is not JSON leaves the
/// status to the shared reading.
/// </param>
public sealed class PlatformReader(
    string who, TimeProvider time, Func<HttpResponseHeaders, DateTimeOffset, RateLimitInfo> rateLimit, Func<byte[], string?> errorDetail, TimeSpan defaultBackoff, string authHint,
    Func<HttpStatusCode, byte[], RateLimitInfo, PlatformRequestException?>? failure = null)
{
    /// <summary>Longest part of an error body a message quotes.</summary>
    private const int DetailLength = 200;

    /// <summary>GETs <paramref name="url"/> (absolute, or relative to the client's base address); any status other than 2xx is a failure.</summary>
    public Task<PlatformResponse> GetAsync(HttpClient http, string url, CancellationToken cancellationToken) =>
        GetAsync(http, url, null, null, cancellationToken);

    /// <param name="authorization">The request's own credentials (an instance's token, a session), when the client has no default ones.</param>
    /// <param name="alsoAccept">A failure status the caller handles itself: Mastodon's 404 for a tag an instance has never seen, the 401 that renews a token.</param>
    public async Task<PlatformResponse> GetAsync(HttpClient http, string url, AuthenticationHeaderValue? authorization, HttpStatusCode? alsoAccept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        return await SendAsync(http, request, alsoAccept, cancellationToken);
    }

    /// <summary>Sends <paramref name="request"/> (a sign-in, a token request); any status other than 2xx is a failure.</summary>
    public Task<PlatformResponse> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(http, request, null, cancellationToken);

    /// <summary>
    /// Deserializes a body the platform sent as <paramref name="what"/> ("a page", "a timeline"): JSON
    /// that does not parse, or a bare <c>null</c>, is a malformed-page failure naming the platform.
    /// </summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> content, JsonTypeInfo<T> type, string who, string what)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(content, type);
        }
        catch (JsonException e)
        {
            throw new PlatformRequestException(PollOutcome.Malformed, $"{who} sent {what} that is not valid JSON ({e.Message}).", inner: e);
        }

        return value ?? throw new PlatformRequestException(PollOutcome.Malformed, $"{who} sent {what} that is null.");
    }

    /// <summary>A body that parsed but is not what the platform documents: "X sent a malformed page: {problem}."</summary>
    /// <param name="noun">What was read: "page", "timeline", "listing".</param>
    public static PlatformRequestException Malformed(string who, string noun, string problem) =>
        new(PollOutcome.Malformed, $"{who} sent a malformed {noun}: {problem}.");

    /// <summary>Sends <paramref name="request"/>; any status other than 2xx and <paramref name="alsoAccept"/> is a failure.</summary>
    /// <param name="alsoAccept">A failure status the caller handles itself: the 401 that renews a token, the 400 a token endpoint refuses credentials with.</param>
    public async Task<PlatformResponse> SendAsync(HttpClient http, HttpRequestMessage request, HttpStatusCode? alsoAccept, CancellationToken cancellationToken)
    {
        using var response = await TransportAsync(http, request, cancellationToken);
        var limit = rateLimit(response.Headers, time.GetUtcNow());
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != alsoAccept)
        {
            throw Failure(response.StatusCode, content, limit);
        }

        return new PlatformResponse(response.StatusCode, content, response.Headers, limit);
    }

    /// <summary>Sends; a timeout, an open circuit or a connection that failed becomes a failure naming the platform.</summary>
    private async Task<HttpResponseMessage> TransportAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutRejectedException or TaskCanceledException)
        {
            throw new PlatformRequestException(PollOutcome.Timeout, $"{who} did not answer in time.", inner: e);
        }
        catch (BrokenCircuitException e)
        {
            throw new PlatformRequestException(PollOutcome.HttpError, $"Calls to {who} are paused after repeated failures (circuit open).", e.RetryAfter is { } after ? time.GetUtcNow() + after : null, inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new PlatformRequestException(PollOutcome.HttpError, $"{who} could not be reached: {e.HttpRequestError}.", inner: e);
        }
    }

    /// <summary>401 and 403 are refused credentials (with the hint), 429 a rate limit until the reported reset or the default backoff, anything else an HTTP error.</summary>
    private PlatformRequestException Failure(HttpStatusCode status, byte[] content, RateLimitInfo limit)
    {
        if (Own(status, content, limit) is { } own)
        {
            return own;
        }

        var code = (int)status;
        var detail = Detail(content);
        var suffix = string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + (detail.Length > DetailLength ? detail[..DetailLength] : detail).Trim();
        return status switch
        {
            HttpStatusCode.TooManyRequests => new PlatformRequestException(PollOutcome.RateLimited, $"{who} rate limit reached (429{suffix}).", limit.Reset ?? time.GetUtcNow() + defaultBackoff, code),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PlatformRequestException(PollOutcome.AuthFailed, $"{who} refused the request ({code}{suffix}). {authHint}", statusCode: code),
            _ => new PlatformRequestException(PollOutcome.HttpError, $"{who} answered {code}{suffix}.", statusCode: code),
        };
    }

    /// <summary>The platform's own reading of the failure; a body that is not JSON leaves it to the shared one.</summary>
    private PlatformRequestException? Own(HttpStatusCode status, byte[] content, RateLimitInfo limit)
    {
        try
        {
            return failure?.Invoke(status, content, limit);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? Detail(byte[] content)
    {
        try
        {
            return errorDetail(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
