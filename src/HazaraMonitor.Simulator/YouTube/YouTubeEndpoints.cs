using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace HazaraMonitor.Simulator.YouTube;

/// <summary>
/// YouTube Data API v3 as documented (https://developers.google.com/youtube/v3/docs/search/list,
/// https://developers.google.com/youtube/v3/docs/videos/list, https://developers.google.com/youtube/v3/docs/errors):
/// <c>/youtube/youtube/v3/search</c> (<c>part=snippet</c>, <c>q</c> with '|' for OR,
/// <c>order=date</c>, <c>publishedAfter</c>/<c>publishedBefore</c>, <c>maxResults</c> up to 50,
/// <c>pageToken</c>; the snippet's description cut short) and <c>/youtube/youtube/v3/videos</c>
/// (<c>part=snippet,statistics</c>, up to 50 ids; counts as strings, languages only when the
/// uploader set them). The API key comes in <c>X-Goog-Api-Key</c> or <c>key=</c>. A daily quota
/// (search 100 units, videos 1) that resets at midnight Pacific time, answered past it with 403
/// <c>quotaExceeded</c>; an unknown key 400 <c>keyInvalid</c>, none 403 <c>forbidden</c>.
/// </summary>
public static class YouTubeEndpoints
{
    private const string AllServed = "all";

    /// <summary>search.list's cut of a snippet's description (videos.list has it whole).</summary>
    private const int SearchDescriptionLength = 100;

    private const int MaxIds = 50;

