using System.Text.Json;
using System.Text.Json.Serialization;


namespace HazaraMonitor.Worker.Platforms;

/// <summary>
/// One page of a newest-first search (X recent search, Reddit search, Bluesky searchPosts): its
/// posts, the newest id (or time) it saw, the platform's token for the next page (null at the end
/// of the sweep), the rate limit the response reported, and what the client refused of it: posts
/// that could not be read (one problem each), counted as rejected while the page stands.
/// </summary>
public sealed record SweepPage(IReadOnlyList<Post> Posts, string? Newest, string? NextPage, RateLimitInfo RateLimit, IReadOnlyList<string>? Refused = null);

/// <summary>
/// Where a newest-first search stands (X recent search, Reddit search, Bluesky searchPosts). Each poll
/// sweeps from the newest post down to <see cref="Since"/>; while it follows its pages it keeps the
/// same <see cref="Since"/>, and only when the sweep is done does the first page's newest mark become
/// the next <see cref="Since"/> (X's rule in paginate.mdx, and the only safe one for any
/// newest-first listing). The cursor is stored with each page's counts, so a crash mid-sweep resumes
/// at the next unread page.
/// </summary>
/// <param name="Since">Newest mark fully read (an X id, a Reddit fullname, a Bluesky time); the next sweep stops there.</param>
/// <param name="Pending">Newest mark of the sweep in progress (from its first page).</param>
/// <param name="Page">Next page of the sweep in progress (a platform token), or null between sweeps.</param>
/// <param name="StartTime">
/// Before any post has been read there is no <see cref="Since"/>: sweeps stop at this time instead,
/// the same value on every page and retry until a first post arrives.
/// </param>
public sealed record SweepCursor(
    [property: JsonPropertyName("since")] string? Since,
    [property: JsonPropertyName("pending")] string? Pending,
    [property: JsonPropertyName("page")] string? Page,
    [property: JsonPropertyName("start_time")] DateTimeOffset? StartTime = null)
{
    /// <summary>The cursor's stream name; each platform has its own cursor key.</summary>
    public const string Stream = "search";

    public static SweepCursor Empty { get; } = new(null, null, null);

    /// <summary>True while a sweep's pages are being followed.</summary>
    public bool InSweep => Page is not null;

    /// <summary>The sweep in progress dropped, to be read again from its newest page down to the same <see cref="Since"/>.</summary>
    public SweepCursor Restarted() => this with { Pending = null, Page = null };

    /// <summary>
    /// The cursor after a page has been committed.
    /// </summary>
    /// <param name="newest">The page's newest mark (only the first page's is kept).</param>
    /// <param name="nextPage">The token of the next page, or null when the sweep reached its end.</param>
    public SweepCursor After(string? newest, string? nextPage)
    {
        var pending = InSweep ? Pending : newest;
        if (nextPage is not null)
        {
            return this with { Pending = pending, Page = nextPage };
        }

        var since = pending ?? Since;
        return new SweepCursor(since, null, null, since is null ? StartTime : null);
    }

    /// <summary>A cursor with a start time for the first sweep, no further back than <paramref name="reach"/>.</summary>
    public SweepCursor Starting(DateTimeOffset now, TimeSpan lookback, TimeSpan reach)
    {
        if (Since is not null)
        {
            return this;
        }

        var start = StartTime ?? now - lookback;
        return this with { StartTime = start < now - reach ? now - reach : start };
    }

    public string Serialize() => JsonSerializer.Serialize(this, SweepCursorJsonContext.Default.SweepCursor);

    /// <summary>Reads a stored cursor; a cursor that does not parse is reported, never silently reset.</summary>
    public static SweepCursor Parse(string? stored)
    {
        if (stored is null)
        {
            return Empty;
        }

        SweepCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize(stored, SweepCursorJsonContext.Default.SweepCursor);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stored search cursor is not valid JSON; inspect or delete the cursor key.", e);
        }

        // A stored cursor always holds a mark or a start time; one with none of its fields is in
        // another format (X's cursor before it was shared: since_id, next_token) and would restart
        // the sweep from scratch without a word.
        return cursor is null || cursor == Empty
            ? throw new InvalidDataException("The stored search cursor has none of since, pending, page or start_time (an older format?); delete the cursor key to restart from the initial lookback.")
            : cursor;
    }
}

[JsonSerializable(typeof(SweepCursor))]
internal sealed partial class SweepCursorJsonContext : JsonSerializerContext;
