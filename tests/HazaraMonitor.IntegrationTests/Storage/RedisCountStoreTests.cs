using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Worker.Platforms.Mastodon;
using HazaraMonitor.Worker.Platforms.Reddit;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Storage;

public sealed class RedisCountStoreTests
{
    /// <summary>The start of the current hour: a fixed date would fall out of the dedupe window (8 days) and the ids' sets expire as they are written.</summary>
    private static readonly DateTimeOffset Now = Resolution.Hour.Start(TimeProvider.System.GetUtcNow());

    /// <summary>The minute <see cref="Now"/> starts.</summary>
    private static readonly DateTimeOffset Minute = Resolution.Minute.Start(Now);

    // نسل_کشی_هزاره
    private const string PersianTag = "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647";

    private static readonly Campaign Campaign = new("stop-hazara-genocide", "Stop", ["StopHazaraGenocide", PersianTag], [XPlatform.Id]);

    private static (RedisCountStore Store, IDatabase Db, RedisOptions Options) NewStore(string test)
    {
        var connection = RedisServer.Connect();
        var options = new RedisOptions { KeyPrefix = RedisServer.UniquePrefix(test) };
        return (new RedisCountStore(connection, options), connection.GetDatabase(), options);
    }

    /// <summary>The cursor a commit of <paramref name="options"/>' deployment moved.</summary>
    private static Task<string?> CursorAsync(RedisOptions options) =>
        new RedisCursorStore(RedisServer.Connect(), options).GetCursorAsync(Campaign.Id, XPlatform.Id, "search", CancellationToken.None);

    private static Post Post(int id, int secondsAgo = 0, string tag = "StopHazaraGenocide", string author = "a") =>
        new(XPlatform.Id, id.ToString(System.Globalization.CultureInfo.InvariantCulture), author + id % 5, Now.AddSeconds(-secondsAgo), "t", "en", [HashtagNormalizer.Normalize(tag)], default);

    private static IngestBatch Batch(IEnumerable<Post> posts) =>
        BatchAggregator.Aggregate(Campaign, XPlatform.Id, posts, Now, TimeSpan.FromDays(8));

    /// <summary>Records that X reported <paramref name="count"/> posts in <see cref="Minute"/>.</summary>
    private static Task ReportAsync(RedisCountStore store, long count) =>
        store.SetReportedAsync(Campaign.Id, XPlatform.Id, [new ReportedCount(Resolution.Minute, Minute, count)], CancellationToken.None);

    private static async Task<long> TotalAsync(RedisCountStore store, string? hashtag = null) =>
        (await store.GetSeriesAsync(Campaign.Id, Resolution.Day, Now.AddDays(-2), Now.AddDays(1), Campaign.Platforms, hashtag, CancellationToken.None)).Sum(p => p.Count);

