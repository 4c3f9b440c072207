using System.Security.Cryptography;
using System.Text;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms.Mastodon;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

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
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisCampaignStore store,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<MastodonTimelineJob> logger) : PollJob(campaigns, board, store, metrics, time, logger)
{
    protected override Platform Platform => Platform.Mastodon;

    // Each instance has its own rate limits and, where set, its own token.
    protected override string Endpoint(string? target) => Instance(target).Name;

    protected override string Credential(string? target) => Instance(target).Name;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var (uri, token, name) = Instance(target);
        var settings = options.Value.Platforms.Mastodon;
        // Before the first commit there is no cursor: start from the id of "now minus the lookback".
        var start = MastodonIds.At(Time.GetUtcNow() - settings.InitialLookback);
        foreach (var group in campaign.Hashtags.Select(h => h.Display).Chunk(HazaraMonitorOptionsValidator.MastodonTagsPerRequest))
        {
            var stream = Stream(name, group);
            var minId = await Store.GetCursorAsync(campaign.Id, Platform.Mastodon, stream, cancellationToken) ?? start;
            for (var page = 0; page < settings.MaxPagesPerPoll; page++)
            {
                var result = await client.TagTimelineAsync(uri, token, group, minId, cancellationToken);
                await pipeline.IngestAsync(campaign, Platform.Mastodon, result.Posts, stream, result.MinId ?? minId, cancellationToken);
                Observe(name, result.RateLimit);
                minId = result.MinId ?? minId;
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

    private (Uri Uri, string? Token, string Name) Instance(string? target)
    {
        var instance = MastodonInstanceOptions.ForTarget(options.Value.Platforms.Mastodon, target);
        return (new Uri(instance.BaseUrl), instance.AccessToken, instance.Name);
    }
}
