using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms;
using HazaraMonitor.Platforms.Bluesky;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// The Bluesky polling fallback: searchPosts with the campaign's '#' query, <c>sort=latest</c>,
/// <c>since</c> the newest <c>indexedAt</c> of the previous sweep. A refused (403) search is
/// recorded as refused credentials, which pauses it until restart rather than hammering.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class BlueskySearchJob(
    BlueskySearchClient client,
    IngestPipeline pipeline,
    RedisCampaignStore store,
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<BlueskySearchJob> logger) : SweepJob(pipeline, campaigns, board, store, metrics, time, logger)
{
    protected override Platform Platform => Platform.Bluesky;

    protected override int MaxPagesPerPoll => options.Value.Platforms.Bluesky.MaxPagesPerPoll;

    protected override TimeSpan InitialLookback => options.Value.Platforms.Bluesky.InitialLookback;

    protected override TimeSpan SearchReach => TimeSpan.FromDays(7);

    protected override async Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken)
    {
        var page = await client.SearchAsync(campaign.HashtagQuery, cursor, cancellationToken);
        return new SweepPage(page.Posts, page.Newest, page.Cursor, page.RateLimit);
    }
}
