
namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>Leases and fencing on a real Redis: one owner at a time, and a stale owner cannot commit over the new one.</summary>
public sealed class RedisLeaseStoreTests
{
    private static readonly Campaign Campaign = new("stop-hazara-genocide", "Stop", ["StopHazaraGenocide"], [BlueskyPlatform.Id]);

    private static RedisOptions Options(string test) => new() { KeyPrefix = RedisServer.UniquePrefix(test) };

    [SkippableFact]
    public async Task OneOwnerAtATimeAndEachNewOwnerWithALargerToken()
    {
        var leases = new RedisLeaseStore(RedisServer.Connect(), Options(nameof(OneOwnerAtATimeAndEachNewOwnerWithALargerToken)));
        var shortLived = TimeSpan.FromMilliseconds(300);

        var first = await leases.AcquireAsync("jetstream", "a", shortLived, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await leases.AcquireAsync("jetstream", "b", shortLived, CancellationToken.None));
        Assert.Equal(first, await leases.AcquireAsync("jetstream", "a", shortLived, CancellationToken.None));

        // "a" dies: it stops renewing, and the lease expires on Redis's clock.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var second = await leases.AcquireAsync("jetstream", "b", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(second > first, $"token {second} after {first}");
        Assert.Null(await leases.AcquireAsync("jetstream", "a", shortLived, CancellationToken.None));

        // Only the owner can give it up.
        await leases.ReleaseAsync("jetstream", "a", CancellationToken.None);
        Assert.Equal(("b", second!.Value), await leases.HolderAsync("jetstream", CancellationToken.None));
        await leases.ReleaseAsync("jetstream", "b", CancellationToken.None);
        Assert.Null(await leases.HolderAsync("jetstream", CancellationToken.None));
    }

    [SkippableFact]
    public async Task AStaleOwnerCannotCommitOverTheNewOwnersCursor()
    {
        var options = Options(nameof(AStaleOwnerCannotCommitOverTheNewOwnersCursor));
        var store = new RedisCountStore(RedisServer.Connect(), options);
        var cursors = new RedisCursorStore(RedisServer.Connect(), options);
        var now = TimeProvider.System.GetUtcNow();
        HazaraMonitor.Core.Ingest.IngestBatch Batch(int id) => HazaraMonitor.Core.Ingest.BatchAggregator.Aggregate(
            Campaign, BlueskyPlatform.Id, [new Post(BlueskyPlatform.Id, $"at://post/{id}", "did:a", now, "t", "en", ["stophazaragenocide"], default)], now, TimeSpan.FromDays(8));

        await store.CommitAsync(Batch(1), "jetstream", "100", CancellationToken.None, fence: 1);
        await store.CommitAsync(Batch(2), "jetstream", "200", CancellationToken.None, fence: 2);

        // The old owner wakes up with a batch and an older cursor: refused, nothing written.
        await Assert.ThrowsAsync<FencedException>(() => store.CommitAsync(Batch(3), "jetstream", "150", CancellationToken.None, fence: 1));
        Assert.Equal("200", await cursors.GetCursorAsync(Campaign.Id, BlueskyPlatform.Id, "jetstream", CancellationToken.None));
        var points = await store.GetSeriesAsync(Campaign.Id, Resolution.Day, now.AddDays(-1), now.AddDays(1), [BlueskyPlatform.Id], null, CancellationToken.None);
        Assert.Equal(2, points.Sum(p => p.Count));

        await store.CommitAsync(Batch(3), "jetstream", "300", CancellationToken.None, fence: 3);
        Assert.Equal("300", await cursors.GetCursorAsync(Campaign.Id, BlueskyPlatform.Id, "jetstream", CancellationToken.None));
    }
}
