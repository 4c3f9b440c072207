using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.Reddit;

/// <summary>
/// Reddit search (<c>GET /search?sort=new</c>) with an app-only OAuth token (<c>client_credentials</c>),
/// the descriptive User-Agent Reddit asks for, and <c>X-Ratelimit-*</c> read as seconds until reset.
/// </summary>
public sealed class RedditClient(HttpClient http, AccessTokenCache<RedditClient> tokens, IOptions<RedditOptions> options, TimeProvider time)
{
    public const int Limit = 100;

    private const string Who = "Reddit";

    private const string AuthHint = "Check HazaraMonitor:Platforms:Reddit:ClientId and the secret (HazaraMonitor__Platforms__Reddit__ClientSecret).";

    /// <summary>Reddit's answers: <c>X-Ratelimit-*</c> headers with the reset in seconds from now, errors as <c>{"message", "error"}</c>.</summary>
    private readonly PlatformReader _reader = new(Who, time, (headers, now) => RateLimitHeaders.ReadSecondsUntilReset(headers, "X-Ratelimit-", now),
        content => JsonSerializer.Deserialize(content, RedditJsonContext.Default.RedditListing)?.Message, defaultBackoff: TimeSpan.FromMinutes(1), AuthHint);

    private RedditOptions Settings => options.Value;

    /// <summary>The page after <paramref name="cursor"/>'s position; the sweep stops at its <c>Since</c> fullname or start time.</summary>
    /// <returns>Posts newer than that boundary; <c>Newest</c> is the fullname of the page's newest post (the next sweep's boundary), <c>NextPage</c> the listing's <c>after</c>, null when the boundary or the listing's end was reached.</returns>
    public async Task<SweepPage> SearchAsync(string query, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var url = new StringBuilder("search?q=").Append(Uri.EscapeDataString(query))
            .Append(CultureInfo.InvariantCulture, $"&sort=new&type=link&limit={Limit}&raw_json=1");
        if (cursor.Page is { } after)
        {
            url.Append("&after=").Append(Uri.EscapeDataString(after));
        }

        var answer = await tokens.GetAsync(_reader, http, url.ToString(), "bearer", FetchTokenAsync, cancellationToken);
        return ParsePage(answer.Content, cursor, answer.RateLimit);
    }

    internal static SweepPage ParsePage(byte[] content, SweepCursor cursor, RateLimitInfo rateLimit)
    {
        var listing = PlatformReader.Deserialize(content, RedditJsonContext.Default.RedditListing, Who, "a listing");
        if (listing.Error is { } error)
        {
            // Reddit sometimes answers a rate limit with HTTP 200 and an error body.
            throw error == 429
                ? new PlatformRequestException(PollOutcome.RateLimited, $"{Who} rate limit reached (429 in the body).", rateLimit.Reset, error)
                : new PlatformRequestException(PollOutcome.HttpError, $"{Who} answered error {error}: {listing.Message}.", statusCode: error);
        }

        if (listing is not { Kind: "Listing", Data: { } data })
        {
            throw Malformed("the body is not a Listing");
        }

        var posts = new List<Post>();
        var reachedBoundary = false;
        foreach (var thing in data.Children ?? [])
        {
            if (thing is not { Kind: "t3", Data: { Name: { } name, CreatedUtc: { } created } link })
            {
                throw Malformed($"an item lacks its kind, name or created_utc");
            }

            var createdAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(created * 1000));
            if (cursor.Since is { } since ? !IsNewer(name, since) : cursor.StartTime is { } start && createdAt < start)
            {
                reachedBoundary = true;
                continue;
            }

            var text = string.IsNullOrEmpty(link.Selftext) ? link.Title ?? string.Empty : $"{link.Title}\n{link.Selftext}";
            posts.Add(new Post(RedditPlatform.Id, name, link.Author ?? string.Empty, createdAt, text, null, HashtagNormalizer.Extract(text),
                new Engagement(link.Ups, link.NumCrossposts, link.NumComments, 0), $"https://www.reddit.com/comments/{name["t3_".Length..]}"));
        }

        var newest = data.Children is [{ Data.Name: { } first }, ..] ? first : null;
        return new SweepPage(posts, newest, reachedBoundary ? null : data.After, rateLimit);
    }

    /// <summary>Fullnames carry base-36 ids that grow with time: longer is newer, then ordinal order.</summary>
    internal static bool IsNewer(string fullname, string than) =>
        fullname.Length != than.Length ? fullname.Length > than.Length : string.CompareOrdinal(fullname, than) > 0;

    /// <summary>App-only OAuth: HTTP Basic with the client id and secret, <c>grant_type=client_credentials</c>.</summary>
    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Settings.TokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Settings.ClientId}:{Settings.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        var answer = await _reader.SendAsync(http, request, cancellationToken);
        var token = PlatformReader.Deserialize(answer.Content, RedditJsonContext.Default.RedditToken, Who, "a token");
        return token is { AccessToken: { Length: > 0 } value }
            ? (value, TimeSpan.FromSeconds(token.ExpiresIn ?? 3600))
            // Wrong credentials can come back as 200 {"error": "invalid_grant"}.
            : throw new PlatformRequestException(PollOutcome.AuthFailed, $"{Who} gave no access token. {AuthHint}");
    }

    private static PlatformRequestException Malformed(string problem) => PlatformReader.Malformed(Who, "listing", problem);
}
