using System.Text.RegularExpressions;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;

namespace HazaraMonitor.Core.Ingest;

/// <summary>
/// Pure pre-aggregation of a page of posts for one campaign: matching, in-batch de-duplication,
/// grouping into shapes, author sets. The cross-batch de-duplication happens in storage, inside the
/// same atomic step that adds the increments.
/// </summary>
public static partial class BatchAggregator
{
    public const string UnknownLanguage = "und";

    /// <summary>Top posts kept per hour and day bucket: the top posts of any range are among its buckets' own.</summary>
    public const int TopPostsPerBucket = 10;

    /// <summary>Characters of a top post's text kept.</summary>
    public const int TopPostText = 280;

    /// <summary>Co-hashtags counted per post: a post stuffed with hashtags counts its first ones.</summary>
    public const int CoHashtagsPerPost = 10;

    public static IngestBatch Aggregate(Campaign campaign, Platform platform, IEnumerable<Post> posts, DateTimeOffset now, TimeSpan dedupeWindow)
    {
        var shapeIndex = new Dictionary<BatchShape, int>();
        var shapes = new List<BatchShape>();
        var batchPosts = new List<BatchPost>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var authors = new Dictionary<DateTimeOffset, HashSet<string>>();
        var top = new Dictionary<DateTimeOffset, List<Post>>();
        int unmatched = 0, tooOld = 0, repeated = 0;
        DateTimeOffset? oldest = null;

        // A post id is remembered until the end of its UTC day plus the window; anything whose day
        // has already left the window could be counted again, so it is refused.
        var oldestAcceptedDay = Resolution.Day.Start(now - dedupeWindow);

        foreach (var post in posts)
        {
            if (!seen.Add(post.Id))
            {
                repeated++;
                continue;
            }

            var matched = campaign.Match(post.Hashtags);
            if (matched.Count == 0)
            {
                unmatched++;
                continue;
            }

            if (Resolution.Day.Start(post.CreatedAt) < oldestAcceptedDay)
            {
                tooOld++;
                continue;
            }

            var own = matched.Any(k => !campaign.IsCounter(k));
            var shape = new BatchShape(Resolution.Minute.Start(post.CreatedAt), matched, NormalizeLanguage(post.Language), own, !own || matched.Any(campaign.IsCounter));
            if (!shapeIndex.TryGetValue(shape, out var index))
            {
                index = shapes.Count;
                shapes.Add(shape);
                shapeIndex[shape] = index;
            }

            batchPosts.Add(new BatchPost(post.Id, index, own ? [.. post.Hashtags.Where(k => !campaign.Follows(k)).Distinct(StringComparer.Ordinal).Take(CoHashtagsPerPost)] : []));
            if (oldest is null || post.CreatedAt < oldest)
            {
                oldest = post.CreatedAt;
            }

            if (!own)
            {
                continue;
            }

            var hour = Resolution.Hour.Start(post.CreatedAt);
            if (!top.TryGetValue(hour, out var candidates))
            {
                top[hour] = candidates = [];
            }

            candidates.Add(post);
            if (post.AuthorId.Length > 0)
            {
                if (!authors.TryGetValue(hour, out var set))
                {
                    authors[hour] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(post.AuthorId);
            }
        }

        return new IngestBatch
        {
            Campaign = campaign,
            Platform = platform,
            Posts = batchPosts,
            Shapes = shapes,
            AuthorsByHour = authors.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value),
            TopPostsByHour = top.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TopPost>)[.. kv.Value
                .OrderByDescending(p => p.Engagement.Total).ThenByDescending(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)
                .Take(TopPostsPerBucket).Select(ToTopPost)]),
            Unmatched = unmatched,
            TooOld = tooOld,
            RepeatedInBatch = repeated,
            OldestPost = oldest,
        };
    }

    private static TopPost ToTopPost(Post post)
    {
        var text = post.Text;
        if (text.Length > TopPostText)
        {
            // Never cut a surrogate pair in two.
            var cut = char.IsHighSurrogate(text[TopPostText - 1]) ? TopPostText - 1 : TopPostText;
            text = text[..cut] + "…";
        }

        return new TopPost(post.Platform, post.Id, post.Url, post.AuthorId, text, post.Language is null ? null : NormalizeLanguage(post.Language), post.CreatedAt, post.Engagement.Total);
    }

    /// <summary>
    /// Lower-cased primary language subtag ("fa-AF" -> "fa"); anything that is not 2-3 ASCII letters
    /// becomes "und", which keeps the set of language fields bounded (about 200 ISO 639 codes).
    /// </summary>
    public static string NormalizeLanguage(string? language)
    {
        if (string.IsNullOrEmpty(language))
        {
            return UnknownLanguage;
        }

        var dash = language.IndexOfAny(['-', '_']);
        var primary = (dash < 0 ? language : language[..dash]).ToLowerInvariant();
        return LanguagePattern().IsMatch(primary) ? primary : UnknownLanguage;
    }

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguagePattern();
}
