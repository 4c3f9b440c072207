using StackExchange.Redis;

namespace HazaraMonitor.Benchmarks;

/// <summary>Redis housekeeping shared by the benchmarks.</summary>
internal static class BenchRedis
{
    /// <summary>Deletes every key a benchmark wrote under its key prefix.</summary>
    public static async Task DeleteAsync(ConnectionMultiplexer redis, string prefix)
    {
        var server = redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: prefix + ":*", pageSize: 1000))
        {
            await redis.GetDatabase().KeyDeleteAsync(key, CommandFlags.FireAndForget);
        }
    }
}
