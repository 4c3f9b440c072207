using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.IntegrationTests.Telemetry;

/// <summary>Gauges come from Redis, so every instance shows the same numbers.</summary>
public sealed class RedisGaugeTests
{
    private const string Campaign = "stop-hazara-genocide";

    /// <summary>
    /// Only the first worker polls: the second, which counted nothing itself, shows the same
    /// gauges. Gauges kept in the process that counted would leave it at zero.
    /// </summary>
    [SkippableFact]
    public async Task AWorkerThatPolledNothingShowsTheGaugesOfTheOneThatDid()
    {
        // The surge fills the last closed hour, the bucket the hourly gauge reads, whatever the time of day.
        var lastClosedHour = Resolution.Hour.Start(TimeProvider.System.GetUtcNow()) - TimeSpan.FromHours(1);
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            Scenarios.FinishedSurge(o);
            o.StartOffset = lastClosedHour - TimeProvider.System.GetUtcNow();
        });
        var prefix = RedisServer.UniquePrefix(nameof(AWorkerThatPolledNothingShowsTheGaugesOfTheOneThatDid));
        await using var first = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        await using var second = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);

        var job = first.Services.GetRequiredService<XSearchJob>();
        for (var i = 0; i < 6; i++)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        }

        var a = await first.Services.GetRequiredService<GaugeRefresher>().ReadAsync(CancellationToken.None);
        var b = await second.Services.GetRequiredService<GaugeRefresher>().ReadAsync(CancellationToken.None);

        Assert.Contains(b.Volumes, v => v.Resolution == Resolution.Hour && v.Count > 0);
        Assert.Equal(a.Volumes, b.Volumes);
        Assert.Equal(a.Authors, b.Authors);
        var lastHour = Resolution.Hour.Start(a.At) - TimeSpan.FromHours(1);
        var fromStore = (await first.Services.GetRequiredService<RedisCountStore>()
            .GetSeriesAsync(Campaign, Resolution.Hour, lastHour, lastHour.AddHours(1), [XPlatform.Id], null, CancellationToken.None)).Single().Count;
        Assert.Equal(fromStore, b.Volumes.Single(v => v.Resolution == Resolution.Hour && v.Platform == XPlatform.Id).Count);
    }
}
