using System.Text.Json;
using System.Text.Json.Serialization;

namespace HazaraMonitor.Platforms.X;

/// <summary>
/// Where a campaign's recent search stands. X's polling rule (paginate.mdx): keep the same
/// <c>since_id</c> while following <c>next_token</c> through one poll's pages, and only when the last
/// page is read make the first page's <c>newest_id</c> the next <c>since_id</c>. The cursor is stored
/// with each page's counts, so a crash mid-poll resumes at the next unread page
/// ("the next_token does not expire").
/// </summary>
/// <param name="SinceId">Newest id fully read; the next poll asks for posts after it.</param>
/// <param name="PendingNewestId">Newest id of the poll in progress (from its first page).</param>
/// <param name="NextToken">Next page of the poll in progress, or null between polls.</param>
/// <param name="StartTime">
/// Before any post has been read there is no <c>since_id</c>: the polls ask for posts since this
/// time instead, the same value on every page and retry until a first post arrives.
/// </param>
public sealed record XSearchCursor(
    [property: JsonPropertyName("since_id")] string? SinceId,
    [property: JsonPropertyName("pending_newest_id")] string? PendingNewestId,
    [property: JsonPropertyName("next_token")] string? NextToken,
    [property: JsonPropertyName("start_time")] DateTimeOffset? StartTime = null)
{
    public const string Stream = "search";

    public static XSearchCursor Empty { get; } = new(null, null, null);

    /// <summary>True while a poll's pages are being followed.</summary>
    public bool InPoll => NextToken is not null;

    /// <summary>The cursor after <paramref name="page"/> has been committed.</summary>
    public XSearchCursor After(XSearchPage page)
    {
        // The first page of a poll carries the poll's newest id.
        var pending = InPoll ? PendingNewestId : page.NewestId;
        if (page.NextToken is { } next)
        {
            return this with { PendingNewestId = pending, NextToken = next };
        }

        var since = pending ?? SinceId;
        return new XSearchCursor(since, null, null, since is null ? StartTime : null);
    }

    public string Serialize() => JsonSerializer.Serialize(this, XCursorJsonContext.Default.XSearchCursor);

    /// <summary>Reads a stored cursor; a cursor that does not parse is reported, never silently reset.</summary>
    public static XSearchCursor Parse(string? stored)
    {
        if (stored is null)
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(stored, XCursorJsonContext.Default.XSearchCursor) ?? Empty;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stored X search cursor is not valid JSON; inspect or delete the cursor key.", e);
        }
    }
}

[JsonSerializable(typeof(XSearchCursor))]
internal sealed partial class XCursorJsonContext : JsonSerializerContext;
