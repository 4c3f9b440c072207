namespace HazaraMonitor.Simulator.Bluesky;

/// <summary>What only the simulated Bluesky takes, under <c>Bluesky:</c> (<c>--Bluesky:NoisePerMinute 3000</c>).</summary>
public sealed class BlueskySimulationOptions
{
    public const string Section = "Bluesky";

    /// <summary>Posts per simulated minute on the Jetstream firehose that carry none of the campaign's hashtags (the rest of Bluesky). Default 120.</summary>
    public double NoisePerMinute { get; set; } = 120;

    /// <summary>Per Jetstream event, the chance of a dropped connection and, separately, of a malformed frame. Default 0.0005.</summary>
    public double JetstreamFaultShare { get; set; } = 0.0005;

    /// <summary>When false, searchPosts without a session is refused with the proxy's plain-text 403, as public.api.bsky.app does. Default false.</summary>
    public bool SearchPublic { get; set; }

    /// <summary>The account createSession accepts.</summary>
    public string Identifier { get; set; } = "monitor.test";

    /// <summary>Its app password.</summary>
    public string AppPassword { get; set; } = "sim-app-password";
}
