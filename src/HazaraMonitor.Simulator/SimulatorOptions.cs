namespace HazaraMonitor.Simulator;

/// <summary>
/// How the simulated campaign behaves. Every value is a command-line or environment setting
/// (<c>--Speed 60</c>, <c>Simulator__Speed=60</c>) so tests and the demo can shape a run.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Seed of every random choice: the same seed serves the same posts.</summary>
    public int Seed { get; set; } = 20220930;

    /// <summary>Simulated seconds per real second. Default 1 (real time).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Where the timeline starts, relative to the real start of the simulator. Default -02:00:00, so there is history to read at once.</summary>
    public TimeSpan StartOffset { get; set; } = TimeSpan.FromHours(-2);

    /// <summary>
    /// Where the simulated clock starts, relative to the real start. Default 0: simulated now is real
    /// now and the history before it is visible at once. A test that replays an hour quickly sets
    /// this and <see cref="StartOffset"/> to -01:00:00 and <see cref="Speed"/> to 60.
    /// </summary>
    public TimeSpan ClockOffset { get; set; } = TimeSpan.Zero;

    /// <summary>Length of the timeline; posts stop after it. Null: open-ended.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Posts per minute before any event (matching and unrelated together).</summary>
    public double BaselinePerMinute { get; set; } = 4;

    /// <summary>Minutes into the timeline when the surge starts (an attack, a protest, a news story).</summary>
    public double SurgeAtMinute { get; set; } = 100;

    /// <summary>Extra posts per minute at the surge's peak.</summary>
    public double SurgePeakPerMinute { get; set; } = 150;

    /// <summary>Minutes for the surge to halve.</summary>
    public double SurgeHalfLifeMinutes { get; set; } = 15;

    /// <summary>When set, the Mastodon instances require this token (a hashtag feed closed to the public); null: public.</summary>
    public string? MastodonAccessToken { get; set; }

    /// <summary>The bearer token the X endpoints accept.</summary>
    public string XBearerToken { get; set; } = "simulator-token";

    /// <summary>Share of requests answered 429 (on top of the forced ones). Default 0.02.</summary>
    public double RateLimitedShare { get; set; } = 0.02;

    /// <summary>Share of requests answered with a truncated JSON page. Default 0.02.</summary>
    public double MalformedShare { get; set; } = 0.02;

    /// <summary>Share of X requests answered 503 (a server error the client retries). Default 0.</summary>
    public double ServerErrorShare { get; set; }

    /// <summary>Share of X requests answered only after <see cref="SlowSeconds"/> (past a short client timeout). Default 0.</summary>
    public double SlowShare { get; set; }

    /// <summary>How long a slow X answer takes. Default 3 s.</summary>
    public double SlowSeconds { get; set; } = 3;

    /// <summary>Share of next pages that repeat the last posts of the previous page. Default 0.3.</summary>
    public double OverlapShare { get; set; } = 0.3;

    /// <summary>
    /// When true, the 4th search request is answered 429 and the 7th with a malformed page, so a
    /// short run is sure to meet both. Default true.
    /// </summary>
    public bool ForcedFaults { get; set; } = true;

    /// <summary>Seconds a 429 asks the client to wait (x-rate-limit-reset = now + this). Default 2.</summary>
    public int RateLimitResetSeconds { get; set; } = 2;

    /// <summary>Posts per simulated minute on the Jetstream firehose that carry none of the campaign's hashtags (the rest of Bluesky). Default 120.</summary>
    public double BlueskyNoisePerMinute { get; set; } = 120;

    /// <summary>Per Jetstream event, the chance of a dropped connection and, separately, of a malformed frame. Default 0.0005.</summary>
    public double JetstreamFaultShare { get; set; } = 0.0005;

    /// <summary>When false, searchPosts without a session is refused with the proxy's plain-text 403, as public.api.bsky.app does. Default false.</summary>
    public bool BlueskySearchPublic { get; set; }

    /// <summary>The Bluesky account createSession accepts.</summary>
    public string BlueskyIdentifier { get; set; } = "monitor.test";

    /// <summary>Its app password.</summary>
    public string BlueskyAppPassword { get; set; } = "sim-app-password";

    /// <summary>The Reddit app's client id the token endpoint accepts.</summary>
    public string RedditClientId { get; set; } = "sim-client";

    /// <summary>The Reddit app's secret.</summary>
    public string RedditClientSecret { get; set; } = "sim-secret";

    /// <summary>Lifetime of a Reddit access token, seconds. Default 3600.</summary>
    public int RedditTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Requests allowed per 15-minute window before real 429s, as X's per-app limit. Default 450.</summary>
    public int RequestsPerWindow { get; set; } = 450;
}
