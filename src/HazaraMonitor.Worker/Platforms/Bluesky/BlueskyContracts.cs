using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

// Wire contracts of Bluesky (https://github.com/bluesky-social/jetstream, https://docs.bsky.app/docs/api/app-bsky-feed-search-posts): Jetstream v1 events, the
// app.bsky.feed.post record, searchPosts and createSession; only the fields HazaraMonitor reads.

internal sealed class JetstreamEvent
{
    [JsonPropertyName("did")] public string? Did { get; init; }

    /// <summary>Microseconds since the Unix epoch: the replay cursor.</summary>
    [JsonPropertyName("time_us")] public long TimeUs { get; init; }

    /// <summary><c>commit</c>, <c>identity</c> or <c>account</c>.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("commit")] public JetstreamCommit? Commit { get; init; }
}

internal sealed class JetstreamCommit
{
    /// <summary><c>create</c>, <c>update</c> or <c>delete</c>; a delete has no record.</summary>
    [JsonPropertyName("operation")] public string? Operation { get; init; }

    [JsonPropertyName("collection")] public string? Collection { get; init; }

    [JsonPropertyName("rkey")] public string? Rkey { get; init; }

    [JsonPropertyName("record")] public BlueskyPostRecord? Record { get; init; }
}

/// <summary>An <c>app.bsky.feed.post</c> record.</summary>
internal sealed class BlueskyPostRecord
{
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>Declared by the client, so it can be wrong; see <see cref="BlueskyPosts.Map"/>.</summary>
    [JsonPropertyName("createdAt")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("langs")] public List<string>? Langs { get; init; }

    [JsonPropertyName("facets")] public List<BlueskyFacet>? Facets { get; init; }

    /// <summary>Hashtags beside those in the text ("additional hashtags", at most 8).</summary>
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
}

internal sealed class BlueskyFacet
{
    [JsonPropertyName("index")] public BlueskyByteSlice? Index { get; init; }

    [JsonPropertyName("features")] public List<BlueskyFacetFeature>? Features { get; init; }
}

/// <summary>UTF-8 byte offsets into the text, start inclusive, end exclusive.</summary>
internal sealed class BlueskyByteSlice
{
    [JsonPropertyName("byteStart")] public int ByteStart { get; init; }

    [JsonPropertyName("byteEnd")] public int ByteEnd { get; init; }
}

internal sealed class BlueskyFacetFeature
{
    [JsonPropertyName("$type")] public string? Type { get; init; }

    [JsonPropertyName("tag")] public string? Tag { get; init; }
}

internal sealed class BlueskySearchResponse
{
    [JsonPropertyName("cursor")] public string? Cursor { get; init; }

    [JsonPropertyName("posts")] public List<BlueskyPostView>? Posts { get; init; }
}

internal sealed class BlueskyPostView
{
    [JsonPropertyName("uri")] public string? Uri { get; init; }

    [JsonPropertyName("author")] public BlueskyAuthor? Author { get; init; }

    [JsonPropertyName("record")] public BlueskyPostRecord? Record { get; init; }

    [JsonPropertyName("indexedAt")] public DateTimeOffset? IndexedAt { get; init; }

    [JsonPropertyName("likeCount")] public long LikeCount { get; init; }

    [JsonPropertyName("repostCount")] public long RepostCount { get; init; }

    [JsonPropertyName("replyCount")] public long ReplyCount { get; init; }

    [JsonPropertyName("quoteCount")] public long QuoteCount { get; init; }
}

internal sealed class BlueskyAuthor
{
    [JsonPropertyName("did")] public string? Did { get; init; }
}

internal sealed class BlueskyCreateSessionResponse
{
    [JsonPropertyName("accessJwt")] public string? AccessJwt { get; init; }
}

/// <summary>The XRPC error body; proxies answer in HTML or plain text instead.</summary>
internal sealed class BlueskyError
{
    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

[JsonSerializable(typeof(JetstreamEvent))]
[JsonSerializable(typeof(BlueskySearchResponse))]
[JsonSerializable(typeof(BlueskyCreateSessionResponse))]
[JsonSerializable(typeof(BlueskyError))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
internal sealed partial class BlueskyJsonContext : JsonSerializerContext;
