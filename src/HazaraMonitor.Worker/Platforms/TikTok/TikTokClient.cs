using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>One page of a Research API video search.</summary>
/// <param name="Posts">The videos as posts (all of them: the job filters by creation time).</param>
/// <param name="Returned">Videos the page held, as the daily record quota counts them.</param>
/// <param name="Refused">One problem for each video without an id or a creation time: not counted, the rest of the page is.</param>
/// <param name="HasMore">Whether the search has more pages.</param>
/// <param name="Next">The next page's <c>cursor</c>.</param>
/// <param name="SearchId">The search to resume with the next page.</param>
public sealed record TikTokPage(IReadOnlyList<Post> Posts, int Returned, IReadOnlyList<string> Refused, bool HasMore, int? Next, string? SearchId);

/// <summary>
/// TikTok's Research API video query (<c>POST /v2/research/video/query/</c>) for a campaign's hashtags
/// (<c>hashtag_name IN [...]</c>, without '#'), with a client access token (<c>client_credentials</c>,
/// two hours) kept in the shared token cache. Errors come as <c>{"error": {"code": ...}}</c>; a 429
/// <c>daily_quota_limit_exceeded</c> waits for the next UTC day, any other 429 for <c>RateLimitBackoff</c>.
/// </summary>
public sealed class TikTokClient(HttpClient http, AccessTokenCache<TikTokClient> tokens, IOptions<TikTokOptions> options, TimeProvider time)
{
    /// <summary>The most videos a page holds.</summary>
    public const int MaxCount = 100;

    /// <summary>The fields asked for: what the mapping to <see cref="Post"/> reads, and the counts.</summary>
    public const string Fields = "id,video_description,create_time,region_code,share_count,view_count,like_count,comment_count,hashtag_names,username";

    /// <summary>The error code of a 429 that means the day's quota, not the minute's rate, is spent (observed; the reference documents only <c>rate_limit_exceeded</c>).</summary>
    public const string DailyQuotaCode = "daily_quota_limit_exceeded";

    private const string Who = "TikTok";

    private const string AuthHint = "Check HazaraMonitor:Platforms:TikTok:ClientKey and the secret (HazaraMonitor__Platforms__TikTok__ClientSecret); the Research API serves approved research projects only.";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>No rate-limit headers (the limits are the daily quota and a per-minute rate); a 429 says in its body which one was reached.</summary>
    private readonly PlatformReader _reader = new(Who, time, (_, _) => RateLimitInfo.None, ErrorDetail, options.Value.RateLimitBackoff, AuthHint,
        (status, content, _) => status == HttpStatusCode.TooManyRequests && ErrorCode(content) == DailyQuotaCode ? DailySpent(time.GetUtcNow()) : null);

    private TikTokOptions Settings => options.Value;

    /// <summary>The next page of the search for <paramref name="hashtags"/> over <paramref name="days"/> (UTC, end included).</summary>
    /// <param name="searchId">The search to resume, or null for a new one.</param>
    /// <param name="next">The index of its next video, or null for a new search.</param>
    /// <param name="maxCount">Videos wanted: a full page, or what the day's record quota still allows.</param>
    public async Task<TikTokPage> QueryAsync(
        IReadOnlyList<string> hashtags, (DateOnly Start, DateOnly End) days, string? searchId, int? next, int maxCount, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new TikTokQueryRequest
        {
            Query = new TikTokQuery
            {
                And = [new TikTokCondition { Operation = "IN", FieldName = "hashtag_name", FieldValues = hashtags }],
            },
            StartDate = days.Start.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            EndDate = days.End.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            MaxCount = maxCount,
            Cursor = searchId is null ? null : next,
            SearchId = searchId,
        }, TikTokJsonContext.Default.TikTokQueryRequest);

