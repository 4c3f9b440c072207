using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>One page of a tag timeline, oldest-first paging with <c>min_id</c>.</summary>
/// <param name="Posts">The page's posts; <see cref="Post.Id"/> is the status URI, the same on every instance.</param>
/// <param name="MinId">The <c>min_id</c> of the next page forward (from the <c>Link</c> header's prev link), or null when the page was empty.</param>
/// <param name="Full">True when the page held as many statuses as asked for: there may be more.</param>
public sealed record MastodonPage(IReadOnlyList<Post> Posts, string? MinId, bool Full, RateLimitInfo RateLimit);

/// <summary>One day of a tag's history on one instance.</summary>
public readonly record struct MastodonTagUse(DateTimeOffset Day, long Uses, long Accounts);

/// <summary>
/// Reads public hashtag timelines of Mastodon instances (<c>GET /api/v1/timelines/tag/:hashtag</c>).
/// One client serves every instance: requests carry absolute URLs and, where configured, the
/// instance's own token.
/// </summary>
public sealed partial class MastodonClient(HttpClient http, TimeProvider time)
{
    /// <summary>Largest page the tag timeline serves.</summary>
    public const int Limit = 40;

    /// <summary>A request names at most this many tags (the path tag and any[]); larger groups are split.</summary>
    public const int TagsPerRequest = 4;

    private const string AuthHint = "Its hashtag feed may need a token: HazaraMonitor:Platforms:Mastodon:Instances:N:AccessToken.";

    /// <summary>
    /// Statuses carrying any of <paramref name="tags"/> (the first in the path, the rest as any[]),
    /// immediately newer than <paramref name="minId"/>, or the newest page when it is null.
    /// </summary>
    public async Task<MastodonPage> TagTimelineAsync(Uri instance, string? accessToken, IReadOnlyList<string> tags, string? minId, CancellationToken cancellationToken)
    {
        var url = new StringBuilder(instance.ToString().TrimEnd('/'))
            .Append("/api/v1/timelines/tag/").Append(Uri.EscapeDataString(tags[0]))
            .Append(CultureInfo.InvariantCulture, $"?limit={Limit}");
        if (minId is not null)
        {
            url.Append("&min_id=").Append(Uri.EscapeDataString(minId));
        }

        // The Link header's URLs drop any[] (tag_controller.rb), so the next request is built here
        // from the min_id it carries rather than followed as given.
        foreach (var tag in tags.Skip(1))
        {
            url.Append("&any[]=").Append(Uri.EscapeDataString(tag));
        }

        var answer = await Reader(instance).GetAsync(http, url.ToString(), Bearer(accessToken), HttpStatusCode.NotFound, cancellationToken);
        // A 404 is a hashtag nobody on this instance has used yet.
        return answer.Status == HttpStatusCode.NotFound
            ? new MastodonPage([], null, false, answer.RateLimit)
            : ParsePage(instance.Host, answer.Content, PrevMinId(answer.Headers), answer.RateLimit);
    }

    /// <summary>
    /// The last seven days of a tag on an instance (<c>GET /api/v1/tags/:name</c>): uses and accounts
    /// per UTC day as the instance knows them. Empty when the instance has never seen the tag.
    /// </summary>
    public async Task<IReadOnlyList<MastodonTagUse>> TagHistoryAsync(Uri instance, string? accessToken, string tag, CancellationToken cancellationToken)
    {
        var url = $"{instance.ToString().TrimEnd('/')}/api/v1/tags/{Uri.EscapeDataString(tag)}";
        var answer = await Reader(instance).GetAsync(http, url, Bearer(accessToken), HttpStatusCode.NotFound, cancellationToken);
        return answer.Status == HttpStatusCode.NotFound ? [] : ParseHistory(instance.Host, answer.Content);
    }

