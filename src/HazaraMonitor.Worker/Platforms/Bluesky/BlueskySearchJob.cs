using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>
/// The Bluesky polling fallback: searchPosts with the campaign's '#' query, <c>sort=latest</c>,
/// <c>since</c> the newest <c>indexedAt</c> of the previous sweep. A refused (403) search is
/// recorded as refused credentials, which pauses it until restart rather than hammering.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class BlueskySearchJob(
    BlueskySearchClient client,
    IngestPipeline pipeline,
    IOptions<BlueskyOptions> options,
    PollContext context,
    ILogger<BlueskySearchJob> logger) : SweepJob<BlueskyOptions>(pipeline, options, context, logger)
{
    protected override Platform Platform => BlueskyPlatform.Id;

    protected override TimeSpan SearchReach => TimeSpan.FromDays(7);

    protected override Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken) =>
        client.SearchAsync(campaign.HashtagQuery, cursor, cancellationToken);
}
