using HazaraMonitor.Simulator;

namespace HazaraMonitor.IntegrationTests.Platforms;

/// <summary>The X client over real HTTP against the simulator, through the worker's own registration (resilience included).</summary>
public sealed class XConnectorTests
{
    private const string Query = "#StopHazaraGenocide OR #HazaraGenocide";

    private static void FinishedSurge(SimulatorOptions o)
    {
        Scenarios.FinishedSurge(o);
        o.OverlapShare = 0.5;
    }

    /// <summary>No since_id yet, and a start_time older than recent search reaches: everything it has.</summary>
    private static SweepCursor Start => SweepCursor.Empty with { StartTime = DateTimeOffset.UnixEpoch };

    [SkippableFact]
    public async Task FollowsNextTokenThroughEveryPageNewestFirst()
    {
        await using var simulator = await SimulatorHost.StartAsync(FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(FollowsNextTokenThroughEveryPageNewestFirst));
        var client = worker.Services.GetRequiredService<XApiClient>();

        var (pages, ids) = await ReadAllAsync(client, Start);
        var stats = await simulator.StatsAsync(Query);

        Assert.True(pages >= 3, $"expected several pages, got {pages}");
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt32(), ids.Distinct().Count());
        Assert.Equal(stats.GetProperty("served_total").GetInt32(), ids.Count);
        Assert.True(ids.Count > ids.Distinct().Count(), "the simulator overlaps pages; the test must see duplicates");
    }

    [SkippableFact]
    public async Task AsksOnlyForPostsNewerThanSinceId()
    {
        await using var simulator = await SimulatorHost.StartAsync(FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(AsksOnlyForPostsNewerThanSinceId));
        var client = worker.Services.GetRequiredService<XApiClient>();
        var (_, all) = await ReadAllAsync(client, Start);
        var ordered = all.Distinct().Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        var middle = ordered[ordered.Count / 2];

        var (_, newer) = await ReadAllAsync(client, new SweepCursor(middle.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null));

        Assert.All(newer, id => Assert.True(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) > middle));
        Assert.Equal(ordered.Count(id => id > middle), newer.Distinct().Count());
    }

    [SkippableFact]
    public async Task RefusesPostsWithoutCreatedAtAloneAndKeepsTheirPagesAndRateLimitHeaders()
    {
        await using var simulator = await SimulatorHost.StartAsync(FinishedSurge, s => s.Configure<XSimulationOptions>(x => x.WithoutCreatedAtShare = 0.1));
        await using var worker = InProcessWorker.Create(simulator, nameof(RefusesPostsWithoutCreatedAtAloneAndKeepsTheirPagesAndRateLimitHeaders));
        var client = worker.Services.GetRequiredService<XApiClient>();

        var cursor = Start;
        var read = new HashSet<string>(StringComparer.Ordinal);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await client.SearchRecentAsync(Query, cursor, CancellationToken.None);
            Assert.NotNull(page.RateLimit.Remaining);
            Assert.NotNull(page.RateLimit.Reset);
            read.UnionWith(page.Posts.Select(p => p.Id));
            refused.UnionWith(page.Refused ?? []);
            cursor = cursor.After(page.Newest, page.NextPage);
        }
        while (cursor.InSweep);

        var stats = await simulator.StatsAsync(Query);
        var withoutTime = stats.GetProperty("served_without_created_at").GetInt32();
        Assert.True(withoutTime > 0, "the simulator must serve posts without created_at");
        Assert.Equal(withoutTime, refused.Count);
        Assert.Equal(stats.GetProperty("matching_so_far").GetInt32() - withoutTime, read.Count);
    }

    [SkippableFact]
    public async Task ReportsA429WithItsResetInEitherBodyShape()
    {
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            FinishedSurge(o);
            o.RateLimitedShare = 1;
            o.RateLimitResetSeconds = 3;
        });
        await using var worker = InProcessWorker.Create(simulator, nameof(ReportsA429WithItsResetInEitherBodyShape));
        var client = worker.Services.GetRequiredService<XApiClient>();

        var first = await Assert.ThrowsAsync<PlatformRequestException>(() => client.SearchRecentAsync(Query, Start, CancellationToken.None));
        var second = await Assert.ThrowsAsync<PlatformRequestException>(() => client.SearchRecentAsync(Query, Start, CancellationToken.None));

        foreach (var failure in new[] { first, second })
        {
            Assert.Equal(PollOutcome.RateLimited, failure.Outcome);
            Assert.Equal(429, failure.StatusCode);
            Assert.InRange(failure.RetryAt!.Value, TimeProvider.System.GetUtcNow().AddSeconds(1), TimeProvider.System.GetUtcNow().AddSeconds(5));
        }

        // One problem-details body, one v1.1-style errors[] body: both read.
        Assert.Contains("Too Many Requests", first.Message, StringComparison.Ordinal);
        Assert.Contains("Rate limit exceeded", second.Message, StringComparison.Ordinal);
        // 429 is not retried by the resilience pipeline: exactly two requests reached the simulator.
        Assert.Equal(2, (await simulator.StatsAsync(Query)).GetProperty("search_requests").GetInt32());
    }

    [SkippableFact]
    public async Task CallsATruncatedPageMalformed()
    {
        await using var simulator = await SimulatorHost.StartAsync(o =>
        {
            FinishedSurge(o);
            o.MalformedShare = 1;
        });
        await using var worker = InProcessWorker.Create(simulator, nameof(CallsATruncatedPageMalformed));
        var client = worker.Services.GetRequiredService<XApiClient>();

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => client.SearchRecentAsync(Query, Start, CancellationToken.None));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [SkippableFact]
    public async Task ReportsARefusedTokenAsAnAuthFailureWithoutTheToken()
    {
        await using var simulator = await SimulatorHost.StartAsync(FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, nameof(ReportsARefusedTokenAsAnAuthFailureWithoutTheToken), bearerToken: "revoked-secret-token");
        var client = worker.Services.GetRequiredService<XApiClient>();

        var failure = await Assert.ThrowsAsync<PlatformRequestException>(() => client.SearchRecentAsync(Query, Start, CancellationToken.None));

        Assert.Equal(PollOutcome.AuthFailed, failure.Outcome);
        Assert.Equal(401, failure.StatusCode);
        Assert.DoesNotContain("revoked-secret-token", failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Pages, List<string> Ids)> ReadAllAsync(XApiClient client, SweepCursor cursor)
    {
        var ids = new List<string>();
        var pages = 0;
        do
        {
            var page = await client.SearchRecentAsync(Query, cursor, CancellationToken.None);
            var pageIds = page.Posts.Select(p => long.Parse(p.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(pageIds.OrderDescending(), pageIds);
            ids.AddRange(page.Posts.Select(p => p.Id));
            cursor = cursor.After(page.Newest, page.NextPage);
            pages++;
        }
        while (cursor.InSweep);

        return (pages, ids);
    }
}
