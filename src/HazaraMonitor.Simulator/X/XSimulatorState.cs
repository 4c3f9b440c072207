using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator.X;

/// <summary>What the X simulator has done: requests, faults and every post it served, per query.</summary>
internal sealed class XSimulatorState(SimulatorOptions options)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(options.Seed);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> _served = new(StringComparer.Ordinal);
    private long _searchRequests;
    private long _windowStart = -1;
    private int _windowCount;

    public long ServedTotal;
    public long RateLimited;
    public long Malformed;
    public long Unauthorized;

    /// <summary>Numbers the search requests from 1.</summary>
    public long NextSearchRequest() => Interlocked.Increment(ref _searchRequests);

    public long SearchRequests => Interlocked.Read(ref _searchRequests);

    /// <summary>A draw from the shared seeded generator.</summary>
    public double Draw()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>Counts a request against the 15-minute window; returns (remaining, window reset).</summary>
    public (int Remaining, DateTimeOffset Reset) Spend(DateTimeOffset realNow)
    {
        var window = realNow.ToUnixTimeSeconds() / 900;
        lock (_gate)
        {
            if (window != _windowStart)
            {
                _windowStart = window;
                _windowCount = 0;
            }

            _windowCount++;
            return (options.RequestsPerWindow - _windowCount, DateTimeOffset.FromUnixTimeSeconds((window + 1) * 900));
        }
    }

    public void Served(string query, IEnumerable<long> ids)
    {
        var set = _served.GetOrAdd(query, _ => new ConcurrentDictionary<long, byte>());
        foreach (var id in ids)
        {
            set.TryAdd(id, 0);
            Interlocked.Increment(ref ServedTotal);
        }
    }

    public int ServedUnique(string query) => _served.TryGetValue(query, out var set) ? set.Count : 0;
}
