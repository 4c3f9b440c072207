using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Core.Ingest;

/// <summary>
/// What every post of one shape adds to the buckets: posts created in the same minute, carrying the
/// same matched hashtags, in the same language, add exactly the same increments. A batch of 100
/// posts typically has a handful of shapes, so storage does one increment per distinct bucket field.
/// </summary>
/// <param name="Minute">Start of the 1-minute bucket; the hour and day buckets follow from it.</param>
/// <param name="Hashtags">Matched configured hashtags (comparison keys), sorted.</param>
/// <param name="Language">Normalized language tag, or <see cref="BatchAggregator.UnknownLanguage"/>.</param>
/// <param name="Own">True when the posts carry one of the campaign's own hashtags: they count in its total, languages and authors.</param>
/// <param name="Counter">True when they carry one of its counter-hashtags: they count in the counter group's total.</param>
/// <remarks><paramref name="Own"/> and <paramref name="Counter"/> follow from <paramref name="Hashtags"/>, so equality leaves them out.</remarks>
public sealed record BatchShape(DateTimeOffset Minute, IReadOnlyList<string> Hashtags, string Language, bool Own = true, bool Counter = false)
{
    public bool Equals(BatchShape? other) =>
        other is not null && Minute == other.Minute && Language == other.Language && Hashtags.SequenceEqual(other.Hashtags);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Minute);
        hash.Add(Language);
        foreach (var tag in Hashtags)
        {
            hash.Add(tag);
        }

        return hash.ToHashCode();
    }
}

/// <summary>A post reduced to what the atomic commit needs.</summary>
/// <param name="Id">Platform post id, the dedupe key.</param>
/// <param name="Shape">Index into <see cref="IngestBatch.Shapes"/>; its minute also names the dedupe set the id goes into.</param>
/// <param name="CoHashtags">The hashtags it carries beside the followed ones (comparison keys, at most
/// <see cref="BatchAggregator.CoHashtagsPerPost"/>), counted with the post when it is new; empty for counter-only posts.</param>
public readonly record struct BatchPost(string Id, int Shape, IReadOnlyList<string> CoHashtags);

/// <summary>A post that may rank among its hour's and day's top posts by engagement: what the page shows of it.</summary>
/// <param name="Engagement">Every interaction together (<see cref="Engagement.Total"/>) when it was read: the rank.</param>
/// <param name="Text">Its text, cut to <see cref="BatchAggregator.TopPostText"/> characters.</param>
public sealed record TopPost(Platform Platform, string Id, string? Url, string Author, string Text, string? Language, DateTimeOffset CreatedAt, long Engagement);

/// <summary>One batch of one campaign and platform, pre-aggregated and ready for one atomic commit.</summary>
public sealed class IngestBatch
{
    public required Campaign Campaign { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>Posts to count, each id once, each matching the campaign, none older than the dedupe window.</summary>
    public required IReadOnlyList<BatchPost> Posts { get; init; }

    public required IReadOnlyList<BatchShape> Shapes { get; init; }

    /// <summary>Author ids per hour bucket start, for the unique-author sketches of that hour and its day.</summary>
    public required IReadOnlyDictionary<DateTimeOffset, IReadOnlyCollection<string>> AuthorsByHour { get; init; }

    /// <summary>
    /// Per hour bucket start, the batch's posts of the campaign (own hashtags) with the most
    /// engagement, at most <see cref="BatchAggregator.TopPostsPerBucket"/>: candidates for the hour's
    /// and day's top posts, new or read before (a post read again brings its engagement up to date).
    /// </summary>
    public IReadOnlyDictionary<DateTimeOffset, IReadOnlyList<TopPost>> TopPostsByHour { get; init; } = new Dictionary<DateTimeOffset, IReadOnlyList<TopPost>>();

    /// <summary>Posts the platform returned that carry none of the campaign's hashtags once normalized.</summary>
    public int Unmatched { get; init; }

    /// <summary>Posts older than the dedupe window: refused rather than risk a double count.</summary>
    public int TooOld { get; init; }

    /// <summary>The same id twice inside this batch (overlapping pages): counted once.</summary>
    public int RepeatedInBatch { get; init; }

    /// <summary>The oldest post time in the batch, for lag figures; null for an empty batch.</summary>
    public DateTimeOffset? OldestPost { get; init; }

    public bool IsEmpty => Posts.Count == 0;
}
