using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator.TikTok;

/// <summary>
/// TikTok's Research API as documented (https://developers.tiktok.com/doc/research-api-specs-query-videos,
/// https://developers.tiktok.com/doc/client-access-token-management, https://developers.tiktok.com/doc/research-api-faq):
/// the client token at <c>/tiktok/v2/oauth/token/</c> (form <c>client_key</c>, <c>client_secret</c>,
/// <c>grant_type=client_credentials</c>; refused credentials answered with an <c>error</c> body), and
/// <c>POST /tiktok/v2/research/video/query/?fields=...</c>: a <c>hashtag_name</c> condition (values
/// without '#': one with it names no hashtag), <c>start_date</c>/<c>end_date</c> as UTC days with the
/// end no more than 30 days after the start, <c>max_count</c> up to 100, videos in no particular
/// order, <c>search_id</c> and <c>cursor</c> paging over the search as it stood on its first page,
/// only the fields asked for, errors as <c>{"error": {"code", "message", "log_id"}}</c> (400
/// <c>invalid_params</c>, 401 <c>access_token_invalid</c>, 429 <c>rate_limit_exceeded</c>, and 429
/// <c>daily_quota_limit_exceeded</c> past 1,000 requests or 100,000 videos in a UTC day).
/// </summary>
public static class TikTokEndpoints
{
    private const string AllServed = "all";

    private const int WindowLimitDays = 30;

