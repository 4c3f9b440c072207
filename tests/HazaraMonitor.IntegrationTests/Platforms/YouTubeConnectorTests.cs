using HazaraMonitor.Simulator.YouTube;
using HazaraMonitor.Worker.Platforms.YouTube;
using Microsoft.Extensions.Time.Testing;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The YouTube client and poll job over real HTTP against the simulator's search.list and videos.list, real Redis.</summary>
public sealed class YouTubeConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";

    private const string Key = "--HazaraMonitor:Platforms:YouTube";

    private static Task<JsonElement> StatsAsync(SimulatorHost simulator, InProcessWorker worker) => simulator.PlatformStatsAsync("youtube", worker.Hashtags(Campaign));

    [SkippableFact]
    public async Task SweepsSearchPageByPageWithEachPagesStatisticsAndResumesAfterARestart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(SweepsSearchPageByPageWithEachPagesStatisticsAndResumesAfterARestart));
        string[] settings = [$"{Key}:MaxPagesPerPoll=1", $"{Key}:IndexLag=00:05:00"];

        string? cursorBefore;
        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", settings))
        {
            Assert.Null(await before.Services.GetRequiredService<YouTubeSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            cursorBefore = await before.SweepCursorAsync(Campaign, YouTubePlatform.Id);
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", settings);
        var job = after.Services.GetRequiredService<YouTubeSearchJob>();
        var polls = 1;
        while (SweepCursor.Parse(await after.SweepCursorAsync(Campaign, YouTubePlatform.Id)).InSweep && polls < 100)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            polls++;
        }

        var stats = await StatsAsync(simulator, after);
        var matching = stats.GetProperty("matching_so_far").GetInt64();
        Assert.True(SweepCursor.Parse(cursorBefore).InSweep, "one page of a longer sweep: the cursor holds the next page");
        Assert.True(polls >= 5, $"expected several pages of 50, got {polls}");
        Assert.Equal(matching, await after.TotalAsync(Campaign, YouTubePlatform.Id));
        Assert.True(stats.GetProperty("served_total").GetInt64() > matching, "the simulator overlaps pages; the test must see duplicates");
        // Each search page (100 units) came with one videos.list call (1 unit), and the key never in a URL.
        Assert.Equal(polls, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(polls, stats.GetProperty("videos_requests").GetInt32());
        Assert.Equal(polls * 101, stats.GetProperty("quota_used").GetInt32());
        Assert.Equal(0, stats.GetProperty("key_in_query").GetInt32());

        // The next sweep starts IndexLag before the newest video: it reads the last minutes again and counts nothing twice.
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var again = await StatsAsync(simulator, after);
        Assert.True(again.GetProperty("served_total").GetInt64() > stats.GetProperty("served_total").GetInt64() + 1, "the lag re-read the last minutes' videos");
        Assert.Equal(matching, await after.TotalAsync(Campaign, YouTubePlatform.Id));
    }

    [SkippableFact]
    public async Task ASpentDailyQuotaPausesPollsUntilMidnightPacificTimeAndSaysSo()
    {
        // 250 units: two pages with their statistics (202), then search is refused.
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge, s => s.Configure<YouTubeSimulationOptions>(y => y.DailyQuotaUnits = 250));
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(ASpentDailyQuotaPausesPollsUntilMidnightPacificTimeAndSaysSo)),
            "simulator-token", [$"{Key}:MaxPagesPerPoll=10", $"{Key}:DailyQuotaUnits=50000"], clock);
        var job = worker.Services.GetRequiredService<YouTubeSearchJob>();

        var spent = await job.FailsOnceThenWaitsAsync(Campaign, PollOutcome.RateLimited);

        var now = clock.GetUtcNow();
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(spent.RetryAt!.Value, pacific).TimeOfDay);
        Assert.InRange(spent.RetryAt.Value, now.AddTicks(1), now.AddDays(1));
        Assert.Equal(403, spent.StatusCode);
        Assert.Contains("daily quota is spent (403 quotaExceeded): polls pause until it resets at midnight Pacific time", spent.Message, StringComparison.Ordinal);
        var stats = await StatsAsync(simulator, worker);
        // Two pages counted before the quota ran out; the poll that waited called nothing.
        Assert.Equal(3, stats.GetProperty("search_requests").GetInt32());
        Assert.Equal(1, stats.GetProperty("quota_exceeded").GetInt32());
        var counted = await worker.TotalAsync(Campaign, YouTubePlatform.Id);
        Assert.True(counted > 0);
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["platforms"].Status);
        var last = Assert.IsType<Dictionary<string, object?>>(health.Entries["platforms"].Data[$"youtube.search.{Campaign}"]);
        Assert.Equal("rate_limited", last["outcome"]);
        Assert.Contains("midnight Pacific time", (string)last["message"]!, StringComparison.Ordinal);

        // After midnight Pacific time the project has a new day's quota, and the sweep continues where it stood.
        simulator.Settings<YouTubeSimulationOptions>().DailyQuotaUnits = 1_000_000;
        clock.Advance(spent.RetryAt.Value - now + TimeSpan.FromSeconds(1));
        for (var poll = 0; poll < 20 && SweepCursor.Parse(await worker.SweepCursorAsync(Campaign, YouTubePlatform.Id)).InSweep; poll++)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        }

        Assert.Equal((await StatsAsync(simulator, worker)).GetProperty("matching_so_far").GetInt64(), await worker.TotalAsync(Campaign, YouTubePlatform.Id));
    }

    [SkippableFact]
    public async Task ARefusedKeyPausesYouTubeWithoutRepeatingItAndNoLogCarriesAKey()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        string[] traced = ["--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:System.Net.Http.HttpClient=Trace", "--Logging:LogLevel:Polly=Trace"];
        await using var refused = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix(nameof(ARefusedKeyPausesYouTubeWithoutRepeatingItAndNoLogCarriesAKey)),
            "simulator-token", [.. traced, $"{Key}:ApiKey=revoked-youtube-key"], services: s => s.AddFakeLogging());

        var failure = await refused.Services.GetRequiredService<YouTubeSearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Equal(400, failure.StatusCode);
        Assert.Contains("HazaraMonitor:Platforms:YouTube:ApiKey", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-youtube-key", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await StatsAsync(simulator, refused)).GetProperty("unauthorized").GetInt32());
        Assert.Contains((YouTubePlatform.Id, "youtube"), refused.Services.GetRequiredService<PollStatusBoard>().AuthFailures.Keys);
        AssertNoLogCarries(refused, "revoked-youtube-key");

        // A poll that succeeds, every HTTP log line on: the key is in no URL and no log.
        await using var working = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix("working-" + nameof(ARefusedKeyPausesYouTubeWithoutRepeatingItAndNoLogCarriesAKey)),
            "simulator-token", traced, services: s => s.AddFakeLogging());
        Assert.Null(await working.Services.GetRequiredService<YouTubeSearchJob>().RunAsync(Campaign, null, CancellationToken.None));
        AssertNoLogCarries(working, simulator.Settings<YouTubeSimulationOptions>().ApiKey);
        Assert.Equal(0, (await StatsAsync(simulator, working)).GetProperty("key_in_query").GetInt32());
    }

    /// <summary>A page token YouTube no longer accepts (400 invalidPageToken) restarts the sweep from its newest page: the poll succeeds, nothing is skipped or counted twice.</summary>
    [SkippableFact]
    public async Task ARefusedPageTokenRestartsTheSweepAndSkipsNothing()
    {
        // A sweep of 50-video pages, one a poll: more than the simulator's default day of quota.
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge, Scenarios.Unmetered);
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedPageTokenRestartsTheSweepAndSkipsNothing), "simulator-token", $"{Key}:MaxPagesPerPoll=1");
        var job = worker.Services.GetRequiredService<YouTubeSearchJob>();
        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        var first = await worker.TotalAsync(Campaign, YouTubePlatform.Id);

        // The stored cursor's page token goes stale (as Google's do).
        var cursor = SweepCursor.Parse(await worker.SweepCursorAsync(Campaign, YouTubePlatform.Id));
        Assert.True(cursor.InSweep);
        await RedisServer.Connect().GetDatabase().StringSetAsync(
            new RedisKeySchema(worker.KeyPrefix).Cursor(Campaign, YouTubePlatform.Id, SweepCursor.Stream), (cursor with { Page = "stale-token" }).Serialize());

        Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        for (var poll = 0; poll < 100 && SweepCursor.Parse(await worker.SweepCursorAsync(Campaign, YouTubePlatform.Id)).InSweep; poll++)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
        }

        var stats = await StatsAsync(simulator, worker);
        Assert.True(first > 0);
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await worker.TotalAsync(Campaign, YouTubePlatform.Id));
    }

    [SkippableFact]
    public async Task ATruncatedPageIsRecordedAndLeavesTheCursor()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(ATruncatedPageIsRecordedAndLeavesTheCursor));

        var failure = Assert.IsType<PlatformRequestException>(await worker.Services.GetRequiredService<YouTubeSearchJob>().RunAsync(Campaign, null, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Null(await worker.SweepCursorAsync(Campaign, YouTubePlatform.Id));
        Assert.Equal(0, await worker.TotalAsync(Campaign, YouTubePlatform.Id));
        Assert.Equal(PollOutcome.Malformed, worker.Services.GetRequiredService<PollStatusBoard>().Last[(YouTubePlatform.Id, SweepCursor.Stream, Campaign)].Outcome);
        // The broken page was paid for all the same; no statistics were asked for it.
        var stats = await StatsAsync(simulator, worker);
        Assert.Equal(100, stats.GetProperty("quota_used").GetInt32());
        Assert.Equal(0, stats.GetProperty("videos_requests").GetInt32());
    }

    /// <summary>
    /// No log record (message, structured state or exception) of <paramref name="worker"/> carries
    /// <paramref name="secret"/>; its HTTP requests were logged, so the check saw them. (HttpClientFactory's
    /// default header records put the key in their state at Trace.)
    /// </summary>
    private static void AssertNoLogCarries(InProcessWorker worker, string secret)
    {
        var records = worker.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Message.StartsWith("GET http://127.0.0.1", StringComparison.Ordinal) && r.Message.Contains("/youtube/youtube/v3/search answered", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var state = string.Join(' ', record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.False((record.Message + state + record.Exception).Contains(secret, StringComparison.Ordinal), $"{record.Category}: {record.Message} {state}");
        }
    }
}
