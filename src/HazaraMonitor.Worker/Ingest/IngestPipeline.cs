using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Ingest;

/// <summary>
/// The one path every post takes: pre-aggregate the batch in memory, then one atomic Redis commit
/// that dedupes, counts, sketches authors and moves the connector's cursor together.
/// </summary>
internal sealed class IngestPipeline(
    RedisCountStore store,
    HazaraMonitorMetrics metrics,
    IOptions<RedisOptions> redis,
    TimeProvider time,
    ILogger<IngestPipeline> logger)
{
    public async Task<CommitResult> IngestAsync(
        Campaign campaign, Platform platform, IReadOnlyList<Post> posts, string stream, string? cursor, CancellationToken cancellationToken, long? fence = null)
    {
        using var activity = WorkerActivities.Source.StartActivity("commit");
        var batch = BatchAggregator.Aggregate(campaign, platform, posts, time.GetUtcNow(), redis.Value.DedupeWindow);
        var result = await store.CommitAsync(batch, stream, cursor, cancellationToken, fence);
        activity?.SetTag(HazaraMonitorMetrics.CampaignTag, campaign.Id);
        activity?.SetTag(HazaraMonitorMetrics.PlatformTag, platform.Name);
        activity?.SetTag("posts.new", result.New);
        activity?.SetTag("posts.duplicates", result.Duplicates);

        var platformName = platform.Name;
        metrics.Ingested(campaign.Id, platform, campaign.Canonical.Display, result.New, result.Duplicates + batch.RepeatedInBatch);
        metrics.Rejected(campaign.Id, platform, "unmatched", batch.Unmatched);
        metrics.Rejected(campaign.Id, platform, "too_old", batch.TooOld);
        // The co-hashtags the commit stored for its new posts, each post once (the batch holds each id once).
        foreach (var post in batch.Posts)
        {
            if (result.NewPosts.Contains(post.Id))
            {
                foreach (var hashtag in post.CoHashtags)
                {
                    metrics.CoHashtag(campaign.Id, hashtag);
                }
            }
        }

        if (result.New > 0 && batch.OldestPost is { } oldest)
        {
            metrics.Lag(platform, time.GetUtcNow() - oldest);
        }

        if (batch.TooOld > 0)
        {
            Log.TooOld(logger, batch.TooOld, platformName, campaign.Id);
        }

        Log.Committed(logger, platformName, campaign.Id, result.New, result.Duplicates + batch.RepeatedInBatch, batch.Unmatched, batch.TooOld);
        return result;
    }

    /// <summary>
    /// Counts posts a platform sent that its client refused (a post without its creation time cannot
    /// be put in a bucket) while the rest of their page was read: rejected as <c>malformed</c>, and
    /// logged with the first problem.
    /// </summary>
    public void Refused(Campaign campaign, Platform platform, IReadOnlyList<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        metrics.Rejected(campaign.Id, platform, "malformed", problems.Count);
        Log.PostsRefused(logger, problems.Count, platform.Name, campaign.Id, problems[0]);
    }
}
