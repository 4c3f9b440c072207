using HazaraMonitor.Simulator;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>Simulator settings the tests share.</summary>
public static class Scenarios
{
    /// <summary>
    /// A finished hour, two hours ago, with a surge: hundreds of matching posts, nothing new
    /// arriving while the test runs, no faults unless the test turns them on.
    /// </summary>
    public static void FinishedSurge(SimulatorOptions o)
    {
        o.StartOffset = TimeSpan.FromHours(-2);
        o.Duration = TimeSpan.FromHours(1);
        o.SurgeAtMinute = 10;
        o.SurgePeakPerMinute = 60;
        o.SurgeHalfLifeMinutes = 10;
        o.ForcedFaults = false;
        o.RateLimitedShare = 0;
        o.MalformedShare = 0;
    }

    /// <summary>The finished surge, every page cut short (a malformed body).</summary>
    public static void Malformed(SimulatorOptions o)
    {
        FinishedSurge(o);
        o.MalformedShare = 1;
    }

    /// <summary>The finished surge, every request answered 429 with a reset <paramref name="resetSeconds"/> ahead.</summary>
    public static Action<SimulatorOptions> RateLimited(int resetSeconds) => o =>
    {
        FinishedSurge(o);
        o.RateLimitedShare = 1;
        o.RateLimitResetSeconds = resetSeconds;
    };
}
