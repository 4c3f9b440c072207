using HazaraMonitor.Core.Ingest;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>
/// The shared Redis behind Sentinel: the worker's configuration string names the Sentinel and the
/// service, the store commits through whichever primary Sentinel names, and after the primary is
/// killed and its replica promoted, commits go on with nothing counted twice.
/// </summary>
public sealed class RedisSentinelTests
{
    [SkippableFact]
    public async Task CommitsGoOnThroughAFailoverWithNothingCountedTwice()
    {
        await using var sentinel = await RedisSentinel.StartAsync();
        Assert.True(new RedisOptionsValidator().Validate(null, new RedisOptions { Configuration = sentinel.Configuration }).Succeeded);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(sentinel.Configuration);
        var options = new RedisOptions { KeyPrefix = RedisServer.UniquePrefix("sentinel") };
        var counts = new RedisCountStore(redis, options);
        var cursors = new RedisCursorStore(redis, options);
        var now = TimeProvider.System.GetUtcNow();
        var campaign = new Campaign("stop-hazara-genocide", "Stop Hazara Genocide", ["StopHazaraGenocide"], [XPlatform.Id]);
        IngestBatch Batch(int from, int count) => BatchAggregator.Aggregate(campaign, XPlatform.Id,
            [.. Enumerable.Range(from, count).Select(i => new Post(XPlatform.Id, $"p{i}", $"a{i % 9}", now.AddSeconds(-i), "t", "en", ["stophazaragenocide"], default))],
            now, TimeSpan.FromDays(8));

        Assert.Equal(50, (await counts.CommitAsync(Batch(0, 50), "search", "c1", CancellationToken.None)).New);
        // Acknowledged by the replica before the primary dies (replication is asynchronous: what
        // the replica has not received is lost with its cursor, and read again).
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () => (long)await redis.GetDatabase().ExecuteAsync("WAIT", 1, 1000) == 1, clock, TimeSpan.FromSeconds(20), TimeSpan.Zero);
        await using (var replica = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{sentinel.Replica.Port}"))
        {
            Assert.Equal("c1", await new RedisCursorStore(replica, options).GetCursorAsync(campaign.Id, XPlatform.Id, "search", CancellationToken.None));
        }

        await sentinel.Primary.KillAsync();
        await sentinel.WaitForPrimaryAsync(sentinel.Replica.Port, TimeSpan.FromSeconds(30));

        // The next page overlaps the last: 25 seen, 50 new; committed through the promoted replica.
        clock.Restart();
        CommitResult? second = null;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                second = await counts.CommitAsync(Batch(25, 75), "search", "c2", CancellationToken.None);
                return true;
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or RedisServerException)
            {
                return false;
            }
        }, clock, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

        Assert.Equal(50, second!.New);
        Assert.Equal(25, second.Duplicates);
        Assert.Equal("c2", await cursors.GetCursorAsync(campaign.Id, XPlatform.Id, "search", CancellationToken.None));
        var day = await counts.GetSeriesAsync(campaign.Id, Resolution.Day, now.AddDays(-1), now.AddDays(1), [XPlatform.Id], null, CancellationToken.None);
        Assert.Equal(100, day.Sum(p => p.Count));
    }
}
