using HazaraMonitor.Worker.Telemetry;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Polling;

/// <summary>What every platform reader (poll jobs, the Jetstream consumer) uses besides its own client: one dependency instead of six.</summary>
internal sealed class PollContext(
    IOptions<RedisOptions> redis,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisPauseStore pauses,
    RedisCountStore counts,
    RedisCursorStore cursors,
    HazaraMonitorMetrics metrics,
    Alerts.OpsNotices notices,
    TimeProvider time,
    ILogger<PollContext> logger)
{
    /// <summary>Retention and the de-duplication window.</summary>
    public RedisOptions Redis => redis.Value;

    public CampaignCatalog Campaigns => campaigns;

    public PollStatusBoard Board => board;


    public RedisCountStore Counts => counts;

    public RedisCursorStore Cursors => cursors;

    public HazaraMonitorMetrics Metrics => metrics;

    public TimeProvider Time => time;

    /// <summary>
    /// Why a poll must not call the platform now, or null when it may: this instance's board, then
    /// the pauses other instances recorded in Redis (taken on by the board as if this instance had met
    /// them). When Redis cannot say, the poll runs, and fails at its commit if Redis is down.
    /// </summary>
    public async Task<(PollOutcome Outcome, string Reason)?> BlockedAsync(Platform platform, string endpoint, string credential, CancellationToken cancellationToken)
    {
        if (board.Blocked(platform, endpoint, credential) is { } blocked)
        {
            return blocked;
        }

        try
        {
            var (refused, until) = await pauses.GetAsync(platform, endpoint, credential, cancellationToken);
            if (refused is { } message)
            {
                board.AuthFailed(platform, credential, message);
            }

            if (until is { } reset)
            {
                board.WaitUntil(platform, endpoint, reset);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }

        return board.Blocked(platform, endpoint, credential);
    }

    /// <summary>Pauses an endpoint until <paramref name="until"/> on this instance and, through Redis, on every other.</summary>
    public Task PauseAsync(Platform platform, string endpoint, DateTimeOffset until, CancellationToken cancellationToken)
    {
        board.WaitUntil(platform, endpoint, until);
        return ShareAsync(platform, endpoint, () => pauses.PauseUntilAsync(platform, endpoint, until, time.GetUtcNow(), cancellationToken));
    }

    /// <summary>Stops polls with a refused credential on this instance (until a restart) and, through Redis, on every other.</summary>
    public Task RefuseAsync(Platform platform, string endpoint, string credential, string message, CancellationToken cancellationToken)
    {
        board.AuthFailed(platform, credential, message);
        return ShareAsync(platform, endpoint, () => pauses.AuthFailedAsync(platform, credential, message, cancellationToken));
    }

    /// <summary>Tells the operators, once a day for every instance, that the platform's budget is spent. Best effort: a Redis or sink failure is logged, not raised.</summary>
    public async Task BudgetSpentAsync(Platform platform, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await notices.BudgetSpentAsync(platform, reason, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PauseNotShared(logger, platform.Name, "budget notice", e.GetType().Name);
        }
    }

    /// <summary>Writes a pause for the other instances; this instance keeps it either way.</summary>
    private async Task ShareAsync(Platform platform, string endpoint, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PauseNotShared(logger, platform.Name, endpoint, e.GetType().Name);
        }
    }

    /// <summary>
    /// Counts a read in its minute's completeness. Best effort: when Redis is what failed, the read's
    /// own failure is already recorded and reported, and a second error adds nothing.
    /// </summary>
    public async Task RecordCompletenessAsync(string campaignId, Platform platform, string endpoint, bool ok, CancellationToken cancellationToken)
    {
        try
        {
            await counts.RecordPollAsync(campaignId, platform, time.GetUtcNow(), ok, cancellationToken, endpoint);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PollFailed(logger, platform.Name, endpoint, campaignId, "completeness_not_recorded", e.Message);
        }
    }
}
