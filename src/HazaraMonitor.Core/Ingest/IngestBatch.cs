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
public sealed record BatchShape(DateTimeOffset Minute, IReadOnlyList<string> Hashtags, string Language)
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
public readonly record struct BatchPost(string Id, int Shape);

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
