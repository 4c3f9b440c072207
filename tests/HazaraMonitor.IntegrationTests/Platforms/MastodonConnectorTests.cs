using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Worker.Platforms.Mastodon;
using HazaraMonitor.Simulator.Mastodon;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The Mastodon client and poll job over real HTTP against the simulator's three instances, real Redis.</summary>
public sealed class MastodonConnectorTests
{
    private const string Campaign = "stop-hazara-genocide";
    private static readonly string[] Group = ["StopHazaraGenocide", "HazaraGenocide", "StopHazaraKilling", "StopKillingHazaras"];

    [SkippableFact]
    public async Task PagesForwardWithMinIdAndKeepsTheAnyTagsTheLinkHeaderDrops()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(PagesForwardWithMinIdAndKeepsTheAnyTagsTheLinkHeaderDrops));
        var client = worker.Services.GetRequiredService<MastodonClient>();
        var instance = new Uri(simulator.BaseAddress, "mastodon/a");

        var uris = new List<string>();
        var pages = 0;
        string? minId = "0";
        MastodonPage page;
        do
        {
            page = await client.TagTimelineAsync(instance, null, Group, minId, CancellationToken.None);
            uris.AddRange(page.Posts.Select(p => p.Id));
            minId = page.MinId ?? minId;
            pages++;
        }
        while (page.Full);

        var keys = Group.Select(t => HashtagNormalizer.Normalize(t)).ToHashSet();
        var expected = simulator.Timeline.Between(simulator.Clock.TimelineStart, simulator.Clock.Now)
            .Where(p => p.HashtagKeys.Any(keys.Contains) && MastodonEndpoints.IdOn(p, 0) is not null)
            .Select(MastodonEndpoints.Uri).ToHashSet();
        Assert.True(pages >= 3, $"expected several pages, got {pages}");
        Assert.Equal(expected.Count, uris.Count);
        Assert.Equal(expected, uris.ToHashSet());
        // Posts that carry only the any[] tags, not the path tag, are there too.
        Assert.Contains(uris, uri => simulator.Timeline.Between(simulator.Clock.TimelineStart, simulator.Clock.Now)
            .Single(p => MastodonEndpoints.Uri(p) == uri).HashtagKeys.Contains("hazaragenocide"));
    }

    [SkippableFact]
    public async Task NamesAnAuthorTheSameOnEveryInstanceAPostIsReadFrom()
    {
        // A post federated to other instances is one author wherever it is read, so unique authors are not inflated.
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(NamesAnAuthorTheSameOnEveryInstanceAPostIsReadFrom));
        var client = worker.Services.GetRequiredService<MastodonClient>();

        var authorsByUri = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var name in new[] { "a", "b", "c" })
        {
            string? minId = "0";
            MastodonPage page;
            do
            {
                page = await client.TagTimelineAsync(new Uri(simulator.BaseAddress, "mastodon/" + name), null, Group, minId, CancellationToken.None);
                foreach (var post in page.Posts)
                {
                    authorsByUri.TryAdd(post.Id, new HashSet<string>(StringComparer.Ordinal));
                    authorsByUri[post.Id].Add(post.AuthorId);
                }

                minId = page.MinId ?? minId;
            }
            while (page.Full);
        }

        var timeline = simulator.Timeline.Between(simulator.Clock.TimelineStart, simulator.Clock.Now).ToDictionary(MastodonEndpoints.Uri, p => p.AuthorId);
        Assert.All(authorsByUri.Values, names => Assert.Single(names));
        Assert.Equal(authorsByUri.Keys.Select(uri => timeline[uri]).Distinct().Count(), authorsByUri.Values.Select(n => n.Single()).Distinct().Count());
    }

    [SkippableFact]
    public async Task ReadsTheIsoResetTimeOfA429()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RateLimited(resetSeconds: 3));
        await using var worker = InProcessWorker.Create(simulator, nameof(ReadsTheIsoResetTimeOfA429));
        var client = worker.Services.GetRequiredService<MastodonClient>();

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() =>
            client.TagTimelineAsync(new Uri(simulator.BaseAddress, "mastodon/b"), null, Group, null, CancellationToken.None));

        Assert.Equal(PollOutcome.RateLimited, failure.Outcome);
        Assert.InRange(failure.RetryAt!.Value, TimeProvider.System.GetUtcNow().AddSeconds(1), TimeProvider.System.GetUtcNow().AddSeconds(5));
        Assert.Contains("Too many requests", failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CallsATruncatedTimelineMalformedAndLeavesTheCursor()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.Malformed);
        await using var worker = InProcessWorker.Create(simulator, nameof(CallsATruncatedTimelineMalformedAndLeavesTheCursor));
        var job = worker.Services.GetRequiredService<MastodonTimelineJob>();

        var failure = Assert.IsType<PlatformRequestException>(await job.RunAsync(Campaign, "0", CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
        Assert.Equal(0, await TotalAsync(worker));
    }

    [SkippableFact]
    public async Task ARefusedTokenPausesOnlyThatInstance()
    {
        await using var simulator = await SimulatorHost.StartAsync(
            Scenarios.FinishedSurge, s => s.Configure<MastodonSimulationOptions>(m => m.AccessToken = "instance-token"));
        await using var worker = InProcessWorker.Create(simulator, nameof(ARefusedTokenPausesOnlyThatInstance),
            extra: "--HazaraMonitor:Platforms:Mastodon:Instances:0:AccessToken=instance-token");
        var job = worker.Services.GetRequiredService<MastodonTimelineJob>();

        Assert.Null(await job.RunAsync(Campaign, "0", CancellationToken.None));
        var refused = await job.FailsOnceThenWaitsAsync(Campaign, PollOutcome.AuthFailed, target: "1");
        Assert.Null(await job.RunAsync(Campaign, "0", CancellationToken.None));

        Assert.Equal(1, (await simulator.MastodonStatsAsync(Group)).GetProperty("unauthorized").GetInt32());
        Assert.DoesNotContain("instance-token", refused.ToString(), StringComparison.Ordinal);
        Assert.True(await TotalAsync(worker) > 0);
    }

    [SkippableFact]
    public async Task CountsAPostFederatedToSeveralInstancesOnceAcrossARestart()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        var prefix = RedisServer.UniquePrefix(nameof(CountsAPostFederatedToSeveralInstancesOnceAcrossARestart));
        string[] onePage = ["--HazaraMonitor:Platforms:Mastodon:MaxPagesPerPoll=1"];

        // One page per poll, then a "restart" (a new worker on the same data) that goes on from the cursors.
        await using (var before = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage))
        {
            var job = before.Services.GetRequiredService<MastodonTimelineJob>();
            foreach (var instance in new[] { "0", "1", "2" })
            {
                Assert.Null(await job.RunAsync(Campaign, instance, CancellationToken.None));
            }
        }

        await using var after = InProcessWorker.CreateOnPrefix(simulator, prefix, "simulator-token", onePage);
        var resumed = after.Services.GetRequiredService<MastodonTimelineJob>();
        var hashtags = after.Hashtags(Campaign);
        for (var round = 0; round < 40 && await TotalAsync(after) < (await simulator.MastodonStatsAsync(hashtags)).GetProperty("matching_so_far").GetInt64(); round++)
        {
            foreach (var instance in new[] { "0", "1", "2" })
            {
                Assert.Null(await resumed.RunAsync(Campaign, instance, CancellationToken.None));
            }
        }

        var stats = await simulator.MastodonStatsAsync(hashtags);
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt64(), await TotalAsync(after));
        Assert.True(stats.GetProperty("on_several_instances").GetInt64() > 0);
        Assert.True(stats.GetProperty("served_total").GetInt64() > await TotalAsync(after), "federated copies were served more than once");
    }

    [SkippableFact]
    public async Task StoresTheLargestDailyVolumeAnyInstanceReports()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(StoresTheLargestDailyVolumeAnyInstanceReports));
        var job = worker.Services.GetRequiredService<MastodonTagHistoryJob>();
        var hashtags = worker.Hashtags(Campaign);

        foreach (var instance in new[] { "0", "1", "2" })
        {
            Assert.Null(await job.RunAsync(Campaign, instance, CancellationToken.None));
        }

        // The expectation from the wire itself: per instance the day's uses summed over the tags, then the largest.
        var expected = new Dictionary<DateTimeOffset, long>();
        foreach (var instance in MastodonEndpoints.Instances)
        {
            var perDay = new Dictionary<DateTimeOffset, long>();
            foreach (var tag in hashtags)
            {
                var body = await simulator.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/mastodon/{instance}/api/v1/tags/{Uri.EscapeDataString(tag)}");
                foreach (var day in body.GetProperty("history").EnumerateArray())
                {
                    var start = DateTimeOffset.FromUnixTimeSeconds(long.Parse(day.GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                    perDay[start] = perDay.GetValueOrDefault(start) + long.Parse(day.GetProperty("uses").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            foreach (var (day, uses) in perDay)
            {
                expected[day] = Math.Max(expected.GetValueOrDefault(day), uses);
            }
        }

        var store = worker.Services.GetRequiredService<RedisCountStore>();
        Assert.Contains(expected.Values, v => v > 0);
        foreach (var (day, uses) in expected)
        {
            var bucket = (await store.GetBucketAsync(Campaign, Resolution.Day, day, CancellationToken.None)).GetValueOrDefault(MastodonPlatform.Id);
            Assert.Equal(uses, bucket.Reported);
        }
    }

    private static Task<long> TotalAsync(InProcessWorker worker) => worker.TotalAsync(Campaign, MastodonPlatform.Id);
}
