
namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>
/// What one Jetstream connection has read since its last commit: each following campaign's
/// matching posts, and the cursor (the newest <c>time_us</c> read) that commits with them.
/// </summary>
internal sealed class JetstreamBatch(IReadOnlyList<Campaign> campaigns, long cursor, int maxBatch)
{
    private readonly List<Post>[] _pending = [.. campaigns.Select(_ => new List<Post>())];
    private long _minute = -1;

    public IReadOnlyList<Campaign> Campaigns => campaigns;

    /// <summary>The newest <c>time_us</c> read: every event up to it is in this batch or committed.</summary>
    public long Cursor { get; private set; } = cursor;

    /// <summary>The cursor the connection started from.</summary>
    public long Start { get; } = cursor;

    /// <summary>Events read on this connection.</summary>
    public long Events { get; private set; }

    public long EventsSinceFlush { get; private set; }

    public long PostsSinceFlush { get; private set; }

    /// <summary>True when there is something to commit, if only a cursor that moved.</summary>
    public bool Changed => EventsSinceFlush > 0;

    public IEnumerable<(Campaign Campaign, List<Post> Posts)> Pending => campaigns.Select((c, i) => (c, _pending[i]));

    /// <summary>Adds an event; true when a campaign's batch is full and should be committed now.</summary>
    public bool Add(JetstreamItem item)
    {
        Events++;
        EventsSinceFlush++;
        if (item.TimeUs > Cursor)
        {
            Cursor = item.TimeUs;
        }

        if (item.Post is not { } post)
        {
            return false;
        }

        PostsSinceFlush++;
        var full = false;
        for (var i = 0; i < campaigns.Count; i++)
        {
            if (post.Hashtags.Any(campaigns[i].Follows))
            {
                _pending[i].Add(post);
                full |= _pending[i].Count >= maxBatch;
            }
        }

        return full;
    }

    /// <summary>True the first time it is asked in each UTC minute: the stream counts once per minute toward completeness.</summary>
    public bool MinuteChanged(DateTimeOffset now)
    {
        var minute = now.ToUnixTimeSeconds() / 60;
        if (minute == _minute)
        {
            return false;
        }

        _minute = minute;
        return true;
    }

    public void Clear()
    {
        foreach (var list in _pending)
        {
            list.Clear();
        }

        EventsSinceFlush = 0;
        PostsSinceFlush = 0;
    }
}
