using System.Net.WebSockets;

namespace HazaraMonitor.Simulator.Bluesky;

/// <summary>
/// Bluesky as documented (https://github.com/bluesky-social/jetstream, https://docs.bsky.app/docs/api/app-bsky-feed-search-posts): Jetstream v1 at
/// <c>/jetstream/subscribe</c> (WebSocket, <c>time_us</c> cursor, at-least-once: it repeats an
/// event now and then, drops connections and sends the odd broken frame), and the AppView/PDS at
/// <c>/bluesky/xrpc/...</c>: <c>createSession</c> and <c>searchPosts</c>, which refuses requests
/// without a session with the proxy's plain-text 403 unless <c>Bluesky:SearchPublic</c>.
/// </summary>
public static class BlueskyEndpoints
{
    /// <summary>Key of the served-URI set: Jetstream and search together.</summary>
    private const string AllServed = "all";

    private const int SearchLimitPerWindow = 3000;

    internal const string Key = "bluesky";

    /// <summary>This platform as <see cref="SimulatorApp"/> lists it; <see cref="Key"/> names its <see cref="PlatformState"/>.</summary>
    public static SimulatedPlatform Simulation { get; } = new(
        Key,
        "Jetstream at /jetstream/subscribe and Bluesky XRPC at /bluesky/xrpc; stats at /sim/bluesky/stats?tags=...",
        app => app.MapBlueskyApi(),
        services => services.AddSingleton<JetstreamFeed>().AddOptions<BlueskySimulationOptions>().BindConfiguration(BlueskySimulationOptions.Section));

    public static IEndpointRouteBuilder MapBlueskyApi(this IEndpointRouteBuilder app)
    {
        app.Map("/jetstream/subscribe", JetstreamAsync);
        app.MapPost("/bluesky/xrpc/com.atproto.server.createSession", CreateSessionAsync);
        app.MapGet("/bluesky/xrpc/app.bsky.feed.searchPosts", SearchAsync);
        app.MapGet("/sim/bluesky/stats", Stats);
        return app;
    }

