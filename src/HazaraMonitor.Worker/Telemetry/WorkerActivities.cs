using System.Diagnostics;

namespace HazaraMonitor.Worker.Telemetry;

/// <summary>The worker's trace source: one span per poll and per commit.</summary>
internal static class WorkerActivities
{
    public const string SourceName = "HazaraMonitor";

    public static ActivitySource Source { get; } = new(SourceName);
}
