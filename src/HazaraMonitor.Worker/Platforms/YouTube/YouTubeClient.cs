using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.YouTube;

/// <summary>
/// YouTube Data API v3: <c>search.list</c> (<c>type=video</c>, <c>order=date</c>, <c>publishedAfter</c>,
/// <c>pageToken</c>; 100 quota units a page) for the videos, then one <c>videos.list</c>
/// (<c>part=snippet,statistics</c>, up to 50 ids, 1 unit) for their whole descriptions, languages and
/// counts. The API key travels in the <c>X-Goog-Api-Key</c> header (set where the client is
/// registered), so no request URL carries it. A 403 <c>quotaExceeded</c> is a rate limit until the
/// daily reset at midnight Pacific time; a refused key is refused credentials.
/// </summary>
public sealed partial class YouTubeClient(HttpClient http, IOptions<YouTubeOptions> options, TimeProvider time)
{
    /// <summary>Largest page search.list serves, and most ids videos.list takes.</summary>
    public const int MaxResults = 50;

    private const string Who = "YouTube";

    private const string AuthHint = "Check HazaraMonitor:Platforms:YouTube:ApiKey (HazaraMonitor__Platforms__YouTube__ApiKey) and that its project has the YouTube Data API v3 enabled.";

    /// <summary>A short-term limit (<c>rateLimitExceeded</c>) says no reset: a minute away.</summary>
    private static readonly TimeSpan ShortBackoff = TimeSpan.FromMinutes(1);

    /// <summary>Google's answers: no rate-limit headers (the limit is the daily quota), errors as <c>{"error": {code, message, errors[], details[]}}</c>.</summary>
    private readonly PlatformReader _reader = new(Who, time, (_, _) => RateLimitInfo.None, Describe, ShortBackoff, AuthHint,
        (status, content, _) => ReadFailure(status, content, time.GetUtcNow()));

    /// <summary>One search page from where <paramref name="cursor"/> stands, with its videos' statistics.</summary>
    /// <returns>The page; <c>Newest</c> is the newest <c>publishedAt</c> seen (the next sweep starts <see cref="YouTubeOptions.IndexLag"/> before it), <c>NextPage</c> the <c>nextPageToken</c>.</returns>
    public async Task<SweepPage> SearchAsync(string query, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var url = new StringBuilder("youtube/v3/search?part=snippet&type=video&order=date")
            .Append(CultureInfo.InvariantCulture, $"&maxResults={MaxResults}&q=").Append(Uri.EscapeDataString(query));
        var since = Since(cursor) is { } newest ? newest - options.Value.IndexLag : cursor.StartTime;
        if (since is { } after)
        {
            url.Append("&publishedAfter=").Append(Uri.EscapeDataString(Format(after)));
        }

        if (cursor.Page is { } token)
        {
            url.Append("&pageToken=").Append(Uri.EscapeDataString(token));
        }

        var search = await _reader.GetAsync(http, url.ToString(), cancellationToken);
        var page = ParseSearchPage(search.Content);
        var videos = new Dictionary<string, YouTubeVideo>(StringComparer.Ordinal);
        if (page.Results.Count > 0)
        {
            var ids = string.Join(',', page.Results.Select(r => r.Id!.VideoId));
            var statistics = await _reader.GetAsync(http, $"youtube/v3/videos?part=snippet,statistics&id={Uri.EscapeDataString(ids)}&maxResults={MaxResults}", cancellationToken);
            videos = ParseVideos(statistics.Content);
        }

        var posts = page.Results.Select(r => Map(r, videos.GetValueOrDefault(r.Id!.VideoId!))).ToList();
        // Never behind the last sweep's mark: the lag re-reads older videos, which must not move it back.
        var latest = Since(cursor);
        foreach (var post in posts)
        {
            latest = latest is { } l && l >= post.CreatedAt ? l : post.CreatedAt;
        }

        // An empty page ends the sweep even if a token came with it.
        return new SweepPage(posts, latest is { } mark ? Format(mark) : null, posts.Count == 0 && page.Refused.Count == 0 ? null : page.NextPageToken, RateLimitInfo.None, page.Refused);
    }

    /// <summary>A search page: its readable video results, the problems of the ones refused, and the next page's token.</summary>
    internal sealed record SearchPage(IReadOnlyList<YouTubeSearchResult> Results, IReadOnlyList<string> Refused, string? NextPageToken);

    /// <summary>Reads a search.list body; a result without its video id or time is refused alone, a body that is not a search list is malformed.</summary>
    internal static SearchPage ParseSearchPage(byte[] content)
    {
        var body = PlatformReader.Deserialize(content, YouTubeJsonContext.Default.YouTubeSearchResponse, Who, "a page");
        if (body.Kind != "youtube#searchListResponse")
        {
            throw Malformed($"kind is '{body.Kind}', not youtube#searchListResponse");
        }

        var results = new List<YouTubeSearchResult>(body.Items?.Count ?? 0);
        var refused = new List<string>();
        foreach (var item in body.Items ?? [])
        {
            if (item is not { Id.VideoId: { } id, Snippet.PublishedAt: not null } || !VideoIdPattern().IsMatch(id))
            {
                refused.Add($"YouTube search result '{item.Id?.VideoId}' lacks a video id or publishedAt");
                continue;
            }

            results.Add(item);
        }

        return new SearchPage(results, refused, body.NextPageToken);
    }

