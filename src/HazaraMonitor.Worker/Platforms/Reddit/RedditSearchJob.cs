using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Reddit;

/// <summary>
/// Reads a campaign's new Reddit posts from search (<c>sort=new</c>, <c>after</c> paging). Reddit has
/// no "since" parameter: the sweep stops at the newest fullname of the previous one.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RedditSearchJob(
    RedditClient client,
    IngestPipeline pipeline,
    IOptions<RedditOptions> options,
    PollContext context,
    ILogger<RedditSearchJob> logger) : SweepJob<RedditOptions>(pipeline, options, context, logger)
{
    protected override Platform Platform => RedditPlatform.Id;

    /// <summary>Listings end near 1,000 posts rather than at a time; a year bounds an over-long lookback.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(365);

    protected override Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken) =>
        client.SearchAsync(campaign.RedditQuery, cursor, cancellationToken);
}