    [SkippableFact]
    public async Task CountsEachPostOnceAcrossOverlappingBatches()
    {
        var (store, _, _) = NewStore(nameof(CountsEachPostOnceAcrossOverlappingBatches));

        var first = await store.CommitAsync(Batch(Enumerable.Range(1, 10).Select(i => Post(i, i))), "search", null, CancellationToken.None);
        var second = await store.CommitAsync(Batch(Enumerable.Range(5, 11).Select(i => Post(i, i))), "search", null, CancellationToken.None);

        Assert.Equal((10, 0), (first.New, first.Duplicates));
        Assert.Equal((5, 6), (second.New, second.Duplicates));
        Assert.Equal(["11", "12", "13", "14", "15"], second.NewPosts.Order(StringComparer.Ordinal));
        Assert.Equal(15, await TotalAsync(store));
        var minutes = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Now.AddMinutes(-1), Now.AddMinutes(1), [XPlatform.Id], null, CancellationToken.None);
        Assert.Equal([15, 0], minutes.Select(p => p.Count)); // 11:59 holds them all; 12:00 none
    }

    [SkippableFact]
    public async Task CommittingTheSameBatchTwiceChangesNothing()
    {
        var (store, db, options) = NewStore(nameof(CommittingTheSameBatchTwiceChangesNothing));
        var batch = Batch([Post(1), Post(2, tag: PersianTag), Post(3, 70)]);

        await store.CommitAsync(batch, "search", "cursor-1", CancellationToken.None);
        var before = await SnapshotAsync(db, options.KeyPrefix);
        var again = await store.CommitAsync(batch, "search", "cursor-1", CancellationToken.None);
        var after = await SnapshotAsync(db, options.KeyPrefix);

        Assert.Equal((0, 3), (again.New, again.Duplicates));
        Assert.Equal(before, after);
        Assert.Equal(3, await TotalAsync(store));
        Assert.Equal(1, await TotalAsync(store, HashtagNormalizer.Normalize(PersianTag)));
    }

    [SkippableFact]
    public async Task MovesTheCursorInTheSameStepAsTheCounts()
    {
        var (store, _, options) = NewStore(nameof(MovesTheCursorInTheSameStepAsTheCounts));

        await store.CommitAsync(Batch([Post(1), Post(2)]), "search", "after-page-1", CancellationToken.None);
        Assert.Equal("after-page-1", await CursorAsync(options));
        Assert.Equal(2, await TotalAsync(store));

        // An empty page still moves the cursor; a commit without a cursor leaves it.
        await store.CommitAsync(Batch([]), "search", "after-page-2", CancellationToken.None);
        await store.CommitAsync(Batch([Post(3)]), "search", null, CancellationToken.None);

        Assert.Equal("after-page-2", await CursorAsync(options));
        Assert.Equal(3, await TotalAsync(store));
    }

    [SkippableFact]
    public async Task AFailedCommitWritesNeitherCountsNorSeenIdsNorCursor()
    {
        var (store, db, options) = NewStore(nameof(AFailedCommitWritesNeitherCountsNorSeenIdsNorCursor));
        await store.CommitAsync(Batch([Post(1)]), "search", "before", CancellationToken.None);
        // A foreign value where the day bucket lives: the script must refuse before writing anything.
        await db.StringSetAsync(store.Keys.Bucket(Campaign.Id, Resolution.Day, Resolution.Day.Start(Now)), "not a hash");
        var before = await SnapshotAsync(db, options.KeyPrefix);

        await Assert.ThrowsAsync<RedisServerException>(() => store.CommitAsync(Batch([Post(2), Post(3)]), "search", "after", CancellationToken.None));

        Assert.Equal(before, await SnapshotAsync(db, options.KeyPrefix));
        Assert.Equal("before", await CursorAsync(options));
    }

    [SkippableFact]
    public async Task SetsARetentionOnEveryKeyItWrites()
    {
        var (store, db, options) = NewStore(nameof(SetsARetentionOnEveryKeyItWrites));
        await store.CommitAsync(Batch([Post(1)]), "search", null, CancellationToken.None);

        foreach (var resolution in Buckets.All)
        {
            var start = resolution.Start(Now);
            var expiry = await db.KeyExpireTimeAsync(store.Keys.Bucket(Campaign.Id, resolution, start));
            Assert.Equal((start + resolution.Width() + options.RetentionOf(resolution)).UtcDateTime, expiry);
        }

        var seenExpiry = await db.KeyExpireTimeAsync(store.Keys.Seen(Campaign.Id, XPlatform.Id, Minute));
        Assert.Equal((Resolution.Day.Start(Now) + TimeSpan.FromDays(1) + options.DedupeWindow).UtcDateTime, seenExpiry);
        Assert.NotNull(await db.KeyExpireTimeAsync(store.Keys.Authors(Campaign.Id, Resolution.Hour, Resolution.Hour.Start(Now), XPlatform.Id)));
    }

    [SkippableFact]
    public async Task CountsDistinctAuthorsPerHourAndPlatform()
    {
        var (store, _, _) = NewStore(nameof(CountsDistinctAuthorsPerHourAndPlatform));

        // Authors a0..a4, each posting eight times, all between 11:59:20 and 11:59:59.
        await store.CommitAsync(Batch(Enumerable.Range(1, 40).Select(i => Post(i, i))), "search", null, CancellationToken.None);
        var hour = Resolution.Hour.Start(Now.AddSeconds(-1));

        Assert.Equal(5, await store.CountAuthorsAsync(Campaign.Id, Resolution.Hour, hour, [XPlatform.Id], CancellationToken.None));
        Assert.Equal(5, await store.CountAuthorsAsync(Campaign.Id, Resolution.Day, Resolution.Day.Start(hour), Campaign.Platforms, CancellationToken.None));
        Assert.Equal(0, await store.CountAuthorsAsync(Campaign.Id, Resolution.Hour, hour.AddHours(1), [XPlatform.Id], CancellationToken.None));
    }

    [SkippableFact]
    public async Task KeepsReportedVolumeBesideTheCountedOne()
    {
        var (store, _, _) = NewStore(nameof(KeepsReportedVolumeBesideTheCountedOne));
        await store.CommitAsync(Batch([Post(1), Post(2)]), "search", null, CancellationToken.None);

        await ReportAsync(store, 5);
        await ReportAsync(store, 7);

        var points = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Minute.AddMinutes(-1), Minute.AddMinutes(1), Campaign.Platforms, null, CancellationToken.None);
        Assert.Equal([new SeriesPoint(Minute.AddMinutes(-1), 0, null), new SeriesPoint(Minute, 2, 7)], points);
        var byTag = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Minute, Minute.AddMinutes(1), Campaign.Platforms, "stophazaragenocide", CancellationToken.None);
        Assert.Equal([new SeriesPoint(Minute, 2, null)], byTag);
    }

    [SkippableFact]
    public async Task SumsOnlyThePlatformsItIsAskedFor()
    {
        // A platform turned off keeps its old buckets; the campaign's series must not sum them.
        var (store, _, _) = NewStore(nameof(SumsOnlyThePlatformsItIsAskedFor));
        await store.CommitAsync(Batch([Post(1), Post(2)]), "search", null, CancellationToken.None);
        await ReportAsync(store, 7);

        var withX = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Minute, Minute.AddMinutes(1), [XPlatform.Id, RedditPlatform.Id], null, CancellationToken.None);
        var withoutX = await store.GetSeriesAsync(Campaign.Id, Resolution.Minute, Minute, Minute.AddMinutes(1), [MastodonPlatform.Id, RedditPlatform.Id], null, CancellationToken.None);

        Assert.Equal([new SeriesPoint(Minute, 2, 7)], withX);
        Assert.Equal([new SeriesPoint(Minute, 0, null)], withoutX);
    }

    [SkippableFact]
    public async Task KnowsHowCompleteAMinuteIsFromItsPolls()
    {
        var (store, _, _) = NewStore(nameof(KnowsHowCompleteAMinuteIsFromItsPolls));

        foreach (var ok in new[] { true, true, true, false })
        {
            await store.RecordPollAsync(Campaign.Id, XPlatform.Id, Minute.AddSeconds(10), ok, CancellationToken.None);
        }

        await store.CommitAsync(Batch([Post(1, -5)]), "search", null, CancellationToken.None);
        var bucket = (await store.GetBucketAsync(Campaign.Id, Resolution.Minute, Minute, CancellationToken.None))[XPlatform.Id];
        Assert.Equal(0.75, bucket.Completeness);
        Assert.Equal(1, bucket.Count);
        Assert.Null((await store.GetBucketAsync(Campaign.Id, Resolution.Minute, Minute.AddMinutes(1), CancellationToken.None)).GetValueOrDefault(XPlatform.Id).Completeness);
    }

    private static async Task<string> SnapshotAsync(IDatabase db, string prefix)
    {
        var server = db.Multiplexer.GetServers()[0];
        var lines = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: prefix + ":*"))
        {
            var type = await db.KeyTypeAsync(key);
            var value = type switch
            {
                RedisType.Hash => string.Join(",", (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}").Order(StringComparer.Ordinal)),
                RedisType.Set => string.Join(",", (await db.SetMembersAsync(key)).Select(v => v.ToString()).Order(StringComparer.Ordinal)),
                RedisType.SortedSet => string.Join(",", (await db.SortedSetRangeByRankWithScoresAsync(key)).Select(e => $"{e.Element}={e.Score}")),
                _ => (await db.StringGetAsync(key)).ToString(),
            };
            lines.Add($"{key} {type} {value}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }
}
