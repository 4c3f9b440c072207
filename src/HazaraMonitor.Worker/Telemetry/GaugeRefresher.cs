using HazaraMonitor.Worker.Incidents;
using HazaraMonitor.Worker.Platforms;
using Quartz;

namespace HazaraMonitor.Worker.Telemetry;

/// <summary>
/// Reads the gauges' values from Redis: the last closed bucket of each resolution, unique authors
/// (on the platforms that name authors),
/// the last closed minute's completeness, what metered platforms spent, the campaigns' incidents. Because they come from
/// Redis, every worker instance reports the same values however many run. It runs on every
/// instance, on <c>Metrics:RefreshSchedule</c>, outside Quartz: a clustered schedule would run it on
/// one instance at a time, and the others' gauges would go stale.
/// </summary>
internal sealed class GaugeRefresher(
    CampaignCatalog campaigns,
    RedisCountStore store,
    IEnumerable<MeteredPlatform> metered,
    RedisSpendLedger ledger,
    IncidentCatalog incidents,
    CampaignGauges gauges,
    IEnumerable<PlatformDefinition> platforms,
    IOptions<MetricsOptions> options,
    TimeProvider time) : BackgroundService
{
    /// <summary>Platforms that name no author (Instagram): no unique-authors figure, rather than a 0 that would read as "nobody".</summary>
    private readonly HashSet<Platform> _anonymous = [.. platforms.Where(p => !p.NamesAuthors).Select(p => p.Id)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = new CronExpression(options.Value.RefreshSchedule, TimeZoneInfo.Utc);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (schedule.GetNextValidTimeAfter(time.GetUtcNow()) is not { } next)
            {
                return;
            }

            try
            {
                await Task.Delay(next - time.GetUtcNow(), time, stoppingToken);
                gauges.Publish(await ReadAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The previous values stay, and hazaramonitor.redis.up says they are stale.
                gauges.RedisDown();
            }
        }
    }

    internal async Task<GaugeSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var volumes = new List<VolumeReading>();
        var authors = new List<AuthorsReading>();
        var completeness = new List<CompletenessReading>();
        foreach (var campaign in campaigns.All)
        {
            foreach (var resolution in Buckets.All)
            {
                var closed = resolution.Start(now) - resolution.Width();
                var bucket = await store.GetBucketAsync(campaign.Id, resolution, closed, cancellationToken);
                foreach (var platform in campaign.Platforms)
                {
                    var values = bucket.GetValueOrDefault(platform);
                    volumes.Add(new VolumeReading(campaign.Id, platform, campaign.Canonical.Display, resolution, values.Volume, values.Reported));
                    if (resolution == Resolution.Minute && values.Completeness is { } share)
                    {
                        completeness.Add(new CompletenessReading(campaign.Id, platform, share));
                    }
                }
            }

            foreach (var platform in campaign.Platforms.Where(p => !_anonymous.Contains(p)))
            {
                var lastHour = Resolution.Hour.Start(now) - Resolution.Hour.Width();
                authors.Add(new AuthorsReading(campaign.Id, platform, "1h", await store.CountAuthorsAsync(campaign.Id, Resolution.Hour, lastHour, [platform], cancellationToken)));
                authors.Add(new AuthorsReading(campaign.Id, platform, "1d", await store.CountAuthorsAsync(campaign.Id, Resolution.Day, now, [platform], cancellationToken)));
            }
        }

        var spends = new List<SpendReading>();
        foreach (var platform in metered)
        {
            var spend = await ledger.GetAsync(platform.Id, now, cancellationToken);
            spends.Add(new SpendReading(platform.Id, spend.DayUsd, spend.MonthUsd, spend.MonthReads));
        }

        var incidentReadings = new List<IncidentReading>();
        foreach (var campaign in campaigns.All)
        {
            var timeline = await incidents.TimelineAsync(campaign.Id, cancellationToken);
            incidentReadings.AddRange(timeline.All.Select(i => new IncidentReading(campaign.Id, i.Id, i.Title, i.Time)));
        }

        return new GaugeSnapshot(now, volumes, authors, completeness, spends) { Incidents = incidentReadings };
    }
}
