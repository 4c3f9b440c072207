using HazaraMonitor.Simulator.X;
using HazaraMonitor.Worker.Polling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace HazaraMonitor.IntegrationTests.Polling;

/// <summary>One poll at a time of the real search job: simulator over HTTP, real Redis.</summary>
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
}
