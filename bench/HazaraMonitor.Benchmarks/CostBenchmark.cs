using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Time;
using HazaraMonitor.Simulator;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Hosting;
using HazaraMonitor.Worker.Platforms.X;
using HazaraMonitor.Worker.Polling;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Benchmarks;

/// <summary>
/// What a surge day of the seed campaign costs on X, as the simulator bills it (X's pay-per-use
/// plan), with today's defaults, with counts only, and under the budget governor at a few daily
/// budgets, beside how soon each shows the surge. The worker's own X jobs run once per simulated
/// minute on a clock the benchmark moves, against the simulator in this process on the same clock.
/// </summary>
internal static class CostBenchmark
{
    private const int SurgeAtMinute = 360;
    private const double BaselinePerMinute = 20;
    private const double SurgePeakPerMinute = 1_500;
    private const double SurgeHalfLifeMinutes = 240;

    private sealed record Config(string Name, string[] Settings);

    private sealed record Run(string Name, long PostsBilled, long CountsRequests, decimal BilledUsd, decimal LedgerUsd, long PostsCounted, int? VisibleAfter, double? PeakSampleShare, double Seconds);

    public static async Task<int> RunAsync(string redisConfiguration, int hours)
    {
        // Tomorrow, so every key the run writes expires in the future; one UTC day, as X bills.
        var day = Resolution.Day.Start(TimeProvider.System.GetUtcNow()).AddDays(1);
        Console.WriteLine(
            $"HazaraMonitor cost benchmark: {Environment.ProcessorCount} cores, Redis {redisConfiguration}, one campaign on X, {hours} simulated hours from {day:yyyy-MM-dd} 00:00 UTC: "
            + $"{BaselinePerMinute} posts a minute, then a surge at {SurgeAtMinute / 60.0:0.#} h peaking at {SurgePeakPerMinute:N0} a minute (half-life {SurgeHalfLifeMinutes / 60:0.#} h); polls every minute");
        Config[] configs =
        [
            new("today's defaults (Mode=Both, no budget)", ["--HazaraMonitor:Platforms:X:Mode=Both"]),
            new("counts only (Mode=Counts)", ["--HazaraMonitor:Platforms:X:Mode=Counts"]),
            new("governor, Budget:Daily=100", ["--HazaraMonitor:Platforms:X:Mode=Both", "--HazaraMonitor:Platforms:X:Budget:Daily=100"]),
            new("governor, Budget:Daily=25", ["--HazaraMonitor:Platforms:X:Mode=Both", "--HazaraMonitor:Platforms:X:Budget:Daily=25"]),
            new("governor, Budget:Daily=10", ["--HazaraMonitor:Platforms:X:Mode=Both", "--HazaraMonitor:Platforms:X:Budget:Daily=10"]),
        ];
        var runs = new List<Run>();
        foreach (var config in configs)
        {
            runs.Add(await RunOneAsync(redisConfiguration, config, day, hours));
        }

        Console.WriteLine();
        Console.WriteLine($"{"configuration",-42} {"posts billed",12} {"counts req",10} {"billed USD",11} {"ledger USD",11} {"surge visible",14} {"sample share",13}");
        foreach (var run in runs)
        {
            var visible = run.VisibleAfter is { } m ? $"{m} min" : "never";
            var share = run.PeakSampleShare is { } s ? $"{s:P2}" : "all read";
            Console.WriteLine($"{run.Name,-42} {run.PostsBilled,12:N0} {run.CountsRequests,10:N0} {run.BilledUsd,11:N2} {run.LedgerUsd,11:N2} {visible,14} {share,13}");
        }

        Console.WriteLine("billed USD: the simulator's bill ($0.005 a post read, once per post per UTC day; $0.005 a counts request); ledger USD: what the worker's shared ledger holds (never less than billed).");
        Console.WriteLine("surge visible: simulated minutes from the end of the surge's first minute until its stored X volume (or X's counts) reaches twice the baseline; sample share: posts read / X's volume in the surge's peak hour.");
        return runs.All(r => r.LedgerUsd >= r.BilledUsd) ? 0 : 1;
    }

