using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>Recent counts, one entry per bucket the API returned.</summary>
public sealed record XCounts(IReadOnlyList<(DateTimeOffset Start, long Count)> Buckets, RateLimitInfo RateLimit);

/// <summary>
/// Typed client for X API v2 recent search and recent counts. Authentication and base address are
/// set where it is registered (<see cref="XPlatform"/>); transient failures are
/// retried by the resilience pipeline there. What is left for the caller is an answer, or a
/// <see cref="PlatformRequestException"/> saying what went wrong.
/// </summary>
public sealed partial class XApiClient(HttpClient http, TimeProvider time)
{
    /// <summary>The post fields read: authors, language, engagement and hashtag entities (no expansions: users are billed per read).</summary>
    public const string TweetFields = "created_at,lang,author_id,public_metrics,entities";

    /// <summary>Largest page recent search serves.</summary>
    public const int MaxResults = 100;

    private const string Who = "X";

    /// <summary>X's answers: <c>x-rate-limit-*</c> headers with the reset in epoch seconds, two error body shapes.</summary>
    private readonly PlatformReader _reader = new(Who, time, (headers, _) => RateLimitHeaders.ReadEpochSeconds(headers, "x-rate-limit-"), Describe,
        defaultBackoff: TimeSpan.FromMinutes(1), "Check HazaraMonitor:Platforms:X:BearerToken and the app's access level.");

    /// <summary>One page of recent search from where <paramref name="cursor"/> stands.</summary>
    /// <param name="maxResults">Posts the page may hold (10-100): each is billed.</param>
    /// <returns>The page; <c>Newest</c> is <c>meta.newest_id</c>, <c>NextPage</c> <c>meta.next_token</c>.</returns>
    public Task<SweepPage> SearchRecentAsync(string query, SweepCursor cursor, CancellationToken cancellationToken, int maxResults = MaxResults)
    {
        var url = SearchUrl(query, maxResults);
        if (cursor.Since is { } sinceId)
        {
            url.Append("&since_id=").Append(sinceId);
        }
        else if (cursor.StartTime is { } start)
        {
            url.Append("&start_time=").Append(Uri.EscapeDataString(FormatTime(start)));
        }

        if (cursor.Page is { } token)
        {
            url.Append("&next_token=").Append(Uri.EscapeDataString(token));
        }

        return SearchAsync(url, cancellationToken);
    }

    /// <summary>The newest <paramref name="maxResults"/> posts of one minute: a sample of it when it holds more.</summary>
    public Task<SweepPage> SampleMinuteAsync(string query, DateTimeOffset minute, int maxResults, CancellationToken cancellationToken)
    {
        var url = SearchUrl(query, maxResults)
            .Append("&start_time=").Append(Uri.EscapeDataString(FormatTime(minute)))
            .Append("&end_time=").Append(Uri.EscapeDataString(FormatTime(minute.AddMinutes(1))));
        return SearchAsync(url, cancellationToken);
    }

    private static StringBuilder SearchUrl(string query, int maxResults) =>
        new StringBuilder("2/tweets/search/recent?query=").Append(Uri.EscapeDataString(query))
            .Append(CultureInfo.InvariantCulture, $"&max_results={maxResults}&tweet.fields={TweetFields}");

    private async Task<SweepPage> SearchAsync(StringBuilder url, CancellationToken cancellationToken)
    {
        var answer = await _reader.GetAsync(http, url.ToString(), cancellationToken);
        return ParseSearchPage(answer.Content, answer.RateLimit);
    }

    /// <summary>Maps a recent-search response body; throws a malformed-page failure when it is not one.</summary>
    internal static SweepPage ParseSearchPage(byte[] content, RateLimitInfo rateLimit)
    {
        var body = PlatformReader.Deserialize(content, XJsonContext.Default.XSearchResponse, Who, "a page");
        var tweets = body.Data ?? [];
        if (tweets.Count > 0 && body.Meta is null)
        {
            throw Malformed("search page has posts but no meta");
        }

        var posts = new List<Post>(tweets.Count);
        List<string>? refused = null;
        foreach (var tweet in tweets)
        {
            // A post without its time cannot be put in a bucket; it is refused alone, so the page's
            // other posts, its paging and its rate-limit headers still count.
            if (tweet.CreatedAt is not { } createdAt)
            {
                (refused ??= []).Add($"X post '{tweet.Id}' has no created_at");
                continue;
            }

            posts.Add(Map(tweet, createdAt));
        }

        return new SweepPage(posts, body.Meta?.NewestId, body.Meta?.NextToken, rateLimit, refused);
    }

    public async Task<XCounts> CountsRecentAsync(string query, DateTimeOffset startTime, CancellationToken cancellationToken)
    {
        var url = $"2/tweets/counts/recent?query={Uri.EscapeDataString(query)}&granularity=minute&start_time={Uri.EscapeDataString(FormatTime(startTime))}";
        var answer = await _reader.GetAsync(http, url, cancellationToken);
        var body = PlatformReader.Deserialize(answer.Content, XJsonContext.Default.XCountsResponse, Who, "a page");
        if (body.Data is null)
        {
            throw Malformed("counts response has no data");
        }

        return new XCounts([.. body.Data.Select(b => (b.Start, b.TweetCount))], answer.RateLimit);
    }

    private static Post Map(XTweet tweet, DateTimeOffset createdAt)
    {
        if (tweet.Id is null || !IdPattern().IsMatch(tweet.Id))
        {
            throw Malformed($"post id '{tweet.Id}' is not an X id");
        }

        var text = tweet.Text ?? string.Empty;
        // Entities are X's own reading of the hashtags; the text is the fallback when they are absent.
        var hashtags = tweet.Entities?.Hashtags is { Count: > 0 } entities
            ? entities.Where(e => e.Tag is not null).Select(e => HashtagNormalizer.Normalize(e.Tag)).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList()
            : HashtagNormalizer.Extract(text);
        var metrics = tweet.PublicMetrics;
        return new Post(
            XPlatform.Id,
            tweet.Id,
            tweet.AuthorId ?? string.Empty,
            createdAt,
            text,
            XLanguage.ToBcp47(tweet.Lang),
            hashtags,
            new Engagement(metrics?.LikeCount ?? 0, metrics?.RetweetCount ?? 0, metrics?.ReplyCount ?? 0, metrics?.QuoteCount ?? 0),
            $"https://x.com/i/web/status/{tweet.Id}");
    }

    /// <summary>Title and detail of either error body shape, for the log; null when the body says nothing usable.</summary>
    private static string? Describe(byte[] content)
    {
        var error = JsonSerializer.Deserialize(content, XJsonContext.Default.XErrorResponse);
        var first = error?.Errors?.FirstOrDefault();
        return error?.Detail ?? error?.Title ?? first?.Message ?? first?.Detail ?? first?.Title;
    }

    private static PlatformRequestException Malformed(string problem) => PlatformReader.Malformed(Who, "page", problem);

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]{1,19}$")]
    private static partial Regex IdPattern();
}
