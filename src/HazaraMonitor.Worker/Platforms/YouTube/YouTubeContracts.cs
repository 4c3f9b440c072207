using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.YouTube;

// Wire contracts of YouTube Data API v3 search.list and videos.list
// (https://developers.google.com/youtube/v3/docs/search/list, https://developers.google.com/youtube/v3/docs/videos/list)
// and of Google's error body (https://developers.google.com/youtube/v3/docs/errors); only the fields HazaraMonitor reads.

internal sealed class YouTubeSearchResponse
{
    /// <summary><c>youtube#searchListResponse</c>.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("nextPageToken")] public string? NextPageToken { get; init; }

    [JsonPropertyName("items")] public List<YouTubeSearchResult>? Items { get; init; }
}

internal sealed class YouTubeSearchResult
{
    [JsonPropertyName("id")] public YouTubeResourceId? Id { get; init; }

    [JsonPropertyName("snippet")] public YouTubeSnippet? Snippet { get; init; }
}

internal sealed class YouTubeResourceId
{
    /// <summary><c>youtube#video</c> (with <c>type=video</c>, always).</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("videoId")] public string? VideoId { get; init; }
}

/// <summary>
/// A search result's snippet, or a video's: search gives the description cut short and no
/// languages; videos.list gives the whole description and, when the uploader set them, the languages.
/// </summary>
internal sealed class YouTubeSnippet
{
    [JsonPropertyName("publishedAt")] public DateTimeOffset? PublishedAt { get; init; }

    [JsonPropertyName("channelId")] public string? ChannelId { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>The language of the title and description (videos.list only).</summary>
    [JsonPropertyName("defaultLanguage")] public string? DefaultLanguage { get; init; }

    /// <summary>The language spoken in the video (videos.list only).</summary>
    [JsonPropertyName("defaultAudioLanguage")] public string? DefaultAudioLanguage { get; init; }
}

internal sealed class YouTubeVideoListResponse
{
    /// <summary><c>youtube#videoListResponse</c>.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("items")] public List<YouTubeVideo>? Items { get; init; }
}

internal sealed class YouTubeVideo
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("snippet")] public YouTubeSnippet? Snippet { get; init; }

    [JsonPropertyName("statistics")] public YouTubeStatistics? Statistics { get; init; }
}

/// <summary>Counts as strings (unsigned 64-bit in Google's JSON); a count the uploader hid, or comments turned off, is absent.</summary>
internal sealed class YouTubeStatistics
{
    [JsonPropertyName("viewCount")] public string? ViewCount { get; init; }

    [JsonPropertyName("likeCount")] public string? LikeCount { get; init; }

    [JsonPropertyName("commentCount")] public string? CommentCount { get; init; }
}

internal sealed class YouTubeErrorResponse
{
    [JsonPropertyName("error")] public YouTubeError? Error { get; init; }
}

internal sealed class YouTubeError
{
    [JsonPropertyName("code")] public int? Code { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>The older detail: <c>{domain, reason, message}</c>, e.g. <c>youtube.quota</c> / <c>quotaExceeded</c>.</summary>
    [JsonPropertyName("errors")] public List<YouTubeErrorItem>? Errors { get; init; }

    /// <summary>The newer detail: <c>google.rpc.ErrorInfo</c> items, e.g. reason <c>API_KEY_INVALID</c>.</summary>
    [JsonPropertyName("details")] public List<YouTubeErrorItem>? Details { get; init; }
}

internal sealed class YouTubeErrorItem
{
    [JsonPropertyName("domain")] public string? Domain { get; init; }

    [JsonPropertyName("reason")] public string? Reason { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

[JsonSerializable(typeof(YouTubeSearchResponse))]
[JsonSerializable(typeof(YouTubeVideoListResponse))]
[JsonSerializable(typeof(YouTubeErrorResponse))]
internal sealed partial class YouTubeJsonContext : JsonSerializerContext;
