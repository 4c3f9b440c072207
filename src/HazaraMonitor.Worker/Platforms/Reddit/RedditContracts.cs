using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.Reddit;

// Wire contracts of Reddit's search listing and OAuth token (https://www.reddit.com/dev/api#GET_search, https://github.com/reddit-archive/reddit/wiki/OAuth2);
// only the fields HazaraMonitor reads.

internal sealed class RedditListing
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("data")] public RedditListingData? Data { get; init; }

    /// <summary>Set on error bodies (<c>{"message": "Too Many Requests", "error": 429}</c>), some of which come with HTTP 200.</summary>
    [JsonPropertyName("error")] public int? Error { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }
}

internal sealed class RedditListingData
{
    /// <summary>Fullname of the last item: the next (older) page.</summary>
    [JsonPropertyName("after")] public string? After { get; init; }

    [JsonPropertyName("children")] public List<RedditThing>? Children { get; init; }
}

internal sealed class RedditThing
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    [JsonPropertyName("data")] public RedditLink? Data { get; init; }
}

/// <summary>A <c>t3</c> (link/post).</summary>
internal sealed class RedditLink
{
    /// <summary>Fullname, <c>t3_</c> and the base-36 id.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Epoch seconds as a float.</summary>
    [JsonPropertyName("created_utc")] public double? CreatedUtc { get; init; }

    [JsonPropertyName("author")] public string? Author { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("selftext")] public string? Selftext { get; init; }

    [JsonPropertyName("ups")] public long Ups { get; init; }

    [JsonPropertyName("num_comments")] public long NumComments { get; init; }

    [JsonPropertyName("num_crossposts")] public long NumCrossposts { get; init; }
}

internal sealed class RedditToken
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")] public long? ExpiresIn { get; init; }
}

[JsonSerializable(typeof(RedditListing))]
[JsonSerializable(typeof(RedditToken))]
internal sealed partial class RedditJsonContext : JsonSerializerContext;
