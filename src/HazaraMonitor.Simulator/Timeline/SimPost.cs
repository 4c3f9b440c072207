namespace HazaraMonitor.Simulator.Timeline;

/// <summary>One simulated post.</summary>
/// <param name="Id">Snowflake id: grows with time, as X's do.</param>
/// <param name="Hashtags">The hashtags as the author typed them (entities, without '#').</param>
/// <param name="HashtagKeys">Their comparison keys, for query matching.</param>
public sealed record SimPost(
    long Id,
    DateTimeOffset CreatedAt,
    string AuthorId,
    string Language,
    string Text,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> HashtagKeys,
    int Likes,
    int Reposts,
    int Replies,
    int Quotes);

/// <summary>X snowflake ids: milliseconds since X's epoch in the top bits, a sequence in the low 12.</summary>
public static class Snowflake
{
    private const long Epoch = 1288834974657;

    public static long Create(DateTimeOffset time, int sequence) =>
        ((time.ToUnixTimeMilliseconds() - Epoch) << 22) | (uint)(sequence & 0xFFF);

    public static DateTimeOffset Time(long id) => DateTimeOffset.FromUnixTimeMilliseconds((id >> 22) + Epoch);
}
