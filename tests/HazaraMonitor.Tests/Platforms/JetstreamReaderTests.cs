using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Worker.Platforms.Bluesky;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HazaraMonitor.Tests.Platforms;

/// <summary>
/// The Jetstream consumer's handling of each connection, driven by a scripted client instead of a
/// socket: what it commits, when, and what it does with frames that do not parse.
/// </summary>
public sealed class JetstreamReaderTests : IDisposable
{
    private static readonly Uri Subscribe = JetstreamClient.SubscribeUri("ws://127.0.0.1:1/subscribe", 0);
    private static readonly Campaign Campaign = new("stop-hazara-genocide", "Stop", ["StopHazaraGenocide"], [BlueskyPlatform.Id]);
    private static readonly JetstreamItem Broken = new(0, null, "Jetstream sent an event that is not valid JSON.");

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<CampaignGauges>().AddSingleton(new CampaignCatalog([])).AddSingleton<HazaraMonitorMetrics>().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 25, 14, 0, 0, TimeSpan.Zero));

    /// <summary>Each commit as the consumer would make it: the cursor, and the posts pending for the campaign.</summary>
    private readonly List<(long Cursor, int Posts)> _commits = [];

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task SkipsAFrameThatIsMalformedOnEveryReplayAndCountsEachTime()
    {
        var jetstream = new ScriptedJetstream([Post(100), Broken, Post(200)]);
        var reader = Reader(jetstream);
        using var events = Events();

        // Every reconnect replays the same events up to the broken frame.
        for (var connection = 1; connection < JetstreamReader.MalformedRetries; connection++)
        {
            var malformed = await Assert.ThrowsAsync<JetstreamMalformedException>(() => ReadAsync(reader));
            Assert.Equal(1, malformed.Events);
        }

        await ReadAsync(reader);

        Assert.Equal(JetstreamReader.MalformedRetries, jetstream.Connections);
        // Nothing is committed from a connection a broken frame ended; the one that skipped it commits both posts.
        Assert.Equal([(200L, 2)], _commits);
        Assert.Equal(JetstreamReader.MalformedRetries, Malformed(events));
    }

    [Fact]
    public async Task StartsCountingAgainWhenAFrameBreaksAtAnotherCursor()
    {
        var reader = Reader(new ScriptedJetstream(
            [Post(100), Broken],
            [Post(100), Broken],
            // A third broken frame, but after another event: another frame, tried again.
            [Post(100), Post(150), Broken],
            // Back at the first cursor, counted from one again.
            [Post(100), Broken]));

        for (var connection = 1; connection <= 4; connection++)
        {
            await Assert.ThrowsAsync<JetstreamMalformedException>(() => ReadAsync(reader));
        }

        Assert.Empty(_commits);
    }

    [Fact]
    public async Task CommitsWhatADroppedConnectionDeliveredBeforePassingTheDropOn()
    {
        var drop = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        var reader = Reader(new ScriptedJetstream([Post(100), new JetstreamItem(200, null)]) { Drop = drop });

        var failure = await Assert.ThrowsAsync<WebSocketException>(() => ReadAsync(reader));

        Assert.Same(drop, failure);
        Assert.Equal([(200L, 1)], _commits);
    }

    [Fact]
    public async Task CommitsAtOnceWhenACampaignsBatchIsFull()
    {
        var reader = Reader(new ScriptedJetstream([Post(100), Post(200), Post(300)]));

        // The flush interval (an hour) never passes: only a full batch and the connection's end commit.
        await ReadAsync(reader, maxBatch: 2);

        Assert.Equal([(200L, 2), (300L, 1)], _commits);
    }

    /// <summary>A post carrying the campaign's hashtag, seen at <paramref name="timeUs"/>.</summary>
    private JetstreamItem Post(long timeUs) =>
        new(timeUs, new Post(BlueskyPlatform.Id, $"at://did:plc:a/app.bsky.feed.post/{timeUs}", "did:plc:a", _time.GetUtcNow(), "#StopHazaraGenocide", "en",
            [HashtagNormalizer.Normalize("StopHazaraGenocide")], default));

    private JetstreamReader Reader(IJetstreamClient jetstream) =>
        new(jetstream, TimeSpan.FromHours(1), _services.GetRequiredService<HazaraMonitorMetrics>(), _time, NullLogger.Instance);

    /// <summary>One connection from cursor 0, committed the way the consumer commits: only a batch that changed, then cleared.</summary>
    private Task ReadAsync(JetstreamReader reader, int maxBatch = 1000) =>
        reader.ReadAsync(Subscribe, new JetstreamBatch([Campaign], 0, maxBatch), (batch, _) =>
        {
            if (batch.Changed)
            {
                _commits.Add((batch.Cursor, batch.Pending.Single().Posts.Count));
                batch.Clear();
            }

            return Task.CompletedTask;
        }, CancellationToken.None);

    private MetricCollector<long> Events() =>
        new(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), HazaraMonitorMetrics.MeterName, "hazaramonitor.stream.events");

    private static long Malformed(MetricCollector<long> events) =>
        events.GetMeasurementSnapshot().Where(m => Equals(m.Tags[HazaraMonitorMetrics.KindTag], "malformed")).Sum(m => m.Value);

    /// <summary>
    /// Serves each connection its frames (the last list again for every later connection), then
    /// closes it, or drops it with <see cref="Drop"/>.
    /// </summary>
    private sealed class ScriptedJetstream(params IReadOnlyList<JetstreamItem>[] connections) : IJetstreamClient
    {
        public int Connections { get; private set; }

        public Exception? Drop { get; init; }

        public async IAsyncEnumerable<JetstreamItem> ReadAsync(Uri subscribeUri, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var frames = connections[Math.Min(Connections, connections.Length - 1)];
            Connections++;
            foreach (var frame in frames)
            {
                await Task.Yield();
                yield return frame;
            }

            if (Drop is not null)
            {
                throw Drop;
            }
        }
    }
}
