using HazaraMonitor.Simulator;
using HazaraMonitor.Simulator.Instagram;
using HazaraMonitor.Simulator.Threads;
using HazaraMonitor.Simulator.TikTok;
using HazaraMonitor.Simulator.YouTube;

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

    /// <summary>
    /// Nearly three quiet hours that ended ten minutes ago, with a surge half an hour ago: enough
    /// history before it for <see cref="DemoDetection"/> to judge it, a first hour that "the last
    /// hour" leaves out even when widened to whole hours, and the forced faults (a 429 and a cut
    /// page early on each platform) leaving minutes whose polls did not all succeed.
    /// </summary>
    public static void RecentSurge(SimulatorOptions o)
    {
        o.StartOffset = TimeSpan.FromMinutes(-170);
        o.Duration = TimeSpan.FromMinutes(160);
        o.SurgeAtMinute = 140;
        o.SurgePeakPerMinute = 40;
        o.SurgeHalfLifeMinutes = 5;
        o.ForcedFaults = true;
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

    /// <summary>
    /// The simulated platforms' quotas and hourly limits sized for a run faster than real time:
    /// every second a sweep reads again what a real schedule would read once an hour or a day.
    /// </summary>
    public static void Unmetered(IServiceCollection services) => services
        .Configure<YouTubeSimulationOptions>(y => y.DailyQuotaUnits = long.MaxValue)
        .Configure<TikTokSimulationOptions>(t =>
        {
            t.DailyRequestLimit = 1_000_000;
            t.DailyRecordLimit = 100_000_000;
        })
        .Configure<InstagramSimulationOptions>(o => o.CallsPerHour = 1_000_000)
        .Configure<ThreadsSimulationOptions>(o => o.QueriesPerDay = 1_000_000);

    /// <summary>
    /// The demo's detection settings (scripts/demo.sh), scaled to two hours of history: 10-minute
    /// blocks instead of days, no daily seasonality, an alert for a burst rarer than once in two hours.
    /// </summary>
    public static void DemoDetection(IDictionary<string, string> environment)
    {
        environment["HazaraMonitor:Detection:Block"] = "00:10:00";
        environment["HazaraMonitor:Detection:HistoryBlocks"] = "11";
        environment["HazaraMonitor:Detection:WarmupBlocks"] = "4";
        environment["HazaraMonitor:Detection:SeasonalDays"] = "0";
        environment["HazaraMonitor:Detection:LevelWindow"] = "00:20:00";
        environment["HazaraMonitor:Detection:ScaleWindow"] = "01:00:00";
        environment["HazaraMonitor:Detection:Refractory"] = "00:30:00";
        environment["HazaraMonitor:Detection:AlertReturnPeriod"] = "02:00:00";
        environment["HazaraMonitor:Detection:DipWindow"] = "00:10:00";
    }

    /// <summary>
    /// Every platform polled every second (with quotas to match, which <see cref="Unmetered"/> gives
    /// the simulator), and short backoffs: the simulator's injected 429s, like TikTok's and Meta's,
    /// give no reset, and a minute would be most of a run. YouTube's lag is two simulated minutes at
    /// 60x: a whole hour re-read at every sweep would be too slow.
    /// </summary>
    public static void PollEverySecond(IDictionary<string, string> environment)
    {
        foreach (var platform in new[] { "X", "Mastodon", "Reddit", "YouTube", "TikTok", "Instagram", "Threads" })
        {
            environment[$"HazaraMonitor:Platforms:{platform}:Schedule"] = "* * * * * ?";
        }

        environment["HazaraMonitor:Platforms:X:MaxPagesPerPoll"] = "5";
        environment["HazaraMonitor:Platforms:YouTube:MaxPagesPerPoll"] = "5";
        environment["HazaraMonitor:Platforms:YouTube:DailyQuotaUnits"] = "1000000000";
        environment["HazaraMonitor:Platforms:YouTube:IndexLag"] = "00:02:00";
        environment["HazaraMonitor:Platforms:TikTok:DailyRequestLimit"] = "1000000";
        environment["HazaraMonitor:Platforms:TikTok:DailyRecordLimit"] = "100000000";
        environment["HazaraMonitor:Platforms:TikTok:RateLimitBackoff"] = "00:00:02";
        environment["HazaraMonitor:Platforms:Instagram:RateLimitBackoff"] = "00:00:02";
        environment["HazaraMonitor:Platforms:Threads:QueriesPerDay"] = "1000000";
        environment["HazaraMonitor:Platforms:Threads:MaxPagesPerPoll"] = "5";
        environment["HazaraMonitor:Platforms:Threads:RateLimitBackoff"] = "00:00:02";
    }
}
