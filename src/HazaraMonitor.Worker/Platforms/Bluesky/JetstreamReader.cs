using System.Threading.Channels;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>
/// What <see cref="JetstreamConsumer"/> does with one connection, storage aside: events go from the
/// client through a bounded read-ahead buffer into the connection's <see cref="JetstreamBatch"/>,
/// which is handed to <c>commit</c> whenever <c>FlushInterval</c> has passed or a campaign's batch is
/// full, and once more when the connection ends, before its failure is passed on. One reader serves
/// every connection of a consumer, because the malformed-frame rule spans reconnects.
/// </summary>
internal sealed class JetstreamReader(IJetstreamClient client, TimeSpan flushInterval, HazaraMonitorMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>A malformed frame seen this many times at the same committed cursor is skipped (and counted) instead of reconnecting forever.</summary>
    public const int MalformedRetries = 3;

    /// <summary>Events read ahead of the commits; a full buffer slows the socket (backpressure) instead of growing memory.</summary>
    private const int ReadAhead = 10_000;

    private long _malformedCursor = -1;
    private int _malformedSeen;

    /// <summary>
    /// Reads one connection to its end, committing as it goes. Throws <see cref="JetstreamMalformedException"/>
    /// at a frame that is not an event (unless it is skipped), and the client's exception when the
    /// connection failed; returns when the server closed it.
    /// </summary>
    public async Task ReadAsync(Uri subscribeUri, JetstreamBatch batch, Func<JetstreamBatch, CancellationToken, Task> commit, CancellationToken stoppingToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var buffer = Channel.CreateBounded<JetstreamItem>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        var reading = ReadIntoAsync(subscribeUri, buffer.Writer, connection.Token);
        try
        {
            await CommitLoopAsync(buffer.Reader, batch, commit, stoppingToken);
        }
        finally
        {
            await connection.CancelAsync();
            await reading;
        }
    }

    private async Task ReadIntoAsync(Uri subscribeUri, ChannelWriter<JetstreamItem> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in client.ReadAsync(subscribeUri, cancellationToken))
            {
                await writer.WriteAsync(item, cancellationToken);
            }

            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    private async Task CommitLoopAsync(ChannelReader<JetstreamItem> reader, JetstreamBatch batch, Func<JetstreamBatch, CancellationToken, Task> commit, CancellationToken stoppingToken)
    {
        var flushAt = time.GetUtcNow() + flushInterval;
        while (true)
        {
            var full = false;
            while (!full && reader.TryRead(out var item))
            {
                full = Add(batch, item);
            }

            var now = time.GetUtcNow();
            if (full || now >= flushAt)
            {
                await commit(batch, stoppingToken);
                flushAt = time.GetUtcNow() + flushInterval;
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(flushAt - now);
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception)
            {
                // The connection failed: commit what it delivered, then let the caller reconnect.
                await commit(batch, stoppingToken);
                throw;
            }

            if (!more)
            {
                await commit(batch, stoppingToken);
                return;
            }
        }
    }

    /// <summary>Adds one event; true when a campaign's batch is full.</summary>
    private bool Add(JetstreamBatch batch, JetstreamItem item)
    {
        if (item.Error is { } error)
        {
            // Reconnecting replays the frame from the last commit; a frame that is malformed every
            // time is skipped after a few tries and counted, never silently.
            if (batch.Cursor == _malformedCursor && ++_malformedSeen >= MalformedRetries)
            {
                metrics.StreamEvents(BlueskyPlatform.Id, "malformed", 1);
                Log.StreamFrameSkipped(logger, BlueskyPlatform.Id.Name, batch.Cursor, error);
                return false;
            }

            if (batch.Cursor != _malformedCursor)
            {
                _malformedCursor = batch.Cursor;
                _malformedSeen = 1;
            }

            metrics.StreamEvents(BlueskyPlatform.Id, "malformed", 1);
            throw new JetstreamMalformedException(error, batch.Events);
        }

        return batch.Add(item);
    }
}

/// <summary>A frame that is not an event ended the connection, after <paramref name="events"/> events.</summary>
internal sealed class JetstreamMalformedException(string message, long events) : Exception(message)
{
    public long Events { get; } = events;
}
