namespace HazaraMonitor.Simulator.Threads;

/// <summary>What only the simulated Threads takes, under <c>Threads:</c> (<c>--Threads:QueriesPerDay 100000</c>).</summary>
public sealed class ThreadsSimulationOptions
{
    public const string Section = "Threads";

    /// <summary>The user access token the endpoint accepts.</summary>
    public string AccessToken { get; set; } = "sim-threads-token";

    /// <summary>Keyword searches that found something, per user per rolling 24 hours; past it searches fail. Default 2,200, Meta's limit.</summary>
    public int QueriesPerDay { get; set; } = 2200;

    /// <summary>
    /// Hashtags Meta deems sensitive: searching one answers an empty list, exactly as a hashtag nobody
    /// used. A test may add one while the simulator runs.
    /// </summary>
    public List<string> WithheldHashtags { get; set; } = [];
}