        var answer = await tokens.SendAsync(_reader, http, () => new HttpRequestMessage(HttpMethod.Post, "v2/research/video/query/?fields=" + Fields)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        }, "Bearer", FetchTokenAsync, cancellationToken);
        return ParsePage(answer.Content, next ?? 0);
    }

    /// <summary>Reads a page; <paramref name="sent"/> is the cursor it was asked for (a next cursor not past it would never end the search).</summary>
    internal static TikTokPage ParsePage(byte[] content, int sent)
    {
        var response = PlatformReader.Deserialize(content, TikTokJsonContext.Default.TikTokQueryResponse, Who, "a page");
        if (response.Error is { Code: { } code } error && code != "ok")
        {
            throw new PlatformRequestException(PollOutcome.HttpError, $"{Who} answered error {code}: {error.Message}.");
        }

        if (response is not { Data: { HasMore: { } hasMore } data })
        {
            throw Malformed("it has no data.has_more");
        }

        if (hasMore && (data.Cursor is not { } next || next <= sent || string.IsNullOrEmpty(data.SearchId)))
        {
            throw Malformed($"has_more without a cursor past {sent} and a search_id");
        }

        var posts = new List<Post>();
        var refused = new List<string>();
        var videos = data.Videos ?? [];
        foreach (var video in videos)
        {
            // A video without its id or time cannot be deduplicated or put in a bucket; it is refused
            // alone, so the page's other videos and its paging still count.
            if (video is not { Id: { } id, CreateTime: { } created })
            {
                refused.Add(video is { Id: { } known } ? $"{Who} video '{known}' has no create_time" : $"{Who} video without an id");
                continue;
            }

            var text = video.VideoDescription ?? string.Empty;
            var hashtags = video.HashtagNames is { } names
                ? [.. names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => HashtagNormalizer.Normalize(n!)).Distinct(StringComparer.Ordinal)]
                : HashtagNormalizer.Extract(text);
            // region_code is where the account was registered, not a language: the language stays unknown.
            posts.Add(new Post(TikTokPlatform.Id, id.ToString(CultureInfo.InvariantCulture), video.Username ?? string.Empty,
                DateTimeOffset.FromUnixTimeSeconds(created), text, null, hashtags,
                new Engagement(video.LikeCount ?? 0, video.ShareCount ?? 0, video.CommentCount ?? 0, 0),
                $"https://www.tiktok.com/@{video.Username}/video/{id.ToString(CultureInfo.InvariantCulture)}"));
        }

        return new TikTokPage(posts, videos.Count, refused, hasMore, hasMore ? data.Cursor : null, hasMore ? data.SearchId : null);
    }

    /// <summary>The start of the next UTC day: when the Research API's daily quota resets.</summary>
    public static DateTimeOffset NextReset(DateTimeOffset now) => Resolution.Day.Start(now).AddDays(1);

    private static PlatformRequestException DailySpent(DateTimeOffset now) => new(PollOutcome.RateLimited,
        string.Create(CultureInfo.InvariantCulture, $"{Who} answered 429 {DailyQuotaCode}: the project's daily quota is spent (it is shared by every client of the research project); reads resume at {NextReset(now):yyyy-MM-dd HH:mm} UTC."),
        NextReset(now), 429);

    /// <summary>Client access token: the key and secret in a form, <c>grant_type=client_credentials</c>.</summary>
    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Settings.TokenUrl)
        {
            Content = new FormUrlEncodedContent(
            [
                new("client_key", Settings.ClientKey ?? string.Empty),
                new("client_secret", Settings.ClientSecret ?? string.Empty),
                new("grant_type", "client_credentials"),
            ]),
        };
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        // Refused credentials come as an error body; its status is not relied on.
        var answer = await _reader.SendAsync(http, request, HttpStatusCode.BadRequest, cancellationToken);
        var token = PlatformReader.Deserialize(answer.Content, TikTokJsonContext.Default.TikTokToken, Who, "a token");
        return token is { AccessToken: { Length: > 0 } value }
            ? (value, TimeSpan.FromSeconds(token.ExpiresIn ?? 7200))
            : throw new PlatformRequestException(PollOutcome.AuthFailed, $"{Who} gave no access token ({token.Error ?? "no error code"}). {AuthHint}");
    }

    /// <summary>
    /// The error code of a body, <c>{"error": {"code": ...}}</c> or the token endpoint's <c>{"error": "..."}</c>.
    /// A body that is not JSON throws, and the reader leaves its status to the shared reading.
    /// </summary>
    private static string? ErrorCode(byte[] content)
    {
        using var document = JsonDocument.Parse(content);
        return document.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("error", out var error)
            ? error.ValueKind switch
            {
                JsonValueKind.Object when error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String => code.GetString(),
                JsonValueKind.String => error.GetString(),
                _ => null,
            }
            : null;
    }

    /// <summary>What an error body says, for the message: its code and message (never a credential).</summary>
    private static string? ErrorDetail(byte[] content)
    {
        using var document = JsonDocument.Parse(content);
        if (document.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("error", out var error))
        {
            return null;
        }

        return error.ValueKind switch
        {
            JsonValueKind.Object => $"{Text(error, "code")}: {Text(error, "message")}",
            JsonValueKind.String => $"{error.GetString()}: {Text(root, "error_description")}",
            _ => null,
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PlatformRequestException Malformed(string problem) => PlatformReader.Malformed(Who, "page", problem);
}
