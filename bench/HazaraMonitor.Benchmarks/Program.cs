using System.CommandLine;
using System.Diagnostics;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Platforms.X;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Benchmarks;
using StackExchange.Redis;

// Ingest benchmark: X-shaped JSON pages through parse -> normalize -> aggregate -> one atomic Redis
// commit per page, beside a naive writer that awaits one Redis call per post per bucket field.
// Jetstream benchmark (--jetstream <simulator URL>): see JetstreamBenchmark.
// Detection benchmark (--detection-minutes N): see DetectionBenchmark.
// Cost benchmark (--cost-hours N): see CostBenchmark.
// Soak (--soak-minutes N with what scripts/bench.sh soak starts): see SoakBenchmark.
// Usage: scripts/bench.sh [--posts 400000] [--naive-posts 20000] [--streams 4]; scripts/bench.sh jetstream; scripts/bench.sh detection; scripts/bench.sh cost
var settings = Arguments.Parse(args);
if (settings is null)
{
    return 2;
}

if (settings.Help)
{
    return 0;
}

if (settings.DetectionMinutes is { } minutes)
{
    return await DetectionBenchmark.RunAsync(settings.Redis, minutes);
}

if (settings.SoakMinutes is { } soakMinutes)
{
    return await SoakBenchmark.RunAsync(
        new Uri(settings.SoakSimulator!), [.. settings.SoakWorkers!.Split(',').Select(w => new Uri(w))], [.. settings.SoakPids!.Split(',').Select(int.Parse)], soakMinutes);
}

if (settings.CostHours is { } hours)
{
    return await CostBenchmark.RunAsync(settings.Redis, hours);
}

if (settings.Jetstream is { } simulator)
{
    return await JetstreamBenchmark.RunAsync(settings.Redis, new Uri(simulator));
}

var redis = await ConnectionMultiplexer.ConnectAsync(settings.Redis);
var now = TimeProvider.System.GetUtcNow();
var start = Resolution.Hour.Start(now) - TimeSpan.FromHours(2);
var dedupe = TimeSpan.FromDays(8);

Console.WriteLine($"HazaraMonitor ingest benchmark: {Environment.ProcessorCount} cores, Redis {settings.Redis}, {settings.Posts:N0} posts in pages of 100 (every 4th page repeats 5 posts)");

// A short warm-up so the JIT's tiering is not measured.
await RunStreamsAsync(20_000, 1, 1, "warm-up");

// Pipelined: each stream is one campaign read page after page, as the worker does (one atomic
// commit per page); streams run side by side. Then the same with 10 pages (1,000 posts) per commit,
// the batch size of a streaming source.
var results = new List<Result>
{
    await RunStreamsAsync(settings.Posts, 1, 1, "pipelined, 1 stream, 1 page/commit"),
    await RunStreamsAsync(settings.Posts, settings.Streams, 1, $"pipelined, {settings.Streams} streams, 1 page/commit"),
    await RunStreamsAsync(settings.Posts, settings.Streams, 10, $"pipelined, {settings.Streams} streams, 10 pages/commit"),
};
// Naive: the same kind of data, one awaited call per post per bucket field.
var naive = await RunNaiveAsync(settings.NaivePosts);

Console.WriteLine();
Console.WriteLine($"{"writer",-44} {"posts",10} {"seconds",8} {"posts/s",10} {"vs naive",9}");
foreach (var r in results.Append(naive))
{
    Console.WriteLine($"{r.Name,-44} {r.Posts,10:N0} {r.Seconds,8:F2} {r.PerSecond,10:N0} {r.PerSecond / naive.PerSecond,8:F0}x");
}

return 0;

async Task<Result> RunStreamsAsync(int posts, int streams, int pagesPerCommit, string name)
{
    var perStream = posts / streams;
    var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
    var options = new RedisOptions { KeyPrefix = prefix };
    var store = new RedisCountStore(redis, options);
    var inputs = Enumerable.Range(0, streams).Select(s => XPageFactory.Create(perStream, 100, 4, start, seed: s)).ToList();
    var campaigns = Enumerable.Range(0, streams).Select(s => Campaign($"campaign-{s}")).ToList();
    Console.Write($"{name}: ");

    var clock = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
    {
        var cursor = SweepCursor.Empty;
        foreach (var group in inputs[s].Pages.Chunk(pagesPerCommit))
        {
            var posts = new List<Post>(group.Length * 100);
            foreach (var bytes in group)
            {
                var page = XApiClient.ParseSearchPage(bytes, RateLimitInfo.None);
                posts.AddRange(page.Posts);
                cursor = cursor.After(page.Newest, page.NextPage);
            }

            var batch = BatchAggregator.Aggregate(campaigns[s], XPlatform.Id, posts, now, dedupe);
            await store.CommitAsync(batch, SweepCursor.Stream, cursor.Serialize(), CancellationToken.None);
        }
    }));
    await Task.WhenAll(tasks);
    clock.Stop();

    // Exactly once: the stored totals equal the distinct posts fed in, whatever the overlaps.
    long counted = 0;
    foreach (var campaign in campaigns)
    {
        counted += (await store.GetSeriesAsync(campaign.Id, Resolution.Day, start, now.AddDays(1), campaign.Platforms, null, CancellationToken.None)).Sum(p => p.Count);
    }

    var distinct = inputs.Sum(i => i.DistinctPosts);
    Console.WriteLine(counted == distinct ? $"verified: counted {counted:N0} = distinct {distinct:N0}" : $"MISMATCH: counted {counted:N0}, distinct {distinct:N0}");
    await BenchRedis.DeleteAsync(redis, prefix);
    return new Result(name, distinct, clock.Elapsed.TotalSeconds);
}

