using System.Text.Json.Serialization;

namespace HazaraMonitor.Platforms.X;

// Wire contracts of X API v2 recent search and recent counts: only the fields HazaraMonitor reads.
// Field names follow the v2.166 spec (`tweet.fields`); see shared/reference/platform-apis.md §1.

internal sealed record XSearchResponse(
    [property: JsonPropertyName("data")] List<XTweet>? Data,
    [property: JsonPropertyName("meta")] XSearchMeta? Meta,
    [property: JsonPropertyName("errors")] List<XProblem>? Errors);

internal sealed record XTweet(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("author_id")] string? AuthorId,
    [property: JsonPropertyName("lang")] string? Lang,
    [property: JsonPropertyName("entities")] XEntities? Entities,
    [property: JsonPropertyName("public_metrics")] XPublicMetrics? PublicMetrics);

internal sealed record XEntities(
    [property: JsonPropertyName("hashtags")] List<XHashtagEntity>? Hashtags);

internal sealed record XHashtagEntity(
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("end")] int End,
    [property: JsonPropertyName("tag")] string? Tag);

internal sealed record XPublicMetrics(
    [property: JsonPropertyName("retweet_count")] long RetweetCount,
    [property: JsonPropertyName("reply_count")] long ReplyCount,
    [property: JsonPropertyName("like_count")] long LikeCount,
    [property: JsonPropertyName("quote_count")] long QuoteCount);

internal sealed record XSearchMeta(
    [property: JsonPropertyName("newest_id")] string? NewestId,
    [property: JsonPropertyName("oldest_id")] string? OldestId,
    [property: JsonPropertyName("result_count")] int ResultCount,
    [property: JsonPropertyName("next_token")] string? NextToken);

internal sealed record XCountsResponse(
    [property: JsonPropertyName("data")] List<XCountBucket>? Data,
    [property: JsonPropertyName("meta")] XCountsMeta? Meta,
    [property: JsonPropertyName("errors")] List<XProblem>? Errors);

internal sealed record XCountBucket(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("end")] DateTimeOffset End,
    [property: JsonPropertyName("tweet_count")] long TweetCount);

internal sealed record XCountsMeta(
    [property: JsonPropertyName("total_tweet_count")] long TotalTweetCount);

/// <summary>Both error shapes: v2 problem details (title/detail/type) and the v1.1-style errors[] item (code/message).</summary>
internal sealed record XProblem(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message);

internal sealed record XErrorResponse(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("errors")] List<XProblem>? Errors);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(XSearchResponse))]
[JsonSerializable(typeof(XCountsResponse))]
[JsonSerializable(typeof(XErrorResponse))]
internal sealed partial class XJsonContext : JsonSerializerContext;
