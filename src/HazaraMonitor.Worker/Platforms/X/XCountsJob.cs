using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>
/// Stores X's own volume for a campaign (recent counts, minute granularity) beside the counted
/// volume. One call ($0.005) returns every minute since the start of yesterday (UTC), so yesterday's
/// and today's hour and day totals are complete sums of the minutes X reported.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class XCountsJob(
    XApiClient client,
    XSpend spend,
    RedisSpendLedger ledger,
    PollContext context,
    ILogger<XCountsJob> logger) : PollJob(context, logger)
{
    public const string EndpointName = "counts";

    protected override Platform Platform => XPlatform.Id;

    protected override string Endpoint(string? target) => EndpointName;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var start = Resolution.Day.Start(now) - TimeSpan.FromDays(1);
        // Counts come first: they spend from the whole budget, search leaves them room.
        _ = await ledger.ReserveAsync(Platform, now, 0, 0, 1, XSpend.Tariff, spend.CountsLimits, cancellationToken)
            ?? throw XSpend.Spent("the X budget (HazaraMonitor:Platforms:X:Budget) is spent, counts included: X's volume stops until the day's or month's budget resets");
        var counts = await client.CountsRecentAsync(campaign.CountsQuery, start, cancellationToken);
        await ObserveAsync(EndpointName, counts.RateLimit, cancellationToken);

        var retention = Redis;
        var reported = new List<ReportedCount>();
        foreach (var resolution in Buckets.All)
        {
            var sums = counts.Buckets
                .GroupBy(b => resolution.Start(b.Start))
                .Where(g => retention.ExpiresAt(resolution, g.Key) > now)
                .Select(g => new ReportedCount(resolution, g.Key, g.Sum(b => b.Count)));
            reported.AddRange(sums);
        }

        await Counts.SetReportedAsync(campaign.Id, XPlatform.Id, reported, cancellationToken);
    }
}