async Task<Result> RunNaiveAsync(int posts)
{
    var prefix = "naive" + Guid.NewGuid().ToString("N")[..8];
    var keys = new RedisKeySchema(prefix);
    var campaign = Campaign("naive");
    var db = redis.GetDatabase();
    var (pages, distinct) = XPageFactory.Create(posts, 100, 4, start, seed: 99);
    Console.Write("naive, one awaited call per post per field: ");

    var clock = Stopwatch.StartNew();
    foreach (var bytes in pages)
    {
        var page = XApiClient.ParseSearchPage(bytes, RateLimitInfo.None);
        foreach (var post in page.Posts)
        {
            var matched = campaign.Match(post.Hashtags);
            if (matched.Count == 0 || !await db.SetAddAsync(keys.Seen(campaign.Id, XPlatform.Id, Resolution.Day.Start(post.CreatedAt)), post.Id))
            {
                continue;
            }

            foreach (var resolution in Buckets.All)
            {
                var key = keys.Bucket(campaign.Id, resolution, resolution.Start(post.CreatedAt));
                await db.HashIncrementAsync(key, RedisKeySchema.TotalField(XPlatform.Id));
                await db.HashIncrementAsync(key, RedisKeySchema.LanguageField(XPlatform.Id, BatchAggregator.NormalizeLanguage(post.Language)));
                foreach (var tag in matched)
                {
                    await db.HashIncrementAsync(key, RedisKeySchema.CountField(XPlatform.Id, tag));
                }

                if (resolution != Resolution.Minute)
                {
                    await db.HyperLogLogAddAsync(keys.Authors(campaign.Id, resolution, resolution.Start(post.CreatedAt), XPlatform.Id), post.AuthorId);
                }
            }
        }
    }

    clock.Stop();
    var counted = (await new RedisCountStore(redis, new RedisOptions { KeyPrefix = prefix })
        .GetSeriesAsync(campaign.Id, Resolution.Day, start, now.AddDays(1), campaign.Platforms, null, CancellationToken.None)).Sum(p => p.Count);
    Console.WriteLine(counted == distinct ? $"verified: counted {counted:N0} = distinct {distinct:N0}" : $"MISMATCH: counted {counted:N0}, distinct {distinct:N0}");
    await BenchRedis.DeleteAsync(redis, prefix);
    return new Result("naive, one awaited call per post per field", distinct, clock.Elapsed.TotalSeconds);
}

Campaign Campaign(string id) => new(id, id, ["StopHazaraGenocide", "HazaraGenocide", "StopHazaraKilling", "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647", "Kabul"], [XPlatform.Id]);

internal sealed record Result(string Name, int Posts, double Seconds)
{
    public double PerSecond => Posts / Seconds;
}

internal sealed record Arguments(
    string Redis, int Posts, int NaivePosts, int Streams, string? Jetstream, int? DetectionMinutes, int? CostHours, int? SoakMinutes, string? SoakSimulator, string? SoakWorkers, string? SoakPids, bool Help)
{
    private static readonly Option<string> RedisOption = new("--redis") { Description = "the benchmark's Redis", DefaultValueFactory = _ => "127.0.0.1:16380" };
    private static readonly Option<int> PostsOption = Positive("--posts", "posts through the pipelined writer", 400_000);
    private static readonly Option<int> NaivePostsOption = Positive("--naive-posts", "posts through the naive writer (the baseline)", 20_000);
    private static readonly Option<int> StreamsOption = Positive("--streams", "campaigns written side by side", 4);
    private static readonly Option<string?> JetstreamOption = new("--jetstream") { Description = "run the Jetstream benchmark against this simulator URL" };
    private static readonly Option<int?> DetectionMinutesOption = new("--detection-minutes") { Description = "run the detection benchmark over this many judged minutes" };
    private static readonly Option<int?> CostHoursOption = new("--cost-hours") { Description = "run the cost benchmark over this many simulated hours of a surge day" };
    private static readonly Option<int?> SoakMinutesOption = new("--soak-minutes") { Description = "run the soak benchmark for this many minutes (scripts/bench.sh soak starts what it watches)" };
    private static readonly Option<string?> SoakSimulatorOption = new("--soak-simulator") { Description = "the soak's simulator URL" };
    private static readonly Option<string?> SoakWorkersOption = new("--soak-workers") { Description = "the soak's worker URLs, comma-separated" };
    private static readonly Option<string?> SoakPidsOption = new("--soak-pids") { Description = "the soak's worker process ids, comma-separated, in the same order" };

    /// <summary>The parsed arguments; null after a usage error (printed), and <see cref="Help"/> when --help or --version was asked for (and printed).</summary>
    public static Arguments? Parse(string[] args)
    {
        var root = new RootCommand("HazaraMonitor benchmarks: ingest (default), Jetstream, detection, cost, soak")
        {
            RedisOption, PostsOption, NaivePostsOption, StreamsOption, JetstreamOption, DetectionMinutesOption, CostHoursOption,
            SoakMinutesOption, SoakSimulatorOption, SoakWorkersOption, SoakPidsOption,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine(string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.'))) + " (--help for the usage)");
            return null;
        }

        var help = parsed.Action is not null && parsed.Invoke() == 0;
        return new Arguments(parsed.GetValue(RedisOption)!, parsed.GetValue(PostsOption), parsed.GetValue(NaivePostsOption), parsed.GetValue(StreamsOption),
            parsed.GetValue(JetstreamOption), parsed.GetValue(DetectionMinutesOption), parsed.GetValue(CostHoursOption),
            parsed.GetValue(SoakMinutesOption), parsed.GetValue(SoakSimulatorOption), parsed.GetValue(SoakWorkersOption), parsed.GetValue(SoakPidsOption), help);
    }

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"{name} must be a positive number");
            }
        });
        return option;
    }
}
