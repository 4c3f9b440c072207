namespace HazaraMonitor.Simulator.Timeline;

/// <summary>Simulated time: starts at real start + <see cref="SimulatorOptions.ClockOffset"/> and runs at <see cref="SimulatorOptions.Speed"/> times real time.</summary>
public sealed class SimClock(SimulatorOptions options, TimeProvider time)
{
    private readonly DateTimeOffset _realStart = time.GetUtcNow();

    public DateTimeOffset TimelineStart => new DateTimeOffset(_realStart.UtcTicks - (_realStart.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero) + options.StartOffset;

    public DateTimeOffset? TimelineEnd => options.Duration is { } d ? TimelineStart + d : null;

    public DateTimeOffset Now
    {
        get
        {
            var now = _realStart + options.ClockOffset + ((time.GetUtcNow() - _realStart) * options.Speed);
            return TimelineEnd is { } end && now > end ? end : now;
        }
    }

    /// <summary>True once the whole timeline is visible.</summary>
    public bool Ended => TimelineEnd is { } end && Now >= end;

    public DateTimeOffset RealNow => time.GetUtcNow();
}
