using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using HazaraMonitor.Worker.Platforms.Bluesky;
using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace HazaraMonitor.Benchmarks;

/// <summary>
/// The Jetstream consumer against the simulator's Jetstream (a separate process, so the CPU time
/// measured here is the consumer's alone): an hour of Bluesky replayed as fast as the socket
/// carries it, consumed, filtered and committed to Redis. Beside it, in the same run, the two
/// baselines: the socket alone (no processing: the ceiling), and a naive consumer that parses
/// each event into a JSON DOM and commits each matching post on its own.
/// </summary>
internal static class JetstreamBenchmark
{
    private const string Campaign = "stop-hazara-genocide";

    public static async Task<int> RunAsync(string redisConfiguration, Uri simulator)
    {
        using var http = new HttpClient { BaseAddress = simulator };
        var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var (timelineStart, timelineEnd) = await TimelineAsync(http);
        var from = timelineStart.ToUnixTimeMilliseconds() * 1000;
        var uri = JetstreamClient.SubscribeUri(new Uri(simulator, "jetstream/subscribe").ToString().Replace("http", "ws", StringComparison.Ordinal), from);
        Console.WriteLine($"HazaraMonitor Jetstream benchmark: {Environment.ProcessorCount} cores, Redis {redisConfiguration}, simulator {simulator}, timeline {timelineStart:HH:mm}-{timelineEnd:HH:mm} UTC");

        // A first pass warms the simulator's generated minutes and the JIT, and finds where the hour ends.
        var (events, lastTimeUs) = await ReadRawAsync(uri, untilUs: null);
        var raw = await MeasureAsync("socket only (no parsing, no Redis)", () => ReadRawAsync(uri, lastTimeUs));
        var hashtags = await HashtagsAsync(redisConfiguration, simulator);
        var matching = (await http.GetFromJsonAsync<JsonElement>($"/sim/bluesky/stats?tags={Uri.EscapeDataString(string.Join(',', hashtags))}")).GetProperty("matching_so_far").GetInt64();
        Console.WriteLine($"  {events:N0} events, {matching:N0} carry the campaign's hashtags");

        var naive = await MeasureAsync("naive: JSON DOM, one commit per post", () => NaiveAsync(uri, redis, hashtags, lastTimeUs));
        // The worker's services are built before the clock starts: what is measured is the consumer.
        var prefix = "benchjs" + Guid.NewGuid().ToString("N")[..8];
        await using var worker = WorkerApp.Create(Settings(redisConfiguration, simulator, prefix));
        await worker.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync();
        var consumer = await MeasureAsync("HazaraMonitor JetstreamConsumer", () => ConsumerAsync(worker, lastTimeUs));
        await BenchRedis.DeleteAsync(redis, prefix);

        Console.WriteLine();
        Console.WriteLine($"{"consumer",-40} {"events",9} {"seconds",8} {"events/s",10} {"CPU ms/1k",10} {"core at 5k/s",13} {"counted",9}");
        Row(raw.Name, raw.Seconds, raw.Cpu, null);
        Row(naive.Name, naive.Seconds, naive.Cpu, naive.Value.Counted);
        Row(consumer.Name, consumer.Seconds, consumer.Cpu, consumer.Value);

        void Row(string name, double seconds, TimeSpan cpu, long? counted)
        {
            var perThousand = cpu.TotalMilliseconds / (events / 1000.0);
            var check = counted is { } c ? (c == matching ? $"{c:N0} ok" : $"{c:N0} MISMATCH") : "-";
            Console.WriteLine($"{name,-40} {events,9:N0} {seconds,8:F2} {events / seconds,10:N0} {perThousand,10:F1} {perThousand * 5 / 1000,12:P0} {check,9}");
        }

        return naive.Value.Counted == matching && consumer.Value == matching ? 0 : 1;
    }

    private sealed record Measured<T>(string Name, T Value, double Seconds, TimeSpan Cpu);

