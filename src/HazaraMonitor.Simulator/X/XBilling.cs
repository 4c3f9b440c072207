using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator.X;

/// <summary>
/// Bills like X's pay-per-use plan: $0.005 a post returned by search, once per post per UTC day
/// however often it is returned, and $0.005 a counts request. What it billed is at
/// <c>/sim/x/billing</c>, so tests and the cost benchmark compare the ledger with the invoice.
/// </summary>
public sealed class XBilling
{
    public const decimal PostUsd = 0.005m;
    public const decimal CountsRequestUsd = 0.005m;

    private readonly ConcurrentDictionary<(DateOnly Day, string Id), byte> _posts = new();
    private readonly ConcurrentQueue<long> _countsRequestTimes = new();
    private long _countsRequests;

    public long PostsBilled => _posts.Count;

    public long CountsRequests => Interlocked.Read(ref _countsRequests);

    public decimal Usd => (PostsBilled * PostUsd) + (CountsRequests * CountsRequestUsd);

    public void Posts(DateTimeOffset at, IEnumerable<string> ids)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        foreach (var id in ids)
        {
            _posts.TryAdd((day, id), 0);
        }
    }

    /// <summary>When the last 1,000 counts requests came (Unix ms, real time): tests see each scheduled fire time's requests.</summary>
    public IReadOnlyList<long> CountsRequestTimes => [.. _countsRequestTimes];

    public void CountsRequest(DateTimeOffset at)
    {
        Interlocked.Increment(ref _countsRequests);
        _countsRequestTimes.Enqueue(at.ToUnixTimeMilliseconds());
        while (_countsRequestTimes.Count > 1000 && _countsRequestTimes.TryDequeue(out _))
        {
        }
    }
}
