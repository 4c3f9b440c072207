using System.Diagnostics.Metrics;
using HazaraMonitor.Simulator.TikTok;
using HazaraMonitor.Worker.Platforms.TikTok;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The TikTok client and poll job over real HTTP against the simulated Research API (token and video query), real Redis.</summary>
public sealed class TikTokConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";

    private static async Task<TikTokCursor?> CursorAsync(InProcessWorker worker) => TikTokCursor.Parse(
        await worker.Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(Campaign, TikTokPlatform.Id, TikTokCursor.Stream, CancellationToken.None));

    private static Task<long> TotalAsync(InProcessWorker worker) => worker.TotalAsync(Campaign, TikTokPlatform.Id);

    private static Task<JsonElement> StatsAsync(SimulatorHost simulator, InProcessWorker worker) => simulator.PlatformStatsAsync("tiktok", worker.Hashtags(Campaign));

    /// <summary>Polls until the sweep in progress has ended; the polls it took.</summary>
    private static async Task<int> FinishSweepAsync(InProcessWorker worker)
    {
        var job = worker.Services.GetRequiredService<TikTokQueryJob>();
        var polls = 0;
        do
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            polls++;
        }
        while ((await CursorAsync(worker))!.InSweep && polls < 100);
        return polls;
    }

    [SkippableFact]
    public async Task PagesBySearchIdAndCursorAndResumesTheSearchAfterARestart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(PagesBySearchIdAndCursorAndResumesTheSearchAfterARestart));
        string[] onePage = ["--HazaraMonitor:Platforms:TikTok:MaxPagesPerPoll=1"];

        TikTokCursor? before;
        await using (var first = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage))
        {
            Assert.Null(await first.Services.GetRequiredService<TikTokQueryJob>().RunAsync(Campaign, null, CancellationToken.None));
            before = await CursorAsync(first);
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage);
        var polls = 1 + await FinishSweepAsync(after);

        var stats = await StatsAsync(simulator, after);
        var matching = stats.GetProperty("matching_so_far").GetInt64();
        Assert.True(before is { InSweep: true, SearchId: not null, Next: > 0 and <= 100 }, $"one page of a longer search: the cursor holds its search and next index, got {before}");
        Assert.True(matching > 300, $"several pages of 100: {matching}");
        Assert.Equal(matching, await TotalAsync(after));
        Assert.Equal(polls, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(1, stats.GetProperty("searches").GetInt32());
        Assert.Equal(0, stats.GetProperty("invalid_params").GetInt32());

        // The next sweep reads today again (the API filters whole days): a new search, nothing counted twice.
        await FinishSweepAsync(after);
        Assert.Equal(2, (await StatsAsync(simulator, after)).GetProperty("searches").GetInt32());
        Assert.Equal(matching, await TotalAsync(after));
    }

    [SkippableFact]
    public async Task SplitsALongLookbackIntoWindowsOfAtMostThirtyDaysAndCountsOnlyWhatFollowsItsStart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        // 45 days back: two windows. The timeline started two hours ago, 30 minutes before this
        // worker's start: the posts of those 30 minutes come in the day's window but are not counted.
        await using var worker = InProcessWorker.Create(simulator, nameof(SplitsALongLookbackIntoWindowsOfAtMostThirtyDaysAndCountsOnlyWhatFollowsItsStart),
            extra: ["--HazaraMonitor:Platforms:TikTok:InitialLookback=45.00:00:00"]);
        await FinishSweepAsync(worker);

        var stats = await StatsAsync(simulator, worker);
        var today = TikTokCursor.Day(TimeProvider.System.GetUtcNow());
        var first = today.AddDays(-45);
        Assert.Equal(
            [$"{first:yyyyMMdd}-{first.AddDays(29):yyyyMMdd}", $"{first.AddDays(30):yyyyMMdd}-{today:yyyyMMdd}"],
            stats.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(30, stats.GetProperty("longest_window_days").GetInt32());
        Assert.Equal(0, stats.GetProperty("invalid_params").GetInt32());
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await TotalAsync(worker));

        await using var shortLookback = InProcessWorker.Create(simulator, "tiktoklookback", extra: ["--HazaraMonitor:Platforms:TikTok:InitialLookback=01:30:00"]);
        var campaign = shortLookback.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        // create_time is in whole seconds: a video counts when its second is not before the start.
        long SinceLookback(DateTimeOffset poll) => simulator.Timeline.Between(DateTimeOffset.FromUnixTimeSeconds((long)Math.Ceiling((poll.AddMinutes(-90) - DateTimeOffset.UnixEpoch).TotalSeconds)), simulator.Clock.Now.AddTicks(1))
            .Count(p => p.HashtagKeys.Any(campaign.Follows));
        var pollFrom = TimeProvider.System.GetUtcNow();
        await FinishSweepAsync(shortLookback);
        var pollTo = TimeProvider.System.GetUtcNow();
        var counted = await TotalAsync(shortLookback);
        Assert.InRange(counted, SinceLookback(pollTo), SinceLookback(pollFrom));
        Assert.True(counted > 0, "the lookback reaches into the timeline");
        Assert.True(counted < stats.GetProperty("matching_so_far").GetInt64(), "the whole day was read, but what came before the lookback is not counted");
    }

    [SkippableFact]
    public async Task StopsAtItsDailyRequestLimitBeforeTikTokRefusesAndEveryInstanceWaits()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(StopsAtItsDailyRequestLimitBeforeTikTokRefusesAndEveryInstanceWaits));
        // Three requests a day, and a schedule that fires once a day to fit them.
        string[] tight = ["--HazaraMonitor:Platforms:TikTok:DailyRequestLimit=3", "--HazaraMonitor:Platforms:TikTok:Schedule=0 0 3 * * ?"];
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", tight);
        var job = worker.Services.GetRequiredService<TikTokQueryJob>();
        using var remaining = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(), HazaraMonitorMetrics.MeterName, "hazaramonitor.platform.quota.remaining");

        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var spent = await job.FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = TimeProvider.System.GetUtcNow();
        Assert.Equal(Resolution.Day.Start(now).AddDays(1), spent.RetryAt);
        Assert.Contains("3 requests (HazaraMonitor:Platforms:TikTok:DailyRequestLimit)", spent.Message, StringComparison.Ordinal);
        Assert.True((await CursorAsync(worker))!.InSweep, "the sweep waits for tomorrow where it stopped");
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries[TikTokQuotaHealthCheck.Name].Status);
        Assert.Equal(3L, health.Entries[TikTokQuotaHealthCheck.Name].Data["requests"]);
        // The platform quota gauge, beside Instagram's and Threads' rolling quotas: no request left today.
        remaining.RecordObservableInstruments();
        var requestsLeft = Assert.Single(remaining.GetMeasurementSnapshot(), m => Equals(m.Tags[HazaraMonitorMetrics.QuotaTag], TikTokQuota.RequestsMetric));
        Assert.Equal(0, requestsLeft.Value);
        Assert.Contains(remaining.GetMeasurementSnapshot(), m => Equals(m.Tags[HazaraMonitorMetrics.QuotaTag], TikTokQuota.RecordsMetric) && m.Value > 0);
        Assert.Equal(PollOutcome.RateLimited, worker.Services.GetRequiredService<PollStatusBoard>().Last[(TikTokPlatform.Id, TikTokCursor.Stream, Campaign)].Outcome);

        // Another instance of the deployment shares the counters and the pause: it does not call either.
        await using var other = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", tight);
        Assert.Null(await other.Services.GetRequiredService<TikTokQueryJob>().RunAsync(Campaign, null, CancellationToken.None));
        var stats = await StatsAsync(simulator, worker);
        Assert.Equal(3, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(0, stats.GetProperty("quota_exceeded").GetInt32());
    }

    [SkippableFact]
    public async Task TikTokSayingTheDailyQuotaIsSpentStopsEveryInstanceUntilTheDayEnds()
    {
        // The project's quota is shared by its collaborators: TikTok refuses after two requests.
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge, s => s.Configure<TikTokSimulationOptions>(t => t.DailyRequestLimit = 2));
        var prefix = RedisServer.UniquePrefix(nameof(TikTokSayingTheDailyQuotaIsSpentStopsEveryInstanceUntilTheDayEnds));
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);

        var refused = await worker.Services.GetRequiredService<TikTokQueryJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        Assert.Equal(Resolution.Day.Start(TimeProvider.System.GetUtcNow()).AddDays(1), refused.RetryAt);
        Assert.Contains(TikTokClient.DailyQuotaCode, refused.Message, StringComparison.Ordinal);
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries[TikTokQuotaHealthCheck.Name].Status);
        Assert.Equal("true", health.Entries[TikTokQuotaHealthCheck.Name].Data["spent_at_tiktok"]);

        // A new instance (a restart) finds the day spent in the shared counters, not only in the pause.
        await RedisServer.Connect().GetDatabase().KeyDeleteAsync(new RedisKeySchema(prefix).RatePause(TikTokPlatform.Id, TikTokCursor.Stream));
        await using var restarted = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        var again = Assert.IsType<PlatformRequestException>(await restarted.Services.GetRequiredService<TikTokQueryJob>().RunAsync(Campaign, null, CancellationToken.None));
        Assert.Contains("TikTok answered daily_quota_limit_exceeded", again.Message, StringComparison.Ordinal);
        var stats = await StatsAsync(simulator, worker);
        Assert.Equal(3, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(1, stats.GetProperty("quota_exceeded").GetInt32());
    }

    [SkippableFact]
    public async Task ARefusedClientSecretPausesTikTokWithoutRepeatingIt()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedClientSecretPausesTikTokWithoutRepeatingIt),
            extra: "--HazaraMonitor:Platforms:TikTok:ClientSecret=revoked-tiktok-secret");

        var refused = await worker.Services.GetRequiredService<TikTokQueryJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Contains("HazaraMonitor:Platforms:TikTok:ClientKey", refused.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_client", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-tiktok-secret", refused.ToString(), StringComparison.Ordinal);
        var stats = await StatsAsync(simulator, worker);
        Assert.Equal((1, 1, 0), (stats.GetProperty("token_requests").GetInt32(), stats.GetProperty("unauthorized").GetInt32(), stats.GetProperty("search_requests").GetInt32()));
        Assert.Contains((TikTokPlatform.Id, "tiktok"), worker.Services.GetRequiredService<PollStatusBoard>().AuthFailures.Keys);
    }

    [SkippableFact]
    public async Task WaitsTheConfiguredBackoffAfterA429ThatGivesNoReset()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 3));
        await using var worker = InProcessWorker.Create(simulator, nameof(WaitsTheConfiguredBackoffAfterA429ThatGivesNoReset),
            extra: "--HazaraMonitor:Platforms:TikTok:RateLimitBackoff=00:00:05");

        var limited = await worker.Services.GetRequiredService<TikTokQueryJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = TimeProvider.System.GetUtcNow();
        Assert.InRange(limited.RetryAt!.Value, now.AddSeconds(2), now.AddSeconds(6));
        Assert.Contains("rate_limit_exceeded", limited.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await StatsAsync(simulator, worker)).GetProperty("search_requests").GetInt32());
    }

    [SkippableFact]
    public async Task ATruncatedPageIsRecordedAndLeavesTheCursor()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(ATruncatedPageIsRecordedAndLeavesTheCursor));

        var failure = Assert.IsType<PlatformRequestException>(await worker.Services.GetRequiredService<TikTokQueryJob>().RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Null(await CursorAsync(worker));
        Assert.Equal(0, await TotalAsync(worker));
        Assert.Equal(PollOutcome.Malformed, worker.Services.GetRequiredService<PollStatusBoard>().Last[(TikTokPlatform.Id, TikTokCursor.Stream, Campaign)].Outcome);
        // The page's records stay counted against the day: TikTok counted what it sent.
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal((1L, 100L), ((long)health.Entries[TikTokQuotaHealthCheck.Name].Data["requests"], (long)health.Entries[TikTokQuotaHealthCheck.Name].Data["records"]));
    }

    [SkippableFact]
    public async Task ASearchTheApiNoLongerResumesIsReadAgainFromItsFirstPage()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ASearchTheApiNoLongerResumesIsReadAgainFromItsFirstPage),
            extra: "--HazaraMonitor:Platforms:TikTok:MaxPagesPerPoll=1");
        var job = worker.Services.GetRequiredService<TikTokQueryJob>();
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));

        // The API's cache of the search is gone.
        simulator.Service<TikTokSearches>().Cached.Clear();
        await FinishSweepAsync(worker);

        var stats = await StatsAsync(simulator, worker);
        Assert.Equal(1, stats.GetProperty("invalid_params").GetInt32());
        Assert.Equal(2, stats.GetProperty("searches").GetInt32());
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await TotalAsync(worker));
    }
}
