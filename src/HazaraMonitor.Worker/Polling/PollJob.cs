using System.Diagnostics;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// What every platform poll job shares: find its campaign, respect rate-limit waits and auth
/// failures, time the poll, record its outcome in health, metrics and logs, and rethrow failures as
/// <see cref="JobExecutionException"/> after recording them.
/// </summary>
internal abstract class PollJob(PollContext poll, ILogger logger) : IJob
{

    public const string CampaignKey = "campaign";

    /// <summary>Job data naming what the job reads within its platform (a Mastodon instance); absent for X.</summary>
    public const string TargetKey = "target";

    protected TimeProvider Time => poll.Time;

    protected ILogger Logger => logger;

    protected RedisCountStore Counts => poll.Counts;

    protected RedisCursorStore Cursors => poll.Cursors;

    /// <summary>Retention and the de-duplication window.</summary>
    protected RedisOptions Redis => poll.Redis;

    protected abstract Platform Platform { get; }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var campaignId = context.MergedJobDataMap.GetString(CampaignKey)
            ?? throw new JobExecutionException($"Job {context.JobDetail.Key} has no '{CampaignKey}' in its data map.");
        var target = context.MergedJobDataMap.GetString(TargetKey);
        if (await RunAsync(campaignId, target, cancellationToken) is { } failure)
        {
            throw new JobExecutionException(failure);
        }
    }

    /// <summary>
    /// One poll of one campaign (and target). Every failure is recorded (health, metrics, log) and
    /// returned; null when the poll succeeded or was skipped because the platform may not be called now.
    /// </summary>
    internal async Task<Exception?> RunAsync(string campaignId, string? target, CancellationToken cancellationToken)
    {
        var campaign = poll.Campaigns.Find(campaignId)
            ?? throw new JobExecutionException($"Unknown campaign '{campaignId}'.");
        var platform = Platform.Name;
        var endpoint = Endpoint(target);
        var credential = Credential(target);

        if (await poll.BlockedAsync(Platform, endpoint, credential, cancellationToken) is { } blocked)
        {
            // A poll that may not run leaves its minute incomplete, like a failed one.
            Log.PollSkipped(logger, platform, endpoint, campaignId, blocked.Reason);
            await poll.RecordCompletenessAsync(campaignId, Platform, endpoint, ok: false, cancellationToken);
            return null;
        }

        using var activity = WorkerActivities.Source.StartActivity($"poll {platform} {endpoint}");
        activity?.SetTag(HazaraMonitorMetrics.CampaignTag, campaignId);
        var started = poll.Time.GetTimestamp();
        try
        {
            await PollAsync(campaign, target, cancellationToken);
            poll.Board.Record(Platform, endpoint, campaignId, PollOutcome.Ok, null);
            poll.Metrics.Polled(Platform, endpoint, PollOutcome.Ok, poll.Time.GetElapsedTime(started));
            await poll.RecordCompletenessAsync(campaignId, Platform, endpoint, ok: true, cancellationToken);
            return null;
        }
        catch (PlatformRequestException e)
        {
            poll.Board.Record(Platform, endpoint, campaignId, e.Outcome, e.Message);
            poll.Metrics.Polled(Platform, endpoint, e.Outcome, poll.Time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.Outcome.Name());
            if (e.Outcome == PollOutcome.AuthFailed)
            {
                Log.AuthFailed(logger, $"{platform} ({credential})", e.Message);
                await poll.RefuseAsync(Platform, endpoint, credential, e.Message, cancellationToken);
            }
            else if (e.Outcome == PollOutcome.BudgetSpent)
            {
                Log.PollFailed(logger, platform, endpoint, campaignId, e.Outcome.Name(), e.Message);
                await poll.BudgetSpentAsync(Platform, e.Message, cancellationToken);
            }
            else if (e.Outcome == PollOutcome.RateLimited && e.RetryAt is { } retryAt)
            {
                Log.RateLimited(logger, platform, endpoint, retryAt);
            }
            else
            {
                Log.PollFailed(logger, platform, endpoint, campaignId, e.Outcome.Name(), e.Message);
            }

            if (e.Outcome != PollOutcome.AuthFailed && e.RetryAt is { } until)
            {
                await poll.PauseAsync(Platform, endpoint, until, cancellationToken);
            }

            await poll.RecordCompletenessAsync(campaignId, Platform, endpoint, ok: false, cancellationToken);
            return e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Redis down, a stored cursor that does not parse: recorded like any failed poll.
            poll.Board.Record(Platform, endpoint, campaignId, PollOutcome.HttpError, e.Message);
            poll.Metrics.Polled(Platform, endpoint, PollOutcome.HttpError, poll.Time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            Log.PollFailed(logger, platform, endpoint, campaignId, PollOutcome.HttpError.Name(), e.Message);
            return e;
        }
    }

    /// <summary>The rate-limited endpoint a poll of <paramref name="target"/> calls: a bounded name (metric tag, health key).</summary>
    protected abstract string Endpoint(string? target);

    /// <summary>Whose credential a poll of <paramref name="target"/> uses: refused, it pauses every poll that shares it.</summary>
    protected virtual string Credential(string? target) => Platform.Name;

    /// <summary>Reads the platform and commits what it read; throws <see cref="PlatformRequestException"/> when the platform fails.</summary>
    protected abstract Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken);

    /// <summary>Holds every poll of <paramref name="endpoint"/>, on every instance, until <paramref name="until"/>: a platform that asks to slow down before it refuses.</summary>
    protected Task WaitUntilAsync(string endpoint, DateTimeOffset until, CancellationToken cancellationToken) =>
        poll.PauseAsync(Platform, endpoint, until, cancellationToken);

    /// <summary>Notes the rate-limit window a response reported, and waits out an exhausted one (every instance does).</summary>
    protected async Task ObserveAsync(string endpoint, RateLimitInfo rateLimit, CancellationToken cancellationToken)
    {
        if (rateLimit.Remaining is { } remaining)
        {
            poll.Metrics.RateLimitRemaining(Platform, endpoint, remaining);
            if (remaining <= 0 && rateLimit.Reset is { } reset)
            {
                await poll.PauseAsync(Platform, endpoint, reset, cancellationToken);
            }
        }
    }
}
