using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms;
using HazaraMonitor.Platforms.Reddit;
using HazaraMonitor.Worker.Ingest;
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
    PollContext context,
    ILogger<RedditSearchJob> logger) : SweepJob(pipeline, context, logger)
{
    protected override Platform Platform => Platform.Reddit;

    protected override int MaxPagesPerPoll => Options.Platforms.Reddit.MaxPagesPerPoll;

    protected override TimeSpan InitialLookback => Options.Platforms.Reddit.InitialLookback;

    /// <summary>Listings end near 1,000 posts rather than at a time; a year bounds an over-long lookback.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(365);

    protected override Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken) =>
        client.SearchAsync(campaign.RedditQuery, cursor, cancellationToken);
}
