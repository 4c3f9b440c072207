using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.Instagram;

// Wire contracts of the Instagram Graph API's hashtag search
// (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag-search,
// …/ig-hashtag/recent-media); only the fields HazaraMonitor reads.

/// <summary><c>GET /ig_hashtag_search?user_id=&amp;q=</c>: <c>{"data":[{"id":"17843857450040591"}]}</c>.</summary>
internal sealed class InstagramHashtagSearch
{
    [JsonPropertyName("data")] public List<InstagramHashtagId>? Data { get; init; }
}

internal sealed class InstagramHashtagId
{
    [JsonPropertyName("id")] public string? Id { get; init; }
}

/// <summary>
/// <c>GET /{hashtag-id}/recent_media</c>: media published within 24 hours, up to 50 a page, not in
/// chronological order, and an <c>after</c> cursor that is the same on every page.
/// </summary>
internal sealed class InstagramMediaPage
{
    [JsonPropertyName("data")] public List<InstagramMedia>? Data { get; init; }

    [JsonPropertyName("paging")] public InstagramPaging? Paging { get; init; }
}

internal sealed class InstagramPaging
{
    [JsonPropertyName("cursors")] public InstagramCursors? Cursors { get; init; }

    /// <summary>The next page's URL, present while there is one.</summary>
    [JsonPropertyName("next")] public string? Next { get; init; }
}

internal sealed class InstagramCursors
{
    [JsonPropertyName("after")] public string? After { get; init; }
}

/// <summary>An IG Media. There is no author: <c>username</c> cannot be requested through hashtag search.</summary>
internal sealed class InstagramMedia
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("caption")] public string? Caption { get; init; }

    /// <summary><c>IMAGE</c>, <c>VIDEO</c> or <c>CAROUSEL_ALBUM</c>.</summary>
    [JsonPropertyName("media_type")] public string? MediaType { get; init; }

    [JsonPropertyName("permalink")] public string? Permalink { get; init; }

    /// <summary>ISO 8601 with a colon-less offset: <c>2017-08-31T18:10:00+0000</c>.</summary>
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }

    /// <summary>Omitted when the owner hides like counts.</summary>
    [JsonPropertyName("like_count")] public long? LikeCount { get; init; }

    [JsonPropertyName("comments_count")] public long? CommentsCount { get; init; }
}

[JsonSerializable(typeof(InstagramHashtagSearch))]
[JsonSerializable(typeof(InstagramMediaPage))]
internal sealed partial class InstagramJsonContext : JsonSerializerContext;
