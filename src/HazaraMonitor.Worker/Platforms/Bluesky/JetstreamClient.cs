using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>One Jetstream event as the consumer needs it: its cursor, and the post when it created one.</summary>
/// <param name="TimeUs">The event's <c>time_us</c>: where a reconnect resumes; 0 for a malformed frame.</param>
/// <param name="Post">The created post; null for every other event (identity, account, delete, update).</param>
/// <param name="Error">Why the frame is not an event, or null.</param>
public readonly record struct JetstreamItem(long TimeUs, Post? Post, string? Error = null);

/// <summary>Reads Jetstream for the consumer; <see cref="JetstreamClient"/> over a WebSocket, a list of frames in tests.</summary>
public interface IJetstreamClient
{
    /// <summary>
    /// Connects and yields events until the server closes the connection or <paramref name="cancellationToken"/>
    /// fires. Connection failures and drops surface as exceptions (<see cref="WebSocketException"/>); a
    /// frame that is not an event is yielded with its <see cref="JetstreamItem.Error"/>, for the consumer to decide.
    /// </summary>
    /// <param name="subscribeUri">Where and from which cursor: <see cref="JetstreamClient.SubscribeUri"/>.</param>
    IAsyncEnumerable<JetstreamItem> ReadAsync(Uri subscribeUri, CancellationToken cancellationToken);
}

/// <summary>
/// Reads Jetstream (https://github.com/bluesky-social/jetstream): one WebSocket subscribed to
/// <c>app.bsky.feed.post</c> from a <c>time_us</c> cursor, each text frame one JSON event.
/// </summary>
public sealed class JetstreamClient : IJetstreamClient
{
    /// <summary>Frames larger than this are refused: a post record is at most a few kilobytes.</summary>
    private const int MaxFrameBytes = 1 << 20;

    /// <summary>The subscribe URL for posts from <paramref name="cursorUs"/> (null: live only).</summary>
    public static Uri SubscribeUri(string jetstreamUrl, long? cursorUs)
    {
        var builder = new UriBuilder(jetstreamUrl);
        var query = builder.Query.TrimStart('?');
        var parts = new List<string>();
        if (query.Length > 0)
        {
            parts.Add(query);
        }

        parts.Add("wantedCollections=" + BlueskyPosts.PostCollection);
        if (cursorUs is { } cursor)
        {
            parts.Add("cursor=" + cursor.ToString(CultureInfo.InvariantCulture));
        }

        builder.Query = string.Join('&', parts);
        return builder.Uri;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JetstreamItem> ReadAsync(Uri subscribeUri, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", "HazaraMonitor/1.0");
        await socket.ConnectAsync(subscribeUri, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxFrameBytes)
                {
                    throw new WebSocketException(WebSocketError.InvalidMessageType, $"Jetstream sent a frame over {MaxFrameBytes} bytes.");
                }
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                yield break;
            }

            yield return TryParse(buffer.WrittenSpan);
        }
    }

    private static JetstreamItem TryParse(ReadOnlySpan<byte> frame)
    {
        try
        {
            return Parse(frame);
        }
        catch (PlatformRequestException e)
        {
            return new JetstreamItem(0, null, e.Message);
        }
    }

    /// <summary>Reads one event; throws a malformed-event failure when the frame is not one.</summary>
    public static JetstreamItem Parse(ReadOnlySpan<byte> frame)
    {
        var e = PlatformReader.Deserialize(frame, BlueskyJsonContext.Default.JetstreamEvent, "Jetstream", "an event");
        if (e.TimeUs <= 0)
        {
            throw new PlatformRequestException(PollOutcome.Malformed, "Jetstream sent an event without time_us.");
        }

        if (e is not { Kind: "commit", Did: { } did, Commit: { Operation: "create", Collection: BlueskyPosts.PostCollection, Rkey: { } rkey, Record: { } record } })
        {
            return new JetstreamItem(e.TimeUs, null);
        }

        var seenAt = DateTimeOffset.FromUnixTimeMilliseconds(e.TimeUs / 1000);
        return new JetstreamItem(e.TimeUs, BlueskyPosts.Map(BlueskyPosts.AtUri(did, rkey), did, record, seenAt, default));
    }
}
