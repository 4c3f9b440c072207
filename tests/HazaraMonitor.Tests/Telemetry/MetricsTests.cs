using System.Diagnostics.Metrics;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HazaraMonitor.Tests.Telemetry;

public sealed class MetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<CampaignGauges>().AddSingleton(new CampaignCatalog([])).AddSingleton<HazaraMonitorMetrics>().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    /// <summary>A collector of one of the meter's instruments, through the real meter factory.</summary>
    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(_services.GetRequiredService<IMeterFactory>(), HazaraMonitorMetrics.MeterName, instrument);

    [Fact]
    public void CountsIngestedAndDuplicatePostsByCampaignPlatformAndGroup()
    {
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var ingested = Collect<long>("hazaramonitor.posts.ingested");
        using var duplicates = Collect<long>("hazaramonitor.posts.duplicates");

        metrics.Ingested("stop-hazara-genocide", XPlatform.Id, "StopHazaraGenocide", 98, 2);
        metrics.Ingested("stop-hazara-genocide", XPlatform.Id, "StopHazaraGenocide", 0, 5);

        var measurement = Assert.Single(ingested.GetMeasurementSnapshot());
        Assert.Equal(98, measurement.Value);
        Assert.Equal("stop-hazara-genocide", measurement.Tags[HazaraMonitorMetrics.CampaignTag]);
        Assert.Equal("x", measurement.Tags[HazaraMonitorMetrics.PlatformTag]);
        Assert.Equal("StopHazaraGenocide", measurement.Tags[HazaraMonitorMetrics.HashtagGroupTag]);
        Assert.Equal(7, duplicates.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void RecordsPollOutcomesAndDurationsInSeconds()
    {
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var polls = Collect<long>("hazaramonitor.polls");
        using var duration = Collect<double>("hazaramonitor.poll.duration");

        metrics.Polled(XPlatform.Id, "search", PollOutcome.RateLimited, TimeSpan.FromMilliseconds(1500));

        Assert.Equal("rate_limited", Assert.Single(polls.GetMeasurementSnapshot()).Tags[HazaraMonitorMetrics.OutcomeTag]);
        Assert.Equal(1.5, Assert.Single(duration.GetMeasurementSnapshot()).Value, 6);
    }

    /// <summary>
    /// Co-hashtag labels go through one bounded label set per campaign (its rules are
    /// BoundedLabelSetTests'): a frequent hashtag gets its label, a one-off is 'other', and a
    /// campaign's labels are not another campaign's. Every post is counted either way.
    /// </summary>
    [Fact]
    public void LabelsCoHashtagsPerCampaignThroughABoundedLabelSet()
    {
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var coHashtags = Collect<long>("hazaramonitor.cohashtags");

        for (var i = 0; i < 20; i++)
        {
            metrics.CoHashtag("stop-hazara-genocide", "kabul");
        }

        metrics.CoHashtag("stop-hazara-genocide", "typo");
        metrics.CoHashtag("counter-campaign", "kabul");

        var measurements = coHashtags.GetMeasurementSnapshot()
            .Select(m => ((string)m.Tags[HazaraMonitorMetrics.CampaignTag]!, (string)m.Tags[HazaraMonitorMetrics.CoHashtagTag]!)).ToList();
        Assert.Contains(("stop-hazara-genocide", "kabul"), measurements);
        Assert.Equal(("stop-hazara-genocide", "other"), measurements[20]);
        Assert.Equal(("counter-campaign", "other"), measurements[21]);
        Assert.Equal(22, coHashtags.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void ShowsTheGaugesOfTheLatestSnapshotFromRedis()
    {
        _ = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var volume = Collect<long>("hazaramonitor.bucket.volume");
        using var reported = Collect<long>("hazaramonitor.bucket.reported");
        using var redisUp = Collect<int>("hazaramonitor.redis.up");
        using var spend = Collect<double>("hazaramonitor.platform.spend");
        using var quota = Collect<long>("hazaramonitor.platform.quota.used");
        var gauges = _services.GetRequiredService<CampaignGauges>();

        gauges.Publish(new GaugeSnapshot(
            DateTimeOffset.UnixEpoch,
            [new VolumeReading("c", XPlatform.Id, "Tag", HazaraMonitor.Core.Time.Resolution.Hour, 120, null), new VolumeReading("c", XPlatform.Id, "Tag", HazaraMonitor.Core.Time.Resolution.Minute, 3, 4)],
            [],
            [],
            [new SpendReading(XPlatform.Id, 1.25m, 40.5m, 8_100)]));
        gauges.RedisDown();
        volume.RecordObservableInstruments();
        reported.RecordObservableInstruments();
        redisUp.RecordObservableInstruments();
        spend.RecordObservableInstruments();
        quota.RecordObservableInstruments();

        Assert.Equal([3L, 120L], volume.GetMeasurementSnapshot().Select(m => m.Value).Order());
        var minute = Assert.Single(reported.GetMeasurementSnapshot());
        Assert.Equal(4, minute.Value);
        Assert.Equal("1m", minute.Tags[HazaraMonitorMetrics.ResolutionTag]);
        Assert.Equal(0, Assert.Single(redisUp.GetMeasurementSnapshot()).Value);
        Assert.Equal(
            [("day", 1.25), ("month", 40.5)],
            spend.GetMeasurementSnapshot().Select(m => ((string)m.Tags[HazaraMonitorMetrics.PeriodTag]!, m.Value)).Order());
        Assert.Equal(8_100, Assert.Single(quota.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void ReportsTheLastRateLimitRemainingPerEndpoint()
    {
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var remaining = Collect<int>("hazaramonitor.ratelimit.remaining");

        metrics.RateLimitRemaining(XPlatform.Id, "search", 449);
        metrics.RateLimitRemaining(XPlatform.Id, "search", 448);
        remaining.RecordObservableInstruments();

        Assert.Equal(448, Assert.Single(remaining.GetMeasurementSnapshot()).Value);
    }
}
