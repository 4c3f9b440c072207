using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HazaraMonitor.Benchmarks;

/// <summary>
/// X-shaped recent-search pages (100 posts, the documented fields) for the benchmark: English and
/// Dari/Persian hashtag spellings, authors with a long tail, and page overlaps that repeat posts.
/// </summary>
internal static class XPageFactory
{
    private static readonly string[] Tags =
    [
        "StopHazaraGenocide", "stophazaragenocide", "HazaraGenocide", "StopHazaraKilling",
        "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647", // نسل_کشی_هزاره
        "\u0646\u0633\u0644_\u0643\u0634\u064A_\u0647\u0632\u0627\u0631\u0647", // the same with Arabic kaf and yeh
        "Kabul",
    ];

    /// <summary>Pages of posts newest first; every <paramref name="overlapEvery"/>th page repeats 5 posts of the previous one.</summary>
    public static (List<byte[]> Pages, int DistinctPosts) Create(int posts, int pageSize, int overlapEvery, DateTimeOffset start, int seed)
    {
        var random = new Random(seed);
        var pages = new List<byte[]>();
        var ids = new List<long>(posts);
        for (var i = 0; i < posts; i++)
        {
            ids.Add(1_580_000_000_000_000_000L + i);
        }

        var span = TimeSpan.FromHours(1);
        var page = 0;
        for (var offset = 0; offset < posts; offset += pageSize, page++)
        {
            var from = offset;
            if (overlapEvery > 0 && page > 0 && page % overlapEvery == 0)
            {
                from = Math.Max(0, offset - 5);
            }

            var to = Math.Min(posts, offset + pageSize);
            pages.Add(Page(ids, from, to, posts, start, span, random));
        }

        return (pages, posts);
    }

    private static byte[] Page(List<long> ids, int from, int to, int total, DateTimeOffset start, TimeSpan span, Random random)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            for (var i = from; i < to; i++)
            {
                var created = start + (span * i / total);
                var tag = Tags[random.Next(Tags.Length)];
                var text = "Justice for the Kaaj victims #" + tag;
                json.WriteStartObject();
                json.WriteString("id", ids[i].ToString(CultureInfo.InvariantCulture));
                json.WriteString("text", text);
                json.WriteString("created_at", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("author_id", ((int)(100_000 * Math.Pow(random.NextDouble(), 3))).ToString(CultureInfo.InvariantCulture));
                json.WriteString("lang", random.NextDouble() < 0.4 ? "fa" : "en");
                json.WriteStartArray("edit_history_tweet_ids");
                json.WriteStringValue(ids[i].ToString(CultureInfo.InvariantCulture));
                json.WriteEndArray();
                json.WriteStartObject("entities");
                json.WriteStartArray("hashtags");
                json.WriteStartObject();
                json.WriteNumber("start", 30);
                json.WriteNumber("end", 31 + tag.Length);
                json.WriteString("tag", tag);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("public_metrics");
                json.WriteNumber("retweet_count", random.Next(50));
                json.WriteNumber("reply_count", random.Next(10));
                json.WriteNumber("like_count", random.Next(200));
                json.WriteNumber("quote_count", random.Next(5));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("meta");
            json.WriteString("newest_id", ids[from].ToString(CultureInfo.InvariantCulture));
            json.WriteString("oldest_id", ids[to - 1].ToString(CultureInfo.InvariantCulture));
            json.WriteNumber("result_count", to - from);
            json.WriteString("next_token", Convert.ToHexString(Encoding.ASCII.GetBytes(to.ToString(CultureInfo.InvariantCulture))));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
