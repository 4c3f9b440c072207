using System.Text;
using System.Text.Json;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>
/// <c>app.bsky.feed.searchPosts</c> with <c>q</c> (the '#' query: the <c>tag</c> parameter is
/// reported broken), <c>sort=latest</c>, <c>since</c> and <c>cursor</c>. With an identifier and
/// app password it signs in first (<c>createSession</c>) and sends the session token; without,
/// the public AppView usually answers 403, which is reported as refused credentials so the poll
/// pauses instead of hammering.
/// </summary>
public sealed class BlueskySearchClient(HttpClient http, AccessTokenCache<BlueskySearchClient> session, IOptions<BlueskyOptions> options, TimeProvider time)
{
    public const int Limit = 100;

    private const string Who = "Bluesky search";

    /// <summary>
    /// <c>since</c> is matched against <c>sortAt</c>, which can be earlier than <c>indexedAt</c> (a
    /// post indexed late): each sweep reaches this far behind the last one's newest post, and the
    /// re-read posts are recognised as duplicates.
    /// </summary>
    private static readonly TimeSpan SinceOverlap = TimeSpan.FromMinutes(5);

    /// <summary>XRPC answers: <c>RateLimit-*</c> headers with the reset in epoch seconds, errors as <c>{"error", "message"}</c>.</summary>
    private readonly PlatformReader _reader = new(Who, time, (headers, _) => RateLimitHeaders.ReadEpochSeconds(headers, "RateLimit-"), Describe,
        defaultBackoff: TimeSpan.FromMinutes(5), AuthHint(options.Value));

    private BlueskyOptions Settings => options.Value;

    /// <summary>True when searches are sent signed in.</summary>
    public bool SignsIn => SignsInWith(Settings);

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

        var answer = SignsIn
            ? await session.GetAsync(_reader, http, url.ToString(), "Bearer", SignInAsync, cancellationToken)
            : await _reader.GetAsync(http, url.ToString(), cancellationToken);
        return ParsePage(answer.Content, answer.RateLimit);
    }

    internal static SweepPage ParsePage(byte[] content, RateLimitInfo rateLimit)
    {
        var body = PlatformReader.Deserialize(content, BlueskyJsonContext.Default.BlueskySearchResponse, Who, "a page");
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
        var answer = await _reader.SendAsync(http, request, cancellationToken);
        var created = PlatformReader.Deserialize(answer.Content, BlueskyJsonContext.Default.BlueskyCreateSessionResponse, Who, "a sign-in answer");
        return (created.AccessJwt ?? throw Malformed("createSession answered without accessJwt"), TimeSpan.FromHours(1));
    }

    private static bool SignsInWith(BlueskyOptions settings) =>
        !string.IsNullOrWhiteSpace(settings.Identifier) && !string.IsNullOrWhiteSpace(settings.AppPassword);

    /// <summary>What to check when search is refused: the account when signed in; without one, that anonymous search is usually refused.</summary>
    private static string AuthHint(BlueskyOptions settings) => SignsInWith(settings)
        ? "Check HazaraMonitor:Platforms:Bluesky:Identifier and the app password (HazaraMonitor__Platforms__Bluesky__AppPassword)."
        : "Unauthenticated search is usually refused: set HazaraMonitor:Platforms:Bluesky:Identifier and an app password (HazaraMonitor__Platforms__Bluesky__AppPassword) with SearchBaseUrl your PDS, or use Mode Jetstream.";

    /// <summary>The XRPC error's message; the proxy's 403 is plain text ("Request forbidden by administrative rules."), quoted as it is.</summary>
    private static string? Describe(byte[] content)
    {
        try
        {
            var error = JsonSerializer.Deserialize(content, BlueskyJsonContext.Default.BlueskyError);
            return error?.Message ?? error?.Error;
        }
        catch (JsonException)
        {
            return content.Length is > 0 and <= 200 ? Encoding.UTF8.GetString(content) : null;
        }
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static PlatformRequestException Malformed(string problem) => PlatformReader.Malformed(Who, "page", problem);
}
