using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.IntegrationTests.Infrastructure;
using HazaraMonitor.Worker.Polling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>
/// Redis dies in the middle of ingest (SIGKILL: no shutdown, no final fsync) and comes back from its
/// append-only file. The worker, never restarted, fails its polls while Redis is gone and resumes
/// from the committed cursors: every post the simulator served is counted exactly once.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task RedisKilledMidIngestAndRestartedFromItsAppendOnlyFileLosesAndRepeatsNothing()
    {
        // The shared test Redis decides skip (or failure in CI) when redis-server is missing.
        RedisServer.Connect();
        var dir = Directory.CreateTempSubdirectory("hm-redis-outage-");
        var port = FreePort();
        var redis = StartRedis(dir.FullName, port);
        try
        {
            await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
            await using var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(RedisOutageTests)), "simulator-token",
                [$"--HazaraMonitor:Redis:Configuration=127.0.0.1:{port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000", "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=1"]);
            var job = worker.Services.GetRequiredService<XSearchJob>();
            var query = CampaignQueries.Hashtags(worker.Hashtags(Campaign));

            // Five pages read and committed, then Redis is killed.
            for (var i = 0; i < 5; i++)
            {
                Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            }

            var before = await worker.TotalAsync(Campaign, Platform.X);
            Assert.True(before > 0);
            redis.Kill();
            await redis.WaitForExitAsync();

            // While it is gone a poll reads the platform but cannot commit: it fails, and nothing moves;
            // the health check says Redis is unreachable.
            Assert.NotNull(await job.RunAsync(Campaign, null, CancellationToken.None));
            var health = worker.Services.GetRequiredService<HealthCheckService>();
            Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Entries["redis"].Status);

            redis = StartRedis(dir.FullName, port);
            // The worker's connection comes back on its own (it is not restarted).
            long restored = -1;
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    restored = await worker.TotalAsync(Campaign, Platform.X);
                    return true;
                }
                catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
                {
                    return false;
                }
            }, Stopwatch.StartNew(), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
            output.WriteLine($"counted {before} before the kill, {restored} after the restart from the append-only file");
            // Up to the last second before the kill may be lost (fsync every second), never more, and
            // then with its cursor: the posts are read again.
            Assert.InRange(restored, 0, before);

            var served = (await simulator.StatsAsync(query)).GetProperty("matching_so_far").GetInt64();
            for (var poll = 0; poll < 200 && await worker.TotalAsync(Campaign, Platform.X) < served; poll++)
            {
                await job.RunAsync(Campaign, null, CancellationToken.None);
            }

            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["redis"].Status);
            // One more sweep finds nothing new: not one post counted twice.
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            Assert.Equal(served, await worker.TotalAsync(Campaign, Platform.X));
        }
        finally
        {
            if (!redis.HasExited)
            {
                redis.Kill();
                await redis.WaitForExitAsync();
            }

            redis.Dispose();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Redis stops answering without going away (the process frozen with SIGSTOP: connections stay
    /// open, nothing answers, as behind a network partition), then answers again (SIGCONT): polls time
    /// out meanwhile, health says Redis is unreachable, and the sweep resumes from its cursor.
    /// </summary>
    [SkippableFact]
    public async Task RedisUnreachableWithoutARestartPausesNothingForGoodAndLosesNothing()
    {
        RedisServer.Connect();
        var dir = Directory.CreateTempSubdirectory("hm-redis-frozen-");
        var port = FreePort();
        var redis = StartRedis(dir.FullName, port);
        try
        {
            await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
            await using var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(RedisOutageTests) + "frozen"), "simulator-token",
                [$"--HazaraMonitor:Redis:Configuration=127.0.0.1:{port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000", "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=1"]);
            var job = worker.Services.GetRequiredService<XSearchJob>();
            var health = worker.Services.GetRequiredService<HealthCheckService>();
            for (var i = 0; i < 3; i++)
            {
                Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            }

            Signal(redis, "STOP");
            try
            {
                Assert.NotNull(await job.RunAsync(Campaign, null, CancellationToken.None));
                Assert.NotEqual(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["redis"].Status);
            }
            finally
            {
                Signal(redis, "CONT");
            }

            var served = (await simulator.StatsAsync(CampaignQueries.Hashtags(worker.Hashtags(Campaign)))).GetProperty("matching_so_far").GetInt64();
            for (var poll = 0; poll < 200 && await CountedAsync(worker) < served; poll++)
            {
                await job.RunAsync(Campaign, null, CancellationToken.None);
            }

            Assert.Equal(served, await CountedAsync(worker));
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["redis"].Status);
        }
        finally
        {
            redis.Kill();
            await redis.WaitForExitAsync();
            redis.Dispose();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The campaign's X total, once the worker's connection answers again (-1 until then).</summary>
    private static async Task<long> CountedAsync(InProcessWorker worker)
    {
        try
        {
            return await worker.TotalAsync(Campaign, Platform.X);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            return -1;
        }
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>A redis-server of its own, append-only with an fsync every second, as deployed; answers before this returns.</summary>
    private static Process StartRedis(string dir, int port)
    {
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = ConnectionMultiplexer.Connect($"127.0.0.1:{port},connectTimeout=500");
                probe.GetDatabase().Ping();
                return process;
            }
            catch (RedisConnectionException) when (clock.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
