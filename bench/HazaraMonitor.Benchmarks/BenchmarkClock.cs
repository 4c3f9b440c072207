namespace HazaraMonitor.Benchmarks;

/// <summary>A clock the benchmark sets: the worker's parts (and the simulator) run on it instead of waiting for real time.</summary>
internal sealed class BenchmarkClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
