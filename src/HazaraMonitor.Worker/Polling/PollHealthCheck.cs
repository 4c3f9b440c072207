using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// Per-platform last poll outcome. Unhealthy when a platform refused our credentials (it will not be
/// polled again until a restart), degraded when the last poll of any endpoint failed. A platform
/// turned off by configuration is never polled, so it never degrades health; it is listed under
/// <c>disabled</c> with the key that turned it off, and named in the description. With several
/// instances a poll runs on one of them: a failure this instance saw is superseded, and degrades
/// nothing, once another instance's later poll of the same endpoint succeeded (marked in Redis).
/// </summary>
internal sealed class PollHealthCheck(PollStatusBoard board, PlatformCatalog platforms, RedisCountStore counts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var superseded = await SupersededAsync(cancellationToken);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var disabled = platforms.Disabled;
        var off = string.Empty;
        if (disabled.Count > 0)
        {
            data["disabled"] = disabled.ToDictionary(p => p.Id.Name, p => (object?)$"{p.EnabledKey}=false", StringComparer.Ordinal);
            off = $" Disabled by configuration: {string.Join(", ", disabled.Select(p => p.Id))}.";
        }

        foreach (var ((platform, endpoint, campaign), status) in board.Last.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
        {
            data[$"{platform.Name}.{endpoint}.{campaign}"] = new Dictionary<string, object?>
            {
                ["at"] = status.At,
                ["outcome"] = status.Outcome.Name(),
                ["message"] = status.Message,
                ["superseded_at"] = superseded.GetValueOrDefault((platform, endpoint, campaign)),
            };
        }

        if (board.AuthFailures.Count > 0)
        {
            var which = string.Join(", ", board.AuthFailures.Keys.Select(k => k.Credential == k.Platform.Name ? k.Credential : $"{k.Platform.Name} ({k.Credential})"));
            return HealthCheckResult.Unhealthy($"Credentials refused by {which}; polling of it is paused.{off}", data: data);
        }

        var failing = board.Last.Where(kv => kv.Value.Outcome != PollOutcome.Ok && !superseded.ContainsKey(kv.Key)).Select(kv => kv.Key.Platform.Name).Distinct().ToList();
        return failing.Count > 0
            ? HealthCheckResult.Degraded($"Last poll failed on {string.Join(", ", failing)}.{off}", data: data)
            : HealthCheckResult.Healthy((board.Last.Count == 0 ? "No poll has run yet." : "Every last poll succeeded.") + off, data);
    }

    /// <summary>
    /// The failures seen here that a later successful poll, on any instance, has superseded, with when
    /// it ended. Best effort: when Redis cannot say, every failure stands (the Redis check reports why).
    /// </summary>
    private async Task<Dictionary<(Platform, string, string), DateTimeOffset?>> SupersededAsync(CancellationToken cancellationToken)
    {
        var superseded = new Dictionary<(Platform, string, string), DateTimeOffset?>();
        foreach (var campaign in board.Last.Where(kv => kv.Value.Outcome != PollOutcome.Ok).GroupBy(kv => kv.Key.Campaign))
        {
            IReadOnlyDictionary<string, DateTimeOffset> successes;
            try
            {
                successes = await counts.GetPollSuccessesAsync(campaign.Key, cancellationToken);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                return [];
            }

            foreach (var ((platform, endpoint, id), status) in campaign)
            {
                if (successes.TryGetValue(RedisKeySchema.PollSuccessField(platform, endpoint), out var at) && at > status.At)
                {
                    superseded[(platform, endpoint, id)] = at;
                }
            }
        }

        return superseded;
    }
}