    private static async Task JetstreamAsync(
        HttpContext http, JetstreamFeed feed, SimClock clock, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<BlueskySimulationOptions> bluesky)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync("Jetstream speaks WebSocket only.");
            return;
        }

        var settings = options.Value;
        var now = clock.Now.ToUnixTimeMilliseconds() * 1000;
        // A cursor in the future, or none, means live; one older than the replay window would be clamped.
        var position = long.TryParse(http.Request.Query["cursor"], CultureInfo.InvariantCulture, out var cursor) && cursor < now ? cursor : now;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = Interlocked.Increment(ref state.Connections);
        using var open = state.Open();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        _ = WatchForCloseAsync(socket, closed);
        var sent = 0;
        byte[]? previous = null;
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var until = clock.Now.ToUnixTimeMilliseconds() * 1000;
                foreach (var e in feed.Between(position, until))
                {
                    sent++;
                    var forced = settings.ForcedFaults ? connection switch { 1 when sent == 60 => "drop", 2 when sent == 30 => "malformed", _ => null } : null;
                    if (forced == "drop" || state.Draw() < bluesky.Value.JetstreamFaultShare)
                    {
                        Interlocked.Increment(ref state.Dropped);
                        socket.Abort();
                        return;
                    }

                    if (forced == "malformed" || state.Draw() < bluesky.Value.JetstreamFaultShare)
                    {
                        Interlocked.Increment(ref state.Malformed);
                        await socket.SendAsync(e.Frame.AsMemory(0, e.Frame.Length / 2), WebSocketMessageType.Text, true, closed.Token);
                    }

                    if (previous is not null && state.Draw() < settings.OverlapShare / 20)
                    {
                        // At-least-once: the previous event again.
                        await socket.SendAsync(previous, WebSocketMessageType.Text, true, closed.Token);
                    }

                    // Recorded before it is sent, as the other platforms record a page before writing it: a
                    // post the worker counted is always among those served, whenever the stats are read.
                    if (e.Post is { } post)
                    {
                        state.Served(AllServed, [JetstreamFeed.AtUri(post)]);
                    }

                    await socket.SendAsync(e.Frame, WebSocketMessageType.Text, true, closed.Token);

                    previous = e.Frame;
                    position = e.TimeUs + 1;
                }

                await Task.Delay(50, closed.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
    }

    private static async Task WatchForCloseAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed either way.
        }

        await closed.CancelAsync();
    }

    private static async Task CreateSessionAsync(HttpContext http, IOptions<SimulatorOptions> options, IOptions<BlueskySimulationOptions> bluesky)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        var identifier = body.TryGetProperty("identifier", out var i) ? i.GetString() : null;
        var password = body.TryGetProperty("password", out var p) ? p.GetString() : null;
        if (identifier != bluesky.Value.Identifier || password != bluesky.Value.AppPassword)
        {
            await ErrorAsync(http, 401, "AuthenticationRequired", "Invalid identifier or password");
            return;
        }

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("accessJwt", SessionToken(options.Value));
            json.WriteString("refreshJwt", "sim-refresh");
            json.WriteString("handle", identifier);
            json.WriteString("did", "did:plc:monitor");
            json.WriteEndObject();
        }, truncate: false);
    }

    private static string SessionToken(SimulatorOptions options) => "sim-jwt-" + options.Seed.ToString(CultureInfo.InvariantCulture);

    private static async Task SearchAsync(
        HttpContext http, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state, IOptions<SimulatorOptions> options, IOptions<BlueskySimulationOptions> bluesky)
    {
        var settings = options.Value;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0 && !bluesky.Value.SearchPublic)
        {
            Interlocked.Increment(ref state.Unauthorized);
            http.Response.StatusCode = 403;
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync("Request forbidden by administrative rules.");
            return;
        }

        if (authorization.Length > 0 && authorization != "Bearer " + SessionToken(settings))
        {
            Interlocked.Increment(ref state.Unauthorized);
            await ErrorAsync(http, 401, "ExpiredToken", "Token has expired");
            return;
        }

        var (remaining, reset) = state.Spend(clock.RealNow);
        var injected = state.ShouldFault(settings.RateLimitedShare, forcedAt: 4, numberRequest: true);
        http.Response.Headers["RateLimit-Limit"] = SearchLimitPerWindow.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Policy"] = $"{SearchLimitPerWindow};w=300";
        if (remaining < 0 || injected)
        {
            Interlocked.Increment(ref state.RateLimited);
            http.Response.Headers["RateLimit-Remaining"] = "0";
            http.Response.Headers["RateLimit-Reset"] = (injected ? clock.RealNow.AddSeconds(settings.RateLimitResetSeconds) : reset).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(http, 429, "RateLimitExceeded", "Rate Limit Exceeded");
            return;
        }

        http.Response.Headers["RateLimit-Remaining"] = Math.Min(remaining, SearchLimitPerWindow).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var q = http.Request.Query;
        if (q["q"].FirstOrDefault() is not { Length: > 0 } query)
        {
            await ErrorAsync(http, 400, "InvalidRequest", "Error: Params must have the property \"q\"");
            return;
        }

        var keys = HashtagNormalizer.Extract(query);
        var limit = Math.Clamp(int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 25, 1, 100);
        var offset = int.TryParse(q["cursor"], CultureInfo.InvariantCulture, out var c) ? c : 0;
        var since = WireJson.TryTime(q["since"]) ?? DateTimeOffset.MinValue;
        var matching = timeline.Between(clock.Now.AddDays(-7), clock.Now.AddTicks(1))
            // Once the timeline has ended every post is indexed, also those made in its last second.
            .Where(p => p.HashtagKeys.Any(keys.Contains) && IndexedAt(p) >= since && (clock.Ended || IndexedAt(p) <= clock.Now))
            .OrderByDescending(IndexedAt).ThenByDescending(p => p.Id)
            .Skip(offset).Take(limit + 1).ToList();
        var page = matching.Take(limit).ToList();
        state.Served(AllServed, page.Select(JetstreamFeed.AtUri));
        var malformed = state.ShouldTruncate(settings.MalformedShare);

        await WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            if (matching.Count > limit)
            {
                json.WriteString("cursor", (offset + limit).ToString(CultureInfo.InvariantCulture));
            }

            json.WriteNumber("hitsTotal", offset + matching.Count);
            json.WriteStartArray("posts");
            foreach (var post in page)
            {
                WritePostView(json, post);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }, truncate: malformed);
    }

    /// <summary>The AppView indexes a post about a second after it is made.</summary>
    private static DateTimeOffset IndexedAt(SimPost post) => post.CreatedAt.AddSeconds(1);

    private static void WritePostView(Utf8JsonWriter json, SimPost post)
    {
        var text = post.Text;
        json.WriteStartObject();
        json.WriteString("uri", JetstreamFeed.AtUri(post));
        json.WriteString("cid", "bafyreicl7rzkxdrm4zz2ehbx52kuk3mvfow6p3gzfys72r5grvskxoswy4");
        json.WriteStartObject("author");
        json.WriteString("did", JetstreamFeed.Did(post.AuthorId));
        json.WriteString("handle", $"u{post.AuthorId}.bsky.social");
        json.WriteEndObject();
        json.WriteStartObject("record");
        json.WriteString("$type", "app.bsky.feed.post");
        json.WriteString("text", text);
        json.WriteString("createdAt", WireJson.Format(post.CreatedAt));
        json.WriteStartArray("langs");
        json.WriteStringValue(post.Language);
        json.WriteEndArray();
        JetstreamFeed.WriteFacets(json, text, post.Hashtags);
        json.WriteEndObject();
        json.WriteNumber("replyCount", post.Replies);
        json.WriteNumber("repostCount", post.Reposts);
        json.WriteNumber("likeCount", post.Likes);
        json.WriteNumber("quoteCount", post.Quotes);
        json.WriteString("indexedAt", WireJson.Format(IndexedAt(post)));
        json.WriteStartArray("labels");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Matching posts so far, and what Jetstream and search served of them (distinct at-uris).</summary>
    private static IResult Stats(string tags, CampaignTimeline timeline, SimClock clock, [FromKeyedServices(Key)] PlatformState state)
    {
        var keys = tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => HashtagNormalizer.Normalize(t)).ToHashSet(StringComparer.Ordinal);
        var matching = timeline.Between(clock.TimelineStart, clock.Now).Where(p => p.HashtagKeys.Any(keys.Contains)).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["ended"] = clock.Ended,
            ["matching_so_far"] = matching.Count,
            ["served_unique"] = matching.Count(p => state.WasServed(AllServed, JetstreamFeed.AtUri(p))),
            ["served_total"] = Interlocked.Read(ref state.ServedTotal),
            ["connections"] = Interlocked.Read(ref state.Connections),
            ["most_open_connections"] = Interlocked.Read(ref state.MostOpenConnections),
            ["dropped"] = Interlocked.Read(ref state.Dropped),
            ["search_requests"] = state.SearchRequests,
            ["rate_limited"] = Interlocked.Read(ref state.RateLimited),
            ["malformed"] = Interlocked.Read(ref state.Malformed),
            ["unauthorized"] = Interlocked.Read(ref state.Unauthorized),
        });
    }

    private static Task ErrorAsync(HttpContext http, int status, string error, string message) =>
        WireJson.WriteJsonAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteString("message", message);
            json.WriteEndObject();
        }, truncate: false, status: status);
}
