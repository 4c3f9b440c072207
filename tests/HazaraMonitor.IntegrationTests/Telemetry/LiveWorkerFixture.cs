
namespace HazaraMonitor.IntegrationTests.Telemetry;

/// <summary>
/// A worker process that has read the simulator's finished surge to the end, with its gauges
/// refreshed every second: the subject of the live /metrics, Grafana and Prometheus checks.
/// </summary>
public sealed class LiveWorkerFixture : SimulatorFixture
{
    public const string Campaign = "stop-hazara-genocide";

    public WorkerProcess Worker { get; private set; } = null!;

    protected override async Task StartAsync()
    {
        var settings = Simulator.WorkerSettings(RedisServer.UniquePrefix("live"));
        settings["HazaraMonitor:Platforms:X:Schedule"] = "* * * * * ?";
        settings["HazaraMonitor:Metrics:RefreshSchedule"] = "* * * * * ?";
        Worker = WorkerProcess.Start(settings);
        await Worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        var query = CampaignQueries.Hashtags((await Worker.Http.GetFromJsonAsync<JsonElement>("/api/campaigns"))[0]
            .GetProperty("hashtags").EnumerateArray().Select(h => h.GetString()!));
        // Completeness exists once a whole minute with polls has closed: up to a minute after start.
        await Eventually.HoldsAsync(
            async () => await TotalAsync() == (await Simulator.StatsAsync(query)).GetProperty("matching_so_far").GetInt64()
                && (await MetricsAsync()).Contains("hazaramonitor_bucket_completeness{", StringComparison.Ordinal),
            Stopwatch.StartNew(), TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500), () => "the worker did not read the simulated surge; its output:\n" + Worker.Output);
    }

    public Task<string> MetricsAsync() => Worker.Http.GetStringAsync("/metrics");

    /// <summary>The campaign's X total from the worker's API, over a range that holds the whole simulated timeline.</summary>
    public async Task<long> TotalAsync() => (await SeriesAsync("1d", TimeProvider.System.GetUtcNow().AddDays(-2), TimeProvider.System.GetUtcNow().AddDays(1))).Sum();

    /// <summary>The campaign's X series from the worker's API (Mastodon polls beside it at their own pace).</summary>
    public async Task<long[]> SeriesAsync(string resolution, DateTimeOffset from, DateTimeOffset to)
    {
        static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var series = await Worker.Http.GetFromJsonAsync<JsonElement>($"/api/campaigns/{Campaign}/series?platform=x&resolution={resolution}&from={Q(from)}&to={Q(to)}");
        return [.. series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("count").GetInt64())];
    }

    protected override async ValueTask StopAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }
    }
}