    private static async Task<Measured<T>> MeasureAsync<T>(string name, Func<Task<T>> run)
    {
        Console.Write($"{name}: ");
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var value = await run();
        clock.Stop();
        process.Refresh();
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:F2} s");
        return new Measured<T>(name, value, clock.Elapsed.TotalSeconds, process.TotalProcessorTime - cpu);
    }

    /// <summary>Receives frames until <paramref name="untilUs"/>, or until nothing arrives for a second when it is null.</summary>
    private static async Task<(long Events, long LastTimeUs)> ReadRawAsync(Uri uri, long? untilUs)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        long events = 0, last = 0;
        using var idle = new CancellationTokenSource();
        try
        {
            while (true)
            {
                // The replay is over when nothing arrives for a second.
                idle.CancelAfter(TimeSpan.FromSeconds(1));
                var result = await socket.ReceiveAsync(buffer, idle.Token);
                if (!idle.TryReset())
                {
                    break;
                }

                if (result.EndOfMessage)
                {
                    events++;
                    last = TimeUs(buffer.AsSpan(0, result.Count), last);
                    if (last >= untilUs)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Idle: done.
        }

        return (events, last);
    }

    /// <summary>The time_us of a frame that fits the buffer; enough to find where the replay ends.</summary>
    private static long TimeUs(ReadOnlySpan<byte> frame, long previous)
    {
        var reader = new Utf8JsonReader(frame);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("time_us"u8) && reader.Read())
            {
                return reader.GetInt64();
            }
        }

        return previous;
    }

    private static async Task<(long Counted, long Unused)> NaiveAsync(Uri uri, ConnectionMultiplexer redis, IReadOnlyList<string> hashtags, long lastTimeUs)
    {
        var prefix = "naivejs" + Guid.NewGuid().ToString("N")[..8];
        var store = new RedisCountStore(redis, new RedisOptions { KeyPrefix = prefix });
        var campaign = new Campaign(Campaign, Campaign, hashtags, [BlueskyPlatform.Id]);
        var now = TimeProvider.System.GetUtcNow();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            var root = document.RootElement;
            var timeUs = root.GetProperty("time_us").GetInt64();
            if (root.TryGetProperty("commit", out var commit) && commit.GetProperty("operation").GetString() == "create" && commit.TryGetProperty("record", out var record))
            {
                var text = record.GetProperty("text").GetString() ?? string.Empty;
                var tags = HashtagNormalizerText(record, text);
                var post = new Post(BlueskyPlatform.Id, $"at://{root.GetProperty("did").GetString()}/app.bsky.feed.post/{commit.GetProperty("rkey").GetString()}",
                    root.GetProperty("did").GetString()!, record.GetProperty("createdAt").GetDateTimeOffset(), text, null, tags, default);
                if (campaign.Match(post.Hashtags).Count > 0)
                {
                    await store.CommitAsync(BatchAggregator.Aggregate(campaign, BlueskyPlatform.Id, [post], now, TimeSpan.FromDays(8)), JetstreamConsumer.Stream,
                        timeUs.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
                }
            }

            if (timeUs >= lastTimeUs)
            {
                break;
            }
        }

        var counted = await TotalAsync(store, campaign.Id);
        await BenchRedis.DeleteAsync(redis, prefix);
        return (counted, 0);
    }

    private static List<string> HashtagNormalizerText(JsonElement record, string text)
    {
        var tags = new List<string>(HazaraMonitor.Core.Hashtags.HashtagNormalizer.Extract(text));
        if (record.TryGetProperty("tags", out var extra))
        {
            tags.AddRange(extra.EnumerateArray().Select(t => HazaraMonitor.Core.Hashtags.HashtagNormalizer.Normalize(t.GetString())));
        }

        return tags;
    }

    private static async Task<long> ConsumerAsync(WebApplication worker, long lastTimeUs)
    {
        var consumer = ActivatorUtilities.CreateInstance<JetstreamConsumer>(worker.Services);
        var cursors = worker.Services.GetRequiredService<RedisCursorStore>();
        await consumer.StartAsync(CancellationToken.None);
        while (await cursors.GetCursorAsync(Campaign, BlueskyPlatform.Id, JetstreamConsumer.Stream, CancellationToken.None) is not { } cursor
            || long.Parse(cursor, CultureInfo.InvariantCulture) < lastTimeUs)
        {
            await Task.Delay(20);
        }

        await consumer.StopAsync(CancellationToken.None);
        return await TotalAsync(worker.Services.GetRequiredService<RedisCountStore>(), Campaign);
    }

    private static string[] Settings(string redisConfiguration, Uri simulator, string prefix) =>
    [
        $"--HazaraMonitor:Redis:Configuration={redisConfiguration}",
        $"--HazaraMonitor:Redis:KeyPrefix={prefix}",
        $"--HazaraMonitor:Platforms:Bluesky:JetstreamUrl={new Uri(simulator, "jetstream/subscribe").ToString().Replace("http", "ws", StringComparison.Ordinal)}",
        "--HazaraMonitor:Platforms:Bluesky:InitialLookback=03:00:00",
        "--HazaraMonitor:Platforms:Bluesky:ReplayOverlap=00:00:00",
        "--HazaraMonitor:Platforms:X:BearerToken=unused",
        "--HazaraMonitor:Platforms:Reddit:ClientId=unused",
        "--HazaraMonitor:Platforms:Reddit:ClientSecret=unused",
        "--HazaraMonitor:Platforms:YouTube:ApiKey=unused",
        "--HazaraMonitor:Platforms:TikTok:ClientKey=unused",
        "--HazaraMonitor:Platforms:TikTok:ClientSecret=unused",
        "--HazaraMonitor:Platforms:Instagram:UserId=1",
        "--HazaraMonitor:Platforms:Instagram:AccessToken=unused",
        "--HazaraMonitor:Platforms:Threads:AccessToken=unused",
        "--Logging:LogLevel:Default=Warning",
    ];

    private static async Task<IReadOnlyList<string>> HashtagsAsync(string redisConfiguration, Uri simulator)
    {
        await using var worker = WorkerApp.Create(Settings(redisConfiguration, simulator, "unused"));
        return [.. worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!.Hashtags.Select(h => h.Display)];
    }

    private static async Task<(DateTimeOffset Start, DateTimeOffset End)> TimelineAsync(HttpClient http)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>("/sim/x/stats?query=%23StopHazaraGenocide");
        return (stats.GetProperty("timeline_start").GetDateTimeOffset(), stats.GetProperty("timeline_end").GetDateTimeOffset());
    }

    private static async Task<long> TotalAsync(RedisCountStore store, string campaign)
    {
        var now = TimeProvider.System.GetUtcNow();
        return (await store.GetSeriesAsync(campaign, Resolution.Day, now.AddDays(-2), now.AddDays(1), [BlueskyPlatform.Id], null, CancellationToken.None)).Sum(p => p.Count);
    }
}
