using System.Collections.Concurrent;
using System.Text;

namespace HazaraMonitor.Simulator.Bluesky;

/// <summary>One Jetstream event: its cursor, its frame, and the campaign timeline's post when it carries one.</summary>
internal sealed record JetstreamEvent(long TimeUs, byte[] Frame, SimPost? Post);

/// <summary>
/// The Bluesky side of the simulated campaign: every timeline post as an <c>app.bsky.feed.post</c>
/// record, among the rest of Bluesky (posts without the campaign's hashtags, deletes, identity and
/// account events), as Jetstream v1 frames ordered by <c>time_us</c>. Each minute is generated from
/// the seed and its index, so a replay from any cursor serves the same events.
/// </summary>
public sealed class JetstreamFeed(CampaignTimeline timeline, SimClock clock, SimulatorOptions options, IOptions<BlueskySimulationOptions> bluesky)
{
    private static readonly string[] NoiseText = ["Good morning everyone", "New blog post is up", "Coffee first #coffee", "Watching the match tonight #football", "Photos from the weekend #photography", "\u0633\u0644\u0627\u0645 \u062F\u0648\u0633\u062A\u0627\u0646"];

    private readonly ConcurrentDictionary<long, JetstreamEvent[]> _minutes = new();

    /// <summary>The post's at-uri: the key the worker dedupes on.</summary>
    public static string AtUri(SimPost post) => $"at://{Did(post.AuthorId)}/app.bsky.feed.post/{Rkey(post.Id)}";

    internal static string Did(string author) => "did:plc:sim" + author;

    internal static string Rkey(long id) => "3k" + id.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Events with <paramref name="fromUs"/> &lt;= time_us &lt;= <paramref name="toUs"/>, oldest first.</summary>
    internal IEnumerable<JetstreamEvent> Between(long fromUs, long toUs)
    {
        var start = clock.TimelineStart.ToUnixTimeMilliseconds() * 1000;
        var first = Math.Max(0, (fromUs - start) / 60_000_000);
        for (var minute = first; start + (minute * 60_000_000) <= toUs; minute++)
        {
            if (clock.TimelineEnd is { } end && start + (minute * 60_000_000) >= end.ToUnixTimeMilliseconds() * 1000)
            {
                yield break;
            }

            foreach (var e in _minutes.GetOrAdd(minute, Generate))
            {
                if (e.TimeUs >= fromUs && e.TimeUs <= toUs)
                {
                    yield return e;
                }
            }
        }
    }

    private JetstreamEvent[] Generate(long minute)
    {
        var minuteStart = clock.TimelineStart.AddMinutes(minute);
        var events = new List<JetstreamEvent>();
        var sequence = 0;
        foreach (var post in timeline.Between(minuteStart, minuteStart.AddMinutes(1)))
        {
            // Posts of one millisecond get distinct microseconds.
            var timeUs = Us(post.CreatedAt) + (sequence++ % 1000);
            events.Add(new JetstreamEvent(timeUs, PostFrame(post, timeUs), post));
        }

        var random = SeededRandom.For(options.Seed, minute, stream: 1);
        var noise = (int)Math.Round(bluesky.Value.NoisePerMinute * (0.8 + (0.4 * random.NextDouble())));
        for (var i = 0; i < noise; i++)
        {
            var timeUs = Us(minuteStart) + random.NextInt64(60_000_000);
            var did = "did:plc:noise" + random.Next(100_000).ToString(CultureInfo.InvariantCulture);
            var draw = random.NextDouble();
            events.Add(new JetstreamEvent(timeUs, draw switch
            {
                < 0.05 => Frame(timeUs, did, "identity"),
                < 0.08 => Frame(timeUs, did, "account"),
                < 0.12 => Frame(timeUs, did, "commit", json => Commit(json, "delete", "3knoise" + i.ToString(CultureInfo.InvariantCulture))),
                _ => NoiseFrame(timeUs, did, NoiseText[random.Next(NoiseText.Length)], i),
            }, null));
        }

        return [.. events.OrderBy(e => e.TimeUs)];
    }

