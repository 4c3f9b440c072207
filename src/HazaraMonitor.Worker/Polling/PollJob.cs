using System.Diagnostics;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms;
using HazaraMonitor.Storage.Redis;
using StackExchange.Redis;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// What every platform poll job shares: find its campaign, respect rate-limit waits and auth
/// failures, time the poll, record its outcome in health, metrics and logs, and rethrow failures as
/// <see cref="JobExecutionException"/> after recording them.
/// </summary>
internal abstract class PollJob(
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisCampaignStore store,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger logger) : IJob
{
    public const string CampaignKey = "campaign";

    protected TimeProvider Time => time;

    protected RedisCampaignStore Store => store;

    protected abstract Platform Platform { get; }

    protected abstract string Endpoint { get; }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var campaignId = context.MergedJobDataMap.GetString(CampaignKey)
            ?? throw new JobExecutionException($"Job {context.JobDetail.Key} has no '{CampaignKey}' in its data map.");
        if (await RunAsync(campaignId, cancellationToken) is { } failure)
        {
            throw new JobExecutionException(failure);
        }
    }

    /// <summary>
    /// One poll of one campaign. Every failure is recorded (health, metrics, log) and returned;
    /// null when the poll succeeded or was skipped because the platform may not be called now.
    /// </summary>
    internal async Task<Exception?> RunAsync(string campaignId, CancellationToken cancellationToken)
    {
        var campaign = campaigns.Find(campaignId)
            ?? throw new JobExecutionException($"Unknown campaign '{campaignId}'.");
        var platform = Platform.Name();

        if (board.Blocked(Platform, Endpoint) is { } blocked)
        {
            // A poll that may not run leaves its minute incomplete, like a failed one.
            Log.PollSkipped(logger, platform, Endpoint, campaignId, blocked.Reason);
            await RecordCompletenessAsync(campaignId, ok: false, cancellationToken);
            return null;
        }

        using var activity = WorkerActivities.Source.StartActivity($"poll {platform} {Endpoint}");
        activity?.SetTag(HazaraMonitorMetrics.CampaignTag, campaignId);
        var started = time.GetTimestamp();
        try
        {
            await PollAsync(campaign, cancellationToken);
            board.Record(Platform, Endpoint, campaignId, PollOutcome.Ok, null);
            metrics.Polled(Platform, Endpoint, PollOutcome.Ok, time.GetElapsedTime(started));
            await RecordCompletenessAsync(campaignId, ok: true, cancellationToken);
            return null;
        }
        catch (PlatformRequestException e)
        {
            board.Record(Platform, Endpoint, campaignId, e.Outcome, e.Message);
            metrics.Polled(Platform, Endpoint, e.Outcome, time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.Outcome.Name());
            switch (e.Outcome)
            {
                case PollOutcome.AuthFailed:
                    board.AuthFailed(Platform, e.Message);
                    Log.AuthFailed(logger, platform, e.Message);
                    break;
                case PollOutcome.RateLimited when e.RetryAt is { } retryAt:
                    board.WaitUntil(Platform, Endpoint, retryAt);
                    Log.RateLimited(logger, platform, Endpoint, retryAt);
                    break;
                default:
                    if (e.RetryAt is { } until)
                    {
                        board.WaitUntil(Platform, Endpoint, until);
                    }

                    Log.PollFailed(logger, platform, Endpoint, campaignId, e.Outcome.Name(), e.Message);
                    break;
            }

            await RecordCompletenessAsync(campaignId, ok: false, cancellationToken);
            return e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Redis down, a stored cursor that does not parse: recorded like any failed poll.
            board.Record(Platform, Endpoint, campaignId, PollOutcome.HttpError, e.Message);
            metrics.Polled(Platform, Endpoint, PollOutcome.HttpError, time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            Log.PollFailed(logger, platform, Endpoint, campaignId, PollOutcome.HttpError.Name(), e.Message);
            return e;
        }
    }

    /// <summary>
    /// Counts the poll in its minute's completeness. Best effort: when Redis is what failed, the
    /// poll's own failure is already recorded and reported, and a second error adds nothing.
    /// </summary>
    private async Task RecordCompletenessAsync(string campaignId, bool ok, CancellationToken cancellationToken)
    {
        try
        {
            await store.RecordPollAsync(campaignId, Platform, time.GetUtcNow(), ok, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PollFailed(logger, Platform.Name(), Endpoint, campaignId, "completeness_not_recorded", e.Message);
        }
    }

    /// <summary>Reads the platform and commits what it read; throws <see cref="PlatformRequestException"/> when the platform fails.</summary>
    protected abstract Task PollAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Notes the rate-limit window a response reported, and waits out an exhausted one.</summary>
    protected void Observe(RateLimitInfo rateLimit)
    {
        if (rateLimit.Remaining is { } remaining)
        {
            metrics.RateLimitRemaining(Platform, Endpoint, remaining);
            if (remaining <= 0 && rateLimit.Reset is { } reset)
            {
                board.WaitUntil(Platform, Endpoint, reset);
            }
        }
    }
}
