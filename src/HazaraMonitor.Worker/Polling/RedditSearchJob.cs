using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms;
using HazaraMonitor.Platforms.Reddit;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// Reads a campaign's new Reddit posts from search (<c>sort=new</c>, <c>after</c> paging). Reddit has
/// no "since" parameter: the sweep stops at the newest fullname of the previous one.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RedditSearchJob(
    RedditClient client,
    IngestPipeline pipeline,
    RedisCampaignStore store,
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<RedditSearchJob> logger) : SweepJob(pipeline, campaigns, board, store, metrics, time, logger)
{
    protected override Platform Platform => Platform.Reddit;

    protected override int MaxPagesPerPoll => options.Value.Platforms.Reddit.MaxPagesPerPoll;

    protected override TimeSpan InitialLookback => options.Value.Platforms.Reddit.InitialLookback;

    /// <summary>Listings end near 1,000 posts rather than at a time; a year bounds an over-long lookback.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(365);

    protected override async Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var page = await client.SearchAsync(campaign.RedditQuery, cursor, cancellationToken);
        return new SweepPage(page.Posts, page.Newest, page.After, page.RateLimit);
    }
}
