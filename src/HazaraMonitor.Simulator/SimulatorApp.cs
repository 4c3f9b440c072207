using HazaraMonitor.Simulator.Bluesky;
using HazaraMonitor.Simulator.Hooks;
using HazaraMonitor.Simulator.Instagram;
using HazaraMonitor.Simulator.Mastodon;
using HazaraMonitor.Simulator.Reddit;
using HazaraMonitor.Simulator.Threads;
using HazaraMonitor.Simulator.TikTok;
using HazaraMonitor.Simulator.X;
using HazaraMonitor.Simulator.YouTube;

namespace HazaraMonitor.Simulator;

/// <summary>Builds the simulator; used by its Program and, in-process, by the integration tests.</summary>
public static class SimulatorApp
{
    /// <summary>The simulated platforms, one line each.</summary>
    private static readonly SimulatedPlatform[] Platforms =
    [
        XEndpoints.Simulation,
        MastodonEndpoints.Simulation,
        BlueskyEndpoints.Simulation,
        RedditEndpoints.Simulation,
        YouTubeEndpoints.Simulation,
        TikTokEndpoints.Simulation,
        InstagramEndpoints.Simulation,
        ThreadsEndpoints.Simulation,
    ];

    /// <param name="services">Registered over the platforms' own: tests set a platform's settings here (<c>Configure&lt;XSimulationOptions&gt;</c>).</param>
    public static WebApplication Create(string[] args, Action<SimulatorOptions>? configure = null, Action<IServiceCollection>? services = null)
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
        foreach (var platform in Platforms)
        {
            builder.Services.AddKeyedSingleton<PlatformState>(platform.Key);
            platform.Services?.Invoke(builder.Services);
        }

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", (SimClock clock) => Results.Text(string.Join('\n',
            [$"HazaraMonitor platform simulator. Simulated time {clock.Now:O}.", .. Platforms.Select(p => p.Banner), "Demo webhooks at /sim/hooks."])));
        foreach (var platform in Platforms)
        {
            platform.Map(app);
        }

        app.MapHooks();
        return app;
    }
}
