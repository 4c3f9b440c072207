using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Worker.Platforms.Mastodon;

namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>What the commit stores for the campaign page: the counter group, top posts, co-hashtags, and the totals read back.</summary>
public sealed class RedisCampaignTotalsTests
{
    /// <summary>Half past the current hour: a fixed date would leave the dedupe window and its ids' sets expire as they are written.</summary>
    private static readonly DateTimeOffset Now = Resolution.Hour.Start(TimeProvider.System.GetUtcNow()).AddMinutes(30);

    private static readonly DateTimeOffset Hour = Resolution.Hour.Start(Now);

    private static readonly Campaign Campaign = new("totals", "Totals", ["StopHazaraGenocide", "HazaraGenocide"], [XPlatform.Id, MastodonPlatform.Id], ["CounterTag"]);

    private static RedisCountStore NewStore(string test) =>
        new(RedisServer.Connect(), new RedisOptions { KeyPrefix = RedisServer.UniquePrefix(test) });

    private static Post Post(string id, string[] tags, long likes = 0, string author = "a", string? language = "fa", Platform? platform = null, int minutesAgo = 0) =>
        new(platform ?? XPlatform.Id, id, author, Now.AddMinutes(-minutesAgo), "text of " + id, language, [.. tags.Select(t => HashtagNormalizer.Normalize(t))],
            new Engagement(likes, 0, 0, 0), "https://example.test/" + id);

    private static Task<CommitResult> CommitAsync(RedisCountStore store, params Post[] posts) =>
        store.CommitAsync(BatchAggregator.Aggregate(Campaign, posts[0].Platform, posts, Now, TimeSpan.FromDays(8)), "search", null, CancellationToken.None);

    private static Task<CampaignTotals> TotalsAsync(RedisCountStore store, Resolution resolution) =>
        store.GetTotalsAsync(Campaign.Id, resolution, Hour, Hour.AddHours(1), Campaign.Platforms, CancellationToken.None);

