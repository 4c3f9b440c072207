using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>
/// Threads' own limits as <c>/healthz</c> shows them: the keyword searches of the last 24 hours
/// against the day's quota (from Redis, every instance's), and the hashtags whose last answer was
/// empty though they had posts within the day (possibly withheld). Degraded while either holds.
/// </summary>
internal sealed class ThreadsHealthCheck(ThreadsSearches searches, CampaignCatalog campaigns, IOptions<ThreadsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!campaigns.All.Any(c => c.Platforms.Contains(ThreadsPlatform.Id)))
        {
            return HealthCheckResult.Healthy("No campaign follows Threads.");
        }

        var limit = options.Value.QueriesPerDay;
        var withheld = searches.Withheld;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["queries_per_day"] = (long)limit,
            ["possibly_withheld"] = withheld.ToDictionary(
                w => $"{w.Campaign} #{w.Hashtag}", w => (object?)$"empty answer at {w.At:O}; its newest post seen is from {w.LastPost:O}", StringComparer.Ordinal),
        };
        long? used = null;
        try
        {
            used = await searches.UsedAsync(cancellationToken);
            data["keyword_searches_24h"] = used.Value;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            data["keyword_searches_24h"] = $"not readable now ({e.GetType().Name})";
        }

        var problems = new List<string>();
        if (used >= limit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the {limit:N0} keyword searches of the last 24 hours are spent"));
        }

        if (withheld.Count > 0)
        {
            problems.Add($"{string.Join(", ", withheld.Select(w => "#" + w.Hashtag).Distinct())} answered nothing though it had posts within the day: possibly withheld by Meta");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded($"Threads: {string.Join("; ", problems)}.", data: data)
            : HealthCheckResult.Healthy("Threads: searches within the day's quota, no hashtag looks withheld.", data);
    }
}
