using HazaraMonitor.Core.Posts;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Where each connector got to: one cursor per campaign, platform and stream, written by the same
/// atomic commit as the posts it covers (<see cref="RedisCountStore.CommitAsync"/>) and read here.
/// </summary>
public sealed partial class RedisCursorStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    /// <summary>The cursor last committed for a campaign, platform and stream, or null before the first commit (without the fencing token of a cursor written under a lease).</summary>
    public async Task<string?> GetCursorAsync(string campaignId, Platform platform, string stream, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(_keys.Cursor(campaignId, platform, stream)).WaitAsync(cancellationToken);
        return value.IsNull ? null : FencedCursor().Replace(value.ToString(), string.Empty, 1);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^f[0-9]+:")]
    private static partial System.Text.RegularExpressions.Regex FencedCursor();
}
