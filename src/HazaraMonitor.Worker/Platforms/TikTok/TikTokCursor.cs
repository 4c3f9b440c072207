using System.Text.Json;
using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>
/// Where a campaign's TikTok reading stands. The Research API filters by whole UTC days, at most 30
/// at a time, and returns a search's videos in no documented order, so a sweep is not a
/// newest-first walk: it reads every day from where the last sweep started to today, window by
/// window (each at most <see cref="WindowDays"/> days), each window page by page with the
/// <c>search_id</c> and <c>cursor</c> the API gave. It is stored with each page's counts, so a
/// crash resumes at the next unread page; the days read again are recognised by the dedupe sets.
/// </summary>
/// <param name="From">Videos created before this (the first poll's time less the initial lookback) are not counted: a whole-day window brings them all the same.</param>
/// <param name="ReadTo">When the last finished sweep started: the next sweep reads from that day.</param>
/// <param name="Started">When the sweep in progress started; null between sweeps.</param>
/// <param name="Until">The last day of the sweep in progress: the UTC day it started in.</param>
/// <param name="Window">The first day of the window in progress.</param>
/// <param name="SearchId">The search of the window in progress, from its first page; null before it.</param>
/// <param name="Next">The index of the window's next video (the API's <c>cursor</c>); null before its first page.</param>
public sealed record TikTokCursor(
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("read_to")] DateTimeOffset? ReadTo = null,
    [property: JsonPropertyName("started")] DateTimeOffset? Started = null,
    [property: JsonPropertyName("until")] DateOnly? Until = null,
    [property: JsonPropertyName("window")] DateOnly? Window = null,
    [property: JsonPropertyName("search_id")] string? SearchId = null,
    [property: JsonPropertyName("next")] int? Next = null)
{
    /// <summary>The cursor's stream name, and the endpoint polls and pauses are known by.</summary>
    public const string Stream = "video_query";

    /// <summary>
    /// Days in one window: the API refuses an <c>end_date</c> more than 30 days after
    /// <c>start_date</c>; 30 days, end included, stays inside that however it is counted.
    /// </summary>
    public const int WindowDays = 30;

    /// <summary>True while a sweep's windows are being read.</summary>
    [JsonIgnore]
    public bool InSweep => Started is not null;

    /// <summary>The days the window in progress asks for, end included.</summary>
    [JsonIgnore]
    public (DateOnly Start, DateOnly End) Days => Window is { } start && Until is { } until
        ? (start, Min(start.AddDays(WindowDays - 1), until))
        : throw new InvalidOperationException("No sweep is in progress.");

    /// <summary>The cursor of a campaign never read: the first sweep counts what was created from <paramref name="from"/>.</summary>
    public static TikTokCursor Starting(DateTimeOffset from) => new(from);

    /// <summary>
    /// Starts a sweep at <paramref name="now"/>: from the day the last sweep started, less
    /// <paramref name="relook"/> (or the first day to count), to today.
    /// </summary>
    public TikTokCursor Begin(DateTimeOffset now, TimeSpan relook)
    {
        var first = Day(From);
        if (ReadTo is { } readTo && Day(readTo - relook) is var again && again > first)
        {
            first = again;
        }

        var today = Day(now);
        return this with { Started = now, Until = today, Window = Min(first, today), SearchId = null, Next = null };
    }

    /// <summary>The cursor after a page has been committed: the window's next page, the next window, or the end of the sweep.</summary>
    public TikTokCursor After(bool hasMore, int? next, string? searchId)
    {
        if (hasMore)
        {
            return this with { SearchId = searchId, Next = next };
        }

        var (_, end) = Days;
        return end < Until
            ? this with { Window = end.AddDays(1), SearchId = null, Next = null }
            : new TikTokCursor(From, Started);
    }

    /// <summary>The window in progress read again from its first page: its search could not be resumed.</summary>
    public TikTokCursor RestartWindow() => this with { SearchId = null, Next = null };

    public string Serialize() => JsonSerializer.Serialize(this, TikTokCursorJsonContext.Default.TikTokCursor);

    /// <summary>Reads a stored cursor; null when none is stored. A cursor that does not parse is reported, never silently reset.</summary>
    public static TikTokCursor? Parse(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        TikTokCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize(stored, TikTokCursorJsonContext.Default.TikTokCursor);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stored TikTok cursor is not valid JSON; inspect or delete the cursor key.", e);
        }

        return cursor is null || cursor.From == default || (cursor.InSweep && (cursor.Until is null || cursor.Window is null))
            ? throw new InvalidDataException("The stored TikTok cursor lacks its start ('from') or its sweep's days; delete the cursor key to restart from the initial lookback.")
            : cursor;
    }

    /// <summary>The UTC day a time falls in.</summary>
    public static DateOnly Day(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}

[JsonSerializable(typeof(TikTokCursor))]
internal sealed partial class TikTokCursorJsonContext : JsonSerializerContext;
