using System.Diagnostics;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Telemetry;
using Quartz;
using StackExchange.Redis;

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

    protected RedisCountStore Counts => poll.Counts;

    protected RedisCursorStore Cursors => poll.Cursors;

    protected HazaraMonitorOptions Options => poll.Options;

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
        var platform = Platform.Name();
        var endpoint = Endpoint(target);
        var credential = Credential(target);

        if ((poll.Board.Blocked(Platform, endpoint, credential) ?? await SharedPauseAsync(endpoint, credential, cancellationToken)) is { } blocked)
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
            switch (e.Outcome)
            {
                case PollOutcome.AuthFailed:
                    poll.Board.AuthFailed(Platform, credential, e.Message);
                    Log.AuthFailed(logger, $"{platform} ({credential})", e.Message);
                    await ShareAsync(endpoint, () => poll.Pauses.AuthFailedAsync(Platform, credential, e.Message, cancellationToken));
                    break;
                case PollOutcome.RateLimited when e.RetryAt is { } retryAt:
                    poll.Board.WaitUntil(Platform, endpoint, retryAt);
                    Log.RateLimited(logger, platform, endpoint, retryAt);
                    await ShareAsync(endpoint, () => poll.Pauses.PauseUntilAsync(Platform, endpoint, retryAt, poll.Time.GetUtcNow(), cancellationToken));
                    break;
                default:
                    if (e.RetryAt is { } until)
                    {
                        poll.Board.WaitUntil(Platform, endpoint, until);
                        await ShareAsync(endpoint, () => poll.Pauses.PauseUntilAsync(Platform, endpoint, until, poll.Time.GetUtcNow(), cancellationToken));
                    }

                    Log.PollFailed(logger, platform, endpoint, campaignId, e.Outcome.Name(), e.Message);
                    break;
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

    /// <summary>
    /// A pause another instance recorded in Redis for this endpoint or credential, taken on by this
    /// instance's board as if it had seen the refusal or the 429 itself; null when there is none (or
    /// Redis cannot say: the poll then runs, and fails at its commit if Redis is down).
    /// </summary>
    private async Task<(PollOutcome Outcome, string Reason)?> SharedPauseAsync(string endpoint, string credential, CancellationToken cancellationToken)
    {
        (string? AuthFailure, DateTimeOffset? RateLimitedUntil) shared;
        try
        {
            shared = await poll.Pauses.GetAsync(Platform, endpoint, credential, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }

        if (shared.AuthFailure is { } message)
        {
            poll.Board.AuthFailed(Platform, credential, message);
        }

        if (shared.RateLimitedUntil is { } until)
        {
            poll.Board.WaitUntil(Platform, endpoint, until);
        }

        return poll.Board.Blocked(Platform, endpoint, credential);
    }

    /// <summary>Writes a pause for the other instances; this instance keeps it either way.</summary>
    private async Task ShareAsync(string endpoint, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.PauseNotShared(logger, Platform.Name(), endpoint, e.GetType().Name);
        }
    }

    /// <summary>The rate-limited endpoint a poll of <paramref name="target"/> calls: a bounded name (metric tag, health key).</summary>
    protected abstract string Endpoint(string? target);

    /// <summary>Whose credential a poll of <paramref name="target"/> uses: refused, it pauses every poll that shares it.</summary>
    protected virtual string Credential(string? target) => Platform.Name();

    /// <summary>Reads the platform and commits what it read; throws <see cref="PlatformRequestException"/> when the platform fails.</summary>
    protected abstract Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken);

    /// <summary>Notes the rate-limit window a response reported, and waits out an exhausted one.</summary>
    protected void Observe(string endpoint, RateLimitInfo rateLimit)
    {
        if (rateLimit.Remaining is { } remaining)
        {
            poll.Metrics.RateLimitRemaining(Platform, endpoint, remaining);
            if (remaining <= 0 && rateLimit.Reset is { } reset)
            {
                poll.Board.WaitUntil(Platform, endpoint, reset);
            }
        }
    }
}
