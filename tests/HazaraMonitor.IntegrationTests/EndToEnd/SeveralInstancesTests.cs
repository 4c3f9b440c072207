
namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>Two worker processes on one Redis: what must not run twice runs on one, and the other takes over when it dies.</summary>
public sealed class SeveralInstancesTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task OneInstanceFollowsJetstreamAndTheOtherTakesOverWhenItIsKilled()
    {
        RedisServer.Connect();
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge, s => s.Configure<BlueskySimulationOptions>(b => b.JetstreamFaultShare = 0));
        var prefix = RedisServer.UniquePrefix("instances");
        var environment = simulator.WorkerSettings(prefix);
        foreach (var off in new[] { "X", "Mastodon", "Reddit", "YouTube", "TikTok", "Instagram", "Threads" })
        {
            environment[$"HazaraMonitor:Platforms:{off}:Enabled"] = "false";
        }

        var (a, b) = await StartTwoAsync(environment);
        await using var first = a;
        await using var second = b;
        var leases = new RedisLeaseStore(RedisServer.Connect(), new RedisOptions { KeyPrefix = prefix });
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromMinutes(2);
        await Eventually.HoldsAsync(async () => await leases.HolderAsync("jetstream", CancellationToken.None) is not null && await a.TotalAsync(Campaign, "bluesky") > 0, clock, limit, TimeSpan.FromMilliseconds(250));

        var holder = (await leases.HolderAsync("jetstream", CancellationToken.None))!.Value;
        var (owner, other) = holder.Owner.Contains($":{a.ProcessId}:", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Contains($":{owner.ProcessId}:", holder.Owner, StringComparison.Ordinal);
        owner.Kill();
        var killed = clock.Elapsed;

        // The other takes over within the lease's time to live, with a larger fencing token.
        await Eventually.HoldsAsync(async () => (await leases.HolderAsync("jetstream", CancellationToken.None))?.Owner.Contains($":{other.ProcessId}:", StringComparison.Ordinal) == true, clock, limit, TimeSpan.FromMilliseconds(250));
        var takeover = clock.Elapsed - killed;
        Assert.True((await leases.HolderAsync("jetstream", CancellationToken.None))!.Value.Token > holder.Token);
        // The new holder connects once it holds the lease (the stream may have nothing new for it).
        var hashtags = await other.HashtagsAsync(Campaign);
        await Eventually.HoldsAsync(async () => (await simulator.PlatformStatsAsync("bluesky", hashtags)).GetProperty("connections").GetInt64() >= 2, clock, clock.Elapsed + TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

        // Every post the stream carried is counted once, and never were two connections open at once.
        var stats = await CountedOnceAsync(simulator, other, clock);
        output.WriteLine($"taken over {takeover.TotalSeconds:0.0} s after the kill; simulator {stats}");
        Assert.InRange(takeover, TimeSpan.Zero, JetstreamConsumer.LeaseTimeToLive + TimeSpan.FromSeconds(10));
        Assert.Equal(1, stats.GetProperty("most_open_connections").GetInt64());
        Assert.True(stats.GetProperty("connections").GetInt64() >= 2, "the second instance connected after the first was killed");
    }

    [SkippableFact]
    public async Task EachScheduledPollRunsOnOneInstanceAndTheOtherTakesOverWhenOneIsKilled()
    {
        RedisServer.Connect();
        await using var postgres = await PostgresServer.StartAsync();
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge, s => s.Configure<BlueskySimulationOptions>(b => b.JetstreamFaultShare = 0));
        var prefix = RedisServer.UniquePrefix("cluster");
        var environment = simulator.WorkerSettings(prefix);
        foreach (var off in new[] { "Mastodon", "Reddit", "YouTube", "TikTok", "Instagram", "Threads" })
        {
            environment[$"HazaraMonitor:Platforms:{off}:Enabled"] = "false";
        }

        // X counts: one request per fire, every 5 s, timed by the simulator; Bluesky through Jetstream.
        environment["HazaraMonitor:Platforms:X:Mode"] = "Counts";
        environment["HazaraMonitor:Platforms:X:Schedule"] = "0/5 * * * * ?";
        environment["HazaraMonitor:Scheduler:PostgreSql"] = postgres.ConnectionString;
        var (a, b) = await StartTwoAsync(environment);
        await using var first = a;
        await using var second = b;
        var leases = new RedisLeaseStore(RedisServer.Connect(), new RedisOptions { KeyPrefix = prefix });
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(
            async () => (await MembersAsync(a)).Count == 2 && await leases.HolderAsync("jetstream", CancellationToken.None) is not null,
            clock, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500), () => a.Output);

        // 40 s with both: every 5-second fire time ran exactly once, on one instance or the other.
        var both = await FireTimesAsync(simulator, TimeSpan.FromSeconds(40));

        // Kill the instance that holds the Jetstream lease (and polls, its share of the fires).
        var holder = (await leases.HolderAsync("jetstream", CancellationToken.None))!.Value;
        var (owner, survivor) = holder.Owner.Contains($":{a.ProcessId}:", StringComparison.Ordinal) ? (a, b) : (b, a);
        owner.Kill();
        // Past the check-in misfire threshold (twice the 5 s check-in) and the lease's 15 s.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var alone = await FireTimesAsync(simulator, TimeSpan.FromSeconds(25));
        var members = await MembersAsync(survivor);
        output.WriteLine($"requests per fire time: {string.Join(",", both)} with two instances; {string.Join(",", alone)} after one was killed; members seen by the survivor: {string.Join(", ", members)}");

        Assert.All(both, n => Assert.Equal(1, n));
        Assert.All(alone, n => Assert.Equal(1, n));
        Assert.Single(members, m => m.Value == "checked in");
        Assert.Contains($":{survivor.ProcessId}:", (await leases.HolderAsync("jetstream", CancellationToken.None))!.Value.Owner, StringComparison.Ordinal);

        // Every post the stream carried is counted once across the two.
        await CountedOnceAsync(simulator, survivor, clock);
    }

    /// <summary>
    /// Two clustered instances ingest a live surge on all eight platforms; Redis is killed with
    /// SIGKILL (no shutdown, no final fsync) and started again from its append-only file a minute
    /// later. Neither instance is restarted. Every platform ends with its total equal to the
    /// distinct posts the simulator served.
    /// </summary>
    [SkippableFact]
    public async Task TwoInstancesLoseAndRepeatNothingWhenRedisIsKilledAndRestartedAMinuteLater()
    {
        await using var redis = OwnRedis.Start();
        await using var postgres = await PostgresServer.StartAsync();
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            // A live hour at 30x: two minutes of real time, the surge arriving while Redis is down.
            o.StartOffset = TimeSpan.FromHours(-1);
            o.ClockOffset = TimeSpan.FromHours(-1);
            o.Speed = 30;
            o.Duration = TimeSpan.FromHours(1);
            o.SurgeAtMinute = 30;
            o.SurgePeakPerMinute = 60;
            o.SurgeHalfLifeMinutes = 8;
            o.ForcedFaults = false;
            o.RateLimitedShare = 0;
            o.MalformedShare = 0;
            o.RequestsPerWindow = 100_000;
        }, s => Scenarios.Unmetered(s.Configure<BlueskySimulationOptions>(b => b.JetstreamFaultShare = 0)));
        var environment = simulator.WorkerSettings(RedisServer.UniquePrefix("redis-kill"));
        environment["HazaraMonitor:Redis:Configuration"] = redis.Configuration;
        environment["HazaraMonitor:Scheduler:PostgreSql"] = postgres.ConnectionString;
        Scenarios.PollEverySecond(environment);

        var (a, b) = await StartTwoAsync(environment);
        await using var first = a;
        await using var second = b;
        var hashtags = await a.HashtagsAsync(Campaign);
        var clock = Stopwatch.StartNew();
        var platforms = new[] { "x", "mastodon", "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads" };
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var platform in platforms)
            {
                if (await a.TotalAsync(Campaign, platform) <= 0)
                {
                    return false;
                }
            }

            return true;
        }, clock, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(250), () => a.Output);

        var before = string.Join(", ", await Task.WhenAll(platforms.Select(async p => $"{p} {await a.TotalAsync(Campaign, p)}")));
        await redis.KillAsync();
        var killed = clock.Elapsed;
        await Eventually.HoldsAsync(async () => (await HealthAsync(a)).Status != "Healthy" && (await HealthAsync(b)).Status != "Healthy", clock, killed + TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        await Task.Delay(TimeSpan.FromMinutes(1) - (clock.Elapsed - killed));
        redis.Restart();

        // Both instances come back on their own and read on from the cursors the append-only file kept.
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        var served = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await Eventually.HoldsAsync(async () =>
        {
            // Counted first, then served: a post is served before it is counted.
            foreach (var platform in platforms)
            {
                counted[platform] = await b.TotalAsync(Campaign, platform);
            }

            foreach (var platform in platforms)
            {
                served[platform] = platform == "x"
                    ? await simulator.StatsAsync(CampaignQueries.Hashtags(hashtags))
                    : platform == "mastodon" ? await simulator.MastodonStatsAsync(hashtags) : await simulator.PlatformStatsAsync(platform, hashtags);
            }

            return served["x"].GetProperty("ended").GetBoolean()
                && platforms.All(p => counted[p] == served[p].GetProperty("matching_so_far").GetInt64() - (served[p].TryGetProperty("out_of_reach", out var gone) ? gone.GetInt64() : 0));
        }, clock, clock.Elapsed + TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500), () => $"{string.Join("; ", counted.Select(c => $"{c.Key} counted {c.Value}, simulator {served[c.Key]}"))}\n{a.Output}\n{b.Output}");

        output.WriteLine($"before the kill: {before}; after: {string.Join(", ", counted.Select(c => $"{c.Key} {c.Value} of {served[c.Key].GetProperty("served_unique").GetInt64()} served"))}");
        Assert.All(platforms, p => Assert.Equal(served[p].GetProperty("served_unique").GetInt64(), counted[p]));
        Assert.False(a.HasExited || b.HasExited, "both instances lived through the outage");
        var health = string.Empty;
        await Eventually.HoldsAsync(async () =>
        {
            var (first, second) = (await HealthAsync(a), await HealthAsync(b));
            health = $"{first.Body}\n{second.Body}";
            return first.Status == "Healthy" && second.Status == "Healthy";
        }, clock, clock.Elapsed + TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500), () => health);
    }

    /// <summary>
    /// A clustered instance whose PostgreSQL is gone still stops when told to (SIGTERM): Quartz
    /// retries an unreachable store without end, so the scheduler's stop gives up at the host's
    /// shutdown timeout, and Quartz's foreground threads do not hold the process after it.
    /// </summary>
    [SkippableFact]
    public async Task AnInstanceWhosePostgreSqlIsGoneStillStopsWhenToldTo()
    {
        RedisServer.Connect();
        await using var postgres = await PostgresServer.StartAsync();
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var environment = simulator.WorkerSettings(RedisServer.UniquePrefix("pg-gone"));
        environment["HazaraMonitor:Scheduler:PostgreSql"] = postgres.ConnectionString;
        environment["HazaraMonitor:Platforms:X:Schedule"] = "* * * * * ?";
        // The host's shutdown timeout (30 s by default), short for the test.
        environment["DOTNET_shutdownTimeoutSeconds"] = "5";
        await using var worker = WorkerProcess.Start(environment);
        await worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () => await worker.TotalAsync(Campaign, "x") > 0, clock, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), () => worker.Output);

        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        worker.Terminate();
        var stopping = Stopwatch.StartNew();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"exited with {exitCode} {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        Assert.Contains("did not stop within the shutdown timeout", worker.Output, StringComparison.Ordinal);
    }

    /// <summary>An instance's overall /healthz status, and the whole answer.</summary>
    private static async Task<(string Status, string Body)> HealthAsync(WorkerProcess worker)
    {
        using var answer = await worker.Http.GetAsync("/healthz");
        var body = await answer.Content.ReadAsStringAsync();
        return (JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!, body);
    }

    /// <summary>Two worker processes with the same settings, both serving.</summary>
    private static async Task<(WorkerProcess A, WorkerProcess B)> StartTwoAsync(IReadOnlyDictionary<string, string> environment)
    {
        var a = WorkerProcess.Start(environment);
        var b = WorkerProcess.Start(environment);
        await a.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        await b.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        return (a, b);
    }

    /// <summary>Waits until the survivor's Bluesky total reaches what the stream carried; asserts each post counted once; returns the simulator's stats.</summary>
    private static async Task<JsonElement> CountedOnceAsync(SimulatorHost simulator, WorkerProcess survivor, Stopwatch clock)
    {
        var hashtags = await survivor.HashtagsAsync(Campaign);
        JsonElement stats = default;
        long total = -1;
        await Eventually.HoldsAsync(async () =>
        {
            stats = await simulator.PlatformStatsAsync("bluesky", hashtags);
            total = await survivor.TotalAsync(Campaign, "bluesky");
            return total == stats.GetProperty("matching_so_far").GetInt64();
        }, clock, clock.Elapsed + TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));
        Assert.Equal(stats.GetProperty("served_unique").GetInt64(), total);
        return stats;
    }

    /// <summary>
    /// The X counts requests of each 5-second fire time that falls whole inside the next
    /// <paramref name="window"/>, as the simulator timed them: 1 where the fire ran once.
    /// </summary>
    private static async Task<IReadOnlyList<int>> FireTimesAsync(SimulatorHost simulator, TimeSpan window)
    {
        var from = TimeProvider.System.GetUtcNow();
        await Task.Delay(window);
        var to = TimeProvider.System.GetUtcNow();
        var times = (await simulator.Http.GetFromJsonAsync<JsonElement>("/sim/x/billing")).GetProperty("counts_request_times").EnumerateArray().Select(t => t.GetInt64()).ToList();
        const long slot = 5_000;
        var first = ((from.ToUnixTimeMilliseconds() / slot) + 1) * slot;
        var last = (to.ToUnixTimeMilliseconds() / slot) * slot;
        return [.. Enumerable.Range(0, (int)((last - first) / slot)).Select(k => times.Count(t => t >= first + (k * slot) && t < first + ((k + 1) * slot)))];
    }

    /// <summary>The cluster's members as the instance's /healthz reports them (scheduler check).</summary>
    private static async Task<Dictionary<string, string>> MembersAsync(WorkerProcess worker)
    {
        using var answer = await worker.Http.GetAsync("/healthz");
        var scheduler = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("scheduler").GetProperty("data");
        return scheduler.TryGetProperty("members", out var members)
            ? members.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!, StringComparer.Ordinal)
            : [];
    }
}
