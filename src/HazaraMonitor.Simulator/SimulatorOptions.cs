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

    /// <summary>Share of requests answered 429 (on top of the forced ones). Default 0.02.</summary>
    public double RateLimitedShare { get; set; } = 0.02;

    /// <summary>Share of requests answered with a truncated JSON page. Default 0.02.</summary>
    public double MalformedShare { get; set; } = 0.02;

    /// <summary>Share of next pages that repeat the last posts of the previous page. Default 0.3.</summary>
    public double OverlapShare { get; set; } = 0.3;

    /// <summary>
    /// When true, the 4th search request is answered 429 and the 7th with a malformed page, so a
    /// short run is sure to meet both. Default true.
    /// </summary>
    public bool ForcedFaults { get; set; } = true;

    /// <summary>Seconds a 429 asks the client to wait (x-rate-limit-reset = now + this). Default 2.</summary>
    public int RateLimitResetSeconds { get; set; } = 2;

    /// <summary>Requests allowed per 15-minute window before real 429s, as X's per-app limit. Default 450.</summary>
    public int RequestsPerWindow { get; set; } = 450;
}
