using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>Registers the Redis connection and the stores on it.</summary>
public static class RedisStorageServiceCollectionExtensions
{
    /// <summary>
    /// <c>HazaraMonitor:Redis</c>, validated at start-up; one multiplexer for the process (it reconnects
    /// on its own: a Redis restart is not a worker restart), and the count, cursor, alert and pause stores, the spending ledger, the platforms' quotas (daily counters, rolling windows), and the incidents posted through the API.
    /// </summary>
    public static IServiceCollection AddRedisStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.Key);
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var config = ConfigurationOptions.Parse(Redis(sp).Configuration);
            config.AbortOnConnectFail = false;
            config.ClientName ??= "hazaramonitor";
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton(sp => new RedisCountStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisCursorStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisAlertStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisPauseStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisSpendLedger(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisDailyQuota(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisLeaseStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisQuotaStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        services.AddSingleton(sp => new RedisIncidentStore(sp.GetRequiredService<IConnectionMultiplexer>(), Redis(sp)));
        return services;
    }

    private static RedisOptions Redis(IServiceProvider services) => services.GetRequiredService<IOptions<RedisOptions>>().Value;
}
