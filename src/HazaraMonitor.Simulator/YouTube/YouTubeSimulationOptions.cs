namespace HazaraMonitor.Simulator.YouTube;

/// <summary>What only the simulated YouTube takes, under <c>YouTube:</c> (<c>--YouTube:DailyQuotaUnits 1000000</c>).</summary>
public sealed class YouTubeSimulationOptions
{
    public const string Section = "YouTube";

    /// <summary>The API key the endpoints accept (in <c>X-Goog-Api-Key</c> or <c>key=</c>).</summary>
    public string ApiKey { get; set; } = "sim-youtube-key";

    /// <summary>The project's daily quota, units; it resets at midnight Pacific time (real time). Default 10,000, Google's default.</summary>
    public long DailyQuotaUnits { get; set; } = 10_000;
}
