using HazaraMonitor.Core.Ingest;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>
/// Every store on a three-primary Redis Cluster: each multi-key script and transaction stays in one
/// slot (a campaign's keys share its <c>{campaign}</c> hash tag, a ledger its <c>{platform}</c>, a
/// lease its <c>{name}</c>), so nothing fails with CROSSSLOT, and the figures are the same as on one Redis.
/// </summary>
public sealed class RedisClusterTests
{
    private static readonly string[] Campaigns = ["stop-hazara-genocide", "kaaj", "dasht-e-barchi", "mawoud"];

    [SkippableFact]
    public async Task EveryStoreWorksOnAThreePrimaryCluster()
    {
        await using var cluster = await RedisCluster.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration);
        var options = new RedisOptions { KeyPrefix = "hm" };
        var counts = new RedisCountStore(redis, options);
        var cursors = new RedisCursorStore(redis, options);
        var alerts = new RedisAlertStore(redis, options);
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 30, TimeSpan.Zero);
        var minute = Resolution.Minute.Start(now);

        foreach (var id in Campaigns)
        {
            var campaign = new Campaign(id, id, ["StopHazaraGenocide"], [XPlatform.Id]);
            var posts = Enumerable.Range(0, 50).Select(i => new Post(
                XPlatform.Id, $"{id}-{i}", $"author{i % 7}", now.AddSeconds(-i), "t", i % 2 == 0 ? "en" : "fa", ["stophazaragenocide"], default)).ToList();
            var batch = BatchAggregator.Aggregate(campaign, XPlatform.Id, posts, now, TimeSpan.FromDays(8));

            Assert.Equal(50, (await counts.CommitAsync(batch, "search", "c1", CancellationToken.None)).New);
            Assert.Equal(50, (await counts.CommitAsync(batch, "search", "c2", CancellationToken.None)).Duplicates);
            await counts.CommitAsync(batch, "jetstream", "100", CancellationToken.None, fence: 2);
            await Assert.ThrowsAsync<FencedException>(() => counts.CommitAsync(batch, "jetstream", "50", CancellationToken.None, fence: 1));
            await counts.SetReportedAsync(id, XPlatform.Id, [new ReportedCount(Resolution.Minute, minute, 60)], CancellationToken.None);
            await counts.SetReportedAsync(id, XPlatform.Id, [new ReportedCount(Resolution.Day, minute, 600)], CancellationToken.None, keepLarger: true);
            await counts.MarkSampledAsync(id, XPlatform.Id, minute, CancellationToken.None);
            await counts.RecordPollAsync(id, XPlatform.Id, now, ok: true, CancellationToken.None);

            var day = await counts.GetSeriesAsync(id, Resolution.Day, now.AddDays(-1), now.AddDays(1), [XPlatform.Id], null, CancellationToken.None);
            Assert.Equal(600, day.Sum(p => p.Count));
            Assert.Equal(50, day.Sum(p => p.Sample?.Read ?? 0));
            Assert.Equal(7, await counts.CountAuthorsAsync(id, Resolution.Day, now, [XPlatform.Id, BlueskyPlatform.Id], CancellationToken.None));
            Assert.Equal("c2", await cursors.GetCursorAsync(id, XPlatform.Id, "search", CancellationToken.None));
            Assert.Equal("100", await cursors.GetCursorAsync(id, XPlatform.Id, "jetstream", CancellationToken.None));

            Assert.True(await alerts.TryRaiseAlertAsync(id, "all", "spike", $"{id}-a1", TimeSpan.FromHours(1), minute, "{}", CancellationToken.None));
            Assert.False(await alerts.TryRaiseAlertAsync(id, "all", "spike", $"{id}-a2", TimeSpan.FromHours(1), minute, "{}", CancellationToken.None));
            await alerts.AddDeliveredAsync(id, $"{id}-a1", ["ops"], CancellationToken.None);
            await alerts.CompleteAlertAsync(id, $"{id}-a1", CancellationToken.None);
            await alerts.SetEvaluatedAsync(id, new Dictionary<string, DateTimeOffset> { ["all"] = minute, ["x"] = minute }, CancellationToken.None);
            Assert.Equal([minute, minute], await alerts.GetEvaluatedAsync(id, ["all", "x"], CancellationToken.None));
        }

        var ledger = new RedisSpendLedger(redis, options);
        var tariff = new Tariff(5_000, 5_000, 3_000_000);
        var granted = await ledger.ReserveAsync(XPlatform.Id, now, 100, 10, 1, tariff, new SpendLimits(1_000_000, null), CancellationToken.None);
        Assert.Equal(100, granted);
        Assert.Equal(10, await ledger.SettleAsync(XPlatform.Id, now, granted!.Value, [.. Enumerable.Range(0, 10).Select(i => $"p{i}")], tariff, CancellationToken.None));
        Assert.Equal(55_000, (await ledger.GetAsync(XPlatform.Id, now, CancellationToken.None)).DayMicro);

        var leases = new RedisLeaseStore(redis, options);
        Assert.NotNull(await leases.AcquireAsync("jetstream", "a", TimeSpan.FromSeconds(10), CancellationToken.None));
        await leases.ReleaseAsync("jetstream", "a", CancellationToken.None);
        var pauses = new RedisPauseStore(redis, options);
        await pauses.PauseUntilAsync(XPlatform.Id, "search", now.AddHours(1), now, CancellationToken.None);
        await pauses.AuthFailedAsync(XPlatform.Id, "x", "refused", CancellationToken.None);
        Assert.Equal("refused", (await pauses.GetAsync(XPlatform.Id, "search", "x", CancellationToken.None)).AuthFailure);
        var quota = new RedisDailyQuota(redis, options);
        Assert.Equal((100, null), await quota.ReserveAsync(XPlatform.Id, now, 100, 1_000, 100_000, CancellationToken.None));
        await quota.SettleAsync(XPlatform.Id, now, 100, 40, CancellationToken.None);
        Assert.Equal(new DailyQuotaUse(1, 40, false), await quota.GetAsync(XPlatform.Id, now, CancellationToken.None));

        // The keys are spread over the primaries, as a cluster shards them.
        Assert.True((await cluster.KeysPerNodeAsync()).Count(n => n > 0) >= 2, "the cluster holds the keys on more than one primary");
    }
}
