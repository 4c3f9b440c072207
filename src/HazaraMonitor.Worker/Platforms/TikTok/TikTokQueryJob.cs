using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>
/// Reads a campaign's TikTok videos from the Research API: each sweep reads every UTC day from where
/// the last one started to today, in windows of at most 30 days, each page by page with its
/// <c>search_id</c> and <c>cursor</c> (see <see cref="TikTokCursor"/>). The API filters whole days, so
/// the job keeps only videos created from the first poll's lookback on, and the dedupe sets drop the
/// ones read again. Every request is reserved in the daily quota first.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class TikTokQueryJob(
    TikTokClient client,
    TikTokQuota quota,
    IngestPipeline pipeline,
    IOptions<TikTokOptions> options,
    PollContext context,
    ILogger<TikTokQueryJob> logger) : PollJob(context, logger)
{
    protected override Platform Platform => TikTokPlatform.Id;

    protected override string Endpoint(string? target) => TikTokCursor.Stream;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var hashtags = campaign.Followed.Select(h => h.Display).ToList();
        var stored = await Cursors.GetCursorAsync(campaign.Id, Platform, TikTokCursor.Stream, cancellationToken);
        var cursor = TikTokCursor.Parse(stored) ?? TikTokCursor.Starting(Time.GetUtcNow() - settings.InitialLookback);
        var restarted = false;
        for (var page = 0; page < settings.MaxPagesPerPoll; page++)
        {
            if (!cursor.InSweep)
            {
                cursor = cursor.Begin(Time.GetUtcNow(), settings.Relook);
            }

            TikTokPage result;
            try
            {
                result = await FetchAsync(hashtags, cursor, cancellationToken);
            }
            catch (PlatformRequestException e) when (e.StatusCode == 400 && cursor.SearchId is not null && !restarted)
            {
                // A search the API no longer resumes (its cache is gone) is read again from its first
                // page, in this poll; what was counted already is recognised. Once: a second refusal
                // is the query's own.
                Log.TikTokSearchRestarted(logger, campaign.Id, cursor.SearchId, e.Message);
                cursor = cursor.RestartWindow();
                restarted = true;
                result = await FetchAsync(hashtags, cursor, cancellationToken);
            }

            var from = cursor.From;
            var posts = result.Posts.Where(p => p.CreatedAt >= from).ToList();
            cursor = cursor.After(result.HasMore, result.Next, result.SearchId);
            var serialized = cursor.Serialize();
            await pipeline.IngestAsync(campaign, Platform, posts, TikTokCursor.Stream, serialized == stored ? null : serialized, cancellationToken);
            pipeline.Refused(campaign, Platform, result.Refused);
            stored = serialized;
            // Requests left today (read, the quota gauge reports them). The poll that spent the last one
            // ends as it is; the next is refused by the quota before it calls, and says so (rate_limited
            // until 00:00 UTC).
            var (_, requests) = await quota.ReadAsync(cancellationToken);
            if (!cursor.InSweep || requests.Remaining <= 0)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One page, reserved in the daily quota first and settled to the videos it held. A request that
    /// failed keeps its whole reservation (TikTok may have counted what it could not deliver); a
    /// daily-quota 429 stops every instance until the day ends.
    /// </summary>
    private async Task<TikTokPage> FetchAsync(IReadOnlyList<string> hashtags, TikTokCursor cursor, CancellationToken cancellationToken)
    {
        var reservation = await quota.ReserveAsync(cancellationToken);
        TikTokPage page;
        try
        {
            page = await client.QueryAsync(hashtags, cursor.Days, cursor.SearchId, cursor.Next, reservation.Records, cancellationToken);
        }
        catch (PlatformRequestException e) when (e is { StatusCode: 429, RetryAt: { } until } && until >= TikTokClient.NextReset(reservation.At))
        {
            await quota.ExhaustAsync(cancellationToken);
            throw;
        }

        await quota.SettleAsync(reservation, page.Returned, cancellationToken);
        return page;
    }
}
