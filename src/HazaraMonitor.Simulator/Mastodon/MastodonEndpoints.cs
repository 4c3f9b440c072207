using System.Net;

namespace HazaraMonitor.Simulator.Mastodon;

/// <summary>
/// Three Mastodon instances, <c>/mastodon/a</c>, <c>/b</c> and <c>/c</c>, serving the public tag
/// timeline as documented (https://docs.joinmastodon.org/methods/timelines/#tag): <c>any[]</c>, <c>min_id</c>/
/// <c>max_id</c>/<c>since_id</c>, limit 40, <c>Link</c> headers that drop <c>any[]</c> as the real
/// controller does, ISO-8601 <c>X-RateLimit-Reset</c>. Every post lives on one instance and is
/// federated to each other instance half of the time: same <c>uri</c>, a different <c>id</c> on each.
/// </summary>
public static class MastodonEndpoints
{
    public static readonly string[] Instances = ["a", "b", "c"];

    /// <summary>Key of the served-URI set: one union over every tag group and instance.</summary>
    private const string AllServed = "all";

    private const int MaxLimit = 40;
    private const int PagingLimitPerWindow = 300;

    internal const string Key = "mastodon";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "Mastodon instances at /mastodon/a, /b and /c; stats at /sim/mastodon/stats?tags=...",
        app => app.MapMastodonApi(),
        services => services.AddOptions<MastodonSimulationOptions>().BindConfiguration(MastodonSimulationOptions.Section));

    public static IEndpointRouteBuilder MapMastodonApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/mastodon/{instance}/api/v1/timelines/tag/{tag}", TimelineAsync);
        app.MapGet("/mastodon/{instance}/api/v1/tags/{name}", TagAsync);
        app.MapGet("/sim/mastodon/stats", Stats);
        return app;
    }

    /// <summary>
    /// The post's id on instance <paramref name="k"/>, or null when that instance does not know it: a
    /// Mastodon snowflake, milliseconds since the epoch shifted 16 bits, plus a per-post, per-instance sequence.
    /// </summary>
    internal static long? IdOn(SimPost post, int k)
    {
        var federated = ((post.Id / Instances.Length) + k) % 2 == 0;
        return k == Home(post) || federated
            ? (post.CreatedAt.ToUnixTimeMilliseconds() << 16) | (((post.Id & 0xFFF) * Instances.Length) + k)
            : null;
    }

    internal static string Uri(SimPost post) =>
        $"https://{Instances[Home(post)]}.example/users/u{post.AuthorId}/statuses/{post.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The instance the post's author is on: one for each author, as a person has one home.</summary>
    private static int Home(SimPost post) => (int)(long.Parse(post.AuthorId, CultureInfo.InvariantCulture) % Instances.Length);

    private static async Task TimelineAsync(
        HttpContext http, string instance, string tag, CampaignTimeline timeline, SimClock clock,
        [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<MastodonSimulationOptions> mastodon)
    {
        var k = Array.IndexOf(Instances, instance);
        if (k < 0)
        {
            await ErrorAsync(http, 404, "Record not found");
            return;
        }

        var settings = options.Value;
        if (mastodon.Value.AccessToken is { } token && http.Request.Headers.Authorization.ToString() != "Bearer " + token)
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 401, "The access token is invalid");
            return;
        }

        var (remaining, reset) = state.Spend(clock.RealNow, instance);
        var injected = state.ShouldFault(settings.RateLimitedShare, forcedAt: 4, numberRequest: true);
        if (remaining < 0 || injected)
        {
            Interlocked.Increment(ref state.RateLimited);
            SetRateHeaders(http, 0, injected ? clock.RealNow.AddSeconds(settings.RateLimitResetSeconds) : reset);
            await ErrorAsync(http, 429, "Too many requests");
            return;
        }

        SetRateHeaders(http, Math.Min(remaining, PagingLimitPerWindow), reset);
        var q = http.Request.Query;
        var limit = Math.Clamp(int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 20, 1, MaxLimit);
        var keys = new HashSet<string>(q["any[]"].Where(t => t is not null).Select(t => HashtagNormalizer.Normalize(t)), StringComparer.Ordinal) { HashtagNormalizer.Normalize(tag) };
        long? Id(string name) => long.TryParse(q[name], CultureInfo.InvariantCulture, out var v) ? v : null;
        var (minId, maxId, sinceId) = (Id("min_id"), Id("max_id"), Id("since_id"));

        var known = timeline.Between(clock.Now.AddDays(-7), clock.Now.AddTicks(1))
            .Where(p => p.HashtagKeys.Any(keys.Contains))
            .Select(p => (Post: p, Id: IdOn(p, k)))
            .Where(x => x.Id is { } id && (minId is null || id > minId) && (maxId is null || id < maxId) && (sinceId is null || id > sinceId))
            .Select(x => (x.Post, Id: x.Id!.Value));
        // min_id pages forward: the statuses immediately newer than it; the others the newest first.
        var page = (minId is not null ? known.OrderBy(x => x.Id).Take(limit) : known.OrderByDescending(x => x.Id).Take(limit))
            .OrderByDescending(x => x.Id).ToList();

        if (page.Count > 0)
        {
            var path = $"{http.Request.Scheme}://{http.Request.Host}/mastodon/{instance}/api/v1/timelines/tag/{System.Uri.EscapeDataString(tag)}";
            http.Response.Headers.Link = $"<{path}?limit={limit}&max_id={page[^1].Id}>; rel=\"next\", <{path}?limit={limit}&min_id={page[0].Id}>; rel=\"prev\"";
        }

        state.Served(AllServed, page.Select(x => Uri(x.Post)));
        var malformed = state.ShouldTruncate(settings.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartArray();
            foreach (var (post, id) in page)
            {
                WriteStatus(json, post, id, instance);
            }

            json.WriteEndArray();
        }, truncate: malformed);
    }

    /// <summary>A Tag with the last 7 days of history as the instance knows them; every value a string, as on the wire.</summary>
    private static async Task TagAsync(HttpContext http, string instance, string name, CampaignTimeline timeline, SimClock clock)
    {
        var k = Array.IndexOf(Instances, instance);
        var key = HashtagNormalizer.Normalize(name);
        var today = new DateTimeOffset(clock.Now.UtcDateTime.Date, TimeSpan.Zero);
        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name.ToLowerInvariant());
            json.WriteString("url", $"https://{instance}.example/tags/{System.Uri.EscapeDataString(name.ToLowerInvariant())}");
            json.WriteStartArray("history");
            for (var d = 0; d < 7; d++)
            {
                var day = today.AddDays(-d);
                var posts = k < 0 ? [] : timeline.Between(day, day.AddDays(1) < clock.Now ? day.AddDays(1) : clock.Now)
                    .Where(p => p.HashtagKeys.Contains(key) && IdOn(p, k) is not null).ToList();
                json.WriteStartObject();
                json.WriteString("day", day.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                json.WriteString("accounts", posts.Select(p => p.AuthorId).Distinct().Count().ToString(CultureInfo.InvariantCulture));
                json.WriteString("uses", posts.Count.ToString(CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("following", false);
            json.WriteEndObject();
        }, truncate: false, status: k < 0 ? 404 : 200);
    }

    /// <summary>Matching statuses so far across both instances (distinct URIs), and what was served.</summary>
    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Count(p => p.HashtagKeys.Any(keys.Contains));
        var federated = timeline.Between(clock.TimelineStart, clock.Now).Count(p => p.HashtagKeys.Any(keys.Contains) && Enumerable.Range(0, Instances.Length).Count(k => IdOn(p, k) is not null) > 1);
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching,
            ["on_several_instances"] = federated,
            ["served_unique"] = state.ServedUnique(AllServed),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["requests"] = state.SearchRequests,
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
        });
    }

    private static void WriteStatus(Utf8JsonWriter json, SimPost post, long id, string instance)
    {
        var home = Instances[Home(post)];
        var acct = home == instance ? $"u{post.AuthorId}" : $"u{post.AuthorId}@{home}.example";
        json.WriteStartObject();
        json.WriteString("id", id.ToString(CultureInfo.InvariantCulture));
        json.WriteString("created_at", WireJson.Format(post.CreatedAt));
        json.WriteString("visibility", "public");
        json.WriteString("language", post.Language);
        json.WriteString("uri", Uri(post));
        json.WriteString("url", $"https://{home}.example/@u{post.AuthorId}/{post.Id}");
        json.WriteNumber("replies_count", post.Replies);
        json.WriteNumber("reblogs_count", post.Reposts);
        json.WriteNumber("favourites_count", post.Likes);
        json.WriteNumber("quotes_count", post.Quotes);
        var body = WebUtility.HtmlEncode(post.Text.Split(" #")[0]);
        var links = string.Join(' ', post.Hashtags.Select(t =>
            $"<a href=\"https://{instance}.example/tags/{System.Uri.EscapeDataString(t.ToLowerInvariant())}\" class=\"mention hashtag\" rel=\"tag\">#<span>{WebUtility.HtmlEncode(t)}</span></a>"));
        json.WriteString("content", $"<p>{body} {links}</p>");
        json.WriteStartObject("account");
        json.WriteString("id", post.AuthorId);
        json.WriteString("username", $"u{post.AuthorId}");
        json.WriteString("acct", acct);
        json.WriteEndObject();
        json.WriteStartArray("tags");
        foreach (var tag in post.Hashtags)
        {
            json.WriteStartObject();
            json.WriteString("name", tag.ToLowerInvariant());
            json.WriteString("url", $"https://{instance}.example/tags/{System.Uri.EscapeDataString(tag.ToLowerInvariant())}");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void SetRateHeaders(HttpContext http, int remaining, DateTimeOffset reset)
    {
        http.Response.Headers["X-RateLimit-Limit"] = PagingLimitPerWindow.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        // ISO-8601 with microseconds, as Mastodon writes it.
        http.Response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    private static Task ErrorAsync(HttpContext http, int status, string error) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteEndObject();
        }, truncate: false, status: status);
}
