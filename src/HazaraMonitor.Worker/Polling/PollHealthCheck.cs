using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// Per-platform last poll outcome. Unhealthy when a platform refused our credentials (it will not be
/// polled again until a restart), degraded when the last poll of any endpoint failed.
/// </summary>
internal sealed class PollHealthCheck(PollStatusBoard board) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var ((platform, endpoint, campaign), status) in board.Last.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
        {
            data[$"{platform.Name()}.{endpoint}.{campaign}"] = new Dictionary<string, object?>
            {
                ["at"] = status.At,
                ["outcome"] = status.Outcome.Name(),
                ["message"] = status.Message,
            };
        }

        if (board.AuthFailures.Count > 0)
        {
            var which = string.Join(", ", board.AuthFailures.Keys.Select(k => k.Credential == k.Platform.Name() ? k.Credential : $"{k.Platform.Name()} ({k.Credential})"));
            return Task.FromResult(HealthCheckResult.Unhealthy($"Credentials refused by {which}; polling of it is paused.", data: data));
        }

        var failing = board.Last.Where(kv => kv.Value.Outcome != PollOutcome.Ok).Select(kv => kv.Key.Platform.Name()).Distinct().ToList();
        return Task.FromResult(failing.Count > 0
            ? HealthCheckResult.Degraded($"Last poll failed on {string.Join(", ", failing)}.", data: data)
            : HealthCheckResult.Healthy(board.Last.Count == 0 ? "No poll has run yet." : "Every last poll succeeded.", data));
    }
}
