using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>Redis answers a PING within the health-check timeout.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("Redis is reachable.", new Dictionary<string, object> { ["latency_ms"] = Math.Round(latency.TotalMilliseconds, 2) });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The message of a connection failure names the endpoint, never the password.
            return HealthCheckResult.Unhealthy($"Redis is unreachable: {e.GetType().Name}.");
        }
    }
}