    private static async Task<Run> RunOneAsync(string redisConfiguration, Config config, DateTimeOffset day, int hours)
    {
        var watch = Stopwatch.StartNew();
        var clock = new BenchmarkClock(day);
        await using var simulator = SimulatorApp.Create(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Error"],
            o =>
            {
                o.StartOffset = TimeSpan.Zero;
                o.Duration = TimeSpan.FromHours(hours);
                o.BaselinePerMinute = BaselinePerMinute;
                o.SurgeAtMinute = SurgeAtMinute;
                o.SurgePeakPerMinute = SurgePeakPerMinute;
                o.SurgeHalfLifeMinutes = SurgeHalfLifeMinutes;
                o.RateLimitedShare = 0;
                o.MalformedShare = 0;
                o.ForcedFaults = false;
            },
            services => services.AddSingleton<TimeProvider>(clock));
        await simulator.StartAsync();
        var address = simulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var prefix = "benchcost" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = WorkerApp.Create(
        [
            $"--HazaraMonitor:Redis:Configuration={redisConfiguration}",
            $"--HazaraMonitor:Redis:KeyPrefix={prefix}",
            $"--HazaraMonitor:Platforms:X:BaseUrl={address}",
            "--HazaraMonitor:Platforms:X:BearerToken=simulator-token",
            "--HazaraMonitor:Platforms:X:InitialLookback=00:10:00",
            "--HazaraMonitor:Platforms:Mastodon:Enabled=false",
            "--HazaraMonitor:Platforms:Bluesky:Enabled=false",
            "--HazaraMonitor:Platforms:Reddit:Enabled=false",
            "--HazaraMonitor:Platforms:YouTube:Enabled=false",
            "--HazaraMonitor:Platforms:TikTok:Enabled=false",
            "--HazaraMonitor:Platforms:Instagram:Enabled=false",
            "--HazaraMonitor:Platforms:Threads:Enabled=false",
            "--Logging:LogLevel:Default=Critical",
            .. config.Settings,
        ], services => services.AddSingleton<TimeProvider>(clock));
        var services = worker.Services;
        var campaign = services.GetRequiredService<CampaignCatalog>().All.First(c => c.Platforms.Contains(XPlatform.Id));
        var x = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<XOptions>>().Value;
        PollJob? counts = x.Mode is XMode.Counts or XMode.Both ? services.GetRequiredService<XCountsJob>() : null;
        PollJob? search = x.Mode is XMode.Counts ? null : x.Budget.IsSet ? services.GetRequiredService<XSampleJob>() : services.GetRequiredService<XSearchJob>();
        var store = services.GetRequiredService<RedisCountStore>();
        var surgeMinute = day.AddMinutes(SurgeAtMinute);
        int? visibleAfter = null;

        Console.Write($"{config.Name}: ");
        for (var minute = 0; minute < hours * 60; minute++)
        {
            // A few seconds into each minute, as the default schedules run.
            clock.Now = day.AddMinutes(minute).AddSeconds(5);
            if (counts is not null)
            {
                await counts.RunAsync(campaign.Id, null, CancellationToken.None);
            }

            if (search is not null)
            {
                await search.RunAsync(campaign.Id, null, CancellationToken.None);
            }

            if (visibleAfter is null && clock.Now > surgeMinute.AddMinutes(1))
            {
                var bucket = await store.GetBucketAsync(campaign.Id, Resolution.Minute, surgeMinute, CancellationToken.None);
                // What a user sees: the volume, or X's counts where search read nothing (counts only).
                var seen = bucket.GetValueOrDefault(XPlatform.Id);
                if (Math.Max(seen.Volume, seen.Reported ?? 0) >= 2 * BaselinePerMinute)
                {
                    visibleAfter = (int)Math.Ceiling((clock.Now - surgeMinute.AddMinutes(1)).TotalMinutes);
                }
            }

            if (minute % 120 == 119)
            {
                Console.Write('.');
            }
        }

        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var bill = await http.GetFromJsonAsync<JsonElement>("/sim/x/billing");
        var spend = await services.GetRequiredService<RedisSpendLedger>().GetAsync(XPlatform.Id, day, CancellationToken.None);
        var total = (await store.GetSeriesAsync(campaign.Id, Resolution.Day, day, day.AddDays(1), [XPlatform.Id], null, CancellationToken.None)).Sum(p => p.Count);
        var peakHour = Resolution.Hour.Start(surgeMinute);
        var peak = (await store.GetSeriesAsync(campaign.Id, Resolution.Hour, peakHour, peakHour.AddHours(1), [XPlatform.Id], null, CancellationToken.None)).Single();
        Console.WriteLine($" {watch.Elapsed.TotalSeconds:0} s");
        return new Run(
            config.Name, bill.GetProperty("posts_billed").GetInt64(), bill.GetProperty("counts_requests").GetInt64(), bill.GetProperty("usd").GetDecimal(),
            spend.DayUsd, total, visibleAfter, peak.Sample?.Share, watch.Elapsed.TotalSeconds);
    }
}
