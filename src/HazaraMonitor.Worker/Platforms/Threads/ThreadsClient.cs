using System.Text;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>
/// Threads keyword search in tag mode (<c>GET /v1.0/keyword_search?search_type=RECENT&amp;search_mode=TAG</c>),
/// newest first, from a <c>since</c> time (Unix seconds) and with Graph <c>after</c> cursors. The
/// token is sent as <c>Authorization: Bearer</c> (set where the client is registered), never in a URL;
/// errors are read by their Graph code.
/// </summary>
public sealed class ThreadsClient(HttpClient http, IOptions<ThreadsOptions> options, TimeProvider time)
{
    /// <summary>The most one page holds.</summary>
    public const int PageSize = 100;

    /// <summary>What is read of a post: its author's username among them, for unique authors.</summary>
    public const string Fields = "id,text,media_type,permalink,timestamp,username,has_replies,is_quote_post,is_reply";

    private const string Who = "Threads";

    private readonly PlatformReader _reader = MetaGraph.Reader(Who, time, options.Value.RateLimitBackoff,
        "Check HazaraMonitor:Platforms:Threads:AccessToken (HazaraMonitor__Platforms__Threads__AccessToken) and its threads_keyword_search permission.");

    /// <summary>
    /// The posts tagged <paramref name="tag"/> (without '#') since <paramref name="since"/>, newest first,
    /// from the page <paramref name="after"/> names.
    /// </summary>
    /// <returns>The page; <c>Newest</c> is its newest post's time (Unix seconds), <c>NextPage</c> the <c>after</c> cursor while there is a next page.</returns>
    public async Task<SweepPage> SearchTagAsync(string tag, string tagKey, DateTimeOffset since, string? after, CancellationToken cancellationToken)
    {
        var url = new StringBuilder("v1.0/keyword_search?q=").Append(Uri.EscapeDataString(tag))
            .Append("&search_type=RECENT&search_mode=TAG&fields=").Append(Fields)
            .Append(CultureInfo.InvariantCulture, $"&since={since.ToUnixTimeSeconds()}&limit={PageSize}");
        if (after is not null)
        {
            url.Append("&after=").Append(Uri.EscapeDataString(after));
        }

        var answer = await _reader.GetAsync(http, url.ToString(), cancellationToken);
        return ParsePage(answer.Content, tagKey, answer.RateLimit);
    }

    internal static SweepPage ParsePage(byte[] content, string tagKey, RateLimitInfo rateLimit)
    {
        var page = PlatformReader.Deserialize(content, ThreadsJsonContext.Default.ThreadsSearchPage, Who, "a search page");
        if (page.Data is null)
        {
            throw PlatformReader.Malformed(Who, "search page", "it has no data");
        }

        var posts = new List<Post>(page.Data.Count);
        DateTimeOffset? newest = null;
        foreach (var media in page.Data)
        {
            if (media is not { Id: { Length: > 0 } id } || !GraphTime.TryParse(media.Timestamp, out var createdAt))
            {
                throw PlatformReader.Malformed(Who, "search page", $"a post lacks its id or a readable timestamp ('{media.Timestamp}')");
            }

            var text = media.Text ?? string.Empty;
            // A Threads post has one topic tag, which need not be in its text: it was found under the tag.
            var hashtags = HashtagNormalizer.Extract(text);
            if (!hashtags.Contains(tagKey))
            {
                hashtags = [.. hashtags, tagKey];
            }

            posts.Add(new Post(ThreadsPlatform.Id, id, media.Username ?? string.Empty, createdAt, text, null, hashtags, default, media.Permalink));
            newest = newest is { } n && n >= createdAt ? n : createdAt;
        }

        var next = page.Paging?.Next is not null && page.Data.Count > 0 ? page.Paging.Cursors?.After : null;
        return new SweepPage(posts, newest?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), next, rateLimit);
    }
}
