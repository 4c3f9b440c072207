using System.Text;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>One page of a hashtag's recent media: its posts, the <c>after</c> cursor (the same on every page), whether a next page exists, and Meta's usage.</summary>
public sealed record InstagramPage(IReadOnlyList<Post> Posts, string? After, bool More, GraphUsage? Usage);

/// <summary>
/// Instagram Graph API hashtag search: <c>ig_hashtag_search</c> for a hashtag's id, and
/// <c>/{hashtag-id}/recent_media</c> for what was posted with it in the last 24 hours. The token is
/// sent as <c>Authorization: Bearer</c> (set where the client is registered), never in a URL.
/// Errors are read by their Graph code, usage from Meta's usage headers.
/// </summary>
public sealed class InstagramClient(HttpClient http, IOptions<InstagramOptions> options, TimeProvider time)
{
    /// <summary>The most <c>recent_media</c> serves per page.</summary>
    public const int PageSize = 50;

    /// <summary>What is read of a media: no author, which hashtag search cannot give.</summary>
    public const string Fields = "id,caption,media_type,permalink,timestamp,like_count,comments_count";

    private const string Who = "Instagram";

    private readonly PlatformReader _reader = MetaGraph.Reader(Who, time, options.Value.RateLimitBackoff,
        "Check HazaraMonitor:Platforms:Instagram:AccessToken (HazaraMonitor__Platforms__Instagram__AccessToken), its instagram_basic permission and the app's Instagram Public Content Access.");

    private string UserId => options.Value.UserId ?? string.Empty;

    /// <summary>The usage Meta reported with the last answer this client read, searches included.</summary>
    public GraphUsage? Usage { get; private set; }

    /// <summary>The global id of hashtag <paramref name="name"/> (without '#'), or null when Instagram has none by that name. This is the call that spends one of the account's 30 hashtags a week.</summary>
    public async Task<string?> SearchHashtagAsync(string name, CancellationToken cancellationToken)
    {
        var url = $"ig_hashtag_search?user_id={Uri.EscapeDataString(UserId)}&q={Uri.EscapeDataString(name)}";
        var answer = await _reader.GetAsync(http, url, cancellationToken);
        Usage = GraphUsage.Read(answer.Headers) ?? Usage;
        var search = PlatformReader.Deserialize(answer.Content, InstagramJsonContext.Default.InstagramHashtagSearch, Who, "a hashtag search");
        return search.Data is null
            ? throw PlatformReader.Malformed(Who, "hashtag search", "it has no data")
            : search.Data.Select(h => h.Id).FirstOrDefault(id => !string.IsNullOrEmpty(id));
    }

    /// <summary>A page of <paramref name="hashtagId"/>'s media of the last 24 hours: the first without <paramref name="after"/>, the next ones with the cursor the first gave.</summary>
    /// <param name="hashtagKey">The hashtag's comparison key: every media the page holds carries it, in its caption or in a comment.</param>
    public async Task<InstagramPage> RecentMediaAsync(string hashtagId, string hashtagKey, string? after, CancellationToken cancellationToken)
    {
        var url = new StringBuilder(Uri.EscapeDataString(hashtagId)).Append("/recent_media?user_id=").Append(Uri.EscapeDataString(UserId))
            .Append("&fields=").Append(Fields).Append(CultureInfo.InvariantCulture, $"&limit={PageSize}");
        if (after is not null)
        {
            url.Append("&after=").Append(Uri.EscapeDataString(after));
        }

        var answer = await _reader.GetAsync(http, url.ToString(), cancellationToken);
        Usage = GraphUsage.Read(answer.Headers) ?? Usage;
        return ParsePage(answer.Content, hashtagKey, Usage);
    }

    internal static InstagramPage ParsePage(byte[] content, string hashtagKey, GraphUsage? usage)
    {
        var page = PlatformReader.Deserialize(content, InstagramJsonContext.Default.InstagramMediaPage, Who, "a media page");
        if (page.Data is null)
        {
            throw PlatformReader.Malformed(Who, "media page", "it has no data");
        }

        var posts = new List<Post>(page.Data.Count);
        foreach (var media in page.Data)
        {
            if (media is not { Id: { Length: > 0 } id } || !GraphTime.TryParse(media.Timestamp, out var createdAt))
            {
                throw PlatformReader.Malformed(Who, "media page", $"a media lacks its id or a readable timestamp ('{media.Timestamp}')");
            }

            var caption = media.Caption ?? string.Empty;
            // The media was found under the hashtag, which may be in a comment rather than the caption.
            var hashtags = HashtagNormalizer.Extract(caption);
            if (!hashtags.Contains(hashtagKey))
            {
                hashtags = [.. hashtags, hashtagKey];
            }

            // No author: Instagram's hashtag search gives none, so unique authors are not available.
            posts.Add(new Post(InstagramPlatform.Id, id, string.Empty, createdAt, caption, null, hashtags,
                new Engagement(media.LikeCount ?? 0, 0, media.CommentsCount ?? 0, 0), media.Permalink));
        }

        return new InstagramPage(posts, page.Paging?.Cursors?.After, page.Paging?.Next is not null && page.Data.Count > 0, usage);
    }
}
