using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace HazaraMonitor.Simulator.Instagram;

/// <summary>
/// Instagram's Graph API hashtag search as documented
/// (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag-search,
/// …/ig-hashtag/recent-media) under <c>/instagram</c>: <c>GET /ig_hashtag_search?user_id=&amp;q=</c> gives a
/// hashtag's global id; <c>GET /{id}/recent_media?user_id=&amp;fields=&amp;limit=&amp;after=</c> gives the media of
/// the last 24 hours (of simulated time), at most 50 a page, <b>in no chronological order</b>, with an
/// <c>after</c> cursor that is <b>the same on every page</b> of a result set and still gives the next
/// page: the cursor names the result set, which moves on each time it is used (so a page lost in
/// transit is not served again). No author is given. The account may query 30 distinct hashtags per
/// rolling 7 days; the usage headers <c>X-App-Usage</c> and <c>X-Business-Use-Case-Usage</c> report
/// the share of the hour's calls used, and errors come as Graph error bodies with HTTP 400: code 190
/// for a refused token, 4 for a throttled app, 24 for the hashtag limit (the code Meta sends there is
/// not documented), 100 for a sensitive hashtag or a bad parameter.
/// </summary>
public static class InstagramEndpoints
{
    internal const string Key = "instagram";

    private const string AllServed = "all";

    private const int MaxLimit = 50;

