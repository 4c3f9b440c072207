using System.Globalization;
using System.Runtime.CompilerServices;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Worker.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>
/// The Jetstream consumer over a real WebSocket and the searchPosts fallback over real HTTP, against
/// the simulator, real Redis; and the consumer fed by a client that plays given connections instead
/// of a socket, on a fake clock.
/// </summary>
public sealed class BlueskyConnectorTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task CountsEveryStreamedPostOnceAcrossDropsABrokenFrameAndARestart()
    {
        // Twenty simulated minutes with a surge, streamed live at 60x: about 20 s.
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            o.StartOffset = TimeSpan.FromMinutes(-10);
            o.ClockOffset = TimeSpan.FromMinutes(-10);
            o.Duration = TimeSpan.FromMinutes(20);
            o.Speed = 60;
            o.SurgeAtMinute = 5;
            o.SurgePeakPerMinute = 150;
            o.SurgeHalfLifeMinutes = 4;
            o.ForcedFaults = true;
        });
        var prefix = RedisServer.UniquePrefix(nameof(CountsEveryStreamedPostOnceAcrossDropsABrokenFrameAndARestart));
        var clock = Stopwatch.StartNew();

        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []))
        {
            var consumer = ActivatorUtilities.CreateInstance<JetstreamConsumer>(before.Services);
            await consumer.StartAsync(CancellationToken.None);
            await WaitUntilAsync(async () => await before.TotalAsync(Campaign, BlueskyPlatform.Id) > 100, clock);
            // Stopped mid-stream: whatever was read and not yet committed is gone with it.
            await consumer.StopAsync(CancellationToken.None);
            output.WriteLine($"stopped after {clock.Elapsed} with {await before.TotalAsync(Campaign, BlueskyPlatform.Id)} counted");
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", []);
        var resumed = ActivatorUtilities.CreateInstance<JetstreamConsumer>(after.Services);
        await resumed.StartAsync(CancellationToken.None);
        var tags = after.Hashtags(Campaign);
        System.Text.Json.JsonElement stats = default;
        try
        {
            await WaitUntilAsync(async () =>
            {
                stats = await simulator.PlatformStatsAsync("bluesky", tags);
                return stats.GetProperty("ended").GetBoolean()
                    && await after.TotalAsync(Campaign, BlueskyPlatform.Id) == stats.GetProperty("matching_so_far").GetInt64();
            }, clock);
        }
        finally
        {
            await resumed.StopAsync(CancellationToken.None);
            output.WriteLine($"after {clock.Elapsed}: counted {await after.TotalAsync(Campaign, BlueskyPlatform.Id)}; simulator {stats}");
        }

        Assert.Equal(stats.GetProperty("served_unique").GetInt64(), await after.TotalAsync(Campaign, BlueskyPlatform.Id));
        Assert.True(stats.GetProperty("dropped").GetInt32() >= 1, "the stream dropped a connection");
        Assert.True(stats.GetProperty("malformed").GetInt32() >= 1, "the stream sent a broken frame");
        Assert.True(stats.GetProperty("connections").GetInt32() >= 4, "dropped, broken, stopped: at least four connections");
        var cursor = await after.Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(Campaign, BlueskyPlatform.Id, JetstreamConsumer.Stream, CancellationToken.None);
        Assert.True(long.Parse(cursor!, System.Globalization.CultureInfo.InvariantCulture) >= simulator.Clock.TimelineStart.AddMinutes(19).ToUnixTimeMilliseconds() * 1000,
            "the committed cursor reached the end of the stream");
    }

    [SkippableFact]
    public async Task ReportsARefusedUnauthenticatedSearchOnceAndStopsAsking()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ReportsARefusedUnauthenticatedSearchOnceAndStopsAsking),
            extra: "--HazaraMonitor:Platforms:Bluesky:Mode=Search");

        var refused = await worker.Services.GetRequiredService<BlueskySearchJob>().FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed);

        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("Request forbidden by administrative rules.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor:Platforms:Bluesky:Identifier", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await simulator.PlatformStatsAsync("bluesky", worker.Hashtags(Campaign))).GetProperty("unauthorized").GetInt32());
    }

    [SkippableFact]
    public async Task SignsInAndSweepsSearchAcrossARestart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(SignsInAndSweepsSearchAcrossARestart));
        string[] settings =
        [
            "--HazaraMonitor:Platforms:Bluesky:Mode=Search",
            "--HazaraMonitor:Platforms:Bluesky:MaxPagesPerPoll=1",
            $"--HazaraMonitor:Platforms:Bluesky:Identifier={simulator.Settings<BlueskySimulationOptions>().Identifier}",
            $"--HazaraMonitor:Platforms:Bluesky:AppPassword={simulator.Settings<BlueskySimulationOptions>().AppPassword}",
        ];

        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", settings))
        {
            Assert.Null(await before.Services.GetRequiredService<BlueskySearchJob>().RunAsync(Campaign, null, CancellationToken.None));
            Assert.True(SweepCursor.Parse(await before.SweepCursorAsync(Campaign, BlueskyPlatform.Id)).InSweep, "one page of a longer sweep: the cursor holds the next page");
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", settings);
        var job = after.Services.GetRequiredService<BlueskySearchJob>();
        var polls = 1;
        while (SweepCursor.Parse(await after.SweepCursorAsync(Campaign, BlueskyPlatform.Id)).InSweep && polls < 50)
        {
            Assert.Null(await job.RunAsync(Campaign, null, CancellationToken.None));
            polls++;
        }

        var stats = await simulator.PlatformStatsAsync("bluesky", after.Hashtags(Campaign));
        Assert.True(polls >= 3, $"expected several pages, got {polls}");
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await after.TotalAsync(Campaign, BlueskyPlatform.Id));
        Assert.Equal(0, stats.GetProperty("unauthorized").GetInt32());
    }

    [SkippableFact]
    public async Task ReadsTheEpochResetOfARateLimitAndLeavesTheCursorOnABrokenPage()
    {
        await using var simulator = await SimulatorHost.StartAsync(
            o =>
            {
                Scenarios.FinishedSurge(o);
                o.ForcedFaults = true;
                o.RateLimitResetSeconds = 3;
            },
            s => s.Configure<BlueskySimulationOptions>(b => b.SearchPublic = true));
        await using var worker = InProcessWorker.Create(simulator, nameof(ReadsTheEpochResetOfARateLimitAndLeavesTheCursorOnABrokenPage),
            "simulator-token", "--HazaraMonitor:Platforms:Bluesky:Mode=Search", "--HazaraMonitor:Platforms:Bluesky:MaxPagesPerPoll=1");
        var job = worker.Services.GetRequiredService<BlueskySearchJob>();
        var failures = new List<PlatformRequestException>();
        // The simulator answers the 4th request 429 and the 7th with a broken page.
        for (var poll = 0; poll < 7; poll++)
        {
            var cursor = await worker.SweepCursorAsync(Campaign, BlueskyPlatform.Id);
            if (await job.RunAsync(Campaign, null, CancellationToken.None) is PlatformRequestException failure)
            {
                failures.Add(failure);
                Assert.Equal(cursor, await worker.SweepCursorAsync(Campaign, BlueskyPlatform.Id));
                if (failure.Outcome == PollOutcome.RateLimited)
                {
                    var now = TimeProvider.System.GetUtcNow();
                    Assert.InRange(failure.RetryAt!.Value, now.AddSeconds(1), now.AddSeconds(4));
                    // Past the reset with a margin: a poll before it is skipped, which would shift the broken page out of the seven.
                    await Task.Delay(failure.RetryAt.Value - TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(200));
                }
            }
        }

        Assert.Equal([PollOutcome.RateLimited, PollOutcome.Malformed], failures.Select(f => f.Outcome));
    }

    [SkippableFact]
    public async Task CountsPostsAroundAFrameBrokenOnEveryReplayOnceAndBacksOffFromAStreamThatSendsNothing()
    {
        RedisServer.Connect();
        await using var worker = WorkerApp.Create(
        [
            $"--HazaraMonitor:Redis:Configuration={RedisServer.Configuration}",
            $"--HazaraMonitor:Redis:KeyPrefix={RedisServer.UniquePrefix(nameof(CountsPostsAroundAFrameBrokenOnEveryReplayOnceAndBacksOffFromAStreamThatSendsNothing))}",
            "--HazaraMonitor:Platforms:X:BearerToken=unused",
            "--HazaraMonitor:Platforms:Reddit:ClientId=unused",
            "--HazaraMonitor:Platforms:Reddit:ClientSecret=unused",
            "--Logging:LogLevel:Default=Warning",
        ]);
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var before = Event(time, -30);
        var after = Event(time, -20);
        JetstreamItem broken = new(0, null, "Jetstream sent an event that is not valid JSON.");
        // Three replays of a broken frame between two posts (the third skips it), then a stream that sends nothing.
        var jetstream = new PlayedJetstream([before, broken, after], [before, broken, after], [before, broken, after], []);
        var poll = ActivatorUtilities.CreateInstance<PollContext>(worker.Services, time);
        var consumer = ActivatorUtilities.CreateInstance<JetstreamConsumer>(worker.Services, poll, jetstream);

        await consumer.StartAsync(CancellationToken.None);
        try
        {
            // A connection opens only once the one before it has committed and recorded its end.
            await jetstream.Opened(4).WaitAsync(TimeSpan.FromSeconds(30));
            var counted = (await worker.Services.GetRequiredService<RedisCountStore>().GetSeriesAsync(Campaign, Resolution.Day, time.GetUtcNow().AddDays(-1), time.GetUtcNow().AddDays(1), [BlueskyPlatform.Id], null, CancellationToken.None)).Sum(p => p.Count);
            Assert.Equal(2, counted);
            Assert.Equal(after.TimeUs.ToString(CultureInfo.InvariantCulture), await worker.Services.GetRequiredService<RedisCursorStore>().GetCursorAsync(Campaign, BlueskyPlatform.Id, JetstreamConsumer.Stream, CancellationToken.None));

            // The empty connection is retried after a pause on the clock, not at once: the one wall-clock wait.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.Equal(4, jetstream.Connections);
            Assert.Equal((PollOutcome.HttpError, "Jetstream closed the connection."), Last(poll));
            var reopened = jetstream.Opened(5);
            for (var step = 0; step < 10 && !reopened.IsCompleted; step++)
            {
                time.Advance(worker.Services.GetRequiredService<IOptions<BlueskyOptions>>().Value.ReconnectMaxDelay);
                await Task.WhenAny(reopened, Task.Delay(TimeSpan.FromMilliseconds(100)));
            }

            Assert.True(reopened.IsCompleted, "the consumer reconnects once the backoff has passed");
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A post carrying the campaign's hashtag, <paramref name="seconds"/> from now on the fake clock.</summary>
    private static JetstreamItem Event(FakeTimeProvider time, int seconds)
    {
        var at = time.GetUtcNow().AddSeconds(seconds);
        var timeUs = at.ToUnixTimeMilliseconds() * 1000;
        return new(timeUs, new Post(BlueskyPlatform.Id, $"at://did:plc:consumer/app.bsky.feed.post/{timeUs}", "did:plc:consumer", at, "#StopHazaraGenocide", "en",
            [HashtagNormalizer.Normalize("StopHazaraGenocide")], default));
    }

    private static (PollOutcome, string?) Last(PollContext poll)
    {
        var status = poll.Board.Last[(BlueskyPlatform.Id, JetstreamConsumer.Stream, Campaign)];
        return (status.Outcome, status.Message);
    }

    /// <summary>Plays each connection in turn, the last one again for every later connection, and says when the Nth opens.</summary>
    private sealed class PlayedJetstream(params IReadOnlyList<JetstreamItem>[] plays) : IJetstreamClient
    {
        private readonly List<TaskCompletionSource> _opened = [];

        public int Connections { get; private set; }

        public Task Opened(int connection) => Slot(connection).Task;

        public async IAsyncEnumerable<JetstreamItem> ReadAsync(Uri subscribeUri, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var play = plays[Math.Min(Connections, plays.Length - 1)];
            Connections++;
            Slot(Connections).TrySetResult();
            foreach (var item in play)
            {
                await Task.Yield();
                yield return item;
            }
        }

        private TaskCompletionSource Slot(int connection)
        {
            lock (_opened)
            {
                while (_opened.Count < connection)
                {
                    _opened.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return _opened[connection - 1];
            }
        }
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, Stopwatch clock) =>
        Eventually.HoldsAsync(condition, clock, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));
}
