namespace HazaraMonitor.Simulator.TikTok;

/// <summary>What only the simulated TikTok Research API takes, under <c>TikTok:</c>.</summary>
public sealed class TikTokSimulationOptions
{
    public const string Section = "TikTok";

    /// <summary>The research client's key the token endpoint accepts.</summary>
    public string ClientKey { get; set; } = "sim-tiktok-key";

    /// <summary>The research client's secret.</summary>
    public string ClientSecret { get; set; } = "sim-tiktok-secret";

    /// <summary>Lifetime of a client access token, seconds. Default 7200, as TikTok's.</summary>
    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>Requests answered in a (real) UTC day before 429 <c>daily_quota_limit_exceeded</c>. Default 1,000, as TikTok's.</summary>
    public int DailyRequestLimit { get; set; } = 1_000;

    /// <summary>Videos served in a (real) UTC day before 429 <c>daily_quota_limit_exceeded</c>. Default 100,000, as TikTok's.</summary>
    public int DailyRecordLimit { get; set; } = 100_000;
}
