using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// What the Mastodon jobs share: their target is an instance's index in configuration; each
/// instance has its own rate limits and, where set, its own token, so a refused token pauses only
/// the polls of that instance.
/// </summary>
internal abstract class MastodonJob(
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisCampaignStore store,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger logger) : PollJob(campaigns, board, store, metrics, time, logger)
{
    protected override Platform Platform => Platform.Mastodon;

    protected MastodonOptions Settings => options.Value.Platforms.Mastodon;

    protected override string Credential(string? target) => Instance(target).Name;

    protected MastodonInstanceOptions Instance(string? target) => MastodonInstanceOptions.ForTarget(Settings, target);
}
