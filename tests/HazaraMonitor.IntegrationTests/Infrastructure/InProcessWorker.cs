using HazaraMonitor.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// The worker's real service graph, built in-process and not started (no scheduler, no HTTP), so a
/// test can run one poll of one job at a time against the simulator and the test Redis.
/// </summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private InProcessWorker(WebApplication app, string keyPrefix)
    {
        App = app;
        KeyPrefix = keyPrefix;
    }

    private bool _serving;

    public WebApplication App { get; }

    public string KeyPrefix { get; }

    public IServiceProvider Services => App.Services;

    public static InProcessWorker Create(SimulatorHost simulator, string test, string bearerToken = "simulator-token", params string[] extra) =>
        CreateOnPrefix(simulator, RedisServer.UniquePrefix(test), bearerToken, extra);

    /// <summary>A worker on a given key prefix: two of them share one deployment's data.</summary>
    /// <param name="time">The worker's clock (default: the system's); a fake one lets a test move past a wait instead of sleeping.</param>
    /// <param name="services">Registered over the worker's own: a log collector, say.</param>
    public static InProcessWorker CreateOnPrefix(SimulatorHost simulator, string prefix, string bearerToken, string[] extra, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        RedisServer.Connect();
        string[] args =
        [
            .. simulator.WorkerSettings(prefix, bearerToken).Select(kv => $"--{kv.Key}={kv.Value}"),
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        return new InProcessWorker(WorkerApp.Create(args, time is null && services is null ? null : replaced =>
        {
            if (time is not null)
            {
                replaced.AddSingleton(time);
            }

            services?.Invoke(replaced);
        }), prefix);
    }

    /// <summary>The campaign's total on one platform, over a range that holds every scenario's timeline.</summary>
    public async Task<long> TotalAsync(string campaignId, Platform platform) =>
        (await Services.GetRequiredService<RedisCountStore>().GetSeriesAsync(
            campaignId, Resolution.Day, TimeProvider.System.GetUtcNow().AddDays(-2), TimeProvider.System.GetUtcNow().AddDays(1), [platform], null, CancellationToken.None))
        .Sum(p => p.Count);

    /// <summary>The campaign's configured hashtags, as the simulator's stats endpoints take them.</summary>
    public IReadOnlyList<string> Hashtags(string campaignId) =>
        [.. Services.GetRequiredService<CampaignCatalog>().Find(campaignId)!.Hashtags.Select(h => h.Display)];

    /// <summary>A search connector's stored cursor (the stream every newest-first sweep uses).</summary>
    public Task<string?> SweepCursorAsync(string campaignId, Platform platform) =>
        Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(campaignId, platform, Worker.Platforms.SweepCursor.Stream, CancellationToken.None);

    /// <summary>
    /// Starts the worker (its HTTP endpoints and hosted services) on a free loopback port, for tests
    /// of the HTTP API; returns a client for it.
    /// </summary>
    public async Task<HttpClient> ServeAsync()
    {
        App.Urls.Add("http://127.0.0.1:0");
        await App.StartAsync();
        _serving = true;
        return new HttpClient { BaseAddress = new Uri(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_serving)
        {
            await App.StopAsync();
        }

        await App.DisposeAsync();
    }
}
