namespace HazaraMonitor.Simulator.Reddit;

/// <summary>What only the simulated Reddit takes, under <c>Reddit:</c>.</summary>
public sealed class RedditSimulationOptions
{
    public const string Section = "Reddit";

    /// <summary>The app's client id the token endpoint accepts.</summary>
    public string ClientId { get; set; } = "sim-client";

    /// <summary>The app's secret.</summary>
    public string ClientSecret { get; set; } = "sim-secret";

    /// <summary>Lifetime of an access token, seconds. Default 3600.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;
}