    private static long Us(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1000;

    /// <summary>
    /// A campaign post. Most carry tag facets over their '#' words, with UTF-8 byte offsets; one in
    /// ten puts its hashtags only in <c>tags</c>, one in ten has them in the text without facets.
    /// </summary>
    private static byte[] PostFrame(SimPost post, long timeUs)
    {
        var body = post.Text.Split(" #")[0];
        var variant = post.Id % 10;
        var text = variant == 0 ? body : body + " " + string.Join(' ', post.Hashtags.Select(t => "#" + t));
        return Frame(timeUs, Did(post.AuthorId), "commit", json => Commit(json, "create", Rkey(post.Id), record =>
        {
            record.WriteString("createdAt", WireJson.Format(post.CreatedAt));
            record.WriteStartArray("langs");
            record.WriteStringValue(post.Language);
            record.WriteEndArray();
            record.WriteString("text", text);
            if (variant == 0)
            {
                record.WriteStartArray("tags");
                foreach (var tag in post.Hashtags)
                {
                    record.WriteStringValue(tag);
                }

                record.WriteEndArray();
            }
            else if (variant != 1)
            {
                WriteFacets(record, text, post.Hashtags);
            }
        }));
    }

    internal static void WriteFacets(Utf8JsonWriter record, string text, IEnumerable<string> hashtags)
    {
        record.WriteStartArray("facets");
        foreach (var tag in hashtags)
        {
            var at = text.IndexOf("#" + tag, StringComparison.Ordinal);
            var byteStart = Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
            record.WriteStartObject();
            record.WriteStartObject("index");
            record.WriteNumber("byteStart", byteStart);
            record.WriteNumber("byteEnd", byteStart + Encoding.UTF8.GetByteCount("#" + tag));
            record.WriteEndObject();
            record.WriteStartArray("features");
            record.WriteStartObject();
            record.WriteString("$type", "app.bsky.richtext.facet#tag");
            record.WriteString("tag", tag);
            record.WriteEndObject();
            record.WriteEndArray();
            record.WriteEndObject();
        }

        record.WriteEndArray();
    }

    private static byte[] NoiseFrame(long timeUs, string did, string text, int i) =>
        Frame(timeUs, did, "commit", json => Commit(json, "create", "3knoise" + i.ToString(CultureInfo.InvariantCulture), record =>
        {
            record.WriteString("createdAt", WireJson.Format(DateTimeOffset.FromUnixTimeMilliseconds(timeUs / 1000)));
            record.WriteStartArray("langs");
            record.WriteStringValue("en");
            record.WriteEndArray();
            record.WriteString("text", text);
            var tags = text.Split(' ').Where(w => w.StartsWith('#')).Select(w => w[1..]).ToList();
            if (tags.Count > 0)
            {
                WriteFacets(record, text, tags);
            }
        }));

    private static void Commit(Utf8JsonWriter json, string operation, string rkey, Action<Utf8JsonWriter>? record = null)
    {
        json.WriteStartObject("commit");
        json.WriteString("rev", "3mmoojpaqkn2z");
        json.WriteString("operation", operation);
        json.WriteString("collection", "app.bsky.feed.post");
        json.WriteString("rkey", rkey);
        if (record is not null)
        {
            json.WriteStartObject("record");
            json.WriteString("$type", "app.bsky.feed.post");
            record(json);
            json.WriteEndObject();
            json.WriteString("cid", "bafyreicl7rzkxdrm4zz2ehbx52kuk3mvfow6p3gzfys72r5grvskxoswy4");
        }

        json.WriteEndObject();
    }

    private static byte[] Frame(long timeUs, string did, string kind, Action<Utf8JsonWriter>? body = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("did", did);
            json.WriteNumber("time_us", timeUs);
            json.WriteString("kind", kind);
            if (kind is "identity" or "account")
            {
                json.WriteStartObject(kind);
                json.WriteString("did", did);
                json.WriteNumber("seq", timeUs / 1000);
                json.WriteString("time", WireJson.Format(DateTimeOffset.FromUnixTimeMilliseconds(timeUs / 1000)));
                if (kind == "account")
                {
                    json.WriteBoolean("active", true);
                }

                json.WriteEndObject();
            }

            body?.Invoke(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
