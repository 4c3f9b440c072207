using System.Diagnostics;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Time;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Hosting;
using HazaraMonitor.Worker.Platforms.X;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace HazaraMonitor.Benchmarks;

/// <summary>
/// Live detection's cost per campaign-minute on 22 days of minute buckets of four platforms, the
/// history the shipped settings learn from, with a surge halfway through the measured minutes. The
/// worker's evaluation (its detectors kept between minutes, each minute read and learnt once) beside
/// the baseline of how it worked before (every minute, read the whole history and run the detector
/// over all of it), on the same minutes, under a clock the benchmark moves a minute at a time; both
/// must raise the same alerts.
/// </summary>
internal static class DetectionBenchmark
{
    private const string Campaign = "stop-hazara-genocide";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(string redisConfiguration, int minutes)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var first = Resolution.Minute.Start(TimeProvider.System.GetUtcNow()) - (minutes * Minute);
        var surge = first + (minutes / 2 * Minute);
        Console.WriteLine($"HazaraMonitor detection benchmark: {Environment.ProcessorCount} cores, Redis {redisConfiguration}, one campaign of four platforms (five series), 22 days of minutes, {minutes} minutes judged, a surge at minute {minutes / 2}");

        var kept = await MeasureAsync("kept detectors (the worker)", redis, redisConfiguration, first, surge, minutes, rebuildEveryMinute: false);
        var baseline = await MeasureAsync("baseline: re-read and re-run every minute", redis, redisConfiguration, first, surge, minutes, rebuildEveryMinute: true);

        Console.WriteLine();
        Console.WriteLine($"{"evaluation",-44} {"first ms",9} {"per minute ms",14} {"vs baseline",12} {"alerts",7}");
        foreach (var run in new[] { baseline, kept })
        {
            Console.WriteLine($"{run.Name,-44} {run.FirstMs,9:N0} {run.PerMinuteMs,14:N1} {baseline.PerMinuteMs / run.PerMinuteMs,11:N0}x {run.Alerts.Count,7}");
        }

        var same = kept.Alerts.SequenceEqual(baseline.Alerts) && kept.Alerts.Count > 0;
        Console.WriteLine(same
            ? $"verified: both raised the same alerts ({string.Join(", ", kept.Alerts)})"
            : $"MISMATCH: kept raised [{string.Join(", ", kept.Alerts)}], baseline [{string.Join(", ", baseline.Alerts)}]");
        return same ? 0 : 1;
    }

    private sealed record Run(string Name, double FirstMs, double PerMinuteMs, IReadOnlyList<string> Alerts);

    private static async Task<Run> MeasureAsync(
        string name, ConnectionMultiplexer redis, string redisConfiguration, DateTimeOffset first, DateTimeOffset surge, int minutes, bool rebuildEveryMinute)
    {
        var prefix = "benchdet" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = WorkerApp.Create(
        [
            $"--HazaraMonitor:Redis:Configuration={redisConfiguration}",
            $"--HazaraMonitor:Redis:KeyPrefix={prefix}",
            "--HazaraMonitor:Platforms:X:BearerToken=unused",
            "--HazaraMonitor:Platforms:Reddit:ClientId=unused",
            "--HazaraMonitor:Platforms:Reddit:ClientSecret=unused",
            "--HazaraMonitor:Platforms:YouTube:ApiKey=unused",
            "--HazaraMonitor:Platforms:TikTok:ClientKey=unused",
            "--HazaraMonitor:Platforms:TikTok:ClientSecret=unused",
            "--HazaraMonitor:Platforms:Instagram:UserId=1",
            "--HazaraMonitor:Platforms:Instagram:AccessToken=unused",
            "--HazaraMonitor:Platforms:Threads:AccessToken=unused",
            // The alert's own log line would interleave with the figures.
            "--Logging:LogLevel:Default=Error",
        ]);
        var services = worker.Services;
        var campaign = services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        await SeedAsync(redis.GetDatabase(), new RedisKeySchema(prefix), campaign, first, surge, minutes);
        var clock = new BenchmarkClock(first);
        // The worker's own parts, on the benchmark's clock; new detectors for each job, as after a restart.
        DetectionJob Job() => ActivatorUtilities.CreateInstance<DetectionJob>(
            services,
            ActivatorUtilities.CreateInstance<LiveEvaluator>(services, new LiveDetectors(), clock),
            ActivatorUtilities.CreateInstance<AlertOutbox>(services, clock),
            clock);
        var job = Job();
        Console.Write($"{name}: ");

        var alerts = new List<string>();
        var times = new List<double>();
        for (var k = 0; k < minutes; k++)
        {
            // A few seconds into the minute after the one judged, as the schedule runs it.
            clock.Now = first + ((k + 1) * Minute) + TimeSpan.FromSeconds(5);
            if (rebuildEveryMinute)
            {
                job = Job();
            }

            var watch = Stopwatch.StartNew();
            alerts.AddRange((await job.EvaluateAsync(campaign, DateTimeOffset.MinValue, CancellationToken.None)).Select(a => $"{a.Direction} {a.Platform} {a.Since:HH:mm}"));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        await BenchRedis.DeleteAsync(redis, prefix);
        var run = new Run(name, times[0], times.Skip(1).Average(), alerts);
        Console.WriteLine($"first {run.FirstMs:N0} ms, then {run.PerMinuteMs:N1} ms per minute");
        return run;
    }

    /// <summary>22 days of minutes before <paramref name="first"/> and the judged minutes: a daily cycle per platform, every poll successful, a surge on X.</summary>
    private static async Task SeedAsync(IDatabase db, RedisKeySchema keys, Campaign campaign, DateTimeOffset first, DateTimeOffset surge, int minutes)
    {
        var random = new Random(2022);
        var batch = db.CreateBatch();
        var writes = new List<Task>();
        for (var minute = first - TimeSpan.FromDays(22); minute < first + (minutes * Minute); minute += Minute)
        {
            var entries = new List<HashEntry>();
            foreach (var (platform, index) in campaign.Platforms.Select((p, i) => (p, i)))
            {
                var mean = (20.0 / (index + 1)) * (1 + (0.5 * Math.Sin(2 * Math.PI * minute.TimeOfDay.TotalDays)));
                var count = minute == surge && platform == XPlatform.Id ? 600 : Poisson(random, mean);
                entries.Add(new HashEntry(RedisKeySchema.TotalField(platform), count));
                entries.Add(new HashEntry(RedisKeySchema.PollsField(platform, ok: true), 1));
            }

            var key = keys.Bucket(Campaign, Resolution.Minute, minute);
            writes.Add(batch.HashSetAsync(key, [.. entries]));
            writes.Add(batch.KeyExpireAsync(key, TimeSpan.FromHours(2)));
        }

        foreach (var series in campaign.Platforms.Select(p => p.Name).Append(LiveSeries.AllPlatforms))
        {
            writes.Add(batch.StringSetAsync(keys.AlertsEvaluated(Campaign, series), (first - Minute).ToUnixTimeSeconds(), TimeSpan.FromHours(2)));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method: exact, and quick at these means.
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
