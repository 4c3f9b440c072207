using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using HazaraMonitor.IntegrationTests.Infrastructure;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.IntegrationTests.Telemetry;

/// <summary>Gauges come from Redis, so every instance shows the same numbers.</summary>
public sealed class RedisGaugeTests
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task TwoWorkersOnOneRedisShowTheSameGauges()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(TwoWorkersOnOneRedisShowTheSameGauges));
        await using var first = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        await using var second = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);

        // Each worker polls part of the campaign: the data is the deployment's, not an instance's.
        var firstJob = first.Services.GetRequiredService<XSearchJob>();
        var secondJob = second.Services.GetRequiredService<XSearchJob>();
        for (var i = 0; i < 6; i++)
        {
            Assert.Null(await (i % 2 == 0 ? firstJob : secondJob).RunAsync(Campaign, null, CancellationToken.None));
        }

        var a = await first.Services.GetRequiredService<GaugeRefreshJob>().ReadAsync(CancellationToken.None);
        var b = await second.Services.GetRequiredService<GaugeRefreshJob>().ReadAsync(CancellationToken.None);

        Assert.Equal(a.Volumes, b.Volumes);
        Assert.Equal(a.Authors, b.Authors);
        var lastHour = Resolution.Hour.Start(a.At) - TimeSpan.FromHours(1);
        var fromStore = (await first.Services.GetRequiredService<RedisCampaignStore>()
            .GetSeriesAsync(Campaign, Resolution.Hour, lastHour, lastHour.AddHours(1), Platform.X, null, CancellationToken.None)).Single().Count;
        Assert.Equal(fromStore, a.Volumes.Single(v => v.Resolution == Resolution.Hour && v.Platform == Platform.X).Count);
    }
}