    [SkippableFact]
    public async Task CountsTheCounterGroupApartFromTheCampaign()
    {
        var store = NewStore(nameof(CountsTheCounterGroupApartFromTheCampaign));
        await CommitAsync(store,
            Post("own1", ["StopHazaraGenocide"], author: "p1"),
            Post("own2", ["HazaraGenocide"], author: "p2", language: "en"),
            Post("counter", ["CounterTag"], author: "c1", language: "de"),
            Post("both", ["StopHazaraGenocide", "CounterTag"], author: "p3"));

        foreach (var resolution in new[] { Resolution.Hour, Resolution.Day })
        {
            var totals = await TotalsAsync(store, resolution);
            var x = totals.Platforms[XPlatform.Id];
            Assert.Equal((3L, 2L), (x.Volume, x.Counter));
            Assert.Equal(3, totals.Authors); // the counter-only post's author is not the campaign's
            Assert.Equal(new Dictionary<string, long> { ["fa"] = 2, ["en"] = 1 }, totals.Languages);
            Assert.Equal(2, totals.Hashtags[HashtagNormalizer.Normalize("StopHazaraGenocide")]);
            Assert.Equal(2, totals.Hashtags[HashtagNormalizer.Normalize("CounterTag")]);
        }

        var total = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Now, Now.AddMinutes(1), Campaign.Platforms, null, CancellationToken.None);
        var counter = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Now, Now.AddMinutes(1), Campaign.Platforms, RedisKeySchema.CounterSuffix, CancellationToken.None);
        var farsi = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Now, Now.AddMinutes(1), Campaign.Platforms, RedisKeySchema.LanguagePrefix + "fa", CancellationToken.None);
        Assert.Equal([3L, 2L, 2L], new[] { total, counter, farsi }.Select(s => s.Single().Count));
    }

    [SkippableFact]
    public async Task KeepsTheTenMostEngagingPostsOfEachBucketWithTheirNewestEngagement()
    {
        var store = NewStore(nameof(KeepsTheTenMostEngagingPostsOfEachBucketWithTheirNewestEngagement));
        await CommitAsync(store, [.. Enumerable.Range(1, 8).Select(i => Post($"x{i}", ["StopHazaraGenocide"], likes: i * 10))]);
        await CommitAsync(store, [.. Enumerable.Range(1, 6).Select(i => Post($"m{i}", ["StopHazaraGenocide"], likes: (i * 10) + 5, platform: MastodonPlatform.Id))]);
        // Read again later with more likes: its score rises; a counter-only post never ranks.
        await CommitAsync(store, Post("x1", ["StopHazaraGenocide"], likes: 1000), Post("c", ["CounterTag"], likes: 5000));

        var totals = await TotalsAsync(store, Resolution.Hour);
        Assert.Equal(BatchAggregator.TopPostsPerBucket, totals.TopPosts.Count);
        // x1 (10 likes) fell out when the Mastodon posts came, and came back with its 1,000; x3 (30) is now the one out.
        Assert.Equal(["x:x1", "x:x8", "x:x7", "mastodon:m6", "x:x6"], totals.TopPosts.Take(5).Select(p => $"{p.Platform}:{p.Id}"));
        Assert.Equal([1000L, 80, 70, 65, 60, 55, 50, 45, 40, 35], totals.TopPosts.Select(p => p.Engagement));
        var first = totals.TopPosts[0];
        Assert.Equal(("https://example.test/x1", "text of x1", "fa", Now), (first.Url, first.Text, first.Language, first.CreatedAt));
        Assert.Equal(totals.TopPosts.Select(p => p.Id), (await TotalsAsync(store, Resolution.Day)).TopPosts.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task CountsCoHashtagsOfNewPostsOnce()
    {
        var store = NewStore(nameof(CountsCoHashtagsOfNewPostsOnce));
        Post[] posts = [Post("1", ["StopHazaraGenocide", "Afghanistan", "Kabul"]), Post("2", ["HazaraGenocide", "Afghanistan"]), Post("3", ["CounterTag", "Elsewhere"])];

        await CommitAsync(store, posts);
        await CommitAsync(store, posts); // read again: nothing more

        var totals = await TotalsAsync(store, Resolution.Hour);
        Assert.Equal([new("afghanistan", 2), new KeyValuePair<string, long>("kabul", 1)], totals.CoHashtags);

        // Kept as long as their buckets: the hour's 90 days after it ends, the day's 3 years.
        var db = RedisServer.Connect().GetDatabase();
        var options = new RedisOptions();
        foreach (var (resolution, start) in new[] { (Resolution.Hour, Hour), (Resolution.Day, Resolution.Day.Start(Now)) })
        {
            foreach (var key in new[] { store.Keys.CoHashtags(Campaign.Id, resolution, start), store.Keys.TopPosts(Campaign.Id, resolution, start), store.Keys.TopPostDetails(Campaign.Id, resolution, start) })
            {
                Assert.Equal(options.ExpiresAt(resolution, start).ToUnixTimeSeconds(), new DateTimeOffset((await db.KeyExpireTimeAsync(key))!.Value).ToUnixTimeSeconds());
            }
        }
    }

    [SkippableFact]
    public async Task NamesAtMostTwoHundredCoHashtagsPerBucketAndCountsTheRestAsOther()
    {
        var store = NewStore(nameof(NamesAtMostTwoHundredCoHashtagsPerBucketAndCountsTheRestAsOther));
        var posts = Enumerable.Range(0, RedisKeySchema.CoHashtagsPerBucket + 20).Select(i => Post($"p{i}", ["StopHazaraGenocide", $"tag{i}"])).ToArray();

        await CommitAsync(store, posts);

        var fields = await RedisServer.Connect().GetDatabase().HashGetAllAsync(store.Keys.CoHashtags(Campaign.Id, Resolution.Hour, Hour));
        Assert.Equal(RedisKeySchema.CoHashtagsPerBucket, fields.Count(f => f.Name != "*"));
        Assert.Equal(20, (long)fields.Single(f => f.Name == "*").Value);
    }

    [SkippableFact]
    public async Task AnHourPointCarriesItsCompletenessAndItsAuthors()
    {
        var store = NewStore(nameof(AnHourPointCarriesItsCompletenessAndItsAuthors));
        foreach (var ok in new[] { true, true, true, false })
        {
            await store.RecordPollAsync(Campaign.Id, XPlatform.Id, Now, ok, CancellationToken.None);
        }

        await CommitAsync(store, Post("1", ["StopHazaraGenocide"], author: "a"), Post("2", ["StopHazaraGenocide"], author: "b"), Post("3", ["StopHazaraGenocide"], author: "a"));

        var hour = await store.GetSeriesAsync(Campaign.Id, Resolution.Hour, Hour, Hour.AddHours(1), Campaign.Platforms, null, CancellationToken.None);
        var minute = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Now, Now.AddMinutes(1), Campaign.Platforms, null, CancellationToken.None);
        Assert.Equal(new SeriesPoint(Hour, 3, null, null, 0.75, 2), hour.Single());
        Assert.Equal(new SeriesPoint(Now, 3, null, null, 0.75, null), minute.Single());
        var totals = await TotalsAsync(store, Resolution.Hour);
        Assert.Equal((3L, 1L), (totals.Platforms[XPlatform.Id].PollsOk, totals.Platforms[XPlatform.Id].PollsFailed));
    }
}
