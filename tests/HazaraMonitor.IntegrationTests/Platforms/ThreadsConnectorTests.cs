using HazaraMonitor.Simulator.Threads;
using HazaraMonitor.Worker.Platforms.Threads;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The Threads client and poll job over real HTTP against the simulated keyword search, real Redis.</summary>
public sealed class ThreadsConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task SweepsEachHashtagPageByPageAndResumesAfterARestart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(SweepsEachHashtagPageByPageAndResumesAfterARestart));
        string[] onePage = ["--HazaraMonitor:Platforms:Threads:MaxPagesPerPoll=1"];

        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage))
        {
            Assert.Null(await before.Services.GetRequiredService<ThreadsSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage);
        var job = after.Services.GetRequiredService<ThreadsSearchJob>();
        var tags = after.Hashtags(Campaign);
        var matching = (await simulator.PlatformStatsAsync("threads", tags)).GetProperty("matching_so_far").GetInt64();
        var polls = 1;
        while (await after.TotalAsync(Campaign, ThreadsPlatform.Id) < matching && polls < 20)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            polls++;
        }

        var stats = await simulator.PlatformStatsAsync("threads", tags);
        Assert.True(polls >= 3, $"a hashtag of more than 100 posts takes several one-page polls, took {polls}");
        Assert.Equal(matching, await after.TotalAsync(Campaign, ThreadsPlatform.Id));
        Assert.Equal(matching, stats.GetProperty("served_unique").GetInt64());

        // A poll with nothing new reads each hashtag's newest post again (a duplicate) and counts nothing.
        var requests = stats.GetProperty("search_requests").GetInt32();
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(requests + tags.Count, (await simulator.PlatformStatsAsync("threads", tags)).GetProperty("search_requests").GetInt32());
        Assert.Equal(matching, await after.TotalAsync(Campaign, ThreadsPlatform.Id));
    }

    [SkippableFact]
    public async Task FlagsAnEmptyAnswerForAHashtagThatHadPostsAsPossiblyWithheld()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(FlagsAnEmptyAnswerForAHashtagThatHadPostsAsPossiblyWithheld),
            extra: "--HazaraMonitor:Platforms:Threads:MaxPagesPerPoll=20");
        var job = worker.Services.GetRequiredService<ThreadsSearchJob>();
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var counted = await worker.TotalAsync(Campaign, ThreadsPlatform.Id);

        // Meta now deems the canonical hashtag sensitive: it answers an empty list, as for an unused one.
        simulator.Settings<ThreadsSimulationOptions>().WithheldHashtags.Add("StopHazaraGenocide");
        var withheld = Assert.IsType<PlatformRequestException>(await job.RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.PossiblyWithheld, withheld.Outcome);
        Assert.StartsWith("Threads answered nothing for #StopHazaraGenocide, which had a post at ", withheld.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("#HazaraGenocide", withheld.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await simulator.PlatformStatsAsync("threads", worker.Hashtags(Campaign))).GetProperty("withheld_answers").GetInt32());
        Assert.Equal(counted, await worker.TotalAsync(Campaign, ThreadsPlatform.Id));
        Assert.Equal(PollOutcome.PossiblyWithheld, worker.Services.GetRequiredService<PollStatusBoard>().Last[(ThreadsPlatform.Id, ThreadsSearchJob.EndpointName, Campaign)].Outcome);
        // The minute's completeness says a poll of it fell short.
        var minute = await worker.Services.GetRequiredService<RedisCountStore>().GetBucketAsync(Campaign, Resolution.Minute, Resolution.Minute.Start(TimeProvider.System.GetUtcNow()), CancellationToken.None);
        Assert.True(minute.GetValueOrDefault(ThreadsPlatform.Id).Completeness < 1, "the withheld poll counts as a failed poll of its minute");
        var health = (await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "threads", CancellationToken.None)).Entries["threads"];
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains($"{Campaign} #StopHazaraGenocide", Assert.IsType<Dictionary<string, object?>>(health.Data["possibly_withheld"]).Keys);
    }

    [SkippableFact]
    public async Task StopsWhenTheDaysSearchesAreSpentAndEmptyAnswersCostNothing()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        // A quiet campaign whose hashtag nobody uses, and the day's searches cut to 10 (a schedule of once a day fits them).
        await using var worker = InProcessWorker.Create(simulator, nameof(StopsWhenTheDaysSearchesAreSpentAndEmptyAnswersCostNothing), extra:
        [
            "--HazaraMonitor:Campaigns:1:Id=quiet", "--HazaraMonitor:Campaigns:1:Name=Quiet", "--HazaraMonitor:Campaigns:1:Hashtags:0=NobodyUsesThisTag",
            "--HazaraMonitor:Campaigns:1:Platforms:0=threads",
            "--HazaraMonitor:Platforms:Threads:QueriesPerDay=10", "--HazaraMonitor:Platforms:Threads:Schedule=0 0 0 * * ?",
        ]);
        var job = worker.Services.GetRequiredService<ThreadsSearchJob>();
        var searches = worker.Services.GetRequiredService<ThreadsSearches>();

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await job.RunAsync("quiet", null, CancellationToken.None));
        }

        Assert.Equal(0, await searches.UsedAsync(CancellationToken.None));
        var spent = await job.FailsOnceThenWaitsAsync(Campaign, PollOutcome.BudgetSpent);

        var stats = await simulator.PlatformStatsAsync("threads", worker.Hashtags(Campaign));
        Assert.StartsWith("Threads' 10 keyword searches of the last 24 hours (HazaraMonitor:Platforms:Threads:QueriesPerDay) are spent", spent.Message, StringComparison.Ordinal);
        Assert.InRange(spent.RetryAt!.Value, TimeProvider.System.GetUtcNow().AddHours(23), TimeProvider.System.GetUtcNow().AddHours(24));
        Assert.Equal(10, stats.GetProperty("counted_queries").GetInt32());
        Assert.Equal(13, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(10, await searches.UsedAsync(CancellationToken.None));
    }

    [SkippableFact]
    public async Task ARefusedTokenPausesThreadsWithoutRepeatingIt()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedTokenPausesThreadsWithoutRepeatingIt),
            extra: "--HazaraMonitor:Platforms:Threads:AccessToken=revoked-threads-token");

        var refused = await worker.Services.GetRequiredService<ThreadsSearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Contains("code 190", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:Threads:AccessToken", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-threads-token", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await simulator.PlatformStatsAsync("threads", worker.Hashtags(Campaign))).GetProperty("unauthorized").GetInt32());
        Assert.Contains((ThreadsPlatform.Id, "threads"), worker.Services.GetRequiredService<PollStatusBoard>().AuthFailures.Keys);
    }

    [SkippableFact]
    public async Task AThrottledAppWaitsTheConfiguredBackoff()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 3));
        await using var worker = InProcessWorker.Create(simulator, nameof(AThrottledAppWaitsTheConfiguredBackoff),
            extra: "--HazaraMonitor:Platforms:Threads:RateLimitBackoff=00:00:05");

        var limited = await worker.Services.GetRequiredService<ThreadsSearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = TimeProvider.System.GetUtcNow();
        Assert.Contains("code 4", limited.Message, StringComparison.Ordinal);
        Assert.InRange(limited.RetryAt!.Value, now.AddSeconds(2), now.AddSeconds(6));
        Assert.Equal(1, (await simulator.PlatformStatsAsync("threads", worker.Hashtags(Campaign))).GetProperty("search_requests").GetInt32());
    }

    [SkippableFact]
    public async Task ATruncatedPageIsRecordedAndLeavesTheCursor()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(ATruncatedPageIsRecordedAndLeavesTheCursor));

        var failure = Assert.IsType<PlatformRequestException>(await worker.Services.GetRequiredService<ThreadsSearchJob>().RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Equal(0, await worker.TotalAsync(Campaign, ThreadsPlatform.Id));
        Assert.Equal(PollOutcome.Malformed, worker.Services.GetRequiredService<PollStatusBoard>().Last[(ThreadsPlatform.Id, ThreadsSearchJob.EndpointName, Campaign)].Outcome);
        // Nothing was committed, the cursor with it: the next poll asks for the same page.
        var canonical = worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!.Canonical;
        Assert.Null(await worker.Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(Campaign, ThreadsPlatform.Id, ThreadsSearchJob.Stream(canonical), CancellationToken.None));
    }
}
