using System.Diagnostics.Metrics;
using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HazaraMonitor.Tests.Telemetry;

public sealed class MetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<CampaignGauges>().AddSingleton<HazaraMonitorMetrics>().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void CountsIngestedAndDuplicatePostsByCampaignPlatformAndGroup()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var ingested = new MetricCollector<long>(factory, HazaraMonitorMetrics.MeterName, "hazaramonitor.posts.ingested");
        using var duplicates = new MetricCollector<long>(factory, HazaraMonitorMetrics.MeterName, "hazaramonitor.posts.duplicates");

        metrics.Ingested("stop-hazara-genocide", Platform.X, "StopHazaraGenocide", 98, 2);
        metrics.Ingested("stop-hazara-genocide", Platform.X, "StopHazaraGenocide", 0, 5);

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
        var factory = _services.GetRequiredService<IMeterFactory>();
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var polls = new MetricCollector<long>(factory, HazaraMonitorMetrics.MeterName, "hazaramonitor.polls");
        using var duration = new MetricCollector<double>(factory, HazaraMonitorMetrics.MeterName, "hazaramonitor.poll.duration");

        metrics.Polled(Platform.X, "search", PollOutcome.RateLimited, TimeSpan.FromMilliseconds(1500));

        Assert.Equal("rate_limited", Assert.Single(polls.GetMeasurementSnapshot()).Tags[HazaraMonitorMetrics.OutcomeTag]);
        Assert.Equal(1.5, Assert.Single(duration.GetMeasurementSnapshot()).Value, 6);
    }

    [Fact]
    public void ReportsTheLastRateLimitRemainingPerEndpoint()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var metrics = _services.GetRequiredService<HazaraMonitorMetrics>();
        using var remaining = new MetricCollector<int>(factory, HazaraMonitorMetrics.MeterName, "hazaramonitor.ratelimit.remaining");

        metrics.RateLimitRemaining(Platform.X, "search", 449);
        metrics.RateLimitRemaining(Platform.X, "search", 448);
        remaining.RecordObservableInstruments();

        Assert.Equal(448, Assert.Single(remaining.GetMeasurementSnapshot()).Value);
    }
}
