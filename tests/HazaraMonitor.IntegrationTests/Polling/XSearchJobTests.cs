using System.Diagnostics.Metrics;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HazaraMonitor.IntegrationTests.Polling;

/// <summary>One poll at a time of the real X jobs (search, and under a budget the sample and counts): simulator over HTTP, real Redis.</summary>
public sealed class XSearchJobTests
{
    private const string Campaign = "stop-hazara-genocide";

    private static Task<long> TotalAsync(InProcessWorker worker) => worker.TotalAsync(Campaign, XPlatform.Id);

    [SkippableFact]
    public async Task AMalformedPageLeavesCursorAndCountsAndIsRecorded()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(AMalformedPageLeavesCursorAndCountsAndIsRecorded), extra: "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=2");
        var job = worker.Services.GetRequiredService<XSearchJob>();

        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var cursor = await worker.SweepCursorAsync(Campaign, XPlatform.Id);
        var total = await TotalAsync(worker);
        Assert.True(SweepCursor.Parse(cursor).InSweep, "two pages of a longer poll: the cursor holds the next page");

        simulator.Options.MalformedShare = 1;
        var failure = Assert.IsType<PlatformRequestException>(await job.RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Equal(cursor, await worker.SweepCursorAsync(Campaign, XPlatform.Id));
        Assert.Equal(total, await TotalAsync(worker));
        var board = worker.Services.GetRequiredService<PollStatusBoard>();
        Assert.Equal(PollOutcome.Malformed, board.Last[(XPlatform.Id, SweepCursor.Stream, Campaign)].Outcome);
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["platforms"].Status);

        // The next good poll continues exactly where the cursor stood.
        simulator.Options.MalformedShare = 0;
        while (SweepCursor.Parse(await worker.SweepCursorAsync(Campaign, XPlatform.Id)).InSweep)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        }

        var stats = await simulator.StatsAsync(HazaraMonitor.Core.Campaigns.CampaignQueries.Hashtags(
            worker.Hashtags(Campaign)));
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await TotalAsync(worker));
    }

    /// <summary>A post without created_at is rejected (reason malformed) on its own: the polls succeed and count every other post.</summary>
    [SkippableFact]
    public async Task APostWithoutCreatedAtIsRejectedAloneAndItsPageCounted()
    {
        await using var simulator = await SimulatorHost.StartAsync(
            o =>
            {
                Scenarios.FinishedSurge(o);
                o.OverlapShare = 0;
            },
            s => s.Configure<XSimulationOptions>(x => x.WithoutCreatedAtShare = 0.05));
        await using var worker = InProcessWorker.Create(simulator, nameof(APostWithoutCreatedAtIsRejectedAloneAndItsPageCounted));
        using var rejected = new MetricCollector<long>(worker.Services.GetRequiredService<IMeterFactory>(), HazaraMonitorMetrics.MeterName, "hazaramonitor.posts.rejected");
        var job = worker.Services.GetRequiredService<XSearchJob>();

        do
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        }
        while (SweepCursor.Parse(await worker.SweepCursorAsync(Campaign, XPlatform.Id)).InSweep);

        var stats = await simulator.StatsAsync(Core.Campaigns.CampaignQueries.Hashtags(worker.Hashtags(Campaign)));
        var withoutTime = stats.GetProperty("served_without_created_at").GetInt64();
        Assert.True(withoutTime > 0, "the simulator must serve posts without created_at");
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64() - withoutTime, await TotalAsync(worker));
        Assert.Equal(withoutTime, rejected.GetMeasurementSnapshot().Where(m => Equals(m.Tags[HazaraMonitorMetrics.ReasonTag], "malformed")).EvaluateAsCounter());
    }

    [SkippableFact]
    public async Task ARefusedTokenStopsPollingWithoutRetrying()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedTokenStopsPollingWithoutRetrying), bearerToken: "expired-token");
        var job = worker.Services.GetRequiredService<XSearchJob>();

        await job.FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Equal(1, (await simulator.StatsAsync("#x")).GetProperty("unauthorized").GetInt32());
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.DoesNotContain("expired-token", health.Entries["platforms"].Description, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ARateLimitedPollWaitsForTheResetThenContinues()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 2));
        // The worker's clock is moved past the reset instead of sleeping until it.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(ARateLimitedPollWaitsForTheResetThenContinues)), "simulator-token", [], clock);
        var job = worker.Services.GetRequiredService<XSearchJob>();

        var failure = Assert.IsType<PlatformRequestException>(await job.RunAsync(Campaign, null, CancellationToken.None));
        simulator.Options.RateLimitedShare = 0;
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var requestsWhileWaiting = (await simulator.StatsAsync("#x")).GetProperty("search_requests").GetInt32();

        clock.Advance(failure.RetryAt!.Value - clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.RateLimited, failure.Outcome);
        Assert.Equal(1, requestsWhileWaiting);
        Assert.True(await TotalAsync(worker) > 0);
    }

    /// <summary>
    /// Two instances on one deployment: a 429 or a refused token met by one pauses the other too,
    /// which then calls nothing; an instance that starts forgets the refusals (it may bring a new token).
    /// </summary>
    [SkippableFact]
    public async Task ARateLimitOrARefusedTokenMetByOneInstancePausesTheOther()
    {
        await using var limited = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 60));
        var prefix = RedisServer.UniquePrefix(nameof(ARateLimitOrARefusedTokenMetByOneInstancePausesTheOther));
        await using (var first = InProcessWorker.CreateOnPrefix(limited, prefix, "simulator-token", []))
        await using (var second = InProcessWorker.CreateOnPrefix(limited, prefix, "simulator-token", []))
        {
            Assert.IsType<PlatformRequestException>(await first.Services.GetRequiredService<XSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            Assert.Null(await second.Services.GetRequiredService<XSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            Assert.Equal(1, (await limited.StatsAsync("#x")).GetProperty("search_requests").GetInt32());
        }

        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var refusedPrefix = RedisServer.UniquePrefix("refused-" + nameof(ARateLimitOrARefusedTokenMetByOneInstancePausesTheOther));
        await using (var first = InProcessWorker.CreateOnPrefix(simulator, refusedPrefix, "expired-token", []))
        await using (var second = InProcessWorker.CreateOnPrefix(simulator, refusedPrefix, "expired-token", []))
        {
            Assert.IsType<PlatformRequestException>(await first.Services.GetRequiredService<XSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            Assert.Null(await second.Services.GetRequiredService<XSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            Assert.Equal(1, (await simulator.StatsAsync("#x")).GetProperty("unauthorized").GetInt32());
            // The instance that did not meet the refusal says so on its own health too.
            Assert.Equal(HealthStatus.Unhealthy, (await second.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
        }

        await using var restarted = InProcessWorker.CreateOnPrefix(simulator, refusedPrefix, "expired-token", []);
        await ActivatorUtilities.CreateInstance<SharedPauseReset>(restarted.Services).StartAsync(CancellationToken.None);
        Assert.IsType<PlatformRequestException>(await restarted.Services.GetRequiredService<XSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(2, (await simulator.StatsAsync("#x")).GetProperty("unauthorized").GetInt32());
    }

    /// <summary>
    /// Bursts of 503s, answers slower than the client's timeout and truncated pages: the client
    /// retries what is worth retrying, a broken page ends the poll with its cursor unmoved, and the
    /// sweep ends with every post the platform served counted exactly once.
    /// </summary>
    [SkippableFact]
    public async Task CountsEveryPostOnceThroughServerErrorsTimeoutsAndTruncatedPages()
    {
        await using var simulator = await SimulatorHost.StartAsync(
            o =>
            {
                Scenarios.FinishedSurge(o);
                o.MalformedShare = 0.15;
            },
            s => s.Configure<XSimulationOptions>(x =>
            {
                x.ServerErrorShare = 0.2;
                x.SlowShare = 0.1;
                x.SlowSeconds = 2;
            }));
        await using var worker = InProcessWorker.Create(simulator, nameof(CountsEveryPostOnceThroughServerErrorsTimeoutsAndTruncatedPages), "simulator-token",
            "--HazaraMonitor:Platforms:X:RequestTimeout=00:00:01");
        var job = worker.Services.GetRequiredService<XSearchJob>();
        var query = Core.Campaigns.CampaignQueries.Hashtags(worker.Hashtags(Campaign));
        var served = (await simulator.StatsAsync(query)).GetProperty("matching_so_far").GetInt64();

        var failures = 0;
        for (var poll = 0; poll < 300 && await TotalAsync(worker) < served; poll++)
        {
            failures += await job.RunAsync(Campaign, null, CancellationToken.None) is null ? 0 : 1;
        }

        var stats = await simulator.StatsAsync(query);
        Assert.True(stats.GetProperty("server_errors").GetInt64() > 0 && stats.GetProperty("slow").GetInt64() > 0 && stats.GetProperty("malformed").GetInt64() > 0, stats.ToString());
        Assert.True(failures > 0, "some polls ended on a fault");
        Assert.Equal(served, await TotalAsync(worker));
        // Polls after the end of the sweep (faults or not) add nothing.
        for (var poll = 0; poll < 3; poll++)
        {
            await job.RunAsync(Campaign, null, CancellationToken.None);
        }

        Assert.Equal(served, await TotalAsync(worker));
    }

    /// <summary>X under a budget, against the simulator's bill: counts come first, search reads a sample, nothing is spent past the budget.</summary>
    [SkippableFact]
    public async Task ASurgeUnderASmallBudgetSpendsNoMoreThanItKeepsTheVolumeExactAndSaysWhatIsSampled()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var receiver = await AlertReceiver.StartAsync();
        // $7.50 a day, counts hourly (24 x $0.005 kept for them): search may read about one post a
        // minute, ten from every tenth minute.
        // The test moves its clock 15 minutes on and needs the same UTC day (a new day is a new budget): started in the
        // day's last quarter hour it starts 20 minutes back instead, still after the finished surge.
        var start = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(Resolution.Day.Start(start + TimeSpan.FromMinutes(16)) == Resolution.Day.Start(start) ? start : start - TimeSpan.FromMinutes(20));
        await using var worker = InProcessWorker.CreateOnPrefix(
            simulator,
            RedisServer.UniquePrefix(nameof(ASurgeUnderASmallBudgetSpendsNoMoreThanItKeepsTheVolumeExactAndSaysWhatIsSampled)),
            "simulator-token",
            [
                "--HazaraMonitor:Platforms:X:Budget:Daily=7.50",
                "--HazaraMonitor:Platforms:X:Schedule=0 0 * * * ?",
                "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=100",
                "--HazaraMonitor:Alerts:Webhooks:0:Name=ops",
                $"--HazaraMonitor:Alerts:Webhooks:0:Url={receiver.Hook("ops")}",
            ],
            clock);
        var ledger = worker.Services.GetRequiredService<RedisSpendLedger>();
        var now = clock.GetUtcNow();
        // Spent earlier today: all but the room for the rest of the day's hourly counts and $0.15
        // (30 posts) for search, whatever the time of day.
        var keep = worker.Services.GetRequiredService<XSpend>().SearchLimitsAt(now).KeepDailyMicro;
        var earlier = (int)((7_500_000 - keep - 150_000) / 5_000);
        Assert.Equal(earlier, await ledger.ReserveAsync(XPlatform.Id, now, earlier, 0, 0, XSpend.Tariff, new SpendLimits(null, null), CancellationToken.None));
        var spentEarlier = earlier * 5_000L;

        var sample = worker.Services.GetRequiredService<XSampleJob>();
        var failure = Assert.IsType<PlatformRequestException>(await sample.RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(PollOutcome.BudgetSpent, failure.Outcome);
        Assert.Null(await worker.Services.GetRequiredService<XCountsJob>().RunAsync(Campaign, null, CancellationToken.None));
        // Spent again at a later poll (past the next sampled minute, one in ten): the operators were told once.
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(PollOutcome.BudgetSpent, Assert.IsType<PlatformRequestException>(await sample.RunAsync(Campaign, null, CancellationToken.None)).Outcome);
        var notice = Assert.Single(receiver.Received["ops"]);
        Assert.Equal("budget_spent", notice.GetProperty("kind").GetString());
        Assert.Equal("x", notice.GetProperty("platform").GetString());

        // What X billed never passes what the budget left, and the ledger never shows less than was billed.
        var bill = await simulator.Http.GetFromJsonAsync<JsonElement>("/sim/x/billing");
        var billedPosts = bill.GetProperty("posts_billed").GetInt64();
        // Search stays within its $0.15: at most 30 posts, beside the one counts request.
        Assert.InRange(billedPosts, 10, 30);
        Assert.True(bill.GetProperty("usd").GetDecimal() <= 0.155m, $"billed {bill.GetProperty("usd")}");
        Assert.Equal(1, bill.GetProperty("counts_requests").GetInt64());
        var spend = await ledger.GetAsync(XPlatform.Id, now, CancellationToken.None);
        Assert.InRange(spend.DayMicro, spentEarlier + (billedPosts * 5_000) + 5_000, 7_500_000);

        // Every minute has the exact volume X's counts give (they include reposts search leaves out);
        // the sampled minutes say what their sample holds.
        var campaign = worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        var points = await worker.Services.GetRequiredService<RedisCountStore>()
            .GetSeriesAsync(Campaign, Resolution.Minute, now.AddHours(-2.5), now.AddMinutes(-2), [XPlatform.Id], null, CancellationToken.None);
        using var counts = new HttpRequestMessage(HttpMethod.Get,
            $"/2/tweets/counts/recent?granularity=minute&query={Uri.EscapeDataString(campaign.HashtagQuery)}&start_time={points[0].Start:yyyy-MM-ddTHH:mm:ssZ}&end_time={points[^1].Start.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");
        counts.Headers.Authorization = new("Bearer", "simulator-token");
        using var answer = await simulator.Http.SendAsync(counts);
        var x = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray()
            .ToDictionary(b => b.GetProperty("start").GetDateTimeOffset(), b => b.GetProperty("tweet_count").GetInt64());
        Assert.Contains(x.Values, v => v > 10);
        foreach (var point in points)
        {
            Assert.True(x[point.Start] == point.Count, $"{point.Start:HH:mm}: counted {point.Count}, X counts {x[point.Start]}");
            Assert.True(point.Sample is not null, $"{point.Start:HH:mm} is not marked sampled");
        }

        var sampled = points.Where(p => p.Sample!.Value.Read > 0).ToList();
        Assert.Equal(billedPosts, sampled.Sum(p => p.Sample!.Value.Read));
        Assert.Contains(sampled, p => p.Sample!.Value.Share < 1);

        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["platforms"].Status);
        Assert.Equal(PollOutcome.BudgetSpent, worker.Services.GetRequiredService<PollStatusBoard>().Last[(XPlatform.Id, SweepCursor.Stream, Campaign)].Outcome);

        // The API gives the sample's size and share beside the exact volume.
        var http = await worker.ServeAsync();
        var surge = sampled.MaxBy(p => p.Count);
        var series = await http.GetFromJsonAsync<JsonElement>(
            $"/api/campaigns/{Campaign}/series?resolution=1m&platform=x&from={surge.Start:yyyy-MM-ddTHH:mm:ssZ}&to={surge.Start.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");
        var shown = series.GetProperty("points")[0];
        Assert.Equal(surge.Count, shown.GetProperty("count").GetInt64());
        Assert.Equal(surge.Sample!.Value.Read, shown.GetProperty("sampled").GetInt64());
        Assert.Equal(Math.Round(surge.Sample!.Value.Share!.Value, 4), shown.GetProperty("sampleShare").GetDouble());
        var spendView = (await http.GetFromJsonAsync<JsonElement>("/api/spend"))[0];
        Assert.Equal(7.5m, spendView.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.True(spendView.GetProperty("dayUsd").GetDecimal() <= 7.5m);
    }

}
