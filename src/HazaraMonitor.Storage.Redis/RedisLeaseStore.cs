using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Leases in Redis: one owner at a time among the instances for what must not run twice. A lease
/// lives for a time to live and is kept by renewing it well within that time; an owner that dies
/// stops renewing, and another takes it over once it expires. Each new owner gets a larger fencing
/// token (<c>Scripts/lease.lua</c>), which its commits carry (<see cref="RedisCountStore.CommitAsync"/>),
/// so a stale owner that wakes up after losing the lease cannot commit over the new owner's cursor.
/// </summary>
public sealed class RedisLeaseStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Takes the lease <paramref name="name"/> for <paramref name="owner"/>, or renews it; returns the owner's fencing token, or null when another owner holds it.</summary>
    public async Task<long?> AcquireAsync(string name, string owner, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var token = (long)await Db.ScriptEvaluateAsync(RedisScripts.Lease, [_keys.Lease(name), _keys.LeaseFence(name)], [owner, (long)timeToLive.TotalMilliseconds])
            .WaitAsync(cancellationToken);
        return token < 0 ? null : token;
    }

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it, so another instance takes over at once.</summary>
    public async Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_keys.Lease(name), "owner", owner));
        _ = transaction.KeyDeleteAsync(_keys.Lease(name));
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Who holds the lease now, and with which token; null when nobody does.</summary>
    public async Task<(string Owner, long Token)?> HolderAsync(string name, CancellationToken cancellationToken)
    {
        var entries = (await Db.HashGetAllAsync(_keys.Lease(name)).WaitAsync(cancellationToken)).ToDictionary(e => e.Name.ToString(), e => e.Value);
        return entries.TryGetValue("owner", out var owner) && entries.TryGetValue("token", out var token) ? (owner.ToString(), (long)token) : null;
    }
}
