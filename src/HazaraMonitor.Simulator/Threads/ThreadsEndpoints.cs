using System.Text;

namespace HazaraMonitor.Simulator.Threads;

/// <summary>
/// Threads keyword search as documented (https://developers.facebook.com/documentation/threads/keyword-search)
/// under <c>/threads</c>: <c>GET /v1.0/keyword_search?q=&amp;search_type=RECENT|TOP&amp;search_mode=TAG|KEYWORD&amp;fields=&amp;since=&amp;until=&amp;limit=&amp;after=</c>,
/// <c>since</c>/<c>until</c> in Unix seconds, 1-100 a page (default 25), and the Graph paging shape
/// (<c>paging.cursors.after</c>, <c>paging.next</c> while there is more). Each user may make 2,200
/// searches per rolling 24 hours; a search that finds nothing does not count. A hashtag Meta deems
/// sensitive answers <c>{"data":[]}</c>, the same as one nobody used. Errors are Graph error bodies
/// with HTTP 400: 190 for a refused token, 4 for a throttled app, 17 for the day's searches spent
/// (the code Meta sends there is not documented), 100 for a bad parameter.
/// </summary>
public static class ThreadsEndpoints
{
    internal const string Key = "threads";

    private const string AllServed = "all";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "Threads at /threads (v1.0/keyword_search); stats at /sim/threads/stats?tags=...",
        app => app.MapThreadsApi(),
        services =>
        {
            services.AddOptions<ThreadsSimulationOptions>().BindConfiguration(ThreadsSimulationOptions.Section);
            services.AddSingleton<ThreadsSimulation>();
        });

    public static IEndpointRouteBuilder MapThreadsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/threads/v1.0/keyword_search", SearchAsync);
        app.MapGet("/sim/threads/stats", Stats);
        return app;
    }

    private static async Task SearchAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, ThreadsSimulation sim,
        [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<ThreadsSimulationOptions> threads)
    {
        var settings = threads.Value;
        var token = http.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header[7..]
            : http.Request.Query["access_token"].FirstOrDefault();
        if (token != settings.AccessToken)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 190, "Invalid OAuth access token - Cannot parse access token");
            return;
        }

        if (state.ShouldFault(options.Value.RateLimitedShare, forcedAt: 4, numberRequest: true))
        {
            Interlocked.Increment(ref state.RateLimited);
            await ErrorAsync(http, 4, "(#4) Application request limit reached");
            return;
        }

        var q = http.Request.Query;
        var text = (q["q"].FirstOrDefault() ?? string.Empty).TrimStart('#').Trim();
        var tagMode = (q["search_mode"].FirstOrDefault() ?? "KEYWORD") == "TAG";
        var top = (q["search_type"].FirstOrDefault() ?? "TOP") == "TOP";
        if (text.Length == 0 || (tagMode && !HashtagNormalizer.IsValid(text)))
        {
            await ErrorAsync(http, 100, "(#100) The parameter q is required and must be a keyword or, with search_mode=TAG, a tag.");
            return;
        }

        if (!sim.MayQuery(clock.RealNow, settings.QueriesPerDay))
        {
            Interlocked.Increment(ref state.RateLimited);
            await ErrorAsync(http, 17, $"(#17) User request limit reached: {settings.QueriesPerDay} keyword searches within 24 hours.");
            return;
        }

        var key = HashtagNormalizer.Normalize(text);
        var since = long.TryParse(q["since"], CultureInfo.InvariantCulture, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : clock.TimelineStart;
        var until = long.TryParse(q["until"], CultureInfo.InvariantCulture, out var u) ? DateTimeOffset.FromUnixTimeSeconds(u) : clock.Now.AddTicks(1);
        var limit = Math.Clamp(int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 25, 1, 100);
        var fields = (q["fields"].FirstOrDefault() ?? "id").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var withheld = settings.WithheldHashtags.Any(w => HashtagNormalizer.Normalize(w) == key);
        var matching = withheld ? [] : timeline.Between(since, until > clock.Now ? clock.Now.AddTicks(1) : until)
            .Where(p => tagMode ? p.HashtagKeys.Contains(key) : p.Text.Contains(text, StringComparison.OrdinalIgnoreCase));
        var ordered = (top ? matching.OrderByDescending(p => p.Likes).ThenByDescending(p => p.Id) : matching.OrderByDescending(p => p.Id)).ToList();
        var start = 0;
        if (q["after"].FirstOrDefault() is { } after)
        {
            if (Decode(after) is not { } last)
            {
                await ErrorAsync(http, 100, "(#100) Invalid cursor.");
                return;
            }

            // Newest first: the next page starts below the last post of the previous one.
            start = top ? ordered.FindIndex(p => p.Id == last) + 1 : ordered.FindIndex(p => p.Id < last);
            start = start < 0 ? ordered.Count : start;
        }

        var page = ordered.Skip(start).Take(limit).ToList();
        var more = start + page.Count < ordered.Count;
        if (withheld)
        {
            Interlocked.Increment(ref sim.WithheldAnswers);
        }
        else if (page.Count > 0)
        {
            // Only searches that find something count against the day.
            sim.Counted(clock.RealNow);
        }

        state.Served(AllServed, page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        var malformed = state.ShouldTruncate(options.Value.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var post in page)
            {
                WritePost(json, post, fields);
            }

            json.WriteEndArray();
            if (page.Count > 0)
            {
                json.WriteStartObject("paging");
                json.WriteStartObject("cursors");
                json.WriteString("before", Encode(page[0].Id));
                json.WriteString("after", Encode(page[^1].Id));
                json.WriteEndObject();
                if (more)
                {
                    var next = new StringBuilder($"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?");
                    next.Append(string.Join('&', q.Where(p => p.Key != "after").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}")));
                    next.Append("&after=").Append(Encode(page[^1].Id));
                    json.WriteString("next", next.ToString());
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }, truncate: malformed);
    }

    private static void WritePost(Utf8JsonWriter json, SimPost post, HashSet<string> fields)
    {
        var id = post.Id.ToString(CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteString("id", id);
        if (fields.Contains("text"))
        {
            json.WriteString("text", post.Text);
        }

        if (fields.Contains("media_type"))
        {
            json.WriteString("media_type", post.Id % 4 == 0 ? "IMAGE" : "TEXT_POST");
        }

        if (fields.Contains("permalink"))
        {
            json.WriteString("permalink", $"https://www.threads.net/@u{post.AuthorId}/post/{post.Id:x}");
        }

        if (fields.Contains("timestamp"))
        {
            json.WriteString("timestamp", post.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture));
        }

        if (fields.Contains("username"))
        {
            json.WriteString("username", "u" + post.AuthorId);
        }

        if (fields.Contains("has_replies"))
        {
            json.WriteBoolean("has_replies", post.Replies > 0);
        }

        if (fields.Contains("is_quote_post"))
        {
            json.WriteBoolean("is_quote_post", post.Quotes > 3);
        }

        if (fields.Contains("is_reply"))
        {
            json.WriteBoolean("is_reply", false);
        }

        json.WriteEndObject();
    }

    private static string Encode(long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture)));

    private static long? Decode(string cursor)
    {
        try
        {
            return long.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, ThreadsSimulation sim, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = matching.Count(p => state.WasServed(AllServed, p.Id.ToString(CultureInfo.InvariantCulture))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["counted_queries"] = sim.CountedQueries(clock.RealNow),
            ["withheld_answers"] = Interlocked.Read(ref sim.WithheldAnswers),
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
        });
    }

    private static Task ErrorAsync(HttpContext http, int code, string message) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", "OAuthException");
            json.WriteNumber("code", code);
            json.WriteString("fbtrace_id", "AbCdEfGhIjK");
            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: false, status: 400);

    /// <summary>The searches of the last 24 hours that counted (found something).</summary>
    internal sealed class ThreadsSimulation
    {
        private static readonly TimeSpan Day = TimeSpan.FromDays(1);

        private readonly Lock _gate = new();
        private readonly Queue<DateTimeOffset> _counted = new();

        public long WithheldAnswers;

        public bool MayQuery(DateTimeOffset now, int limit)
        {
            lock (_gate)
            {
                Trim(now);
                return _counted.Count < limit;
            }
        }

        public void Counted(DateTimeOffset now)
        {
            lock (_gate)
            {
                _counted.Enqueue(now);
            }
        }

        public int CountedQueries(DateTimeOffset now)
        {
            lock (_gate)
            {
                Trim(now);
                return _counted.Count;
            }
        }

        private void Trim(DateTimeOffset now)
        {
            while (_counted.TryPeek(out var oldest) && oldest <= now - Day)
            {
                _counted.Dequeue();
            }
        }
    }
}
