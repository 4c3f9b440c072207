using System.Buffers.Text;
using System.Text;

namespace HazaraMonitor.Simulator.X;

/// <summary>
/// X API v2 recent search and recent counts as documented (https://docs.x.com/x-api/posts/search-recent-posts, https://docs.x.com/x-api/posts/get-count-of-recent-posts):
/// bearer auth, <c>since_id</c>/<c>start_time</c>, <c>next_token</c> paging newest first,
/// <c>x-rate-limit-*</c> headers, both 429 body shapes, problem-details errors.
/// </summary>
public static class XEndpoints
{
    private static readonly TimeSpan RecentReach = TimeSpan.FromDays(7);

    internal const string Key = "x";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "X API v2 at /2/tweets/search/recent and /2/tweets/counts/recent; stats at /sim/x/stats?query=...",
        app => app.MapXApi(),
        services => services.AddSingleton<XBilling>().AddOptions<XSimulationOptions>().BindConfiguration(XSimulationOptions.Section));

    public static IEndpointRouteBuilder MapXApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/2/tweets/search/recent", SearchAsync);
        app.MapGet("/2/tweets/counts/recent", CountsAsync);
        app.MapGet("/sim/x/stats", Stats);
        app.MapGet("/sim/x/billing", (XBilling billing) => Results.Json(new Dictionary<string, object>
        {
            ["posts_billed"] = billing.PostsBilled,
            ["counts_requests"] = billing.CountsRequests,
            ["usd"] = billing.Usd,
            ["counts_request_times"] = billing.CountsRequestTimes,
        }));
        return app;
    }

    private static async Task SearchAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<XSimulationOptions> x,
        XBilling billing)
    {
        if (await AdmitAsync(http, state, options.Value, x.Value, clock, search: true) is not { } query)
        {
            return;
        }

        var q = http.Request.Query;

        var maxResults = int.TryParse(q["max_results"], CultureInfo.InvariantCulture, out var m) ? m : 10;
        if (maxResults is < 10 or > 100)
        {
            await ProblemAsync(http, 400, "Invalid Request", $"The `max_results` query parameter value [{maxResults}] is not between 10 and 100", "invalid-request");
            return;
        }

        var now = clock.Now;
        var from = now - RecentReach;
        if (WireJson.TryTime(q["start_time"]) is { } start && start > from)
        {
            from = start;
        }

        var to = WireJson.TryTime(q["end_time"]) is { } endTime && endTime < now ? endTime : now;
        long sinceId = long.TryParse(q["since_id"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (sinceId > 0 && Snowflake.Time(sinceId) > from)
        {
            from = Snowflake.Time(sinceId);
        }

        var token = q["next_token"].FirstOrDefault() ?? q["pagination_token"].FirstOrDefault();
        long untilId = long.MaxValue;
        if (token is not null && !TryDecodeToken(token, out untilId))
        {
            await ProblemAsync(http, 400, "Invalid Request", "The `next_token` query parameter value is not valid.", "invalid-request");
            return;
        }

        var keys = HashtagNormalizer.Extract(query);
        var matching = timeline.Between(from, to.AddTicks(1))
            .Where(p => p.Id > sinceId && p.Id < untilId && p.HashtagKeys.Any(keys.Contains))
            .OrderByDescending(p => p.Id)
            .Take(maxResults + 1)
            .ToList();
        var page = matching.Take(maxResults).ToList();
        string? next = null;
        if (matching.Count > maxResults)
        {
            // Sometimes the next page starts two posts early: the overlap a client must dedupe.
            var overlap = page.Count > 3 && state.Draw() < options.Value.OverlapShare ? 2 : 0;
            next = EncodeToken(page[^(1 + overlap)].Id);
        }

        state.Served(query, page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        // Drawn per post from the seed: a post that lacks its time lacks it on every page that repeats it.
        var withoutTime = x.Value.WithoutCreatedAtShare > 0
            ? page.Where(p => SeededRandom.For(options.Value.Seed, p.Id, stream: 2).NextDouble() < x.Value.WithoutCreatedAtShare).Select(p => p.Id).ToHashSet()
            : [];
        state.ServedWithoutTime(query, withoutTime.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        // Billed as sent, even when the page then arrives truncated.
        billing.Posts(now, page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        await WireJson.WriteJsonAsync(http, json => WriteSearchPage(json, page, next, withoutTime), truncate: state.ShouldTruncate(options.Value.MalformedShare));
    }

    private static async Task CountsAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<XSimulationOptions> x,
        XBilling billing)
    {
        if (await AdmitAsync(http, state, options.Value, x.Value, clock, search: false) is not { } query)
        {
            return;
        }

        billing.CountsRequest(clock.RealNow);

        var q = http.Request.Query;

        var granularity = q["granularity"].FirstOrDefault() ?? "hour";
        var width = granularity switch
        {
            "minute" => TimeSpan.FromMinutes(1),
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (width == TimeSpan.Zero)
        {
            await ProblemAsync(http, 400, "Invalid Request", $"The `granularity` query parameter value [{granularity}] is not one of [minute,hour,day]", "invalid-request");
            return;
        }

        var now = clock.Now;
        var from = WireJson.TryTime(q["start_time"]) ?? now - RecentReach;
        var to = WireJson.TryTime(q["end_time"]) ?? now;
        var keys = HashtagNormalizer.Extract(query);
        var first = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % width.Ticks), TimeSpan.Zero);
        var byBucket = new Dictionary<long, int>();
        for (var minute = first; minute < to; minute = minute.AddMinutes(1))
        {
            if (timeline.CountMatching(minute, to, keys) is > 0 and var n)
            {
                var bucket = minute.UtcTicks - (minute.UtcTicks % width.Ticks);
                byBucket[bucket] = byBucket.GetValueOrDefault(bucket) + n;
            }
        }

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            long total = 0;
            for (var t = first; t < to; t += width)
            {
                // Counts also see reposts and posts search filters out ("counts may not exactly match search").
                var counted = byBucket.GetValueOrDefault(t.UtcTicks);
                var reported = counted + (counted / 5);
                total += reported;
                json.WriteStartObject();
                json.WriteString("end", WireJson.Format(t + width));
                json.WriteString("start", WireJson.Format(t));
                json.WriteNumber("tweet_count", reported);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("meta");
            json.WriteNumber("total_tweet_count", total);
            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: false);
    }

    private static IResult Stats(string query, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = HashtagNormalizer.Extract(query);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Count(p => p.HashtagKeys.Any(keys.Contains));
        return Results.Json(new Dictionary<string, object?>
        {
            ["sim_now"] = clock.Now,
            ["timeline_start"] = clock.TimelineStart,
            ["timeline_end"] = clock.TimelineEnd,
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching,
            ["served_unique"] = state.ServedUnique(query),
            ["served_without_created_at"] = state.ServedWithoutTimeUnique(query),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
            ["server_errors"] = Interlocked.Read(ref state.ServerErrors),
            ["slow"] = Interlocked.Read(ref state.Slow),
        });
    }

    /// <summary>
    /// Authentication, the rate-limit window, 429 injection and the required <c>query</c>: the
    /// query when the request may go on, null when it has been answered already.
    /// </summary>
    private static async Task<string?> AdmitAsync(HttpContext http, PlatformState state, SimulatorOptions options, XSimulationOptions x, SimClock clock, bool search)
    {
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + x.BearerToken)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await WireJson.WriteJsonAsync(http, json =>
            {
                json.WriteStartObject();
                json.WriteString("title", "Unauthorized");
                json.WriteString("type", "about:blank");
                json.WriteNumber("status", 401);
                json.WriteString("detail", "Unauthorized");
                json.WriteEndObject();
            }, truncate: false, status: 401);
            return null;
        }

        if (x.SlowShare > 0 && state.Draw() < x.SlowShare)
        {
            // Answered late: a client with a shorter timeout has given up and retries.
            Interlocked.Increment(ref state.Slow);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(x.SlowSeconds), http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        if (x.ServerErrorShare > 0 && state.Draw() < x.ServerErrorShare)
        {
            Interlocked.Increment(ref state.ServerErrors);
            await ProblemAsync(http, 503, "Service Unavailable", "Service Unavailable", "service-unavailable");
            return null;
        }

        var (remaining, reset) = state.Spend(clock.RealNow);
        var injected = search && state.ShouldFault(options.RateLimitedShare, forcedAt: 4, numberRequest: true);
        if (remaining < 0 || injected)
        {
            var retry = injected ? clock.RealNow.AddSeconds(options.RateLimitResetSeconds) : reset;
            SetRateHeaders(http, options, 0, retry);
            var shape = Interlocked.Increment(ref state.RateLimited) % 2;
            await WireJson.WriteJsonAsync(http, json =>
            {
                json.WriteStartObject();
                if (shape == 0)
                {
                    // v1.1-style body documented on the rate-limits page.
                    json.WriteStartArray("errors");
                    json.WriteStartObject();
                    json.WriteNumber("code", 88);
                    json.WriteString("message", "Rate limit exceeded");
                    json.WriteEndObject();
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("title", "Too Many Requests");
                    json.WriteString("detail", "Too Many Requests");
                    json.WriteString("type", "https://api.x.com/2/problems/rate-limit-exceeded");
                    json.WriteNumber("status", 429);
                }

                json.WriteEndObject();
            }, truncate: false, status: 429);
            return null;
        }

        SetRateHeaders(http, options, remaining, reset);
        if (http.Request.Query["query"].FirstOrDefault() is not { Length: > 0 } query)
        {
            await ProblemAsync(http, 400, "Invalid Request", "The `query` query parameter can not be empty.", "invalid-request");
            return null;
        }

        return query;
    }

    private static void SetRateHeaders(HttpContext http, SimulatorOptions options, int remaining, DateTimeOffset reset)
    {
        http.Response.Headers["x-rate-limit-limit"] = options.RequestsPerWindow.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["x-rate-limit-remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["x-rate-limit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteSearchPage(Utf8JsonWriter json, List<SimPost> page, string? next, HashSet<long> withoutTime)
    {
        json.WriteStartObject();
        if (page.Count > 0)
        {
            json.WriteStartArray("data");
            foreach (var post in page)
            {
                WritePost(json, post, !withoutTime.Contains(post.Id));
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("meta");
        if (page.Count > 0)
        {
            json.WriteString("newest_id", page[0].Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("oldest_id", page[^1].Id.ToString(CultureInfo.InvariantCulture));
        }

        json.WriteNumber("result_count", page.Count);
        if (next is not null)
        {
            json.WriteString("next_token", next);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePost(Utf8JsonWriter json, SimPost post, bool withTime)
    {
        json.WriteStartObject();
        json.WriteString("id", post.Id.ToString(CultureInfo.InvariantCulture));
        json.WriteString("text", post.Text);
        if (withTime)
        {
            json.WriteString("created_at", WireJson.Format(post.CreatedAt));
        }

        json.WriteString("author_id", post.AuthorId);
        json.WriteString("lang", post.Language);
        json.WriteStartArray("edit_history_tweet_ids");
        json.WriteStringValue(post.Id.ToString(CultureInfo.InvariantCulture));
        json.WriteEndArray();
        json.WriteStartObject("entities");
        json.WriteStartArray("hashtags");
        foreach (var tag in post.Hashtags)
        {
            var start = post.Text.IndexOf("#" + tag, StringComparison.Ordinal);
            json.WriteStartObject();
            json.WriteNumber("start", start);
            json.WriteNumber("end", start + tag.Length + 1);
            json.WriteString("tag", tag);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("public_metrics");
        json.WriteNumber("retweet_count", post.Reposts);
        json.WriteNumber("reply_count", post.Replies);
        json.WriteNumber("like_count", post.Likes);
        json.WriteNumber("quote_count", post.Quotes);
        json.WriteNumber("bookmark_count", 0);
        json.WriteNumber("impression_count", post.Likes * 40);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static Task ProblemAsync(HttpContext http, int status, string title, string detail, string type) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteString("detail", detail);
            json.WriteString("type", "https://api.x.com/2/problems/" + type);
            json.WriteEndObject();
        }, truncate: false, status: status);

    // Tokens are opaque to clients; here, the exclusive upper id bound of the next page, base64url.
    private static string EncodeToken(long untilId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes("u" + untilId.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeToken(string token, out long untilId)
    {
        untilId = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith('u') && long.TryParse(text.AsSpan(1), CultureInfo.InvariantCulture, out untilId);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
