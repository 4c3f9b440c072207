using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.YouTube;

/// <summary>
/// Reads a campaign's new YouTube videos: search.list newest first from <c>publishedAfter</c> (the
/// last sweep's newest video less <see cref="YouTubeOptions.IndexLag"/>), <c>pageToken</c> paging,
/// each page with its videos' statistics. A spent daily quota pauses every campaign's poll until
/// midnight Pacific time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class YouTubeSearchJob(
    YouTubeClient client,
    IngestPipeline pipeline,
    IOptions<YouTubeOptions> options,
    PollContext context,
    ILogger<YouTubeSearchJob> logger) : SweepJob<YouTubeOptions>(pipeline, options, context, logger)
{
    protected override Platform Platform => YouTubePlatform.Id;

    /// <summary>Search reaches every video ever published; a year bounds an over-long lookback.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(365);

    protected override Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken) =>
        client.SearchAsync(campaign.YouTubeQuery, cursor, cancellationToken);
}
