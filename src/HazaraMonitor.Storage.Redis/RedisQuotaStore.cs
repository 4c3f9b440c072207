using HazaraMonitor.Core.Posts;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>How one member fared in <see cref="RedisQuotaStore.TakeAsync"/>.</summary>
public enum QuotaTake
{
    /// <summary>The quota is held by others for the rest of their window.</summary>
    Refused,

    /// <summary>Already held in its window: using it again costs nothing.</summary>
    Held,

    /// <summary>Taken now: it holds a place for one window.</summary>
    Taken,
}

/// <summary>What a quota looked like after a take: each member's fate, how many places are held, and when the oldest frees.</summary>
public sealed record QuotaState(IReadOnlyList<QuotaTake> Members, int Held, DateTimeOffset? OldestFreesAt);

/// <summary>
/// Platforms' own quotas of distinct things in a rolling window (Instagram's 30 hashtags per 7 days
/// per account, Threads' 2,200 keyword searches per 24 hours per user), kept in Redis so every
/// instance and restart spends from one count; and the names a platform resolves once to ids that
/// never change (Instagram's hashtag ids). A quota counted per calendar day (TikTok's requests and
/// records a UTC day) is <see cref="RedisDailyQuota"/>'s: both are kept under the platform's quota keys
/// (<see cref="RedisKeySchema.Quota"/>).
/// </summary>
public sealed class RedisQuotaStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Takes <paramref name="members"/>, in this order, in the quota (<c>Scripts/rolling-take.lua</c>):
    /// a member held within <paramref name="window"/> is free, a new one is taken while fewer than
    /// <paramref name="limit"/> are held, the rest are refused. One atomic step, so instances taking
    /// together never pass the limit and the first listed are served first.
    /// </summary>
    public async Task<QuotaState> TakeAsync(
        Platform platform, string quota, IReadOnlyList<string> members, DateTimeOffset now, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        RedisValue[] args = [now.ToUnixTimeMilliseconds(), (long)window.TotalMilliseconds, limit, .. members.Select(m => (RedisValue)m)];
        var result = (long[])(await Db.ScriptEvaluateAsync(RedisScripts.RollingTake, [_keys.Quota(platform, quota)], args).WaitAsync(cancellationToken))!;
        var oldest = result[^1];
        return new QuotaState(
            [.. result[..members.Count].Select(r => r switch { 2 => QuotaTake.Taken, 1 => QuotaTake.Held, _ => QuotaTake.Refused })],
            (int)result[^2],
            oldest < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(oldest) + window);
    }

    /// <summary>Gives a member's place back (a Threads search that found nothing: Meta does not count those).</summary>
    public async Task ReleaseAsync(Platform platform, string quota, string member, CancellationToken cancellationToken) =>
        await Db.SortedSetRemoveAsync(_keys.Quota(platform, quota), member).WaitAsync(cancellationToken);

    /// <summary>The members held now, each with the time its window started, oldest first.</summary>
    public async Task<IReadOnlyList<(string Member, DateTimeOffset Since)>> HeldAsync(
        Platform platform, string quota, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(
            _keys.Quota(platform, quota), (now - window).ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start).WaitAsync(cancellationToken);
        return [.. entries.Select(e => (e.Element.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))];
    }

    /// <summary>How many members are held now.</summary>
    public async Task<long> CountHeldAsync(Platform platform, string quota, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        await Db.SortedSetLengthAsync(_keys.Quota(platform, quota), (now - window).ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start).WaitAsync(cancellationToken);

    /// <summary>The ids stored for <paramref name="names"/> in a lookup table; null for a name not resolved yet.</summary>
    public async Task<IReadOnlyList<string?>> LookupAsync(Platform platform, string table, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var values = await Db.HashGetAsync(_keys.Lookup(platform, table), [.. names.Select(n => (RedisValue)n)]).WaitAsync(cancellationToken);
        return [.. values.Select(v => v.IsNull ? null : v.ToString())];
    }

    /// <summary>Stores the id a platform resolved a name to.</summary>
    public async Task RememberAsync(Platform platform, string table, string name, string id, CancellationToken cancellationToken) =>
        await Db.HashSetAsync(_keys.Lookup(platform, table), name, id).WaitAsync(cancellationToken);
}
