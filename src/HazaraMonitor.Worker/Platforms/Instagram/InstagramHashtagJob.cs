using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>
/// Reads a campaign's hashtags on Instagram: for each hashtag the week's places allow, its media of
/// the last 24 hours from <c>recent_media</c>, page by page. Instagram's pages come in no order and
/// carry the same <c>after</c> cursor on every page, so there is no position to keep: each poll sweeps
/// the whole 24 hours again and commits each page, and the per-media-id dedupe counts every media
/// once however often it is read (no cursor is stored). A malformed page ends that hashtag's sweep
/// only: the others are still read, and the next poll's sweep finds what it held.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class InstagramHashtagJob(
    InstagramClient client,
    InstagramHashtags hashtags,
    IngestPipeline pipeline,
    IOptions<InstagramOptions> options,
    PollContext context,
    ILogger<InstagramHashtagJob> logger) : PollJob(context, logger)
{
    /// <summary>The endpoint in health, metrics and pauses: Meta's usage limits cover every call of the app, so every poll shares one.</summary>
    public const string EndpointName = "hashtags";

    /// <summary>Meta's usage limits count over a rolling hour: a slow-down waits its share of one.</summary>
    private static readonly TimeSpan UsageWindow = TimeSpan.FromHours(1);

    protected override Platform Platform => InstagramPlatform.Id;

    private InstagramOptions Settings => options.Value;

    protected override string Endpoint(string? target) => EndpointName;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var plan = await hashtags.PlanAsync(cancellationToken);
        PlatformRequestException? failed = null;
        foreach (var tag in campaign.Followed.Where(h => plan.Followed.Contains(h.Key)))
        {
            var id = await hashtags.IdAsync(tag, client, cancellationToken);
            if (client.Usage is { } usage && !await WithinUsageAsync(usage, cancellationToken))
            {
                return;
            }

            if (id is null)
            {
                continue;
            }

            try
            {
                if (!await SweepAsync(campaign, tag, id, cancellationToken))
                {
                    return;
                }
            }
            catch (PlatformRequestException e) when (e.Outcome is PollOutcome.Malformed || e is { Outcome: PollOutcome.HttpError, StatusCode: 400 })
            {
                // This hashtag's sweep is lost for this poll (its cursor moved on with the page); the others are not.
                failed ??= e;
            }
        }

        if (failed is not null)
        {
            throw failed;
        }
    }

    /// <summary>Reads one hashtag's last 24 hours; false when Meta's usage asks the poll to stop.</summary>
    private async Task<bool> SweepAsync(Campaign campaign, CampaignHashtag tag, string id, CancellationToken cancellationToken)
    {
        string? after = null;
        for (var page = 1; page <= Settings.MaxPagesPerPoll; page++)
        {
            var result = await client.RecentMediaAsync(id, tag.Key, after, cancellationToken);
            // The same media under two of the campaign's hashtags, or in the previous poll's sweep, is a duplicate here.
            await pipeline.IngestAsync(campaign, Platform, result.Posts, EndpointName, null, cancellationToken);
            if (result.Usage is { } usage && !await WithinUsageAsync(usage, cancellationToken))
            {
                return false;
            }

            if (!result.More || result.After is null)
            {
                hashtags.Swept(tag, null);
                return true;
            }

            after = result.After;
        }

        hashtags.Swept(tag, Settings.MaxPagesPerPoll);
        return true;
    }

    /// <summary>
    /// Follows Meta's usage: at 100%, or with a time to regain access, polls stop until then (or for
    /// <c>RateLimitBackoff</c>); from <c>SlowDownAt</c> the poll stops and the next waits the share
    /// of an hour by which usage passed it. False when the poll must stop.
    /// </summary>
    private async Task<bool> WithinUsageAsync(GraphUsage usage, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        hashtags.Observed(usage);
        await ObserveAsync(EndpointName, usage.AsRateLimit(now), cancellationToken);
        if (usage.Throttled)
        {
            var until = now + (usage.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : Settings.RateLimitBackoff);
            throw new PlatformRequestException(PollOutcome.RateLimited,
                $"Instagram usage is at {usage.Percent}% ({usage.Which}); Meta throttles the app until {until:O}.", until);
        }

        if (usage.Percent < Settings.SlowDownAt)
        {
            return true;
        }

        var share = (double)(usage.Percent - Settings.SlowDownAt) / (100 - Settings.SlowDownAt);
        var wait = now + (UsageWindow * Math.Max(share, 1.0 / 60));
        hashtags.SlowingDown(usage, wait);
        await WaitUntilAsync(EndpointName, wait, cancellationToken);
        return false;
    }
}