    internal const string Key = "tiktok";

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "id", "video_description", "create_time", "region_code", "share_count", "view_count", "like_count", "comment_count",
        "music_id", "hashtag_names", "username", "effect_ids", "playlist_id", "voice_to_text", "is_stem_verified", "video_duration",
    };

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "TikTok Research API at /tiktok/v2/research/video/query/ (token at /tiktok/v2/oauth/token/); stats at /sim/tiktok/stats?tags=...",
        app => app.MapTikTokApi(),
        services => services.AddSingleton<TikTokSearches>().AddOptions<TikTokSimulationOptions>().BindConfiguration(TikTokSimulationOptions.Section));

    public static IEndpointRouteBuilder MapTikTokApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tiktok/v2/oauth/token/", TokenAsync);
        app.MapPost("/tiktok/v2/research/video/query/", QueryAsync);
        app.MapGet("/sim/tiktok/stats", Stats);
        return app;
    }

    private static string Token(SimulatorOptions options) => "clt.sim" + options.Seed.ToString(CultureInfo.InvariantCulture);

    private static async Task TokenAsync(HttpContext http, TikTokSearches searches, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<TikTokSimulationOptions> tiktok)
    {
        Interlocked.Increment(ref searches.TokenRequests);
        var form = await http.Request.ReadFormAsync();
        var settings = tiktok.Value;
        if (form["client_key"] != settings.ClientKey || form["client_secret"] != settings.ClientSecret || form["grant_type"] != "client_credentials")
        {
            Interlocked.Increment(ref state.Unauthorized);
            await WireJson.WriteJsonAsync(http, json =>
            {
                json.WriteStartObject();
                json.WriteString("error", form["grant_type"] != "client_credentials" ? "invalid_grant" : "invalid_client");
                json.WriteString("error_description", "Client key or secret is incorrect.");
                json.WriteString("log_id", LogId());
                json.WriteEndObject();
            }, truncate: false);
            return;
        }

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("access_token", Token(options.Value));
            json.WriteNumber("expires_in", settings.TokenLifetimeSeconds);
            json.WriteString("token_type", "Bearer");
            json.WriteEndObject();
        }, truncate: false);
    }

    private static async Task QueryAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, TikTokSearches searches, [FromKeyedServices(Key)] PlatformState state,
        IOptions<SimulatorOptions> options, IOptions<TikTokSimulationOptions> tiktok)
    {
        var settings = options.Value;
        if (!string.Equals(http.Request.Headers.Authorization.ToString(), "Bearer " + Token(settings), StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 401, "access_token_invalid", "The access token is invalid or not found in the request.");
            return;
        }

        if (state.ShouldFault(settings.RateLimitedShare, forcedAt: 4, numberRequest: true))
        {
            Interlocked.Increment(ref state.RateLimited);
            await ErrorAsync(http, 429, "rate_limit_exceeded", "API rate limit was exceeded, only 600 requests per minute are allowed.");
            return;
        }

        var fields = (http.Request.Query["fields"].FirstOrDefault() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = fields.FirstOrDefault(f => !KnownFields.Contains(f));
        if (fields.Count == 0 || unknown is not null)
        {
            await InvalidAsync(http, searches, unknown is null ? "fields is required." : $"Invalid field: {unknown}.");
            return;
        }

        Request request;
        try
        {
            request = await Request.ReadAsync(http);
        }
        catch (JsonException e)
        {
            await InvalidAsync(http, searches, "The request body is not valid JSON: " + e.Message);
            return;
        }

        if (request.Problem is { } problem)
        {
            await InvalidAsync(http, searches, problem);
            return;
        }

        var quota = tiktok.Value;
        Search search;
        if (request.SearchId is { } id)
        {
            if (!searches.Cached.TryGetValue(id, out var cached) || cached.Query != request.Query)
            {
                await InvalidAsync(http, searches, "search_id is invalid or expired, or the query differs from the search's.");
                return;
            }

            search = cached;
        }
        else
        {
            var from = new DateTimeOffset(request.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var to = new DateTimeOffset(request.End.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var now = clock.Now.AddTicks(1);
            // Videos in no particular order: shuffled, the same for the same search.
            var found = timeline.Between(from, to < now ? to : now)
                .Where(p => p.HashtagKeys.Any(request.Keys.Contains))
                .OrderBy(p => (p.Id * 2654435761L) ^ searches.Count)
                .ToList();
            search = searches.Start(request.Query, found);
            searches.Windowed(request.Start, request.End);
        }

        var cursor = request.Cursor ?? 0;
        var page = search.Videos.Skip(cursor).Take(request.MaxCount).ToList();
        if (!searches.Spend(clock.RealNow, page.Count, quota))
        {
            Interlocked.Increment(ref searches.QuotaExceeded);
            await ErrorAsync(http, 429, "daily_quota_limit_exceeded", "The daily quota limit has been exceeded; it resets at 12 AM UTC.");
            return;
        }

        var more = cursor + page.Count < search.Videos.Count;
        // Now and then the next page starts a little before this one ended, as observed.
        var next = cursor + page.Count;
        if (more && page.Count > 1 && state.Draw() < settings.OverlapShare)
        {
            next -= Math.Min(3, page.Count - 1);
        }

        state.Served(AllServed, page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        var malformed = state.ShouldTruncate(settings.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteStartArray("videos");
            foreach (var post in page)
            {
                WriteVideo(json, post, fields);
            }

            json.WriteEndArray();
            json.WriteNumber("cursor", next);
            json.WriteBoolean("has_more", more);
            json.WriteString("search_id", search.Id);
            json.WriteEndObject();
            WriteError(json, "ok", string.Empty);
            json.WriteEndObject();
        }, truncate: malformed);
    }

    private static void WriteVideo(Utf8JsonWriter json, SimPost post, HashSet<string> fields)
    {
        json.WriteStartObject();
        json.WriteNumber("id", post.Id);
        if (fields.Contains("create_time"))
        {
            json.WriteNumber("create_time", post.CreatedAt.ToUnixTimeSeconds());
        }

        if (fields.Contains("username"))
        {
            json.WriteString("username", "user" + post.AuthorId);
        }

        if (fields.Contains("region_code"))
        {
            json.WriteString("region_code", post.Language == "fa" ? "AF" : "GB");
        }

        if (fields.Contains("video_description"))
        {
            json.WriteString("video_description", post.Text);
        }

        if (fields.Contains("hashtag_names"))
        {
            json.WriteStartArray("hashtag_names");
            foreach (var hashtag in post.Hashtags)
            {
                // TikTok gives hashtag names in lower case, without '#'.
                json.WriteStringValue(hashtag.ToLowerInvariant());
            }

            json.WriteEndArray();
        }

        void Count(string name, long value)
        {
            if (fields.Contains(name))
            {
                json.WriteNumber(name, value);
            }
        }

        Count("like_count", post.Likes);
        Count("share_count", post.Reposts);
        Count("comment_count", post.Replies);
        Count("view_count", (post.Likes * 25L) + post.Replies);
        json.WriteEndObject();
    }

    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, TikTokSearches searches, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        var (requestsToday, recordsToday) = searches.Today(clock.RealNow);
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = matching.Count(p => state.WasServed(AllServed, p.Id.ToString(CultureInfo.InvariantCulture))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["searches"] = searches.Count,
            ["windows"] = searches.Windows,
            ["longest_window_days"] = searches.LongestWindowDays,
            ["requests_today"] = requestsToday,
            ["records_today"] = recordsToday,
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["quota_exceeded"] = Interlocked.Read(ref searches.QuotaExceeded),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["invalid_params"] = Interlocked.Read(ref searches.InvalidParams),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
            ["token_requests"] = Interlocked.Read(ref searches.TokenRequests),
        });
    }

    private static Task InvalidAsync(HttpContext http, TikTokSearches searches, string message)
    {
        Interlocked.Increment(ref searches.InvalidParams);
        return ErrorAsync(http, 400, "invalid_params", message);
    }

    private static Task ErrorAsync(HttpContext http, int status, string code, string message) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteEndObject();
            WriteError(json, code, message);
            json.WriteEndObject();
        }, truncate: false, status: status);

    private static void WriteError(Utf8JsonWriter json, string code, string message)
    {
        json.WriteStartObject("error");
        json.WriteString("code", code);
        json.WriteString("message", message);
        json.WriteString("log_id", LogId());
        json.WriteEndObject();
    }

    private static string LogId() => "2026" + Guid.NewGuid().ToString("N")[..28].ToUpperInvariant();

    /// <summary>A query as the API reads it; <see cref="Problem"/> says why it is refused (400 <c>invalid_params</c>).</summary>
    private sealed record Request(string Query, HashSet<string> Keys, DateOnly Start, DateOnly End, int MaxCount, int? Cursor, string? SearchId, string? Problem)
    {
        public static async Task<Request> ReadAsync(HttpContext http)
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body);
            var root = document.RootElement;
            string? problem = null;
            var values = new List<string>();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("query", out var query) || !query.TryGetProperty("and", out var and) || and.ValueKind != JsonValueKind.Array)
            {
                problem = "query.and is required (the simulator reads hashtag_name conditions under and).";
            }
            else
            {
                foreach (var condition in and.EnumerateArray())
                {
                    if (Text(condition, "field_name") != "hashtag_name" || Text(condition, "operation") is not ("IN" or "EQ")
                        || !condition.TryGetProperty("field_values", out var list) || list.ValueKind != JsonValueKind.Array)
                    {
                        problem = "the simulator takes hashtag_name conditions with IN or EQ and field_values only.";
                        break;
                    }

                    values.AddRange(list.EnumerateArray().Select(v => v.GetString() ?? string.Empty));
                }
            }

            var start = Day(root, "start_date");
            var end = Day(root, "end_date");
            if (start is null || end is null)
            {
                problem ??= "start_date and end_date are required, as YYYYMMDD.";
            }
            else if (end < start || end.Value.DayNumber - start.Value.DayNumber > WindowLimitDays)
            {
                problem ??= $"end_date must be on or after start_date and no more than {WindowLimitDays} days after it.";
            }

            var maxCount = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("max_count", out var max) ? max.GetInt32() : 20;
            if (maxCount is < 1 or > 100)
            {
                problem ??= "max_count must be between 1 and 100.";
            }

            int? cursor = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cursor", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            var searchId = root.ValueKind == JsonValueKind.Object ? Text(root, "search_id") : null;
            if (searchId is not null && cursor is null)
            {
                problem ??= "cursor is required with search_id.";
            }

            // A value with '#' names no hashtag: TikTok's hashtag names have none.
            var keys = values.Where(v => !v.StartsWith('#')).Select(v => HashtagNormalizer.Normalize(v)).ToHashSet(StringComparer.Ordinal);
            var text = $"{string.Join(',', values)}|{start}|{end}";
            return new Request(text, keys, start ?? default, end ?? default, maxCount, cursor, searchId, problem);
        }

        private static DateOnly? Day(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && Text(root, name) is { } text
                && DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

/// <summary>A search as it stood on its first page, for <c>search_id</c> paging.</summary>
internal sealed record Search(string Id, string Query, IReadOnlyList<SimPost> Videos);

/// <summary>The simulated API's own state: cached searches, the windows asked for, the daily quota.</summary>
internal sealed class TikTokSearches
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _windows = new(StringComparer.Ordinal);
    private long _searches;
    private (DateOnly Day, long Requests, long Records) _today;

    public long QuotaExceeded;
    public long InvalidParams;
    public long TokenRequests;

    public ConcurrentDictionary<string, Search> Cached { get; } = new(StringComparer.Ordinal);

    public long Count => Interlocked.Read(ref _searches);

    public int LongestWindowDays { get; private set; }

    /// <summary>The windows new searches asked for, <c>YYYYMMDD-YYYYMMDD</c>, in order.</summary>
    public IReadOnlyList<string> Windows
    {
        get
        {
            lock (_gate)
            {
                return [.. _windows.Order(StringComparer.Ordinal)];
            }
        }
    }

    public Search Start(string query, IReadOnlyList<SimPost> videos)
    {
        // Search ids look like TikTok's: long decimal numbers.
        var id = (7_300_000_000_000_000_000L + Interlocked.Increment(ref _searches)).ToString(CultureInfo.InvariantCulture);
        var search = new Search(id, query, videos);
        Cached[id] = search;
        return search;
    }

    public void Windowed(DateOnly start, DateOnly end)
    {
        lock (_gate)
        {
            _windows.Add($"{start:yyyyMMdd}-{end:yyyyMMdd}");
            LongestWindowDays = Math.Max(LongestWindowDays, end.DayNumber - start.DayNumber + 1);
        }
    }

    /// <summary>Counts a request and its videos against the (real) UTC day; false, and nothing counted but the request, past a limit.</summary>
    public bool Spend(DateTimeOffset realNow, int records, TikTokSimulationOptions limits)
    {
        var day = DateOnly.FromDateTime(realNow.UtcDateTime);
        lock (_gate)
        {
            var (current, requests, served) = _today.Day == day ? _today : (day, 0, 0);
            requests++;
            var ok = requests <= limits.DailyRequestLimit && served + records <= limits.DailyRecordLimit;
            _today = (current, requests, ok ? served + records : served);
            return ok;
        }
    }

    public (long Requests, long Records) Today(DateTimeOffset realNow)
    {
        lock (_gate)
        {
            return _today.Day == DateOnly.FromDateTime(realNow.UtcDateTime) ? (_today.Requests, _today.Records) : (0, 0);
        }
    }
}
