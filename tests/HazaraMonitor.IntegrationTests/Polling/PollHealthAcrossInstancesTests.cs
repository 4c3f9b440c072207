using HazaraMonitor.Worker.Platforms.Reddit;

namespace HazaraMonitor.IntegrationTests.Polling;

/// <summary>Two instances of one deployment (one key prefix), real Redis: a poll runs on either, and health follows the newest.</summary>
public sealed class PollHealthAcrossInstancesTests
{
    private const string Campaign = "stop-hazara-genocide";

    private static async Task<HealthReport> HealthAsync(InProcessWorker worker) =>
        await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "platforms");

    [SkippableFact]
    public async Task AFailureThisInstanceSawIsSupersededByALaterSuccessOnAnother()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(AFailureThisInstanceSawIsSupersededByALaterSuccessOnAnother));
        await using var a = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        await using var b = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);

        // Instance a's Reddit poll fails (its page is cut short); then the same poll succeeds on b.
        a.Services.GetRequiredService<PollStatusBoard>().Record(RedditPlatform.Id, SweepCursor.Stream, Campaign, PollOutcome.Malformed, "cut short");
        var before = await HealthAsync(a);
        Assert.Null(await b.Services.GetRequiredService<RedditSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
        var after = await HealthAsync(a);

        Assert.Equal(HealthStatus.Degraded, before.Entries["platforms"].Status);
        Assert.Equal(HealthStatus.Healthy, after.Entries["platforms"].Status);
        var entry = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(after.Entries["platforms"].Data[$"reddit.{SweepCursor.Stream}.{Campaign}"]);
        Assert.NotNull(entry["superseded_at"]);
        Assert.Equal("malformed", entry["outcome"]);

        // A failure newer than every success stands.
        a.Services.GetRequiredService<PollStatusBoard>().Record(RedditPlatform.Id, SweepCursor.Stream, Campaign, PollOutcome.Malformed, "cut short again");
        Assert.Equal(HealthStatus.Degraded, (await HealthAsync(a)).Entries["platforms"].Status);
    }
}
