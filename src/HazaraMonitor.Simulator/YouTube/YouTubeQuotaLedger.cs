namespace HazaraMonitor.Simulator.YouTube;

/// <summary>The simulated project's daily quota: units spent since the last midnight Pacific time (real time), and the requests refused for it.</summary>
internal sealed class YouTubeQuotaLedger(IOptions<YouTubeSimulationOptions> options)
{
    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    private readonly Lock _gate = new();
    private DateTime _day;
    private long _used;
    private long _exceeded;

    public long Used
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    public long Exceeded => Interlocked.Read(ref _exceeded);

    /// <summary>Charges <paramref name="cost"/> units of the day; false (and nothing charged) when the day's quota cannot pay it.</summary>
    public bool TrySpend(DateTimeOffset realNow, int cost)
    {
        var day = TimeZoneInfo.ConvertTime(realNow, Pacific).Date;
        lock (_gate)
        {
            if (day != _day)
            {
                _day = day;
                _used = 0;
            }

            if (_used + cost > options.Value.DailyQuotaUnits)
            {
                Interlocked.Increment(ref _exceeded);
                return false;
            }

            _used += cost;
            return true;
        }
    }
}
