using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.Threads;

// Wire contracts of Threads keyword search (https://developers.facebook.com/documentation/threads/keyword-search,
// …/threads/reference/media-retrieval); only the fields HazaraMonitor reads. The paging shape is
// the Graph API's usual one, which the keyword-search page does not spell out.

/// <summary><c>GET /v1.0/keyword_search</c>: <c>{"data":[...],"paging":{"cursors":{"before","after"},"next"}}</c>; an empty <c>data</c> also for keywords Meta deems sensitive.</summary>
internal sealed class ThreadsSearchPage
{
    [JsonPropertyName("data")] public List<ThreadsMedia>? Data { get; init; }

    [JsonPropertyName("paging")] public ThreadsPaging? Paging { get; init; }
}

internal sealed class ThreadsPaging
{
    [JsonPropertyName("cursors")] public ThreadsCursors? Cursors { get; init; }

    /// <summary>The next page's URL, present while there is one.</summary>
    [JsonPropertyName("next")] public string? Next { get; init; }
}

internal sealed class ThreadsCursors
{
    [JsonPropertyName("after")] public string? After { get; init; }
}

/// <summary>A Threads media as keyword search returns it.</summary>
internal sealed class ThreadsMedia
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary><c>TEXT_POST</c>, <c>IMAGE</c>, <c>VIDEO</c>, <c>CAROUSEL_ALBUM</c>, <c>AUDIO</c> or <c>REPOST_FACADE</c>.</summary>
    [JsonPropertyName("media_type")] public string? MediaType { get; init; }

    [JsonPropertyName("permalink")] public string? Permalink { get; init; }

    /// <summary>ISO 8601 with a colon-less offset: <c>2023-10-17T05:42:03+0000</c>.</summary>
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }

    /// <summary>The author's username: Threads, unlike Instagram's hashtag search, names authors.</summary>
    [JsonPropertyName("username")] public string? Username { get; init; }

    [JsonPropertyName("has_replies")] public bool? HasReplies { get; init; }

    [JsonPropertyName("is_quote_post")] public bool? IsQuotePost { get; init; }

    [JsonPropertyName("is_reply")] public bool? IsReply { get; init; }
}

[JsonSerializable(typeof(ThreadsSearchPage))]
internal sealed partial class ThreadsJsonContext : JsonSerializerContext;
