using System.Security.Cryptography;
using System.Text;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>
/// Reads a campaign's tag timelines on one Mastodon instance (the job's target is the instance's
/// index in configuration). The campaign's hashtags go in groups of four, the most one request
/// takes; each group has its own <c>min_id</c> cursor, committed with each page's counts. A post
/// federated to several instances, or carrying tags of two groups, is counted once: its id is the
/// status URI, the same everywhere.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class MastodonTimelineJob(
    MastodonClient client,
    IngestPipeline pipeline,
    IOptions<MastodonOptions> options,
    PollContext context,
    ILogger<MastodonTimelineJob> logger) : MastodonJob(options, context, logger)
{
    protected override string Endpoint(string? target) => Instance(target).Name;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var instance = Instance(target);
        var uri = new Uri(instance.BaseUrl);
        // Before the first commit there is no cursor: start from the id of "now minus the lookback".
        var start = MastodonIds.At(Time.GetUtcNow() - Settings.InitialLookback);
        foreach (var group in campaign.Followed.Select(h => h.Display).Chunk(MastodonClient.TagsPerRequest))
        {
            var stream = Stream(instance.Name, group);
            var stored = await Cursors.GetCursorAsync(campaign.Id, MastodonPlatform.Id, stream, cancellationToken);
            var minId = stored ?? start;
            for (var page = 0; page < Settings.MaxPagesPerPoll; page++)
            {
                var result = await client.TagTimelineAsync(uri, instance.AccessToken, group, minId, cancellationToken);
                minId = result.MinId ?? minId;
                // An empty page with the cursor already stored has nothing to commit.
                await pipeline.IngestAsync(campaign, MastodonPlatform.Id, result.Posts, stream, minId == stored ? null : minId, cancellationToken);
                stored = minId;
                await ObserveAsync(instance.Name, result.RateLimit, cancellationToken);
                if (!result.Full || result.RateLimit.Remaining <= 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The cursor's name: instance and a digest of the group's tags, so editing the hashtags starts
    /// new cursors instead of reusing another group's position.
    /// </summary>
    private static string Stream(string instance, IEnumerable<string> tags)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', tags)));
        return $"timeline:{instance}:{Convert.ToHexStringLower(digest)[..8]}";
    }
}
