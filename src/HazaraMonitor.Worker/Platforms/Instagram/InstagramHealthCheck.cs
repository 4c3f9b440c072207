using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>
/// Instagram's own limits as <c>/healthz</c> shows them: the account's hashtags of the week (which
/// were searched when, from Redis), the campaign hashtags not followed and why, Meta's last reported
/// usage, and hashtags whose day holds more pages than a poll reads. Degraded while a campaign
/// hashtag is not followed or read in part: the counts are short by what those hold.
/// </summary>
internal sealed class InstagramHealthCheck(
    InstagramHashtags hashtags, RedisQuotaStore quotas, IOptions<InstagramOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (hashtags.Priority.Count == 0)
        {
            return HealthCheckResult.Healthy("No campaign follows Instagram.");
        }

        var now = time.GetUtcNow();
        var plan = hashtags.Current;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["hashtags_per_week"] = (long)options.Value.HashtagsPerWeek,
            ["not_followed"] = plan.NotFollowed.ToDictionary(kv => hashtags.Display(kv.Key), kv => (object?)kv.Value, StringComparer.Ordinal),
            ["sweeps_cut"] = hashtags.CutSweeps.ToDictionary(
                kv => hashtags.Display(kv.Key), kv => (object?)string.Create(CultureInfo.InvariantCulture, $"read {kv.Value.Pages} pages of 50 at {kv.Value.At:O}; the day holds more"), StringComparer.Ordinal),
        };
        try
        {
            var held = await quotas.HeldAsync(InstagramPlatform.Id, hashtags.Quota, now, InstagramHashtags.Week, cancellationToken);
            data["hashtags_held"] = (long)held.Count;
            data["searched"] = held.ToDictionary(
                h => hashtags.Display(h.Member), h => (object?)string.Create(CultureInfo.InvariantCulture, $"first searched {h.Since:O}, its place frees at {h.Since + InstagramHashtags.Week:O}"), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            data["searched"] = $"not readable now ({e.GetType().Name})";
        }

        if (hashtags.Usage is { } usage)
        {
            data["usage_percent"] = (long)usage.Usage.Percent;
            data["usage_figure"] = usage.Usage.Which;
            data["usage_at"] = usage.At;
        }

        var problems = new List<string>();
        if (plan.NotFollowed.Count > 0)
        {
            problems.Add($"not following {string.Join(", ", plan.NotFollowed.Keys.Select(k => "#" + hashtags.Display(k)))} (see not_followed)");
        }

        if (hashtags.CutSweeps.Count > 0)
        {
            problems.Add($"reading only part of the day of {string.Join(", ", hashtags.CutSweeps.Keys.Select(k => "#" + hashtags.Display(k)))} (see sweeps_cut)");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded($"Instagram is {string.Join("; ", problems)}: its counts are short by what those hold.", data: data)
            : HealthCheckResult.Healthy("Instagram follows every campaign hashtag, each day read whole.", data);
    }
}