    internal static IReadOnlyList<MastodonTagUse> ParseHistory(string host, byte[] content)
    {
        var tag = PlatformReader.Deserialize(content, MastodonJsonContext.Default.MastodonTagEntity, host, "a tag");
        return [.. (tag.History ?? []).Select(d =>
            long.TryParse(d.Day, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && long.TryParse(d.Uses, NumberStyles.None, CultureInfo.InvariantCulture, out var uses)
            && long.TryParse(d.Accounts, NumberStyles.None, CultureInfo.InvariantCulture, out var accounts)
                ? new MastodonTagUse(DateTimeOffset.FromUnixTimeSeconds(day), uses, accounts)
                : throw Malformed(host, $"history day '{d.Day}' has values that are not numbers"))];
    }

    internal static MastodonPage ParsePage(string host, byte[] content, string? prevMinId, RateLimitInfo rateLimit)
    {
        var statuses = PlatformReader.Deserialize(content, MastodonJsonContext.Default.ListMastodonStatus, host, "a timeline");
        var posts = statuses.Select(s => Map(host, s)).ToList();
        // Without a Link header the newest status of a non-empty page is the next min_id.
        var minId = prevMinId ?? statuses.MaxBy(s => (s.Id!.Length, s.Id))?.Id;
        return new MastodonPage(posts, minId, statuses.Count >= Limit, rateLimit);
    }

    internal static Post Map(string host, MastodonStatus status)
    {
        if (string.IsNullOrEmpty(status.Id) || string.IsNullOrEmpty(status.Uri) || status.CreatedAt is not { } createdAt)
        {
            throw Malformed(host, $"status '{status.Id}' lacks its id, uri or created_at");
        }

        var text = PlainText(status.Content);
        var hashtags = status.Tags is { Count: > 0 } tags
            ? tags.Where(t => t.Name is not null).Select(t => HashtagNormalizer.Normalize(t.Name)).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList()
            : HashtagNormalizer.Extract(text);
        // acct is "user" for the instance's own users and "user@domain" for remote ones: qualify
        // it so the same author reads the same on every instance, with the domain the status's uri
        // names (what other instances see), else the instance's.
        var acct = status.Account?.Acct ?? string.Empty;
        var domain = System.Uri.TryCreate(status.Uri, UriKind.Absolute, out var uri) ? uri.Authority : host;
        var author = acct.Length == 0 || acct.Contains('@', StringComparison.Ordinal) ? acct : acct + "@" + domain;
        return new Post(MastodonPlatform.Id, status.Uri, author, createdAt, text, status.Language, hashtags,
            new Engagement(status.FavouritesCount, status.ReblogsCount, status.RepliesCount, status.QuotesCount), status.Url ?? status.Uri);
    }

    /// <summary>An instance's answers: <c>X-RateLimit-*</c> headers with an ISO-8601 reset, errors as <c>{"error": "..."}</c>.</summary>
    private PlatformReader Reader(Uri instance) =>
        new(instance.Host, time, (headers, _) => RateLimitHeaders.ReadIsoReset(headers, "X-RateLimit-"),
            content => JsonSerializer.Deserialize(content, MastodonJsonContext.Default.MastodonError)?.Error,
            defaultBackoff: TimeSpan.FromMinutes(5), AuthHint);

    private static AuthenticationHeaderValue? Bearer(string? accessToken) =>
        string.IsNullOrEmpty(accessToken) ? null : new AuthenticationHeaderValue("Bearer", accessToken);

    /// <summary>The min_id of the Link header's rel="prev" URL (RFC 8288), if any.</summary>
    private static string? PrevMinId(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (Match link in LinkPattern().Matches(string.Join(",", values)))
        {
            if (link.Groups["rel"].Value == "prev" && MinIdPattern().Match(link.Groups["url"].Value) is { Success: true } minId)
            {
                return Uri.UnescapeDataString(minId.Groups["id"].Value);
            }
        }

        return null;
    }

    private static string PlainText(string? html) =>
        html is null ? string.Empty : WebUtility.HtmlDecode(TagPattern().Replace(html.Replace("</p><p>", "\n", StringComparison.Ordinal), string.Empty));

    private static PlatformRequestException Malformed(string host, string problem) => PlatformReader.Malformed(host, "timeline", problem);

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"(?<rel>[a-z]+)\"")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("[?&]min_id=(?<id>[^&]+)")]
    private static partial Regex MinIdPattern();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();
}
