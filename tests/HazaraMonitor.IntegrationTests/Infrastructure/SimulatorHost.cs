using HazaraMonitor.Simulator;
using HazaraMonitor.Simulator.Instagram;
using HazaraMonitor.Simulator.Reddit;
using HazaraMonitor.Simulator.Threads;
using HazaraMonitor.Simulator.TikTok;
using HazaraMonitor.Simulator.YouTube;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>The platform simulator, in-process, on a free loopback port.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public SimulatorOptions Options => _app.Services.GetRequiredService<SimulatorOptions>();

    /// <summary>A platform's own simulator settings (<see cref="HazaraMonitor.Simulator.X.XSimulationOptions"/>, ...).</summary>
    public T Settings<T>()
        where T : class => _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<T>>().Value;

    /// <param name="platforms">Sets platforms' own settings, e.g. <c>s =&gt; s.Configure&lt;XSimulationOptions&gt;(x =&gt; x.ServerErrorShare = 0.2)</c>.</param>
    public static async Task<SimulatorHost> StartAsync(Action<SimulatorOptions> configure, Action<IServiceCollection>? platforms = null)
    {
        var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"], configure, platforms);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address));
    }

    /// <summary>
    /// Worker settings (configuration keys with ':') that point every platform of the worker at
    /// this simulator and the test Redis, under <paramref name="keyPrefix"/>.
    /// </summary>
    public Dictionary<string, string> WorkerSettings(string keyPrefix, string? xToken = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HazaraMonitor:Redis:Configuration"] = RedisServer.Configuration,
            ["HazaraMonitor:Redis:KeyPrefix"] = keyPrefix,
            ["HazaraMonitor:Platforms:X:BaseUrl"] = BaseAddress.ToString(),
            ["HazaraMonitor:Platforms:X:BearerToken"] = xToken ?? Settings<XSimulationOptions>().BearerToken,
            // Every scenario's timeline starts within the last three hours: the first polls reach it.
            ["HazaraMonitor:Platforms:X:InitialLookback"] = "03:00:00",
            ["HazaraMonitor:Platforms:Mastodon:InitialLookback"] = "03:00:00",
            ["HazaraMonitor:Platforms:Bluesky:JetstreamUrl"] = new Uri(BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "jetstream/subscribe").ToString(),
            ["HazaraMonitor:Platforms:Bluesky:InitialLookback"] = "03:00:00",
            ["HazaraMonitor:Platforms:Bluesky:SearchBaseUrl"] = new Uri(BaseAddress, "bluesky").ToString(),
            ["HazaraMonitor:Platforms:Reddit:BaseUrl"] = new Uri(BaseAddress, "reddit").ToString(),
            ["HazaraMonitor:Platforms:Reddit:TokenUrl"] = new Uri(BaseAddress, "reddit/api/v1/access_token").ToString(),
            ["HazaraMonitor:Platforms:Reddit:ClientId"] = Settings<RedditSimulationOptions>().ClientId,
            ["HazaraMonitor:Platforms:Reddit:ClientSecret"] = Settings<RedditSimulationOptions>().ClientSecret,
            ["HazaraMonitor:Platforms:Reddit:InitialLookback"] = "03:00:00",
            ["HazaraMonitor:Platforms:YouTube:BaseUrl"] = new Uri(BaseAddress, "youtube").ToString(),
            ["HazaraMonitor:Platforms:YouTube:ApiKey"] = Settings<YouTubeSimulationOptions>().ApiKey,
            ["HazaraMonitor:Platforms:YouTube:InitialLookback"] = "03:00:00",
            ["HazaraMonitor:Platforms:TikTok:BaseUrl"] = new Uri(BaseAddress, "tiktok").ToString(),
            ["HazaraMonitor:Platforms:TikTok:TokenUrl"] = new Uri(BaseAddress, "tiktok/v2/oauth/token/").ToString(),
            ["HazaraMonitor:Platforms:TikTok:ClientKey"] = Settings<TikTokSimulationOptions>().ClientKey,
            ["HazaraMonitor:Platforms:TikTok:ClientSecret"] = Settings<TikTokSimulationOptions>().ClientSecret,
            ["HazaraMonitor:Platforms:TikTok:InitialLookback"] = "03:00:00",
            // A scenario whose clock runs behind the real one (ClockOffset) dates its videos up to that much earlier than
            // the worker's clock says: in the first hour of a UTC day they are still yesterday's, and TikTok filters whole
            // days, so a sweep looks back that far, as it would for a platform that indexes late.
            ["HazaraMonitor:Platforms:TikTok:Relook"] = (Settings<SimulatorOptions>().ClockOffset < TimeSpan.Zero
                ? Settings<SimulatorOptions>().ClockOffset.Negate() + TimeSpan.FromMinutes(1)
                : TimeSpan.Zero).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["HazaraMonitor:Platforms:Instagram:BaseUrl"] = new Uri(BaseAddress, "instagram").ToString(),
            ["HazaraMonitor:Platforms:Instagram:UserId"] = Settings<InstagramSimulationOptions>().UserId,
            ["HazaraMonitor:Platforms:Instagram:AccessToken"] = Settings<InstagramSimulationOptions>().AccessToken,
            ["HazaraMonitor:Platforms:Threads:BaseUrl"] = new Uri(BaseAddress, "threads").ToString(),
            ["HazaraMonitor:Platforms:Threads:AccessToken"] = Settings<ThreadsSimulationOptions>().AccessToken,
            ["HazaraMonitor:Platforms:Threads:InitialLookback"] = "03:00:00",
        };
        for (var i = 0; i < HazaraMonitor.Simulator.Mastodon.MastodonEndpoints.Instances.Length; i++)
        {
            settings[$"HazaraMonitor:Platforms:Mastodon:Instances:{i}:BaseUrl"] = new Uri(BaseAddress, $"mastodon/{HazaraMonitor.Simulator.Mastodon.MastodonEndpoints.Instances[i]}").ToString();
        }

        return settings;
    }

    /// <summary>The simulated campaign itself, for expectations computed from what it holds.</summary>
    public HazaraMonitor.Simulator.Timeline.CampaignTimeline Timeline => _app.Services.GetRequiredService<HazaraMonitor.Simulator.Timeline.CampaignTimeline>();

    /// <summary>One of the simulator's own services (a platform's state), for a test that changes it mid-run.</summary>
    internal T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public HazaraMonitor.Simulator.Timeline.SimClock Clock => _app.Services.GetRequiredService<HazaraMonitor.Simulator.Timeline.SimClock>();

    /// <summary>The Mastodon simulator's record of what it served.</summary>
    public async Task<JsonElement> MastodonStatsAsync(IEnumerable<string> tags) =>
        await Http.GetFromJsonAsync<JsonElement>($"/sim/mastodon/stats?tags={Uri.EscapeDataString(string.Join(',', tags))}");

    /// <summary>A platform simulator's record of what it served (<paramref name="platform"/> "bluesky", "reddit", "youtube", "tiktok", "instagram" or "threads").</summary>
    public async Task<JsonElement> PlatformStatsAsync(string platform, IEnumerable<string> tags) =>
        await Http.GetFromJsonAsync<JsonElement>($"/sim/{platform}/stats?tags={Uri.EscapeDataString(string.Join(',', tags))}");

    /// <summary>The simulator's record of what it served for a query.</summary>
    public async Task<JsonElement> StatsAsync(string query) =>
        await Http.GetFromJsonAsync<JsonElement>($"/sim/x/stats?query={Uri.EscapeDataString(query)}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
