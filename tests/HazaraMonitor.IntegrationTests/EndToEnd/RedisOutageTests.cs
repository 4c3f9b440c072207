using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>
/// Redis goes away in the middle of ingest and comes back. The worker, never restarted, fails its
/// polls while Redis is gone (health says so) and resumes from the committed cursors: every post the
/// simulator served is counted exactly once.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";

    /// <summary>Redis killed with SIGKILL (no shutdown, no final fsync) and restarted from its append-only file.</summary>
    [SkippableFact]
    public async Task RedisKilledMidIngestAndRestartedFromItsAppendOnlyFileLosesAndRepeatsNothing()
    {
        await using var redis = OwnRedis.Start();
        await using var outage = await Outage.StartAsync(redis, pagesBefore: 5);
        var before = await outage.CountedAsync();
        Assert.True(before > 0);
        // Past the next fsync (every second): what was committed is on disk when Redis dies.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await redis.KillAsync();
        await outage.FailsWhileRedisIsGoneAsync();
        redis.Restart();

        var restored = await outage.CountedWhenBackAsync();
        output.WriteLine($"counted {before} before the kill, {restored} after the restart from the append-only file");
        // Everything committed more than a second before the kill comes back from the append-only file.
        Assert.Equal(before, restored);
        await outage.SweepsToTheEndCountingEachPostOnceAsync();
    }

    /// <summary>
    /// Redis stops answering without going away (frozen with SIGSTOP: connections stay open, nothing
    /// answers, as behind a network partition), then answers again (SIGCONT). A commit sent while it
    /// was frozen may still apply when it wakes; its cursor moves with it, so nothing is read twice.
    /// </summary>
    [SkippableFact]
    public async Task RedisUnreachableWithoutARestartPausesNothingForGoodAndLosesNothing()
    {
        await using var redis = OwnRedis.Start();
        await using var outage = await Outage.StartAsync(redis, pagesBefore: 3);

        redis.Signal("STOP");
        try
        {
            await outage.FailsWhileRedisIsGoneAsync();
        }
        finally
        {
            redis.Signal("CONT");
        }

        await outage.CountedWhenBackAsync();
        await outage.SweepsToTheEndCountingEachPostOnceAsync();
    }

    /// <summary>A worker reading the simulator's finished surge from X, one page a poll, into <see cref="OwnRedis"/>.</summary>
    private sealed class Outage(SimulatorHost simulator, InProcessWorker worker) : IAsyncDisposable
    {
        private readonly XSearchJob _job = worker.Services.GetRequiredService<XSearchJob>();

        private async Task<HealthStatus> RedisHealthAsync() =>
            (await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["redis"].Status;

        public static async Task<Outage> StartAsync(OwnRedis redis, int pagesBefore)
        {
            var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
            var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(RedisOutageTests)), "simulator-token",
                [$"--HazaraMonitor:Redis:Configuration={redis.Configuration}", "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=1"]);
            var outage = new Outage(simulator, worker);
            for (var i = 0; i < pagesBefore; i++)
            {
                Assert.Null(await outage._job.RunAsync(Campaign, null, CancellationToken.None));
            }

            return outage;
        }

        public Task<long> CountedAsync() => worker.TotalAsync(Campaign, XPlatform.Id);

        /// <summary>A poll reads the platform but cannot commit: it fails, and health says Redis is unreachable.</summary>
        public async Task FailsWhileRedisIsGoneAsync()
        {
            Assert.NotNull(await _job.RunAsync(Campaign, null, CancellationToken.None));
            Assert.Equal(HealthStatus.Unhealthy, await RedisHealthAsync());
        }

        /// <summary>What is counted once the worker's connection is back on its own (the worker is not restarted).</summary>
        public async Task<long> CountedWhenBackAsync()
        {
            long counted = -1;
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    counted = await CountedAsync();
                    return true;
                }
                catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
                {
                    return false;
                }
            }, System.Diagnostics.Stopwatch.StartNew(), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
            return counted;
        }

        /// <summary>Polls until every served post is counted, then once more: nothing new, nothing twice; health is back.</summary>
        public async Task SweepsToTheEndCountingEachPostOnceAsync()
        {
            var served = (await simulator.StatsAsync(CampaignQueries.Hashtags(worker.Hashtags(Campaign)))).GetProperty("matching_so_far").GetInt64();
            for (var poll = 0; poll < 200 && await CountedAsync() < served; poll++)
            {
                await _job.RunAsync(Campaign, null, CancellationToken.None);
            }

            Assert.Equal(HealthStatus.Healthy, await RedisHealthAsync());
            Assert.Null(await _job.RunAsync(Campaign, null, CancellationToken.None));
            Assert.Equal(served, await CountedAsync());
        }

        public async ValueTask DisposeAsync()
        {
            await worker.DisposeAsync();
            await simulator.DisposeAsync();
        }
    }
}
