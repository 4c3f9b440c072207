using HazaraMonitor.Core.Posts;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Poll pauses every instance honours: a rate-limited endpoint until its reset, and a refused
/// credential for an hour, so a second instance neither spends the exhausted window nor tries a
/// token the platform has refused.
/// </summary>
public sealed class RedisPauseStore(IConnectionMultiplexer redis, RedisOptions options)
{
    /// <summary>How long an instance that did not see a credential refused waits before trying it itself.</summary>
    public static readonly TimeSpan AuthPause = TimeSpan.FromHours(1);

    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Pauses the endpoint until <paramref name="until"/> (a later pause already stored stays).</summary>
    public async Task PauseUntilAsync(Platform platform, string endpoint, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var left = (long)(until - now).TotalMilliseconds;
        if (left > 0)
        {
            await Db.ScriptEvaluateAsync(RedisScripts.AdvanceMark, [_keys.RatePause(platform, endpoint)], [until.ToUnixTimeMilliseconds(), left]).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Records that the platform refused <paramref name="credential"/>.</summary>
    public async Task AuthFailedAsync(Platform platform, string credential, string message, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(_keys.AuthPauses, RedisKeySchema.AuthPauseField(platform, credential), message);
        _ = transaction.KeyExpireAsync(_keys.AuthPauses, AuthPause);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>The stored pauses of an endpoint and a credential: the refusal's message, and until when the endpoint is rate-limited.</summary>
    public async Task<(string? AuthFailure, DateTimeOffset? RateLimitedUntil)> GetAsync(Platform platform, string endpoint, string credential, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var refused = batch.HashGetAsync(_keys.AuthPauses, RedisKeySchema.AuthPauseField(platform, credential));
        var until = batch.StringGetAsync(_keys.RatePause(platform, endpoint));
        batch.Execute();
        var (message, reset) = (await refused.WaitAsync(cancellationToken), await until.WaitAsync(cancellationToken));
        return (message.IsNull ? null : message.ToString(), !reset.IsNull && reset.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    /// <summary>Forgets every refused credential of this deployment: an instance starting may bring new ones.</summary>
    public async Task ClearAuthFailuresAsync(CancellationToken cancellationToken) =>
        await Db.KeyDeleteAsync(_keys.AuthPauses).WaitAsync(cancellationToken);
}
