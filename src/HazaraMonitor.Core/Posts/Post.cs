namespace HazaraMonitor.Core.Posts;

/// <summary>
/// One post as every connector hands it to the ingest pipeline, whatever its platform.
/// </summary>
/// <param name="Platform">Where it was posted.</param>
/// <param name="Id">The platform's stable id: the dedupe key within that platform.</param>
/// <param name="AuthorId">The platform's id of the author, for unique-author counts.</param>
/// <param name="CreatedAt">When the author posted it; decides its time buckets.</param>
/// <param name="Text">The text as the platform gives it.</param>
/// <param name="Language">BCP 47 language tag, or null when the platform does not say.</param>
/// <param name="Hashtags">Comparison keys (<see cref="Hashtags.HashtagNormalizer.Normalize"/>) of its hashtags.</param>
/// <param name="Engagement">Public interaction counts at the time it was read.</param>
/// <param name="Url">Where a person opens it on the platform, when known (top posts link to it).</param>
public sealed record Post(
    Platform Platform,
    string Id,
    string AuthorId,
    DateTimeOffset CreatedAt,
    string Text,
    string? Language,
    IReadOnlyList<string> Hashtags,
    Engagement Engagement,
    string? Url = null);

/// <summary>Public interaction counts of a post.</summary>
public readonly record struct Engagement(long Likes, long Reposts, long Replies, long Quotes)
{
    /// <summary>Every interaction together: what ranks a campaign's top posts.</summary>
    public long Total => Likes + Reposts + Replies + Quotes;
}
