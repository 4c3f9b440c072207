using HazaraMonitor.Core.Posts;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>What a platform's daily quota has used in a UTC day, as every instance recorded it.</summary>
/// <param name="Requests">Requests made (each reserved before it was sent, failed ones included).</param>
/// <param name="Records">Records returned, and those reserved by requests still in flight.</param>
/// <param name="Exhausted">The platform itself answered that the day's quota is spent (it is shared with other clients of the same project).</param>
public readonly record struct DailyQuotaUse(long Requests, long Records, bool Exhausted);

/// <summary>Why a reservation was refused.</summary>
public enum QuotaRefusal
{
    /// <summary>The day's requests are spent.</summary>
    Requests = -1,

    /// <summary>The day's records are spent.</summary>
    Records = -2,

    /// <summary>The platform answered that the day's quota is spent.</summary>
    Platform = -3,
}

/// <summary>
/// A platform's daily request and record counters (TikTok's Research API), in Redis so that every
/// instance stops before the platform's limits: each request is reserved with a page of records
/// before it is sent (<c>Scripts/quota-reserve.lua</c>), and the records are settled to what the page
/// returned. A request that failed, or an instance that died, keeps its request counted: the
/// counters may show a little more than the platform counts, never less. Days are UTC days.
/// </summary>
public sealed class RedisDailyQuota(IConnectionMultiplexer redis, RedisOptions options)
{
    private static readonly TimeSpan KeyLives = TimeSpan.FromDays(2);

    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Reserves one request and up to <paramref name="records"/> records of the UTC day of <paramref name="now"/>: the records granted (at least 1), or why not.</summary>
    public async Task<(int Granted, QuotaRefusal? Refused)> ReserveAsync(
        Platform platform, DateTimeOffset now, int records, long requestLimit, long recordLimit, CancellationToken cancellationToken)
    {
        var result = (long)await Db.ScriptEvaluateAsync(
            RedisScripts.QuotaReserve, [_keys.QuotaDay(platform, now)], [records, requestLimit, recordLimit, (long)KeyLives.TotalSeconds])
            .WaitAsync(cancellationToken);
        return result > 0 ? ((int)result, null) : (0, (QuotaRefusal)result);
    }

    /// <summary>Settles a reservation of <paramref name="reserved"/> records made at <paramref name="reservedAt"/> to the <paramref name="returned"/> the page held.</summary>
    public async Task SettleAsync(Platform platform, DateTimeOffset reservedAt, int reserved, int returned, CancellationToken cancellationToken)
    {
        if (returned != reserved)
        {
            await Db.HashIncrementAsync(_keys.QuotaDay(platform, reservedAt), "records", returned - reserved).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Records that the platform said the day's quota is spent: no instance reserves again that day.</summary>
    public async Task ExhaustAsync(Platform platform, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = _keys.QuotaDay(platform, now);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(key, "exhausted", 1);
        _ = transaction.KeyExpireAsync(key, KeyLives);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>What the UTC day of <paramref name="now"/> has used.</summary>
    public async Task<DailyQuotaUse> GetAsync(Platform platform, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fields = (await Db.HashGetAllAsync(_keys.QuotaDay(platform, now)).WaitAsync(cancellationToken)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
        return new DailyQuotaUse(fields.GetValueOrDefault("requests"), fields.GetValueOrDefault("records"), fields.GetValueOrDefault("exhausted") == 1);
    }
}