    /// <summary>Reads a videos.list body: the videos it has, by id (a video deleted since the search is missing).</summary>
    internal static Dictionary<string, YouTubeVideo> ParseVideos(byte[] content)
    {
        var body = PlatformReader.Deserialize(content, YouTubeJsonContext.Default.YouTubeVideoListResponse, Who, "a video list");
        if (body.Kind != "youtube#videoListResponse")
        {
            throw Malformed($"kind is '{body.Kind}', not youtube#videoListResponse");
        }

        var videos = new Dictionary<string, YouTubeVideo>(StringComparer.Ordinal);
        foreach (var video in body.Items ?? [])
        {
            if (video.Id is { } id)
            {
                videos[id] = video;
            }
        }

        return videos;
    }

    /// <summary>
    /// A search result as a post: id the video id, author the channel id, hashtags from the title and
    /// the whole description (videos.list; the search snippet's is cut short), the language the
    /// uploader gave the text or else the audio, likes and comments (counts arrive as strings).
    /// </summary>
    internal static Post Map(YouTubeSearchResult result, YouTubeVideo? video)
    {
        var snippet = video?.Snippet ?? result.Snippet!;
        var text = $"{snippet.Title ?? result.Snippet!.Title}\n{snippet.Description ?? result.Snippet!.Description}";
        var statistics = video?.Statistics;
        return new Post(
            YouTubePlatform.Id,
            result.Id!.VideoId!,
            result.Snippet!.ChannelId ?? snippet.ChannelId ?? string.Empty,
            result.Snippet.PublishedAt!.Value,
            text,
            video?.Snippet?.DefaultLanguage ?? video?.Snippet?.DefaultAudioLanguage,
            HashtagNormalizer.Extract(text),
            new Engagement(Count(statistics?.LikeCount), 0, Count(statistics?.CommentCount), 0),
            $"https://www.youtube.com/watch?v={result.Id.VideoId}");
    }

    /// <summary>
    /// Google's error reasons that say more than the status: a spent daily quota (403
    /// <c>quotaExceeded</c>) waits for midnight Pacific time, a short-term limit a minute, and a key
    /// Google does not know (400 <c>keyInvalid</c>, <c>API_KEY_INVALID</c>) is refused credentials,
    /// and a page token it no longer accepts (400 <c>invalidPageToken</c>) restarts the sweep. Anything else is read by status (403 refused credentials, 5xx retried).
    /// </summary>
    internal static PlatformRequestException? ReadFailure(HttpStatusCode status, byte[] content, DateTimeOffset now)
    {
        if (JsonSerializer.Deserialize(content, YouTubeJsonContext.Default.YouTubeErrorResponse)?.Error is not { } error)
        {
            return null;
        }

        var code = (int)status;
        var reasons = (error.Errors ?? []).Concat(error.Details ?? []).Select(e => e.Reason).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (reasons.Contains("quotaExceeded") || reasons.Contains("dailyLimitExceeded"))
        {
            var reset = YouTubeQuota.NextReset(now);
            return new PlatformRequestException(PollOutcome.RateLimited,
                $"{Who}'s daily quota is spent ({code} quotaExceeded): polls pause until it resets at midnight Pacific time, {reset:yyyy-MM-dd HH:mm} UTC.", reset, code);
        }

        if (reasons.Contains("rateLimitExceeded") || reasons.Contains("userRateLimitExceeded") || reasons.Contains("RATE_LIMIT_EXCEEDED"))
        {
            return new PlatformRequestException(PollOutcome.RateLimited, $"{Who} rate limit reached ({code} rateLimitExceeded).", now + ShortBackoff, code);
        }

        if (reasons.Contains("invalidPageToken"))
        {
            return new PlatformRequestException(PollOutcome.HttpError, $"{Who} no longer accepts the sweep's page token ({code} invalidPageToken).", statusCode: code) { PageTokenRefused = true };
        }

        if (reasons.Contains("keyInvalid") || reasons.Contains("keyExpired") || reasons.Contains("API_KEY_INVALID") || reasons.Contains("API_KEY_EXPIRED"))
        {
            return new PlatformRequestException(PollOutcome.AuthFailed, $"{Who} refused the API key ({code} keyInvalid). {AuthHint}", statusCode: code);
        }

        return null;
    }

    private static DateTimeOffset? Since(SweepCursor cursor) =>
        cursor.Since is { } mark && DateTimeOffset.TryParse(mark, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var newest) ? newest : null;

    private static long Count(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;

    private static string? Describe(byte[] content) =>
        JsonSerializer.Deserialize(content, YouTubeJsonContext.Default.YouTubeErrorResponse)?.Error?.Message;

    /// <summary>RFC 3339, as publishedAfter takes it.</summary>
    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static PlatformRequestException Malformed(string problem) => PlatformReader.Malformed(Who, "page", problem);

    /// <summary>Video ids: 11 characters of base64url.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{11}$")]
    private static partial Regex VideoIdPattern();
}
