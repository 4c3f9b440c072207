using System.Text;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>Maps <c>app.bsky.feed.post</c> records, from Jetstream or from search, to <see cref="Post"/>s.</summary>
internal static class BlueskyPosts
{
    public const string PostCollection = "app.bsky.feed.post";

    private const string TagFeature = "app.bsky.richtext.facet#tag";

    /// <summary>
    /// A client may declare any <c>createdAt</c>; one further ahead of the time the network saw the
    /// post than this is taken to be a wrong clock, and the network's time is used.
    /// </summary>
    private static readonly TimeSpan ClockSkewAllowed = TimeSpan.FromMinutes(5);

    /// <summary>The post's at-uri: the same wherever it is read, so the dedupe key across replays and sources.</summary>
    public static string AtUri(string did, string rkey) => $"at://{did}/{PostCollection}/{rkey}";

    /// <param name="seenAt">When the network saw it (Jetstream <c>time_us</c>, search <c>indexedAt</c>).</param>
    public static Post Map(string uri, string did, BlueskyPostRecord record, DateTimeOffset seenAt, Engagement engagement)
    {
        var text = record.Text ?? string.Empty;
        var createdAt = record.CreatedAt is { } declared && declared <= seenAt + ClockSkewAllowed ? declared : seenAt;
        return new Post(BlueskyPlatform.Id, uri, did, createdAt, text, record.Langs is [var first, ..] ? first : null, Hashtags(record, text), engagement,
            $"https://bsky.app/profile/{did}/post/{uri[(uri.LastIndexOf('/') + 1)..]}");
    }

    /// <summary>
    /// The comparison keys of the post's hashtags: its tag facets, its extra <c>tags</c>, and any
    /// '#' hashtag in the text (some clients write no facets), each once.
    /// </summary>
    internal static IReadOnlyList<string> Hashtags(BlueskyPostRecord record, string text)
    {
        var found = new List<string>(HashtagNormalizer.Extract(text));
        foreach (var facet in record.Facets ?? [])
        {
            foreach (var feature in facet.Features ?? [])
            {
                if (feature.Type == TagFeature)
                {
                    Add(found, string.IsNullOrEmpty(feature.Tag) ? Slice(text, facet.Index) : feature.Tag);
                }
            }
        }

        foreach (var tag in record.Tags ?? [])
        {
            Add(found, tag);
        }

        return found;
    }

    /// <summary>
    /// The text a facet covers. Its offsets count UTF-8 bytes, not UTF-16 chars: in Dari/Persian
    /// text every letter is two bytes, so string indexes would cut the wrong span.
    /// </summary>
    internal static string? Slice(string text, BlueskyByteSlice? index)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (index is null || index.ByteStart < 0 || index.ByteEnd > bytes.Length || index.ByteStart >= index.ByteEnd)
        {
            return null;
        }

        return Encoding.UTF8.GetString(bytes, index.ByteStart, index.ByteEnd - index.ByteStart);
    }

    private static void Add(List<string> found, string? tag)
    {
        if (tag is null)
        {
            return;
        }

        var key = HashtagNormalizer.Normalize(tag.AsSpan().TrimStart('#'));
        if (HashtagNormalizer.IsValid(key) && !found.Contains(key))
        {
            found.Add(key);
        }
    }
}
