using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Platforms.Bluesky;

/// <summary>
/// <c>app.bsky.feed.searchPosts</c> with <c>q</c> (the '#' query: the <c>tag</c> parameter is
/// reported broken), <c>sort=latest</c>, <c>since</c> and <c>cursor</c>. With an identifier and
/// app password it signs in first (<c>createSession</c>) and sends the session token; without,
/// the public AppView usually answers 403, which is reported as refused credentials so the poll
/// pauses instead of hammering.
/// </summary>
public sealed class BlueskySearchClient(HttpClient http, AccessTokenCache<BlueskySearchClient> session, IOptions<HazaraMonitorOptions> options, TimeProvider time)
{
    public const int Limit = 100;

    private const string Who = "Bluesky search";

    private static readonly TimeSpan DefaultBackoff = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>since</c> is matched against <c>sortAt</c>, which can be earlier than <c>indexedAt</c> (a
    /// post indexed late): each sweep reaches this far behind the last one's newest post, and the
    /// re-read posts are recognised as duplicates.
    /// </summary>
    private static readonly TimeSpan SinceOverlap = TimeSpan.FromMinutes(5);

    private BlueskyOptions Settings => options.Value.Platforms.Bluesky;

    /// <summary>True when searches are sent signed in.</summary>
    public bool SignsIn => !string.IsNullOrWhiteSpace(Settings.Identifier) && !string.IsNullOrWhiteSpace(Settings.AppPassword);

    /// <summary>One page of searchPosts (newest first) from where <paramref name="cursor"/> stands.</summary>
    /// <returns>The page; its <c>Newest</c> is the newest <c>indexedAt</c> (ISO-8601), the next sweep's <c>since</c>, and its <c>NextPage</c> searchPosts' cursor.</returns>
    public async Task<SweepPage> SearchAsync(string query, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var url = new StringBuilder("xrpc/app.bsky.feed.searchPosts?q=").Append(Uri.EscapeDataString(query))
            .Append(CultureInfo.InvariantCulture, $"&sort=latest&limit={Limit}");
        var since = cursor.Since is { } mark && DateTimeOffset.TryParse(mark, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var newest)
            ? newest - SinceOverlap
            : cursor.StartTime;
        if (since is { } from)
        {
            url.Append("&since=").Append(Uri.EscapeDataString(Format(from)));
        }

        if (cursor.Page is { } page)
        {
            url.Append("&cursor=").Append(Uri.EscapeDataString(page));
        }

        var (content, rateLimit) = await GetAsync(url.ToString(), cancellationToken);
        return ParsePage(content, rateLimit);
    }

    internal static SweepPage ParsePage(byte[] content, RateLimitInfo rateLimit)
    {
        BlueskySearchResponse body;
        try
        {
            body = JsonSerializer.Deserialize(content, BlueskyJsonContext.Default.BlueskySearchResponse) ?? throw Malformed("the body is null");
        }
        catch (JsonException e)
        {
            throw new PlatformRequestException(PollOutcome.Malformed, $"{Who} sent a page that is not valid JSON ({e.Message}).", inner: e);
        }

        var posts = new List<Post>(body.Posts?.Count ?? 0);
        DateTimeOffset? newest = null;
        foreach (var view in body.Posts ?? [])
        {
            if (view is not { Uri: { } uri, Author.Did: { } did, Record: { } record, IndexedAt: { } indexedAt })
            {
                throw Malformed($"post '{view.Uri}' lacks its uri, author, record or indexedAt");
            }

            posts.Add(BlueskyPosts.Map(uri, did, record, indexedAt, new Engagement(view.LikeCount, view.RepostCount, view.ReplyCount, view.QuoteCount)));
            newest = newest is { } n && n >= indexedAt ? n : indexedAt;
        }

        // An empty page ends the sweep even if the server sent a cursor.
        return new SweepPage(posts, newest is { } n2 ? Format(n2) : null, posts.Count == 0 ? null : body.Cursor, rateLimit);
    }

    private async Task<(byte[] Content, RateLimitInfo RateLimit)> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var response = SignsIn
            ? await session.GetAsync(http, url, "Bearer", SignInAsync, Who, cancellationToken)
            : await SendAnonymousAsync(url, cancellationToken);
        var rateLimit = RateLimitHeaders.ReadEpochSeconds(response.Headers, "RateLimit-");
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.IsSuccessStatusCode ? (content, rateLimit) : throw Failure(response.StatusCode, content, rateLimit);
    }

    private async Task<HttpResponseMessage> SendAnonymousAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await PlatformHttp.SendAsync(http, request, Who, time, cancellationToken);
    }

    /// <summary>
    /// The session token (<c>createSession</c>). Its lifetime is not in the answer; an hour keeps
    /// sign-ins far under the 30 per 5 minutes and 300 a day allowed per account.
    /// </summary>
    private async Task<(string Token, TimeSpan Lifetime)> SignInAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/com.atproto.server.createSession")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["identifier"] = Settings.Identifier!, ["password"] = Settings.AppPassword! }),
        };
        using var response = await PlatformHttp.SendAsync(http, request, Who, time, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, content, RateLimitHeaders.ReadEpochSeconds(response.Headers, "RateLimit-"));
        }

        return (Deserialize(content), TimeSpan.FromHours(1));
    }

    private static string Deserialize(byte[] content)
    {
        try
        {
            return JsonSerializer.Deserialize(content, BlueskyJsonContext.Default.BlueskyCreateSessionResponse)?.AccessJwt
                ?? throw Malformed("createSession answered without accessJwt");
        }
        catch (JsonException e)
        {
            throw new PlatformRequestException(PollOutcome.Malformed, $"{Who} sign-in answered with invalid JSON ({e.Message}).", inner: e);
        }
    }

    private PlatformRequestException Failure(HttpStatusCode status, byte[] content, RateLimitInfo rateLimit)
    {
        string? detail;
        try
        {
            var error = JsonSerializer.Deserialize(content, BlueskyJsonContext.Default.BlueskyError);
            detail = error?.Message ?? error?.Error;
        }
        catch (JsonException)
        {
            // The proxy's 403 is plain text ("Request forbidden by administrative rules."), not XRPC JSON.
            detail = content.Length is > 0 and <= 200 ? Encoding.UTF8.GetString(content) : null;
        }

        var hint = SignsIn
            ? "Check HazaraMonitor:Platforms:Bluesky:Identifier and the app password (HazaraMonitor__Platforms__Bluesky__AppPassword)."
            : "Unauthenticated search is usually refused: set HazaraMonitor:Platforms:Bluesky:Identifier and an app password (HazaraMonitor__Platforms__Bluesky__AppPassword) with SearchBaseUrl your PDS, or use Mode Jetstream.";
        return PlatformFailures.FromStatus(status, Who, detail, rateLimit.Reset ?? time.GetUtcNow() + DefaultBackoff, hint);
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static PlatformRequestException Malformed(string what) =>
        new(PollOutcome.Malformed, $"{Who} sent a malformed page: {what}.");
}
