using HazaraMonitor.Simulator;
using HazaraMonitor.Simulator.Instagram;
using HazaraMonitor.Worker.Platforms.Instagram;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The Instagram client and poll job over real HTTP against the simulated Graph API, real Redis.</summary>
public sealed class InstagramConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";

    /// <summary>The finished surge, with an hour's calls enough for every test that is not about them.</summary>
    private static Task<SimulatorHost> StartAsync(Action<SimulatorOptions> scenario, Action<InstagramSimulationOptions>? instagram = null) =>
        SimulatorHost.StartAsync(scenario, s => s.Configure<InstagramSimulationOptions>(o =>
        {
            o.CallsPerHour = 100_000;
            instagram?.Invoke(o);
        }));

    [SkippableFact]
    public async Task SweepsTheWholeDayEveryPollAndCountsEachMediaOnce()
    {
        await using var simulator = await StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(SweepsTheWholeDayEveryPollAndCountsEachMediaOnce));
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        var job = worker.Services.GetRequiredService<InstagramHashtagJob>();
        var tags = worker.Hashtags(Campaign);

        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var first = await simulator.PlatformStatsAsync("instagram", tags);
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var second = await simulator.PlatformStatsAsync("instagram", tags);

        var matching = first.GetProperty("matching_so_far").GetInt64();
        Assert.True(matching > InstagramClient.PageSize, $"several pages to a hashtag, got {matching} media");
        Assert.Equal(matching, await worker.TotalAsync(Campaign, InstagramPlatform.Id));
        Assert.Equal(matching, first.GetProperty("served_unique").GetInt64());
        Assert.True(first.GetProperty("served_total").GetInt64() > matching, "a media under two of the campaign's hashtags was served twice and counted once");
        // The second poll swept the whole day again (no cursor could say where the first stopped), and counted nothing twice.
        Assert.Equal(2 * first.GetProperty("search_requests").GetInt64(), second.GetProperty("search_requests").GetInt64());
        Assert.Equal(matching, await worker.TotalAsync(Campaign, InstagramPlatform.Id));
        Assert.Null(await worker.Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(Campaign, InstagramPlatform.Id, InstagramHashtagJob.EndpointName, CancellationToken.None));
        // Each hashtag's id was asked once: kept in Redis, read back by a worker that restarts.
        Assert.Equal(tags.Count, second.GetProperty("hashtag_searches").GetInt64());
        await using (var restarted = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []))
        {
            Assert.Null(await restarted.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        }

        Assert.Equal(tags.Count, (await simulator.PlatformStatsAsync("instagram", tags)).GetProperty("hashtag_searches").GetInt64());
    }

    [SkippableFact]
    public async Task AHashtagIdLookedUpBeforeTheGraphApiRestartedStillReads()
    {
        // Hashtag ids are global: a deployment's cached ids (and its counter-hashtags') stay good when the platform side
        // restarts. The demo keeps its Redis across runs, so a simulator that forgot them failed every Instagram poll.
        var prefix = RedisServer.UniquePrefix(nameof(AHashtagIdLookedUpBeforeTheGraphApiRestartedStillReads));
        string[] counter = ["--HazaraMonitor:Campaigns:0:CounterHashtags:0=" + HazaraMonitor.Simulator.Timeline.CampaignTimeline.CounterTag];
        await using (var before = await StartAsync(Scenarios.FinishedSurge))
        await using (var worker = InProcessWorker.CreateOnPrefix(before, prefix, "simulator-token", counter))
        {
            Assert.Null(await worker.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        }

        await using var simulator = await StartAsync(Scenarios.FinishedSurge);
        await using var restarted = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", counter);
        Assert.Null(await restarted.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));

        var stats = await simulator.PlatformStatsAsync("instagram", restarted.Hashtags(Campaign));
        Assert.Equal(0, stats.GetProperty("hashtag_searches").GetInt64());
        Assert.True(stats.GetProperty("served_unique").GetInt64() > 0);
    }

    [SkippableFact]
    public async Task PagesThroughADayWhoseAfterCursorIsTheSameOnEveryPageAndInNoOrder()
    {
        await using var simulator = await StartAsync(Scenarios.FinishedSurge);
        var instagram = simulator.Settings<InstagramSimulationOptions>();
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseAddress, "instagram/") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", instagram.AccessToken);
        var id = (await http.GetFromJsonAsync<JsonElement>($"ig_hashtag_search?user_id={instagram.UserId}&q=StopHazaraGenocide")).GetProperty("data")[0].GetProperty("id").GetString();
        var url = $"{id}/recent_media?user_id={instagram.UserId}&fields={InstagramClient.Fields}&limit=50";

        var pages = new List<JsonElement> { await http.GetFromJsonAsync<JsonElement>(url) };
        while (pages[^1].GetProperty("paging").TryGetProperty("next", out _))
        {
            pages.Add(await http.GetFromJsonAsync<JsonElement>($"{url}&after={Uri.EscapeDataString(pages[^1].GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString()!)}"));
        }

        var media = pages.SelectMany(p => p.GetProperty("data").EnumerateArray()).ToList();
        var times = media.Select(m => m.GetProperty("timestamp").GetString()!).ToList();
        Assert.True(pages.Count >= 3, $"several pages, got {pages.Count}");
        Assert.Single(pages.Select(p => p.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString()).Distinct());
        Assert.Equal(media.Count, media.Select(m => m.GetProperty("id").GetString()).Distinct().Count());
        Assert.NotEqual(times.Order(StringComparer.Ordinal), times);
        Assert.NotEqual(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.DoesNotContain(media, m => m.TryGetProperty("username", out _));

        // The job follows such a day to its end: every media of the hashtag counted.
        await using var worker = InProcessWorker.Create(simulator, nameof(PagesThroughADayWhoseAfterCursorIsTheSameOnEveryPageAndInNoOrder));
        Assert.Null(await worker.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        var series = await worker.Services.GetRequiredService<RedisCountStore>().GetSeriesAsync(
            Campaign, Resolution.Day, TimeProvider.System.GetUtcNow().AddDays(-2), TimeProvider.System.GetUtcNow().AddDays(1), [InstagramPlatform.Id], "stophazaragenocide", CancellationToken.None);
        Assert.Equal(media.Count, series.Sum(p => p.Count));
    }

    [SkippableFact]
    public async Task SpendsTheWeeksHashtagsCanonicalSpellingsFirstAndSaysWhichAreNotFollowed()
    {
        // The account may query 4 hashtags a week; this deployment may spend 3 of them.
        await using var simulator = await StartAsync(Scenarios.FinishedSurge, o => o.HashtagsPerWeek = 4);
        string[] secondCampaign =
        [
            "--HazaraMonitor:Campaigns:1:Id=kaaj", "--HazaraMonitor:Campaigns:1:Name=Kaaj", "--HazaraMonitor:Campaigns:1:Hashtags:0=StopKillingHazaras",
            "--HazaraMonitor:Campaigns:1:Hashtags:1=HazaraGenocide", "--HazaraMonitor:Campaigns:1:Platforms:0=instagram",
        ];
        await using var worker = InProcessWorker.Create(simulator, nameof(SpendsTheWeeksHashtagsCanonicalSpellingsFirstAndSaysWhichAreNotFollowed),
            extra: [.. secondCampaign, "--HazaraMonitor:Platforms:Instagram:HashtagsPerWeek=3"]);

        Assert.Null(await worker.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        Assert.Null(await worker.Services.GetRequiredService<InstagramHashtagJob>().RunAsync("kaaj", null, CancellationToken.None));

        // Both campaigns' canonical spellings, then the first campaign's second: three places, three searches.
        var stats = await simulator.PlatformStatsAsync("instagram", worker.Hashtags(Campaign));
        Assert.Equal(3, stats.GetProperty("hashtags_in_week").GetInt32());
        Assert.Equal(3, stats.GetProperty("hashtag_searches").GetInt32());
        var held = await worker.Services.GetRequiredService<RedisQuotaStore>().HeldAsync(
            InstagramPlatform.Id, "hashtags:" + simulator.Settings<InstagramSimulationOptions>().UserId, TimeProvider.System.GetUtcNow(), InstagramHashtags.Week, CancellationToken.None);
        Assert.Equal(["hazaragenocide", "stophazaragenocide", "stopkillinghazaras"], held.Select(h => h.Member).Order(StringComparer.Ordinal));
        Assert.All(held, h => Assert.InRange(h.Since, TimeProvider.System.GetUtcNow().AddMinutes(-1), TimeProvider.System.GetUtcNow()));

        var health = await HealthAsync(worker);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        var notFollowed = Assert.IsType<Dictionary<string, object?>>(health.Data["not_followed"]);
        Assert.Equal(4, notFollowed.Count);
        Assert.StartsWith("not followed: the 3 hashtags a week this account may search (HazaraMonitor:Platforms:Instagram:HashtagsPerWeek", (string)notFollowed["StopHazaraKilling"]!, StringComparison.Ordinal);
        Assert.Contains("StopHazaraKilling", worker.Services.GetRequiredService<InstagramHashtags>().NotFollowed(worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!).Keys);

        // Another deployment on the same account spends what is left of Instagram's own count, then meets its refusal.
        await using var other = InProcessWorker.Create(simulator, "other-deployment-of-the-account");
        Assert.Null(await other.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        var refused = other.Services.GetRequiredService<InstagramHashtags>().Current.NotFollowed;
        Assert.Equal(4, (await simulator.PlatformStatsAsync("instagram", worker.Hashtags(Campaign))).GetProperty("hashtags_in_week").GetInt32());
        Assert.Contains(refused.Values, r => r.StartsWith("not followed: Instagram refused to search it (Instagram answered 400: The account has queried 4 unique hashtags within 7 days.)", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ARefusedTokenPausesInstagramWithoutRepeatingIt()
    {
        await using var simulator = await StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedTokenPausesInstagramWithoutRepeatingIt),
            extra: "--HazaraMonitor:Platforms:Instagram:AccessToken=revoked-instagram-token");

        var refused = await worker.Services.GetRequiredService<InstagramHashtagJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Contains("code 190", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:Instagram:AccessToken", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-instagram-token", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await simulator.PlatformStatsAsync("instagram", worker.Hashtags(Campaign))).GetProperty("unauthorized").GetInt32());
        Assert.Contains((InstagramPlatform.Id, "instagram"), worker.Services.GetRequiredService<PollStatusBoard>().AuthFailures.Keys);
    }

    [SkippableFact]
    public async Task AThrottledAppWaitsTheConfiguredBackoff()
    {
        await using var simulator = await StartAsync(Scenarios.RateLimited(resetSeconds: 3));
        await using var worker = InProcessWorker.Create(simulator, nameof(AThrottledAppWaitsTheConfiguredBackoff),
            extra: "--HazaraMonitor:Platforms:Instagram:RateLimitBackoff=00:00:05");

        var limited = await worker.Services.GetRequiredService<InstagramHashtagJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = TimeProvider.System.GetUtcNow();
        Assert.Contains("code 4", limited.Message, StringComparison.Ordinal);
        Assert.InRange(limited.RetryAt!.Value, now.AddSeconds(2), now.AddSeconds(6));
        Assert.Equal(1, (await simulator.PlatformStatsAsync("instagram", worker.Hashtags(Campaign))).GetProperty("search_requests").GetInt32());
    }

    [SkippableFact]
    public async Task SlowsDownAboveTheUsageThresholdAndStopsAtAHundredPercent()
    {
        // 20 calls an hour: the 16th is at 80%, past the 75% at which polls slow down.
        await using var simulator = await StartAsync(Scenarios.FinishedSurge, o => o.CallsPerHour = 20);
        await using var worker = InProcessWorker.Create(simulator, nameof(SlowsDownAboveTheUsageThresholdAndStopsAtAHundredPercent));
        var job = worker.Services.GetRequiredService<InstagramHashtagJob>();
        var tags = worker.Hashtags(Campaign);

        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var calls = (await simulator.PlatformStatsAsync("instagram", tags)).GetProperty("search_requests").GetInt32();
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));

        var usage = worker.Services.GetRequiredService<InstagramHashtags>().Usage!.Usage;
        Assert.InRange(usage.Percent, 75, 99);
        Assert.Equal(calls, (await simulator.PlatformStatsAsync("instagram", tags)).GetProperty("search_requests").GetInt32());
        Assert.Equal(PollOutcome.RateLimited, worker.Services.GetRequiredService<PollStatusBoard>().Blocked(InstagramPlatform.Id, InstagramHashtagJob.EndpointName, "instagram")!.Value.Outcome);

        // A second worker of the deployment, with no slow-down, stops at 100% for the configured backoff.
        await using var eager = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix("eager"), "simulator-token",
            ["--HazaraMonitor:Platforms:Instagram:SlowDownAt=99", "--HazaraMonitor:Platforms:Instagram:RateLimitBackoff=00:20:00"]);
        var stopped = Assert.IsType<PlatformRequestException>(await eager.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(PollOutcome.RateLimited, stopped.Outcome);
        Assert.StartsWith("Instagram usage is at 100% (X-App-Usage call_count)", stopped.Message, StringComparison.Ordinal);
        Assert.InRange(stopped.RetryAt!.Value, TimeProvider.System.GetUtcNow().AddMinutes(19), TimeProvider.System.GetUtcNow().AddMinutes(20));
        Assert.Equal(0, (await simulator.PlatformStatsAsync("instagram", tags)).GetProperty("rate_limited").GetInt32());
    }

    [SkippableFact]
    public async Task AMalformedPageEndsOnlyItsHashtagsSweep()
    {
        await using var simulator = await StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(AMalformedPageEndsOnlyItsHashtagsSweep));
        var tags = worker.Hashtags(Campaign);

        var failure = Assert.IsType<PlatformRequestException>(await worker.Services.GetRequiredService<InstagramHashtagJob>().RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Equal(0, await worker.TotalAsync(Campaign, InstagramPlatform.Id));
        // Every hashtag was still read: one broken first page each.
        Assert.Equal(tags.Count, (await simulator.PlatformStatsAsync("instagram", tags)).GetProperty("search_requests").GetInt32());
        Assert.Equal(PollOutcome.Malformed, worker.Services.GetRequiredService<PollStatusBoard>().Last[(InstagramPlatform.Id, InstagramHashtagJob.EndpointName, Campaign)].Outcome);
    }

    private static async Task<HealthReportEntry> HealthAsync(InProcessWorker worker)
    {
        var report = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "instagram", CancellationToken.None);
        return report.Entries["instagram"];
    }
}
