using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>
/// What X costs and what its budget allows (https://docs.x.com/x-api/getting-started/pricing):
/// $0.005 a post read (billed once per post per UTC day), $0.005 a counts request, and at most
/// 3,000,000 post reads a month. Worked out once from the options and the campaigns: counts come
/// first, so search spends the budget less what the day's and the month's remaining counts will cost,
/// at an even rate over the day (a full day of counts less, and a 31-day month, so it never runs short).
/// </summary>
internal sealed class XSpend(IOptions<XOptions> options, CampaignCatalog campaigns)
{
    public static readonly Tariff Tariff = new(ReadMicro: 5_000, RequestMicro: 5_000, MonthlyReadCap: 3_000_000);

    /// <summary>Days in the longest month: the monthly figures plan for it, so they never run short.</summary>
    private const int MonthDays = 31;

    private readonly Lazy<(SpendLimits Counts, long CountsPerDayMicro, double PostsPerMinute)> _plan = new(() => Plan(options.Value, campaigns));

    /// <summary>The limits counts spend within: the whole budget (counts come first).</summary>
    public SpendLimits CountsLimits => _plan.Value.Counts;

    /// <summary>Posts a minute each campaign's sample may read to stay within the budget and the monthly cap; 0 when the budget covers counts only.</summary>
    public double SamplePostsPerMinute => _plan.Value.PostsPerMinute;

    /// <summary>The limits search spends within at <paramref name="now"/>: the budget less the counts still to come in the day and the month.</summary>
    public SpendLimits SearchLimitsAt(DateTimeOffset now)
    {
        var (counts, perDay, _) = _plan.Value;
        var dayLeft = (Resolution.Day.Start(now).AddDays(1) - now).TotalDays;
        var monthEnd = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        return counts with
        {
            KeepDailyMicro = (long)Math.Ceiling(perDay * dayLeft),
            KeepMonthlyMicro = (long)Math.Ceiling(perDay * (monthEnd - now).TotalDays),
        };
    }

    private static (SpendLimits, long, double) Plan(XOptions x, CampaignCatalog campaigns)
    {
        long? daily = x.Budget.Daily is { } d ? (long)(d * 1_000_000m) : null;
        long? monthly = x.Budget.Monthly is { } m ? (long)(m * 1_000_000m) : null;
        var following = Math.Max(1, campaigns.All.Count(c => c.Platforms.Contains(XPlatform.Id)));
        var countsPerDay = x.Mode is XMode.Search ? 0 : CronCheck.FiresPerDay(x.Schedule) * following;
        var keepDaily = countsPerDay * Tariff.RequestMicro;
        var keepMonthly = keepDaily * MonthDays;

        var perMinute = (double)Tariff.MonthlyReadCap!.Value / (MonthDays * 1440);
        if (daily is { } day)
        {
            perMinute = Math.Min(perMinute, (double)(day - keepDaily) / Tariff.ReadMicro / 1440);
        }

        if (monthly is { } month)
        {
            perMinute = Math.Min(perMinute, (double)(month - keepMonthly) / Tariff.ReadMicro / (MonthDays * 1440));
        }

        return (new SpendLimits(daily, monthly), keepDaily, Math.Max(0, perMinute / following));
    }

    /// <summary>A poll that may not spend: recorded like a failed one (health Degraded, with the reason).</summary>
    public static PlatformRequestException Spent(string why) => new(PollOutcome.BudgetSpent, why + ".");
}