    private static readonly TimeSpan Reach = TimeSpan.FromHours(24);

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "Instagram Graph API at /instagram (ig_hashtag_search, {hashtag-id}/recent_media); stats at /sim/instagram/stats?tags=...",
        app => app.MapInstagramApi(),
        services =>
        {
            services.AddOptions<InstagramSimulationOptions>().BindConfiguration(InstagramSimulationOptions.Section);
            services.AddSingleton<InstagramSimulation>();
        });

    public static IEndpointRouteBuilder MapInstagramApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/instagram/ig_hashtag_search", SearchAsync);
        app.MapGet("/instagram/{hashtagId}/recent_media", RecentMediaAsync);
        app.MapGet("/sim/instagram/stats", Stats);
        return app;
    }

    /// <summary>A hashtag's id: global and stable, as Instagram's are (<c>#bluebottle</c> is always 17843857450040591).</summary>
    public static string HashtagId(string key) =>
        "178" + (BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(key))) % 100_000_000_000_000UL).ToString("D14", CultureInfo.InvariantCulture);

    private static async Task SearchAsync(
        HttpContext http, SimClock clock, InstagramSimulation sim, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<InstagramSimulationOptions> instagram)
    {
        var settings = instagram.Value;
        if (!await AdmitAsync(http, clock, state, options.Value, settings, fault: false))
        {
            return;
        }

        Interlocked.Increment(ref sim.HashtagSearches);
        var q = (http.Request.Query["q"].FirstOrDefault() ?? string.Empty).TrimStart('#').Trim();
        if (q.Length == 0 || !HashtagNormalizer.IsValid(q) || settings.SensitiveHashtags.Any(s => HashtagNormalizer.Normalize(s) == HashtagNormalizer.Normalize(q)))
        {
            // Sensitive or offensive hashtags get "a generic error" (the reference), like a bad parameter.
            await ErrorAsync(http, 100, "Invalid parameter", "OAuthException");
            return;
        }

        var key = HashtagNormalizer.Normalize(q);
        if (!sim.Query(settings.UserId, key, clock.RealNow, settings.HashtagsPerWeek))
        {
            await ErrorAsync(http, 24, $"The account has queried {settings.HashtagsPerWeek} unique hashtags within 7 days", "OAuthException");
            return;
        }

        var id = HashtagId(key);
        sim.Ids[id] = key;
        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }, truncate: false);
    }

    private static async Task RecentMediaAsync(
        string hashtagId, HttpContext http, CampaignTimeline timeline, SimClock clock, InstagramSimulation sim,
        [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<InstagramSimulationOptions> instagram)
    {
        var settings = instagram.Value;
        if (!await AdmitAsync(http, clock, state, options.Value, settings, fault: true))
        {
            return;
        }

        // Ids are global and stable, so one handed out before this process started (a client's cached
        // lookup) is as good as one handed out now.
        if (!sim.Ids.TryGetValue(hashtagId, out var key))
        {
            key = CampaignTimeline.HashtagKeys.FirstOrDefault(k => HashtagId(k) == hashtagId);
            if (key is null)
            {
                await ErrorAsync(http, 100, $"Unsupported get request. Object with ID '{hashtagId}' does not exist.", "GraphMethodException");
                return;
            }

            sim.Ids[hashtagId] = key;
        }

        if (!sim.Query(settings.UserId, key, clock.RealNow, settings.HashtagsPerWeek))
        {
            await ErrorAsync(http, 24, $"The account has queried {settings.HashtagsPerWeek} unique hashtags within 7 days", "OAuthException");
            return;
        }

        var q = http.Request.Query;
        var limit = Math.Clamp(int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 25, 1, MaxLimit);
        var fields = (q["fields"].FirstOrDefault() ?? "id").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        InstagramSimulation.ResultSet? set;
        if (q["after"].FirstOrDefault() is { } after)
        {
            if (!sim.Sets.TryGetValue(after, out set) || set.HashtagId != hashtagId)
            {
                await ErrorAsync(http, 100, "Invalid cursor.", "OAuthException");
                return;
            }
        }
        else
        {
            // The media published within 24 hours of the query, in an order that is not chronological.
            var now = clock.Now;
            var media = timeline.Between(now - Reach, now.AddTicks(1)).Where(p => p.HashtagKeys.Contains(key)).ToList();
            var number = Interlocked.Increment(ref sim.SetCount);
            new Random(unchecked(options.Value.Seed + (int)number)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(media));
            set = new InstagramSimulation.ResultSet(hashtagId, Cursor(options.Value.Seed, number), media);
            sim.Open(set);
        }

        var (page, more) = set.Next(limit);
        if (!more)
        {
            sim.Sets.TryRemove(set.Cursor, out _);
        }

        state.Served(AllServed, page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        var malformed = state.ShouldTruncate(options.Value.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var post in page)
            {
                WriteMedia(json, post, fields);
            }

            json.WriteEndArray();
            json.WriteStartObject("paging");
            json.WriteStartObject("cursors");
            // The same value on every page of the set, and no "before".
            json.WriteString("after", set.Cursor);
            json.WriteEndObject();
            if (more)
            {
                json.WriteString("next", $"{http.Request.Scheme}://{http.Request.Host}/instagram/{hashtagId}/recent_media?user_id={settings.UserId}&fields={string.Join(',', fields)}&limit={limit}&after={Uri.EscapeDataString(set.Cursor)}");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: malformed);
    }

    /// <summary>
    /// Checks the token and the account, counts the call in the hour and writes the usage headers;
    /// answers a refused token, a throttled app or (when <paramref name="fault"/>) an injected
    /// throttle. False when it answered.
    /// </summary>
    private static async Task<bool> AdmitAsync(HttpContext http, SimClock clock, PlatformState state, SimulatorOptions options, InstagramSimulationOptions settings, bool fault)
    {
        var token = http.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header[7..]
            : http.Request.Query["access_token"].FirstOrDefault();
        if (token != settings.AccessToken)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 190, "Invalid OAuth access token - Cannot parse access token", "OAuthException");
            return false;
        }

        if (http.Request.Query["user_id"].FirstOrDefault() != settings.UserId)
        {
            await ErrorAsync(http, 100, "Invalid user id", "OAuthException");
            return false;
        }

        var (remaining, reset) = state.Spend(clock.RealNow, settings.UserId, windowSeconds: 3600, limit: settings.CallsPerHour);
        var used = settings.CallsPerHour - remaining;
        var percent = Math.Min(100, (int)Math.Ceiling(100.0 * used / settings.CallsPerHour));
        var regain = remaining < 0 ? (int)Math.Ceiling((reset - clock.RealNow).TotalMinutes) : 0;
        var injected = fault && state.ShouldFault(options.RateLimitedShare, forcedAt: 4, numberRequest: true);
        WriteUsage(http, injected ? 100 : percent, regain, settings.UserId);
        if (remaining < 0 || injected)
        {
            Interlocked.Increment(ref state.RateLimited);
            await ErrorAsync(http, remaining < 0 ? 80002 : 4, remaining < 0
                ? "There have been too many calls to this Instagram account. Wait a bit and try again."
                : "(#4) Application request limit reached", "OAuthException");
            return false;
        }

        return true;
    }

    /// <summary>The usage headers: percentages of the hour's calls, and minutes until access returns when it is gone.</summary>
    private static void WriteUsage(HttpContext http, int percent, int regainMinutes, string userId)
    {
        var time = percent / 2;
        http.Response.Headers["X-App-Usage"] = $"{{\"call_count\":{percent},\"total_cputime\":{time},\"total_time\":{time}}}";
        http.Response.Headers["X-Business-Use-Case-Usage"] =
            $"{{\"{userId}\":[{{\"type\":\"instagram\",\"call_count\":{percent},\"total_cputime\":{time},\"total_time\":{time},\"estimated_time_to_regain_access\":{regainMinutes}}}]}}";
    }

    private static void WriteMedia(Utf8JsonWriter json, SimPost post, HashSet<string> fields)
    {
        json.WriteStartObject();
        json.WriteString("id", post.Id.ToString(CultureInfo.InvariantCulture));
        if (fields.Contains("caption"))
        {
            json.WriteString("caption", post.Text);
        }

        if (fields.Contains("media_type"))
        {
            json.WriteString("media_type", (post.Id % 3) switch { 0 => "IMAGE", 1 => "VIDEO", _ => "CAROUSEL_ALBUM" });
        }

        if (fields.Contains("permalink"))
        {
            json.WriteString("permalink", $"https://www.instagram.com/p/{post.Id:x}/");
        }

        if (fields.Contains("timestamp"))
        {
            json.WriteString("timestamp", post.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture));
        }

        // Omitted when the owner hides like counts.
        if (fields.Contains("like_count") && post.Id % 5 != 0)
        {
            json.WriteNumber("like_count", post.Likes);
        }

        if (fields.Contains("comments_count"))
        {
            json.WriteNumber("comments_count", post.Replies);
        }

        json.WriteEndObject();
    }

    private static string Cursor(int seed, long set) =>
        "QVFI" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{set}")))[..36].Replace('+', '-').Replace('/', '_');

    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, InstagramSimulation sim, [FromKeyedServices(Key)] PlatformState state, IOptions<InstagramSimulationOptions> instagram)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var now = clock.Now;
        var matching = timeline.Between(now - Reach, now.AddTicks(1)).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = matching.Count(p => state.WasServed(AllServed, p.Id.ToString(CultureInfo.InvariantCulture))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["hashtag_searches"] = Interlocked.Read(ref sim.HashtagSearches),
            ["hashtags_in_week"] = sim.InWeek(instagram.Value.UserId, clock.RealNow),
            ["result_sets"] = Interlocked.Read(ref sim.SetCount),
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
        });
    }

    private static Task ErrorAsync(HttpContext http, int code, string message, string type) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            json.WriteNumber("code", code);
            json.WriteString("fbtrace_id", "AbCdEfGhIjK");
            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: false, status: 400);

    /// <summary>What the simulated Instagram remembers between calls.</summary>
    internal sealed class InstagramSimulation
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(string User, string Key), DateTimeOffset> _queried = [];

        public long HashtagSearches;
        public long SetCount;

        /// <summary>Hashtag id → its comparison key, for the ids handed out.</summary>
        public ConcurrentDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

        /// <summary>Result sets still being paged, by their cursor.</summary>
        public ConcurrentDictionary<string, ResultSet> Sets { get; } = new(StringComparer.Ordinal);

        /// <summary>Result sets in the order they were opened, so the ones a client left unfinished do not pile up.</summary>
        private readonly ConcurrentQueue<string> _opened = new();

        /// <summary>Most unfinished result sets kept: a client that returns to an older one gets "Invalid cursor".</summary>
        private const int MostOpen = 500;

        public void Open(ResultSet set)
        {
            Sets[set.Cursor] = set;
            _opened.Enqueue(set.Cursor);
            while (_opened.Count > MostOpen && _opened.TryDequeue(out var oldest))
            {
                Sets.TryRemove(oldest, out _);
            }
        }

        /// <summary>
        /// Counts a query of hashtag <paramref name="key"/> for the account: free when it was queried in
        /// the last 7 days (its time is not reset), a new place while fewer than <paramref name="limit"/> are held; false when refused.
        /// </summary>
        public bool Query(string user, string key, DateTimeOffset now, int limit)
        {
            lock (_gate)
            {
                if (_queried.TryGetValue((user, key), out var first) && first > now - Week)
                {
                    return true;
                }

                if (_queried.Count(q => q.Key.User == user && q.Value > now - Week) >= limit)
                {
                    return false;
                }

                _queried[(user, key)] = now;
                return true;
            }
        }

        public int InWeek(string user, DateTimeOffset now)
        {
            lock (_gate)
            {
                return _queried.Count(q => q.Key.User == user && q.Value > now - Week);
            }
        }

        /// <summary>One query's media, shuffled, served page by page under one cursor.</summary>
        internal sealed class ResultSet(string hashtagId, string cursor, IReadOnlyList<SimPost> media)
        {
            private readonly Lock _gate = new();
            private int _served;

            public string HashtagId => hashtagId;

            public string Cursor => cursor;

            public (IReadOnlyList<SimPost> Page, bool More) Next(int limit)
            {
                lock (_gate)
                {
                    var page = media.Skip(_served).Take(limit).ToList();
                    _served += page.Count;
                    return (page, _served < media.Count);
                }
            }
        }
    }
}
