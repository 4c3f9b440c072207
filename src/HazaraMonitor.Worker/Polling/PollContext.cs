using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Polling;

/// <summary>What every platform reader (poll jobs, the Jetstream consumer) uses besides its own client: one dependency instead of six.</summary>
internal sealed class PollContext(
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisPauseStore pauses,
    RedisCountStore counts,
    RedisCursorStore cursors,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<PollContext> logger)
{
    public HazaraMonitorOptions Options => options.Value;

    public CampaignCatalog Campaigns => campaigns;

    public PollStatusBoard Board => board;

    /// <summary>The pauses every instance honours (a rate limit until its reset, a refused credential).</summary>
    public RedisPauseStore Pauses => pauses;

    public RedisCountStore Counts => counts;

    public RedisCursorStore Cursors => cursors;

    public HazaraMonitorMetrics Metrics => metrics;

    public TimeProvider Time => time;

    /// <summary>
    /// Counts a read in its minute's completeness. Best effort: when Redis is what failed, the read's
    /// own failure is already recorded and reported, and a second error adds nothing.
    /// </summary>
    public async Task RecordCompletenessAsync(string campaignId, Platform platform, string endpoint, bool ok, CancellationToken cancellationToken)
    {
        try
        {
            await counts.RecordPollAsync(campaignId, platform, time.GetUtcNow(), ok, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PollFailed(logger, platform.Name(), endpoint, campaignId, "completeness_not_recorded", e.Message);
        }
    }
}
