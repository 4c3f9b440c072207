using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>A platform that bills what it is asked (X's pay-per-use): its tariff and the limits its budget sets, registered with <c>Metered()</c>.</summary>
internal sealed record MeteredPlatform(Platform Id, Tariff Tariff, Func<IServiceProvider, SpendLimits> Limits)
{
    /// <summary>The platform's spending now, beside its limits, as the API and health show it.</summary>
    public async Task<Api.SpendView> ReadAsync(IServiceProvider services, RedisSpendLedger ledger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spend = await ledger.GetAsync(Id, now, cancellationToken);
        var limits = Limits(services);
        return new Api.SpendView(
            Id.Name, spend.DayUsd, spend.DayReads, spend.DayRequests, spend.MonthUsd, spend.MonthReads, spend.MonthRequests,
            limits.DailyMicro / 1_000_000m, limits.MonthlyMicro / 1_000_000m, Tariff.MonthlyReadCap);
    }
}

/// <summary>
/// What each metered platform has spent today and this month (UTC), from the shared ledger: Healthy
/// while within its limits, Degraded once a budget or the platform's own read cap is spent (search
/// has stopped; see the <c>platforms</c> check for what still polls).
/// </summary>
internal sealed class SpendHealthCheck(IEnumerable<MeteredPlatform> metered, RedisSpendLedger ledger, IServiceProvider services, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var spent = new List<string>();
        foreach (var platform in metered)
        {
            var view = await platform.ReadAsync(services, ledger, time.GetUtcNow(), cancellationToken);
            data[view.Platform] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["day_usd"] = view.DayUsd,
                ["month_usd"] = view.MonthUsd,
                ["month_post_reads"] = view.MonthPostReads,
                ["daily_budget_usd"] = view.DailyBudgetUsd,
                ["monthly_budget_usd"] = view.MonthlyBudgetUsd,
                ["monthly_post_read_cap"] = view.MonthlyPostReadCap,
            };
            if (view.DayUsd >= view.DailyBudgetUsd || view.MonthUsd >= view.MonthlyBudgetUsd || view.MonthPostReads >= view.MonthlyPostReadCap)
            {
                spent.Add(view.Platform);
            }
        }

        return spent.Count > 0
            ? HealthCheckResult.Degraded($"Budget or read cap spent on {string.Join(", ", spent)}: search reads no more posts until it resets; volume from counts continues.", data: data)
            : HealthCheckResult.Healthy("Every metered platform is within its budget.", data);
    }
}