    internal const string Key = "youtube";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "YouTube Data API v3 at /youtube/youtube/v3/search and /youtube/youtube/v3/videos; stats at /sim/youtube/stats?tags=...",
        app => app.MapYouTubeApi(),
        services => services.AddSingleton<YouTubeQuotaLedger>().AddOptions<YouTubeSimulationOptions>().BindConfiguration(YouTubeSimulationOptions.Section));

    public static IEndpointRouteBuilder MapYouTubeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/youtube/youtube/v3/search", SearchAsync);
        app.MapGet("/youtube/youtube/v3/videos", VideosAsync);
        app.MapGet("/sim/youtube/stats", Stats);
        return app;
    }

    /// <summary>A video id: the post's snowflake as 8 big-endian bytes in base64url, 11 characters like YouTube's.</summary>
    public static string VideoId(SimPost post)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, post.Id);
        return Base64Url.EncodeToString(bytes);
    }

    private static long? PostId(string videoId)
    {
        Span<byte> bytes = stackalloc byte[9];
        return Base64Url.TryDecodeFromChars(videoId, bytes, out var written) && written == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
    }

    private static async Task SearchAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, YouTubeQuotaLedger quota,
        IOptions<SimulatorOptions> options, IOptions<YouTubeSimulationOptions> youtube)
    {
        var settings = options.Value;
        // Numbered on arrival, refused or not: the 7th is the forced malformed one.
        state.NextSearchRequest();
        if (!await AdmitAsync(http, state, quota, youtube.Value, clock, cost: 100))
        {
            return;
        }

        var q = http.Request.Query;
        if (!(q["part"].FirstOrDefault() ?? string.Empty).Split(',').Contains("snippet"))
        {
            await ErrorAsync(http, 400, "global", "required", "No filter selected. Expected one of: ...", "INVALID_ARGUMENT");
            return;
        }

        var maxResults = int.TryParse(q["maxResults"], CultureInfo.InvariantCulture, out var m) ? m : 5;
        if (maxResults is < 0 or > 50)
        {
            await ErrorAsync(http, 400, "youtube.parameter", "invalidParameter", $"Invalid value '{maxResults}'. Values must be within the range: [0, 50]", "INVALID_ARGUMENT");
            return;
        }

        var untilId = long.MaxValue;
        if (q["pageToken"].FirstOrDefault() is { } token && !TryDecodeToken(token, out untilId))
        {
            await ErrorAsync(http, 400, "youtube.parameter", "invalidPageToken", "The request specifies an invalid page token.", "INVALID_ARGUMENT");
            return;
        }

        // '|' is OR; words separated by spaces would all have to match, which a campaign's query never asks.
        var keys = (q["q"].FirstOrDefault() ?? string.Empty).Split(['|', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => HashtagNormalizer.Normalize(w)).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var from = WireJson.TryTime(q["publishedAfter"]) ?? clock.TimelineStart;
        var to = WireJson.TryTime(q["publishedBefore"]) is { } before && before < clock.Now ? before : clock.Now;
        var matching = timeline.Between(from, to.AddTicks(1)).Where(p => p.HashtagKeys.Any(keys.Contains));
        // order=date is newest first; the default (relevance) is some other order, no use for a sweep.
        var ordered = q["order"] == "date" ? matching.OrderByDescending(p => p.Id) : matching.OrderByDescending(p => p.Likes).ThenByDescending(p => p.Id);
        var listed = ordered.Where(p => p.Id < untilId).Take(maxResults + 1).ToList();
        var page = listed.Take(maxResults).ToList();
        string? next = null;
        if (listed.Count > maxResults && page.Count > 0)
        {
            // Sometimes the next page starts two videos early: the overlap a client must dedupe.
            var overlap = page.Count > 3 && state.Draw() < settings.OverlapShare ? 2 : 0;
            next = EncodeToken(page[^(1 + overlap)].Id);
        }

        state.Served(AllServed, page.Select(VideoId));
        var malformed = state.ShouldTruncate(settings.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "youtube#searchListResponse");
            json.WriteString("etag", Etag("search", page.Count == 0 ? 0 : page[0].Id));
            if (next is not null)
            {
                json.WriteString("nextPageToken", next);
            }

            json.WriteString("regionCode", "US");
            json.WriteStartObject("pageInfo");
            // An estimate, as YouTube's is: never the exact count.
            json.WriteNumber("totalResults", (listed.Count + 1) * 37);
            json.WriteNumber("resultsPerPage", maxResults);
            json.WriteEndObject();
            json.WriteStartArray("items");
            foreach (var post in page)
            {
                json.WriteStartObject();
                json.WriteString("kind", "youtube#searchResult");
                json.WriteString("etag", Etag("result", post.Id));
                json.WriteStartObject("id");
                json.WriteString("kind", "youtube#video");
                json.WriteString("videoId", VideoId(post));
                json.WriteEndObject();
                WriteSnippet(json, post, search: true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }, truncate: malformed);
    }

    private static async Task VideosAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, YouTubeQuotaLedger quota,
        IOptions<YouTubeSimulationOptions> youtube)
    {
        if (!await AdmitAsync(http, state, quota, youtube.Value, clock, cost: 1))
        {
            return;
        }

        Interlocked.Increment(ref state.VideosRequests);
        var q = http.Request.Query;
        var parts = (q["part"].FirstOrDefault() ?? string.Empty).Split(',');
        var ids = (q["id"].FirstOrDefault() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > MaxIds)
        {
            await ErrorAsync(http, 400, "youtube.parameter", "invalidParameter", $"The request specifies more than {MaxIds} ids.", "INVALID_ARGUMENT");
            return;
        }

        var videos = ids.Select(id => PostId(id) is { } postId
            ? timeline.Between(Snowflake.Time(postId), Snowflake.Time(postId).AddMilliseconds(1)).FirstOrDefault(p => p.Id == postId)
            : null).OfType<SimPost>().ToList();
        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "youtube#videoListResponse");
            json.WriteString("etag", Etag("videos", videos.Count == 0 ? 0 : videos[0].Id));
            json.WriteStartArray("items");
            foreach (var post in videos)
            {
                json.WriteStartObject();
                json.WriteString("kind", "youtube#video");
                json.WriteString("etag", Etag("video", post.Id));
                json.WriteString("id", VideoId(post));
                if (parts.Contains("snippet"))
                {
                    WriteSnippet(json, post, search: false);
                }

                if (parts.Contains("statistics"))
                {
                    json.WriteStartObject("statistics");
                    json.WriteString("viewCount", (post.Likes * 40).ToString(CultureInfo.InvariantCulture));
                    // Some uploaders hide their likes; the field is then absent.
                    if (post.Id % 10 != 3)
                    {
                        json.WriteString("likeCount", post.Likes.ToString(CultureInfo.InvariantCulture));
                    }

                    json.WriteString("favoriteCount", "0");
                    json.WriteString("commentCount", post.Replies.ToString(CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("pageInfo");
            json.WriteNumber("totalResults", videos.Count);
            json.WriteNumber("resultsPerPage", videos.Count);
            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: false);
    }

    /// <summary>
    /// A video's snippet. The title is the start of the post's text; the description is all of it,
    /// hashtags at the end, cut at 100 characters in search results, so a client that read hashtags
    /// from search alone would miss some. videos.list adds the uploader's languages when set.
    /// </summary>
    private static void WriteSnippet(Utf8JsonWriter json, SimPost post, bool search)
    {
        var firstTag = post.Text.IndexOf(" #", StringComparison.Ordinal);
        var title = firstTag > 0 ? post.Text[..firstTag] : post.Text;
        title = title.Length > 100 ? title[..100] : title;
        var description = search && post.Text.Length > SearchDescriptionLength ? post.Text[..SearchDescriptionLength] : post.Text;
        var channel = Channel(post);
        json.WriteStartObject("snippet");
        json.WriteString("publishedAt", WireJson.Format(post.CreatedAt));
        json.WriteString("channelId", channel);
        json.WriteString("title", title);
        json.WriteString("description", description);
        json.WriteStartObject("thumbnails");
        foreach (var (size, width, height) in new[] { ("default", 120, 90), ("medium", 320, 180), ("high", 480, 360) })
        {
            json.WriteStartObject(size);
            json.WriteString("url", $"https://i.ytimg.com/vi/{VideoId(post)}/{(size == "default" ? string.Empty : size[..2] + "q")}default.jpg");
            json.WriteNumber("width", width);
            json.WriteNumber("height", height);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteString("channelTitle", "Channel " + post.AuthorId);
        json.WriteString("liveBroadcastContent", "none");
        if (search)
        {
            json.WriteString("publishTime", WireJson.Format(post.CreatedAt));
        }
        else
        {
            json.WriteString("categoryId", "25");
            // Set by some uploaders only: the text's language on some, the audio's on more.
            if (post.Id % 5 < 2)
            {
                json.WriteString("defaultLanguage", post.Language);
            }

            if (post.Id % 5 < 4)
            {
                json.WriteString("defaultAudioLanguage", post.Language);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>A channel id: "UC" and 22 characters.</summary>
    private static string Channel(SimPost post) => "UC" + post.AuthorId.PadLeft(22, '0');

    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, YouTubeQuotaLedger quota)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = matching.Count(p => state.WasServed(AllServed, VideoId(p))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["videos_requests"] = Interlocked.Read(ref state.VideosRequests),
            ["quota_used"] = quota.Used,
            ["quota_exceeded"] = quota.Exceeded,
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
            ["key_in_query"] = Interlocked.Read(ref state.KeyInQuery),
        });
    }

    /// <summary>The API key (header or query) and the day's quota: true when the request may go on, false when it has been answered.</summary>
    private static async Task<bool> AdmitAsync(HttpContext http, PlatformState state, YouTubeQuotaLedger quota, YouTubeSimulationOptions youtube, SimClock clock, int cost)
    {
        var inQuery = http.Request.Query["key"].FirstOrDefault();
        if (inQuery is not null)
        {
            Interlocked.Increment(ref state.KeyInQuery);
        }

        var key = http.Request.Headers["X-Goog-Api-Key"].FirstOrDefault() ?? inQuery;
        if (string.IsNullOrEmpty(key))
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 403, "global", "forbidden", "The request is missing a valid API key.", "PERMISSION_DENIED");
            return false;
        }

        if (key != youtube.ApiKey)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 400, "usageLimits", "keyInvalid", "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", detail: "API_KEY_INVALID");
            return false;
        }

        if (!quota.TrySpend(clock.RealNow, cost))
        {
            Interlocked.Increment(ref state.RateLimited);
            await ErrorAsync(http, 403, "youtube.quota", "quotaExceeded",
                "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.", "PERMISSION_DENIED");
            return false;
        }

        return true;
    }

    /// <summary>Google's error body: the code and message, the older <c>errors[]</c> item, and (for a bad key) the newer <c>google.rpc.ErrorInfo</c> detail.</summary>
    private static Task ErrorAsync(HttpContext http, int status, string domain, string reason, string message, string rpcStatus, string? detail = null) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteNumber("code", status);
            json.WriteString("message", message);
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteString("domain", domain);
            json.WriteString("reason", reason);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("status", rpcStatus);
            if (detail is not null)
            {
                json.WriteStartArray("details");
                json.WriteStartObject();
                json.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
                json.WriteString("reason", detail);
                json.WriteString("domain", "googleapis.com");
                json.WriteStartObject("metadata");
                json.WriteString("service", "youtube.googleapis.com");
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: false, status: status);

    private static string Etag(string what, long id) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{what}:{id}"));

    // Tokens are opaque to clients; here, the exclusive upper id bound of the next page, base64url.
    private static string EncodeToken(long untilId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes("CAUQ" + untilId.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeToken(string token, out long untilId)
    {
        untilId = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith("CAUQ", StringComparison.Ordinal) && long.TryParse(text.AsSpan(4), CultureInfo.InvariantCulture, out untilId);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
