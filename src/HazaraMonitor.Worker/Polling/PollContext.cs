using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Worker.Polling;

/// <summary>What every poll job uses besides its own client: one dependency instead of six in each job's constructor.</summary>
internal sealed class PollContext(
    IOptions<HazaraMonitorOptions> options,
    CampaignCatalog campaigns,
    PollStatusBoard board,
    RedisCampaignStore store,
    HazaraMonitorMetrics metrics,
    TimeProvider time)
{
    public HazaraMonitorOptions Options => options.Value;

    public CampaignCatalog Campaigns => campaigns;

    public PollStatusBoard Board => board;

    public RedisCampaignStore Store => store;

    public HazaraMonitorMetrics Metrics => metrics;

    public TimeProvider Time => time;
}
