using HazaraMonitor.Worker.Platforms.Reddit;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The Reddit client and poll job over real HTTP against the simulator's token and search endpoints, real Redis.</summary>
public sealed class RedditConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task SweepsSearchPageByPageAndResumesAfterARestart()
    {
        // A surge small enough for Reddit's listings, which end near 1,000 posts.
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            Scenarios.FinishedSurge(o);
            o.SurgePeakPerMinute = 30;
        });
        var prefix = RedisServer.UniquePrefix(nameof(SweepsSearchPageByPageAndResumesAfterARestart));
        string[] onePage = ["--HazaraMonitor:Platforms:Reddit:MaxPagesPerPoll=1"];

        string? cursorBefore;
        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage))
        {
            Assert.Null(await before.Services.GetRequiredService<RedditSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            cursorBefore = await before.SweepCursorAsync(Campaign, RedditPlatform.Id);
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage);
        var job = after.Services.GetRequiredService<RedditSearchJob>();
        var tags = after.Hashtags(Campaign);
        var polls = 1;
        while (SweepCursor.Parse(await after.SweepCursorAsync(Campaign, RedditPlatform.Id)).InSweep && polls < 50)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            polls++;
        }

        var stats = await simulator.PlatformStatsAsync("reddit", tags);
        Assert.InRange(stats.GetProperty("matching_so_far").GetInt64(), 1, 999);
        Assert.True(SweepCursor.Parse(cursorBefore).InSweep, "one page of a longer sweep: the cursor holds the next page");
        Assert.True(polls >= 3, $"expected several pages, got {polls}");
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await after.TotalAsync(Campaign, RedditPlatform.Id));
        Assert.Equal(polls, stats.GetProperty("search_requests").GetInt32());

        // A sweep that finds nothing new reads one page and stops at the last sweep's newest post.
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(polls + 1, (await simulator.PlatformStatsAsync("reddit", tags)).GetProperty("search_requests").GetInt32());
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await after.TotalAsync(Campaign, RedditPlatform.Id));
    }

    [SkippableFact]
    public async Task ARefusedClientSecretPausesRedditWithoutRepeatingIt()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedClientSecretPausesRedditWithoutRepeatingIt),
            extra: "--HazaraMonitor:Platforms:Reddit:ClientSecret=revoked-reddit-secret");

        var refused = await worker.Services.GetRequiredService<RedditSearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Contains("HazaraMonitor:Platforms:Reddit:ClientId", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-reddit-secret", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await simulator.PlatformStatsAsync("reddit", worker.Hashtags(Campaign))).GetProperty("unauthorized").GetInt32());
        Assert.Contains((RedditPlatform.Id, "reddit"), worker.Services.GetRequiredService<PollStatusBoard>().AuthFailures.Keys);
    }

    [SkippableFact]
    public async Task WaitsTheSecondsXRatelimitResetGives()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 3));
        await using var worker = InProcessWorker.Create(simulator, nameof(WaitsTheSecondsXRatelimitResetGives));

        var limited = await worker.Services.GetRequiredService<RedditSearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = TimeProvider.System.GetUtcNow();
        Assert.InRange(limited.RetryAt!.Value, now.AddSeconds(1), now.AddSeconds(4));
        Assert.Equal(1, (await simulator.PlatformStatsAsync("reddit", worker.Hashtags(Campaign))).GetProperty("search_requests").GetInt32());
    }

    [SkippableFact]
    public async Task ATruncatedListingIsRecordedAndLeavesTheCursor()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(ATruncatedListingIsRecordedAndLeavesTheCursor));

        var failure = Assert.IsType<PlatformRequestException>(await worker.Services.GetRequiredService<RedditSearchJob>().RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Null(await worker.SweepCursorAsync(Campaign, RedditPlatform.Id));
        Assert.Equal(0, await worker.TotalAsync(Campaign, RedditPlatform.Id));
        Assert.Equal(PollOutcome.Malformed, worker.Services.GetRequiredService<PollStatusBoard>().Last[(RedditPlatform.Id, SweepCursor.Stream, Campaign)].Outcome);
    }
}
