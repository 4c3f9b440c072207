using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.X;

// Wire contracts of X API v2 recent search and recent counts: only the fields HazaraMonitor reads.
// Field names follow the v2.166 spec (`tweet.fields`); see https://docs.x.com/x-api/posts/search-recent-posts.
// Init-only properties rather than positional records: System.Text.Json reads them without
// buffering constructor arguments, which is measurably faster on 100-post pages.

internal sealed class XSearchResponse
{
    [JsonPropertyName("data")] public List<XTweet>? Data { get; init; }

    [JsonPropertyName("meta")] public XSearchMeta? Meta { get; init; }
}

internal sealed class XTweet
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("author_id")] public string? AuthorId { get; init; }

    [JsonPropertyName("lang")] public string? Lang { get; init; }

    [JsonPropertyName("entities")] public XEntities? Entities { get; init; }

    [JsonPropertyName("public_metrics")] public XPublicMetrics? PublicMetrics { get; init; }
}

internal sealed class XEntities
{
    [JsonPropertyName("hashtags")] public List<XHashtagEntity>? Hashtags { get; init; }
}

internal sealed class XHashtagEntity
{
    [JsonPropertyName("tag")] public string? Tag { get; init; }
}

internal sealed class XPublicMetrics
{
    [JsonPropertyName("retweet_count")] public long RetweetCount { get; init; }

    [JsonPropertyName("reply_count")] public long ReplyCount { get; init; }

    [JsonPropertyName("like_count")] public long LikeCount { get; init; }

    [JsonPropertyName("quote_count")] public long QuoteCount { get; init; }
}

internal sealed class XSearchMeta
{
    [JsonPropertyName("newest_id")] public string? NewestId { get; init; }

    [JsonPropertyName("next_token")] public string? NextToken { get; init; }
}

internal sealed class XCountsResponse
{
    [JsonPropertyName("data")] public List<XCountBucket>? Data { get; init; }

}

internal sealed class XCountBucket
{
    [JsonPropertyName("start")] public DateTimeOffset Start { get; init; }

    [JsonPropertyName("tweet_count")] public long TweetCount { get; init; }
}

/// <summary>Both error shapes: v2 problem details (title/detail/type) and the v1.1-style errors[] item (code/message).</summary>
internal sealed class XProblem
{
    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("detail")] public string? Detail { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

internal sealed class XErrorResponse
{
    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("detail")] public string? Detail { get; init; }

    [JsonPropertyName("errors")] public List<XProblem>? Errors { get; init; }
}

[JsonSerializable(typeof(XSearchResponse))]
[JsonSerializable(typeof(XCountsResponse))]
[JsonSerializable(typeof(XErrorResponse))]
internal sealed partial class XJsonContext : JsonSerializerContext;
