using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>Reads a campaign's new posts from X recent search (<c>since_id</c> and <c>next_token</c>).</summary>
[DisallowConcurrentExecution]
internal sealed class XSearchJob(
    XApiClient client,
    IngestPipeline pipeline,
    IOptions<XOptions> options,
    PollContext context,
    ILogger<XSearchJob> logger) : SweepJob<XOptions>(pipeline, options, context, logger)
{
    protected override Platform Platform => XPlatform.Id;

    /// <summary>Recent search reaches 7 days back; a start_time a minute inside that stays valid while the request travels.</summary>
    protected override TimeSpan SearchReach => TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    protected override Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken) =>
        client.SearchRecentAsync(campaign.HashtagQuery, cursor, cancellationToken);
}
