using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Polly;
using Polly.Retry;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>
/// Follows Bluesky in real time through Jetstream. One connection serves every campaign that
/// follows Bluesky: each post is matched against their hashtags, and each campaign's matches are
/// committed every <c>FlushInterval</c> together with that campaign's <c>time_us</c> cursor (the
/// last event read), in the same atomic step as the counts. A reconnect starts from the oldest
/// committed cursor less <c>ReplayOverlap</c>; delivery is at-least-once and replays repeat posts,
/// which the commit recognises by their at-uri. So a crash at any point neither loses nor
/// double-counts a post, as long as the restart comes within Jetstream's ~36 h replay window.
/// </summary>
internal sealed class JetstreamConsumer(
    IngestPipeline pipeline,
    IOptions<BlueskyOptions> options,
    PollContext poll,
    IJetstreamClient jetstream,
    RedisLeaseStore leases,
    InstanceIdentity instance,
    ILogger<JetstreamConsumer> logger) : BackgroundService
{
    public const string Stream = "jetstream";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long the Jetstream lease lives unrenewed: another instance takes the stream over within it after this one dies.</summary>
    public static readonly TimeSpan LeaseTimeToLive = TimeSpan.FromSeconds(15);

    private readonly Lease _lease = new(leases, instance, Stream, LeaseTimeToLive, logger);

    private readonly JetstreamReader _reader = new(jetstream, options.Value.FlushInterval, poll.Metrics, poll.Time, logger);

    private BlueskyOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var followers = poll.Campaigns.All.Where(c => c.Platforms.Contains(BlueskyPlatform.Id)).ToList();
        if (followers.Count == 0 || Settings.Mode is BlueskyMode.Search)
        {
            return;
        }

        // A connection that got past what it replayed (the committed cursor less ReplayOverlap) was
        // healthy: when it ends, however it ends, the next starts at once. One that did not (refused,
        // or closed after its replay) failed, and is retried with exponential backoff and jitter from
        // 1 s up to ReconnectMaxDelay, for as long as the worker runs.
        var reconnect = new ResiliencePipelineBuilder { TimeProvider = poll.Time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = FirstRetryDelay,
                MaxDelay = Settings.ReconnectMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<NoProgressException>(),
                OnRetry = args =>
                {
                    Log.StreamReconnecting(logger, BlueskyPlatform.Id.Name, args.RetryDelay);
                    return default;
                },
            })
            .Build();
        // One instance of a deployment follows the stream: the one holding the lease; the others
        // stand by and take over when it stops renewing. Its commits carry the lease's fencing
        // token, so an owner that wakes up after losing the lease cannot move the new owner's cursor.
        while (!stoppingToken.IsCancellationRequested)
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task? keeping = null;
            try
            {
                // Until this instance holds the lease, how its last connection ended says nothing
                // about the stream: health shows what the owner reports.
                poll.Board.Forget(BlueskyPlatform.Id, Stream);
                var fence = await _lease.AcquireAsync(stoppingToken);
                keeping = _lease.KeepAsync(fence, held);
                await reconnect.ExecuteAsync(async token =>
                {
                    if (!await ConnectOnceAsync(followers, fence, token))
                    {
                        throw new NoProgressException();
                    }
                }, held.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await _lease.ReleaseAsync();
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or LeaseLostException)
            {
                // The lease was lost: stand by again.
            }
            finally
            {
                await held.CancelAsync();
                if (keeping is not null)
                {
                    await keeping;
                }
            }
        }
    }

    /// <summary>
    /// One connection, read and committed in batches to its end (recorded as a failed read); whether
    /// it got past the events it replayed, so the stream moved on.
    /// </summary>
    private async Task<bool> ConnectOnceAsync(IReadOnlyList<Campaign> followers, long fence, CancellationToken stoppingToken)
    {
        var started = poll.Time.GetTimestamp();
        JetstreamBatch? batch = null;
        try
        {
            var start = await StartCursorAsync(followers, stoppingToken);
            var uri = JetstreamClient.SubscribeUri(Settings.JetstreamUrl, start);
            Log.StreamConnecting(logger, BlueskyPlatform.Id.Name, uri.GetLeftPart(UriPartial.Path), start);
            batch = new JetstreamBatch(followers, start ?? 0, Settings.MaxBatch);
            await _reader.ReadAsync(uri, batch, (b, token) => FlushAsync(b, fence, token), stoppingToken);
            Failed(followers, PollOutcome.HttpError, "Jetstream closed the connection.", started);
        }
        catch (JetstreamMalformedException e)
        {
            Failed(followers, PollOutcome.Malformed, e.Message, started);
        }
        catch (FencedException e)
        {
            throw new LeaseLostException(e.Message, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(followers, PollOutcome.HttpError, e.Message, started);
        }

        await RecordCompletenessAsync(followers, ok: false, stoppingToken);
        return batch is not null && batch.Cursor > batch.Start + (long)Settings.ReplayOverlap.TotalMicroseconds;
    }

    /// <summary>A connection that ended without getting past its replay: retried after a growing pause.</summary>
    private sealed class NoProgressException : Exception;

    private async Task FlushAsync(JetstreamBatch batch, long fence, CancellationToken stoppingToken)
    {
        if (!batch.Changed)
        {
            return;
        }

        var cursor = batch.Cursor.ToString(CultureInfo.InvariantCulture);
        foreach (var (campaign, posts) in batch.Pending)
        {
            await pipeline.IngestAsync(campaign, BlueskyPlatform.Id, posts, Stream, cursor, stoppingToken, fence);
            poll.Board.Record(BlueskyPlatform.Id, Stream, campaign.Id, PollOutcome.Ok, null);
        }

        poll.Metrics.StreamEvents(BlueskyPlatform.Id, "post", batch.PostsSinceFlush);
        poll.Metrics.StreamEvents(BlueskyPlatform.Id, "other", batch.EventsSinceFlush - batch.PostsSinceFlush);
        if (batch.MinuteChanged(poll.Time.GetUtcNow()))
        {
            await RecordCompletenessAsync(batch.Campaigns, ok: true, stoppingToken);
        }

        batch.Clear();
    }

    /// <summary>Where to connect from: the oldest committed cursor of the campaigns less the overlap; the lookback for a first start.</summary>
    private async Task<long?> StartCursorAsync(IReadOnlyList<Campaign> followers, CancellationToken cancellationToken)
    {
        long? oldest = null;
        foreach (var campaign in followers)
        {
            var stored = await poll.Cursors.GetCursorAsync(campaign.Id, BlueskyPlatform.Id, Stream, cancellationToken);
            var cursor = stored is null
                ? (poll.Time.GetUtcNow() - Settings.InitialLookback).ToUnixTimeMilliseconds() * 1000
                : long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var us) ? us
                : throw new InvalidDataException($"The stored Jetstream cursor of {campaign.Id} is not a time_us; inspect or delete the cursor key.");
            oldest = oldest is { } o && o <= cursor ? o : cursor;
        }

        return oldest - (long)Settings.ReplayOverlap.TotalMicroseconds;
    }

    private void Failed(IReadOnlyList<Campaign> followers, PollOutcome outcome, string message, long started)
    {
        foreach (var campaign in followers)
        {
            poll.Board.Record(BlueskyPlatform.Id, Stream, campaign.Id, outcome, message);
        }

        poll.Metrics.Polled(BlueskyPlatform.Id, Stream, outcome, poll.Time.GetElapsedTime(started));
        Log.StreamFailed(logger, BlueskyPlatform.Id.Name, string.Join(',', followers.Select(c => c.Id)), outcome.Name(), message);
    }

    private async Task RecordCompletenessAsync(IEnumerable<Campaign> followers, bool ok, CancellationToken cancellationToken)
    {
        foreach (var campaign in followers)
        {
            await poll.RecordCompletenessAsync(campaign.Id, BlueskyPlatform.Id, Stream, ok, cancellationToken);
        }
    }
}
