
namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>
/// Worker process + simulator + Redis for a simulated hour (60x real time), on X, three Mastodon
/// instances, Bluesky's Jetstream, Reddit, YouTube, TikTok, Instagram and Threads: each platform's
/// total from the API must equal, exactly, the number of distinct matching posts the simulator served
/// and the number it holds, with overlapping pages, federated copies, repeated and broken stream
/// frames, dropped connections, 429s (and Meta's throttling codes), malformed pages, and Instagram's
/// whole day read again on every poll in no order under one unchanging cursor, in the run.
/// </summary>
public sealed class SimulatedHourTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public Task CountsEveryServedPostExactlyOnce() => RunAsync(killMidRun: false);

    [SkippableFact]
    public Task CountsEveryServedPostExactlyOnceAcrossAKillAndRestart() => RunAsync(killMidRun: true);

    private async Task RunAsync(bool killMidRun)
    {
        RedisServer.Connect();
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            o.StartOffset = TimeSpan.FromHours(-1);
            o.ClockOffset = TimeSpan.FromHours(-1);
            o.Speed = 60;
            o.Duration = TimeSpan.FromHours(1);
            o.SurgeAtMinute = 20;
            o.SurgePeakPerMinute = 200;
            o.SurgeHalfLifeMinutes = 8;
            o.ForcedFaults = true;
            // An hour in a minute: 15-minute request windows sized for real time would run dry at
            // once; 429s still come, injected.
            o.RequestsPerWindow = 100_000;
            o.Seed = killMidRun ? 7 : 11;
        }, Scenarios.Unmetered);
        var environment = simulator.WorkerSettings(RedisServer.UniquePrefix(killMidRun ? "e2ekill" : "e2e"));
        Scenarios.PollEverySecond(environment);

        var worker = WorkerProcess.Start(environment);
        try
        {
            await worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            var hashtags = (await worker.HashtagsAsync(Campaign)).ToList();
            var query = CampaignQueries.Hashtags(hashtags);
            var clock = Stopwatch.StartNew();

            if (killMidRun)
            {
                // Kill while the surge is being read: some pages committed, more to come.
                await WaitUntilAsync(async () => (await simulator.StatsAsync(query)).GetProperty("served_unique").GetInt32() > 300, clock);
                worker.Kill();
                output.WriteLine($"killed the worker at {clock.Elapsed} with {await worker.TotalAsync(Campaign, "x")} counted on X");
                await Task.Delay(TimeSpan.FromSeconds(2));
                var port = worker.BaseAddress.Port;
                await worker.DisposeAsync();
                worker = WorkerProcess.Start(environment, port);
                await worker.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
            }

            JsonElement stats = default, mastodon = default, bluesky = default, reddit = default, youtube = default, tiktok = default, instagram = default, threads = default;
            long total = -1, mastodonTotal = -1, blueskyTotal = -1, redditTotal = -1, youtubeTotal = -1, tiktokTotal = -1, instagramTotal = -1, threadsTotal = -1;
            await WaitUntilAsync(async () =>
            {
                // The worker's totals first, then the simulator's stats: a post is served before it is
                // counted, so stats read afterwards hold everything counted. Read the other way round,
                // a page served and counted between the two reads makes an exact count look one over.
                total = await worker.TotalAsync(Campaign, "x");
                mastodonTotal = await worker.TotalAsync(Campaign, "mastodon");
                blueskyTotal = await worker.TotalAsync(Campaign, "bluesky");
                redditTotal = await worker.TotalAsync(Campaign, "reddit");
                youtubeTotal = await worker.TotalAsync(Campaign, "youtube");
                tiktokTotal = await worker.TotalAsync(Campaign, "tiktok");
                instagramTotal = await worker.TotalAsync(Campaign, "instagram");
                threadsTotal = await worker.TotalAsync(Campaign, "threads");
                stats = await simulator.StatsAsync(query);
                mastodon = await simulator.MastodonStatsAsync(hashtags);
                bluesky = await simulator.PlatformStatsAsync("bluesky", hashtags);
                reddit = await simulator.PlatformStatsAsync("reddit", hashtags);
                youtube = await simulator.PlatformStatsAsync("youtube", hashtags);
                tiktok = await simulator.PlatformStatsAsync("tiktok", hashtags);
                instagram = await simulator.PlatformStatsAsync("instagram", hashtags);
                threads = await simulator.PlatformStatsAsync("threads", hashtags);
                return stats.GetProperty("ended").GetBoolean()
                    && total == stats.GetProperty("matching_so_far").GetInt64()
                    && mastodonTotal == mastodon.GetProperty("matching_so_far").GetInt64()
                    && blueskyTotal == bluesky.GetProperty("matching_so_far").GetInt64()
                    && redditTotal == Reachable(reddit)
                    && youtubeTotal == youtube.GetProperty("matching_so_far").GetInt64()
                    && tiktokTotal == tiktok.GetProperty("matching_so_far").GetInt64()
                    && instagramTotal == instagram.GetProperty("matching_so_far").GetInt64()
                    && threadsTotal == threads.GetProperty("matching_so_far").GetInt64();
            }, clock);

            output.WriteLine($"after {clock.Elapsed}: counted {total} on X, {mastodonTotal} on Mastodon, {blueskyTotal} on Bluesky, {redditTotal} on Reddit, {youtubeTotal} on YouTube, {tiktokTotal} on TikTok, {instagramTotal} on Instagram, {threadsTotal} on Threads; simulator: {stats} {mastodon} {bluesky} {reddit} {youtube} {tiktok} {instagram} {threads}");
            Assert.True(stats.GetProperty("served_unique").GetInt64() == total, $"X: counted {total}, served {stats}");
            Assert.True(stats.GetProperty("served_total").GetInt64() > total, "pages overlapped, so some posts were served more than once");
            Assert.True(stats.GetProperty("rate_limited").GetInt32() >= 1, "the run met a 429");
            Assert.True(stats.GetProperty("malformed").GetInt32() >= 1, "the run met a malformed page");
            Assert.True(mastodon.GetProperty("served_unique").GetInt64() == mastodonTotal, $"Mastodon: counted {mastodonTotal}, served {mastodon}");
            Assert.True(mastodon.GetProperty("served_total").GetInt64() > mastodonTotal, "federated copies were served by several instances");
            Assert.True(mastodon.GetProperty("rate_limited").GetInt32() >= 1, "the Mastodon run met a 429");
            Assert.True(mastodon.GetProperty("malformed").GetInt32() >= 1, "the Mastodon run met a malformed page");
            Assert.True(bluesky.GetProperty("served_unique").GetInt64() == blueskyTotal, $"Bluesky: counted {blueskyTotal}, served {bluesky}");
            Assert.True(bluesky.GetProperty("dropped").GetInt32() >= 1, "Jetstream dropped a connection");
            Assert.True(bluesky.GetProperty("malformed").GetInt32() >= 1, "Jetstream sent a broken frame");
            Assert.True(reddit.GetProperty("served_unique").GetInt64() == redditTotal, $"Reddit: counted {redditTotal}, served {reddit}");
            if (!killMidRun)
            {
                Assert.Equal(0, reddit.GetProperty("out_of_reach").GetInt64());
            }

            Assert.True(reddit.GetProperty("rate_limited").GetInt32() >= 1, "the Reddit run met a 429");
            Assert.True(reddit.GetProperty("malformed").GetInt32() >= 1, "the Reddit run met a malformed listing");
            Assert.True(youtube.GetProperty("served_unique").GetInt64() == youtubeTotal, $"YouTube: counted {youtubeTotal}, served {youtube}");
            Assert.True(youtube.GetProperty("served_total").GetInt64() > youtubeTotal, "YouTube pages overlapped, and the lag re-read videos");
            Assert.True(youtube.GetProperty("malformed").GetInt32() >= 1, "the YouTube run met a malformed page");
            Assert.Equal(0, youtube.GetProperty("key_in_query").GetInt32());
            Assert.True(tiktok.GetProperty("served_unique").GetInt64() == tiktokTotal, $"TikTok: counted {tiktokTotal}, served {tiktok}");
            Assert.True(tiktok.GetProperty("served_total").GetInt64() > tiktokTotal, "each sweep read the day's videos again");
            Assert.True(tiktok.GetProperty("rate_limited").GetInt32() >= 1, "the TikTok run met a 429");
            Assert.True(tiktok.GetProperty("malformed").GetInt32() >= 1, "the TikTok run met a malformed page");
            Assert.True(instagram.GetProperty("served_unique").GetInt64() == instagramTotal, $"Instagram: counted {instagramTotal}, served {instagram}");
            Assert.True(instagram.GetProperty("served_total").GetInt64() > 2 * instagramTotal, "Instagram's day was read again and again, each media counted once");
            Assert.True(instagram.GetProperty("rate_limited").GetInt32() >= 1, "the Instagram run met a throttle");
            Assert.True(instagram.GetProperty("malformed").GetInt32() >= 1, "the Instagram run met a malformed page");
            Assert.True(threads.GetProperty("served_unique").GetInt64() == threadsTotal, $"Threads: counted {threadsTotal}, served {threads}");
            Assert.True(threads.GetProperty("rate_limited").GetInt32() >= 1, "the Threads run met a throttle");
            Assert.True(threads.GetProperty("malformed").GetInt32() >= 1, "the Threads run met a malformed page");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"X: counted {await worker.TotalAsync(Campaign, "x")}, simulator {await simulator.StatsAsync(CampaignQueries.Hashtags(await worker.HashtagsAsync(Campaign)))}");
            output.WriteLine($"Mastodon: counted {await worker.TotalAsync(Campaign, "mastodon")}, simulator {await simulator.MastodonStatsAsync(await worker.HashtagsAsync(Campaign))}");
            foreach (var platform in new[] { "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads" })
            {
                output.WriteLine($"{platform}: counted {await worker.TotalAsync(Campaign, platform)}, simulator {await simulator.PlatformStatsAsync(platform, await worker.HashtagsAsync(Campaign))}");
            }

            output.WriteLine(worker.Output);
            throw;
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }

    /// <summary>
    /// The matching posts a reader could still reach: Reddit's listing stops at the newest 1,000,
    /// so a surge during the restart can push unread posts out of it.
    /// </summary>
    private static long Reachable(JsonElement stats) =>
        stats.GetProperty("matching_so_far").GetInt64() - stats.GetProperty("out_of_reach").GetInt64();

    private static Task WaitUntilAsync(Func<Task<bool>> condition, Stopwatch clock) =>
        Eventually.HoldsAsync(condition, clock, RunLimit, TimeSpan.FromMilliseconds(500));
}
