using HazaraMonitor.Storage.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>Redis answers a PING within the health-check timeout.</summary>
internal sealed class RedisHealthCheck(RedisCampaignStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("Redis is reachable.", new Dictionary<string, object> { ["latency_ms"] = Math.Round(latency.TotalMilliseconds, 2) });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The message of a connection failure names the endpoint, never the password.
            return HealthCheckResult.Unhealthy($"Redis is unreachable: {e.GetType().Name}.");
        }
    }
}
