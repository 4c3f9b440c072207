using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms.X;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// Reads a campaign's new posts from X recent search, page by page. Each page is committed with the
/// cursor that follows it, so whatever stops the poll (a crash, a 429, a malformed page) leaves the
/// cursor at the last page that was counted, and the next poll continues from there.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class XSearchJob(
    XApiClient client,
    IngestPipeline pipeline,
    RedisCampaignStore store,
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<XSearchJob> logger) : PollJob(campaigns, board, store, metrics, time, logger)
{
    /// <summary>Recent search reaches 7 days back; a start_time a minute inside that stays valid while the request travels.</summary>
    private static readonly TimeSpan SearchReach = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    protected override Platform Platform => Platform.X;

    protected override string Endpoint(string? target) => XSearchCursor.Stream;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var x = options.Value.Platforms.X;
        var stored = await Store.GetCursorAsync(campaign.Id, Platform.X, XSearchCursor.Stream, cancellationToken);
        var cursor = XSearchCursor.Parse(stored);
        if (cursor.SinceId is null)
        {
            var now = Time.GetUtcNow();
            var start = cursor.StartTime ?? now - x.InitialLookback;
            cursor = cursor with { StartTime = start < now - SearchReach ? now - SearchReach : start };
        }

        for (var page = 0; page < x.MaxPagesPerPoll; page++)
        {
            var result = await client.SearchRecentAsync(campaign.XQuery, cursor, cancellationToken);
            cursor = cursor.After(result);
            var serialized = cursor.Serialize();
            // An empty poll that leaves the stored cursor as it was has nothing to commit.
            await pipeline.IngestAsync(campaign, Platform.X, result.Posts, XSearchCursor.Stream, serialized == stored ? null : serialized, cancellationToken);
            stored = serialized;
            Observe(XSearchCursor.Stream, result.RateLimit);
            if (!cursor.InPoll || result.RateLimit.Remaining <= 0)
            {
                break;
            }
        }
    }
}
