using HazaraMonitor.Simulator.Bluesky;
using HazaraMonitor.Simulator.Hooks;
using HazaraMonitor.Simulator.Mastodon;
using HazaraMonitor.Simulator.Reddit;
using HazaraMonitor.Simulator.Timeline;
using HazaraMonitor.Simulator.X;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Simulator;

/// <summary>Builds the simulator; used by its Program and, in-process, by the integration tests.</summary>
public static class SimulatorApp
{
    public static WebApplication Create(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // Bound from the configuration root: `--StartOffset -02:00:00` on the command line.
        builder.Services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration)
            .Configure(o => configure?.Invoke(o));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value);
        builder.Services.AddSingleton<SimClock>();
        builder.Services.AddSingleton<CampaignTimeline>();
        builder.Services.AddKeyedSingleton<PlatformState>(PlatformKeys.X);
        builder.Services.AddKeyedSingleton<PlatformState>(PlatformKeys.Mastodon);
        builder.Services.AddKeyedSingleton<PlatformState>(PlatformKeys.Bluesky);
        builder.Services.AddKeyedSingleton<PlatformState>(PlatformKeys.Reddit);
        builder.Services.AddSingleton<JetstreamFeed>();

        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", (SimClock clock) => Results.Text(string.Join('\n',
            $"HazaraMonitor platform simulator. Simulated time {clock.Now:O}.",
            "X API v2 at /2/tweets/search/recent and /2/tweets/counts/recent; stats at /sim/x/stats?query=...",
            "Mastodon instances at /mastodon/a, /b and /c; stats at /sim/mastodon/stats?tags=...",
            "Jetstream at /jetstream/subscribe and Bluesky XRPC at /bluesky/xrpc; stats at /sim/bluesky/stats?tags=...",
            "Reddit at /reddit (token at /reddit/api/v1/access_token); stats at /sim/reddit/stats?tags=...",
            "Demo webhooks at /sim/hooks.")));
        app.MapXApi();
        app.MapMastodonApi();
        app.MapBlueskyApi();
        app.MapRedditApi();
        app.MapHooks();
        return app;
    }
}
