using System.Text;

namespace HazaraMonitor.Simulator.Reddit;

/// <summary>
/// Reddit as documented (https://www.reddit.com/dev/api#GET_search, https://github.com/reddit-archive/reddit/wiki/OAuth2): the app-only token endpoint
/// (<c>client_credentials</c> with HTTP Basic) at <c>/reddit/api/v1/access_token</c>, and search at
/// <c>/reddit/search</c>: <c>sort=new</c>, <c>after</c> fullnames, at most 100 per page and about
/// 1,000 reachable, <c>X-Ratelimit-Used/-Remaining/-Reset</c> with the reset in seconds, and the
/// <c>{"message": ..., "error": code}</c> error bodies.
/// </summary>
public static class RedditEndpoints
{
    private const string AllServed = "all";

    private const int ListingCap = 1000;

    /// <summary>Free tier: 100 queries a minute per client id (averaged over 10 minutes).</summary>
    private const int RequestsPerMinute = 100;

    internal const string Key = "reddit";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "Reddit at /reddit (token at /reddit/api/v1/access_token); stats at /sim/reddit/stats?tags=...",
        app => app.MapRedditApi(),
        services => services.AddOptions<RedditSimulationOptions>().BindConfiguration(RedditSimulationOptions.Section));

    public static IEndpointRouteBuilder MapRedditApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/reddit/api/v1/access_token", TokenAsync);
        app.MapGet("/reddit/search", SearchAsync);
        app.MapGet("/sim/reddit/stats", Stats);
        return app;
    }

    /// <summary>The post's fullname: <c>t3_</c> and its base-36 id, growing with time as Reddit's do.</summary>
    public static string Fullname(SimPost post) => "t3_" + Base36(post.Id);

    private static string Base36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }

    private static string Token(SimulatorOptions options) => "sim-reddit-" + options.Seed.ToString(CultureInfo.InvariantCulture);

    private static async Task TokenAsync(HttpContext http, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<RedditSimulationOptions> reddit)
    {
        var settings = options.Value;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{reddit.Value.ClientId}:{reddit.Value.ClientSecret}"));
        var form = await http.Request.ReadFormAsync();
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 401, "Unauthorized");
            return;
        }

        if (form["grant_type"] != "client_credentials")
        {
            await WireJson.WriteJsonAsync(http, json =>
            {
                json.WriteStartObject();
                json.WriteString("error", "unsupported_grant_type");
                json.WriteEndObject();
            }, truncate: false);
            return;
        }

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("access_token", Token(settings));
            json.WriteString("token_type", "bearer");
            json.WriteNumber("expires_in", reddit.Value.TokenLifetimeSeconds);
            json.WriteString("scope", "*");
            json.WriteEndObject();
        }, truncate: false);
    }

    private static async Task SearchAsync(HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options)
    {
        var settings = options.Value;
        if (http.Request.Headers.Authorization.ToString() != "bearer " + Token(settings))
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 401, "Unauthorized");
            return;
        }

        // A one-minute window; a fast-forwarded test raises it with RequestsPerWindow.
        var perMinute = Math.Max(RequestsPerMinute, settings.RequestsPerWindow / 15);
        var (remaining, reset) = state.Spend(clock.RealNow, windowSeconds: 60, limit: perMinute);
        var resetSeconds = Math.Max(1, (int)Math.Ceiling((reset - clock.RealNow).TotalSeconds));
        var injected = state.ShouldFault(settings.RateLimitedShare, forcedAt: 4, numberRequest: true);
        http.Response.Headers["X-Ratelimit-Used"] = (perMinute - remaining).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Ratelimit-Remaining"] = Math.Max(0, remaining).ToString("0.0", CultureInfo.InvariantCulture);
        http.Response.Headers["X-Ratelimit-Reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
        if (remaining < 0 || injected)
        {
            Interlocked.Increment(ref state.RateLimited);
            http.Response.Headers["X-Ratelimit-Remaining"] = "0.0";
            http.Response.Headers["X-Ratelimit-Reset"] = (injected ? settings.RateLimitResetSeconds : resetSeconds).ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(http, 429, "Too Many Requests");
            return;
        }

        var q = http.Request.Query;
        var words = (q["q"].FirstOrDefault() ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w != "OR").Select(w => HashtagNormalizer.Normalize(w.TrimStart('#'))).ToHashSet(StringComparer.Ordinal);
        var limit = Math.Clamp(int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 25, 1, 100);
        var after = q["after"].FirstOrDefault();
        var listing = timeline.Between(clock.TimelineStart, clock.Now.AddTicks(1))
            .Where(p => p.HashtagKeys.Any(words.Contains))
            .OrderByDescending(p => p.Id)
            .Take(ListingCap)
            .ToList();
        var start = after is null ? 0 : listing.FindIndex(p => Fullname(p) == after) + 1;
        var page = start == 0 && after is not null ? [] : listing.Skip(start).Take(limit).ToList();
        var more = start + page.Count < listing.Count;
        state.Served(AllServed, page.Select(Fullname));
        var malformed = state.ShouldTruncate(settings.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("kind", "Listing");
            json.WriteStartObject("data");
            if (more && page.Count > 0)
            {
                json.WriteString("after", Fullname(page[^1]));
            }
            else
            {
                json.WriteNull("after");
            }

            json.WriteNull("before");
            json.WriteNumber("dist", page.Count);
            json.WriteString("modhash", string.Empty);
            json.WriteStartArray("children");
            foreach (var post in page)
            {
                WriteLink(json, post);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }, truncate: malformed);
    }

    private static void WriteLink(System.Text.Json.Utf8JsonWriter json, SimPost post)
    {
        var title = post.Text.Length > 120 ? post.Text[..120] : post.Text;
        json.WriteStartObject();
        json.WriteString("kind", "t3");
        json.WriteStartObject("data");
        json.WriteString("id", Fullname(post)[3..]);
        json.WriteString("name", Fullname(post));
        json.WriteNumber("created_utc", post.CreatedAt.ToUnixTimeMilliseconds() / 1000.0);
        json.WriteString("author", "u" + post.AuthorId);
        json.WriteString("title", title);
        json.WriteString("selftext", post.Text);
        json.WriteNumber("score", post.Likes);
        json.WriteNumber("ups", post.Likes);
        json.WriteNumber("num_comments", post.Replies);
        json.WriteNumber("num_crossposts", post.Reposts / 10);
        json.WriteString("subreddit", post.Language == "fa" ? "afghanistan" : "worldnews");
        json.WriteString("permalink", $"/r/worldnews/comments/{Fullname(post)[3..]}/");
        json.WriteBoolean("over_18", false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        var served = matching.Count(p => state.WasServed(AllServed, Fullname(p)));
        var listed = matching.OrderByDescending(p => p.Id).Take(ListingCap).ToHashSet();
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = served,
            // Never served and fallen past the listing's 1,000: no reader can reach them any more.
            ["out_of_reach"] = matching.Count(p => !listed.Contains(p) && !state.WasServed(AllServed, Fullname(p))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["search_requests"] = state.SearchRequests,
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
        });
    }

    private static Task ErrorAsync(HttpContext http, int status, string message) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteNumber("error", status);
            json.WriteEndObject();
        }, truncate: false, status: status);
}
