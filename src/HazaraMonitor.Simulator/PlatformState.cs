using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator;

/// <summary>What one simulated platform has done: requests, faults and every post it served, per query. One per platform (keyed service).</summary>
internal sealed class PlatformState(SimulatorOptions options)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(options.Seed);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _servedWithoutTime = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Window, int Count)> _windows = new(StringComparer.Ordinal);
    private long _searchRequests;

    public long ServedTotal;
    public long RateLimited;
    public long Malformed;
    public long ServerErrors;
    public long Slow;
    public long Unauthorized;

    /// <summary>YouTube: videos.list requests, and requests that carried the API key in the URL (<c>key=</c>) rather than a header.</summary>
    public long VideosRequests, KeyInQuery;
    public long Connections;

    /// <summary>Streaming connections open now, and the most ever open at once (one instance of a deployment should follow the stream).</summary>
    public long OpenConnections, MostOpenConnections;

    /// <summary>Counts a streaming connection opened; dispose the result when it closes.</summary>
    public IDisposable Open()
    {
        var open = Interlocked.Increment(ref OpenConnections);
        lock (_gate)
        {
            MostOpenConnections = Math.Max(MostOpenConnections, open);
        }

        return new Closer(this);
    }

    private sealed class Closer(PlatformState state) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref state.OpenConnections);
    }
    public long Dropped;

    /// <summary>Numbers the requests that may meet injected faults, from 1.</summary>
    public long NextSearchRequest() => Interlocked.Increment(ref _searchRequests);

    public long SearchRequests => Interlocked.Read(ref _searchRequests);

    public bool ShouldFault(double share, int forcedAt, bool numberRequest = false)
    {
        // Requests are numbered once, on admission; the malformed check reads the same number.
        var n = numberRequest ? NextSearchRequest() : SearchRequests;
        return (options.ForcedFaults && n == forcedAt) || Draw() < share;
    }

    /// <summary>Whether this page goes out cut short (a malformed body): forced on the seventh request, else by <paramref name="share"/>; counted in <see cref="Malformed"/>.</summary>
    public bool ShouldTruncate(double share)
    {
        var truncate = ShouldFault(share, forcedAt: 7);
        if (truncate)
        {
            Interlocked.Increment(ref Malformed);
        }

        return truncate;
    }

    /// <summary>A draw from the shared seeded generator.</summary>
    public double Draw()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>
    /// Counts a request against the window (default 15 minutes) of <paramref name="scope"/> (X: the app;
    /// Mastodon: each instance has its own); returns (remaining, window reset).
    /// </summary>
    public (int Remaining, DateTimeOffset Reset) Spend(DateTimeOffset realNow, string scope = "app", int windowSeconds = 900, int? limit = null)
    {
        var window = realNow.ToUnixTimeSeconds() / windowSeconds;
        lock (_gate)
        {
            var count = _windows.TryGetValue(scope, out var current) && current.Window == window ? current.Count + 1 : 1;
            _windows[scope] = (window, count);
            return ((limit ?? options.RequestsPerWindow) - count, DateTimeOffset.FromUnixTimeSeconds((window + 1) * windowSeconds));
        }
    }

    /// <summary>Notes the posts served for a query: ids for X, status URIs for Mastodon.</summary>
    public void Served(string query, IEnumerable<string> ids)
    {
        var set = _served.GetOrAdd(query, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            set.TryAdd(id, 0);
            Interlocked.Increment(ref ServedTotal);
        }
    }

    /// <summary>Notes the posts served for a query without their creation time (X's <c>WithoutCreatedAtShare</c>).</summary>
    public void ServedWithoutTime(string query, IEnumerable<string> ids)
    {
        var set = _servedWithoutTime.GetOrAdd(query, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            set.TryAdd(id, 0);
        }
    }

    public int ServedWithoutTimeUnique(string query) => _servedWithoutTime.TryGetValue(query, out var set) ? set.Count : 0;

    public bool WasServed(string query, string id) => _served.TryGetValue(query, out var set) && set.ContainsKey(id);

    public int ServedUnique(string query) => _served.TryGetValue(query, out var set) ? set.Count : 0;
}
