using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>Reads a campaign's new posts from X recent search (<c>since_id</c> and <c>next_token</c>), every one, when X has no budget.</summary>
[DisallowConcurrentExecution]
internal sealed class XSearchJob(
    XApiClient client,
    XSpend spend,
    RedisSpendLedger ledger,
    IngestPipeline pipeline,
    IOptions<XOptions> options,
    PollContext context,
    ILogger<XSearchJob> logger) : SweepJob<XOptions>(pipeline, options, context, logger)
{
    protected override Platform Platform => XPlatform.Id;

    /// <summary>Recent search reaches 7 days back; a start_time a minute inside that stays valid while the request travels.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    /// <summary>Each page is reserved in the shared ledger first (X's monthly read cap holds without a budget too) and settled to what X billed.</summary>
    protected override async Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var granted = await ledger.ReserveAsync(Platform, now, XApiClient.MaxResults, 10, 0, XSpend.Tariff, spend.SearchLimitsAt(now), cancellationToken)
            ?? throw XSpend.Spent("X's monthly cap of 3,000,000 post reads is spent: search reads no more posts until the month ends; counts continue");
        var page = await client.SearchRecentAsync(campaign.HashtagQuery, cursor, cancellationToken, granted);
        await ledger.SettleAsync(Platform, now, granted, [.. page.Posts.Select(p => p.Id)], XSpend.Tariff, cancellationToken);
        return page;
    }
}
