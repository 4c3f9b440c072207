using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.TikTok;

// Wire contracts of TikTok's Research API video query and its client access token
// (https://developers.tiktok.com/doc/research-api-specs-query-videos,
// https://developers.tiktok.com/doc/client-access-token-management); only the fields HazaraMonitor reads or sends.

/// <summary>The body of <c>POST /v2/research/video/query/</c>.</summary>
internal sealed class TikTokQueryRequest
{
    [JsonPropertyName("query")] public required TikTokQuery Query { get; init; }

    /// <summary>UTC day, <c>YYYYMMDD</c>; the API filters by whole days only.</summary>
    [JsonPropertyName("start_date")] public required string StartDate { get; init; }

    /// <summary>UTC day, <c>YYYYMMDD</c>, inclusive; no more than 30 days after <see cref="StartDate"/>.</summary>
    [JsonPropertyName("end_date")] public required string EndDate { get; init; }

    /// <summary>Videos per page: default 20, at most 100.</summary>
    [JsonPropertyName("max_count")] public int MaxCount { get; init; }

    /// <summary>Index of the next video of a search (from the previous page); absent on a search's first page.</summary>
    [JsonPropertyName("cursor")] public int? Cursor { get; init; }

    /// <summary>The search the API cached on the first page; absent on the first page.</summary>
    [JsonPropertyName("search_id")] public string? SearchId { get; init; }
}

internal sealed class TikTokQuery
{
    [JsonPropertyName("and")] public required IReadOnlyList<TikTokCondition> And { get; init; }
}

/// <summary>One condition: <c>{"operation": "IN", "field_name": "hashtag_name", "field_values": [...]}</c>.</summary>
internal sealed class TikTokCondition
{
    [JsonPropertyName("operation")] public required string Operation { get; init; }

    [JsonPropertyName("field_name")] public required string FieldName { get; init; }

    [JsonPropertyName("field_values")] public required IReadOnlyList<string> FieldValues { get; init; }
}

/// <summary>
/// Every answer of the v2 API: <c>data</c>, and an <c>error</c> object whose <c>code</c> is
/// <c>"ok"</c> on success (<c>rate_limit_exceeded</c>, <c>access_token_invalid</c>,
/// <c>invalid_params</c>, ... otherwise).
/// </summary>
internal sealed class TikTokQueryResponse
{
    [JsonPropertyName("data")] public TikTokQueryData? Data { get; init; }

    [JsonPropertyName("error")] public TikTokError? Error { get; init; }
}

internal sealed class TikTokError
{
    [JsonPropertyName("code")] public string? Code { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("log_id")] public string? LogId { get; init; }
}

internal sealed class TikTokQueryData
{
    [JsonPropertyName("videos")] public List<TikTokVideo?>? Videos { get; init; }

    /// <summary>Index of the next video: the next page's <c>cursor</c>.</summary>
    [JsonPropertyName("cursor")] public int? Cursor { get; init; }

    [JsonPropertyName("has_more")] public bool? HasMore { get; init; }

    [JsonPropertyName("search_id")] public string? SearchId { get; init; }
}

/// <summary>A video, with the fields HazaraMonitor asks for (<see cref="TikTokClient.Fields"/>).</summary>
internal sealed class TikTokVideo
{
    /// <summary>An int64 (video ids pass 2^53: read as a number, never as a double).</summary>
    [JsonPropertyName("id")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? Id { get; init; }

    /// <summary>Epoch seconds, UTC.</summary>
    [JsonPropertyName("create_time")] public long? CreateTime { get; init; }

    [JsonPropertyName("username")] public string? Username { get; init; }

    [JsonPropertyName("video_description")] public string? VideoDescription { get; init; }

    /// <summary>Where the account was registered (an ISO 3166 country code): not the video's language.</summary>
    [JsonPropertyName("region_code")] public string? RegionCode { get; init; }

    /// <summary>The hashtags without '#'.</summary>
    [JsonPropertyName("hashtag_names")] public List<string?>? HashtagNames { get; init; }

    [JsonPropertyName("like_count")] public long? LikeCount { get; init; }

    [JsonPropertyName("share_count")] public long? ShareCount { get; init; }

    [JsonPropertyName("comment_count")] public long? CommentCount { get; init; }

    [JsonPropertyName("view_count")] public long? ViewCount { get; init; }
}

/// <summary>The answer of <c>POST /v2/oauth/token/</c>: a client token, or <c>error</c> and <c>error_description</c> (strings, unlike the API's error object).</summary>
internal sealed class TikTokToken
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    /// <summary>Seconds: 7200 (two hours).</summary>
    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TikTokQueryRequest))]
[JsonSerializable(typeof(TikTokQueryResponse))]
[JsonSerializable(typeof(TikTokToken))]
internal sealed partial class TikTokJsonContext : JsonSerializerContext;
