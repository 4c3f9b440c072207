using HazaraMonitor.Core.Posts;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>What a metered platform charges, in millionths of a US dollar, and the limits it sets itself.</summary>
/// <param name="ReadMicro">Price of one post read (billed once per UTC day per post).</param>
/// <param name="RequestMicro">Price of one request billed per request (X's counts).</param>
/// <param name="MonthlyReadCap">Most posts the platform lets an account read in a month; null: none.</param>
public sealed record Tariff(long ReadMicro, long RequestMicro, long? MonthlyReadCap);

/// <summary>The limits one reservation must stay inside.</summary>
/// <param name="DailyMicro">The day's budget; null: none.</param>
/// <param name="MonthlyMicro">The month's budget; null: none.</param>
/// <param name="KeepDailyMicro">Room to leave in the day's budget for what comes first (volume counts).</param>
/// <param name="KeepMonthlyMicro">The same for the month.</param>
public sealed record SpendLimits(long? DailyMicro, long? MonthlyMicro, long KeepDailyMicro = 0, long KeepMonthlyMicro = 0);

/// <summary>A platform's spending in a UTC day and month, as billed.</summary>
public readonly record struct Spend(long DayMicro, long DayReads, long DayRequests, long MonthMicro, long MonthReads, long MonthRequests)
{
    public decimal DayUsd => DayMicro / 1_000_000m;

    public decimal MonthUsd => MonthMicro / 1_000_000m;
}

/// <summary>
/// The spending ledger of metered platforms, in Redis so every instance spends from the same
/// budget. Before a request an instance reserves what it may cost at most
/// (<c>Scripts/spend-reserve.lua</c>), after it settles to what was billed
/// (<c>Scripts/spend-settle.lua</c>): each post is billed once per UTC day, as X bills it. Between
/// the two the reservation counts as spent, so instances racing for the last of a budget cannot
/// pass it together, and a request that failed or an instance that died leaves its reservation
/// charged: the ledger may show more than was billed, never less. Months are calendar months (UTC).
/// </summary>
public sealed class RedisSpendLedger(IConnectionMultiplexer redis, RedisOptions options)
{
    private static readonly TimeSpan DayKeysLive = TimeSpan.FromDays(3);
    private static readonly TimeSpan MonthKeysLive = TimeSpan.FromDays(62);
    private static readonly TimeSpan ReadSetLives = TimeSpan.FromDays(2);

    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Reserves up to <paramref name="posts"/> post reads (at least <paramref name="fewest"/>) and
    /// <paramref name="requests"/> billed requests; returns the posts granted (0 when only requests
    /// were asked for), or null when the limits leave too little.
    /// </summary>
    public async Task<int?> ReserveAsync(
        Platform platform, DateTimeOffset now, int posts, int fewest, int requests, Tariff tariff, SpendLimits limits, CancellationToken cancellationToken)
    {
        var result = (long)await Db.ScriptEvaluateAsync(
            RedisScripts.SpendReserve,
            [_keys.SpendDay(platform, now), _keys.SpendMonth(platform, now)],
            [posts, fewest, requests, tariff.ReadMicro, tariff.RequestMicro, limits.DailyMicro ?? -1, limits.MonthlyMicro ?? -1,
             tariff.MonthlyReadCap ?? -1, limits.KeepDailyMicro, limits.KeepMonthlyMicro, (long)DayKeysLive.TotalSeconds, (long)MonthKeysLive.TotalSeconds])
            .WaitAsync(cancellationToken);
        return result < 0 ? null : (int)result;
    }

    /// <summary>Settles a reservation of <paramref name="reserved"/> posts made at <paramref name="reservedAt"/> to the posts the request returned; returns those billed for the first time that day.</summary>
    public async Task<long> SettleAsync(
        Platform platform, DateTimeOffset reservedAt, int reserved, IReadOnlyCollection<string> postIds, Tariff tariff, CancellationToken cancellationToken)
    {
        RedisValue[] args = [reserved, tariff.ReadMicro, (long)ReadSetLives.TotalSeconds, .. postIds.Select(id => (RedisValue)id)];
        return (long)await Db.ScriptEvaluateAsync(
            RedisScripts.SpendSettle,
            [_keys.SpendDay(platform, reservedAt), _keys.SpendMonth(platform, reservedAt), _keys.SpendRead(platform, reservedAt)],
            args).WaitAsync(cancellationToken);
    }

    /// <summary>The platform's spending in the UTC day and month of <paramref name="now"/>.</summary>
    public async Task<Spend> GetAsync(Platform platform, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var day = batch.HashGetAllAsync(_keys.SpendDay(platform, now));
        var month = batch.HashGetAllAsync(_keys.SpendMonth(platform, now));
        batch.Execute();
        var d = (await day.WaitAsync(cancellationToken)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
        var m = (await month.WaitAsync(cancellationToken)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
        return new Spend(
            d.GetValueOrDefault("micro"), d.GetValueOrDefault("reads"), d.GetValueOrDefault("requests"),
            m.GetValueOrDefault("micro"), m.GetValueOrDefault("reads"), m.GetValueOrDefault("requests"));
    }
}
