using System.Globalization;

namespace HazaraMonitor.Core.Time;

/// <summary>The widths of the time buckets a post is counted into.</summary>
public enum Resolution
{
    Minute,
    Hour,
    Day,
}

/// <summary>Bucket arithmetic: all buckets are aligned to UTC, whatever the offset of the input.</summary>
public static class Buckets
{
    public static IReadOnlyList<Resolution> All { get; } = [Resolution.Minute, Resolution.Hour, Resolution.Day];

    public static TimeSpan Width(this Resolution resolution) => resolution switch
    {
        Resolution.Minute => TimeSpan.FromMinutes(1),
        Resolution.Hour => TimeSpan.FromHours(1),
        Resolution.Day => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };

    /// <summary>The API and configuration spelling: 1m, 1h, 1d.</summary>
    public static string Label(this Resolution resolution) => resolution switch
    {
        Resolution.Minute => "1m",
        Resolution.Hour => "1h",
        Resolution.Day => "1d",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };

    public static bool TryParse(string? label, out Resolution resolution)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Label(), label, StringComparison.OrdinalIgnoreCase))
            {
                resolution = candidate;
                return true;
            }
        }

        resolution = default;
        return false;
    }

    /// <summary>The start (inclusive, UTC) of the bucket that holds <paramref name="time"/>.</summary>
    public static DateTimeOffset Start(this Resolution resolution, DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        var width = resolution.Width().Ticks;
        return new DateTimeOffset(ticks - (ticks % width), TimeSpan.Zero);
    }

    /// <summary>
    /// A compact, sortable UTC stamp of a bucket start used inside storage keys:
    /// yyyyMMddHHmm for minutes, yyyyMMddHH for hours, yyyyMMdd for days.
    /// </summary>
    public static string Stamp(this Resolution resolution, DateTimeOffset bucketStart) =>
        bucketStart.UtcDateTime.ToString(resolution switch
        {
            Resolution.Minute => "yyyyMMddHHmm",
            Resolution.Hour => "yyyyMMddHH",
            Resolution.Day => "yyyyMMdd",
            _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
        }, CultureInfo.InvariantCulture);

    /// <summary>Bucket starts covering [from, to): from's bucket up to the last bucket that starts before to.</summary>
    public static IEnumerable<DateTimeOffset> Range(this Resolution resolution, DateTimeOffset from, DateTimeOffset to)
    {
        var width = resolution.Width();
        for (var start = resolution.Start(from); start < to; start += width)
        {
            yield return start;
        }
    }

    /// <summary>How many buckets <see cref="Range"/> yields, without enumerating them.</summary>
    public static long Count(this Resolution resolution, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        var first = resolution.Start(from);
        var width = resolution.Width().Ticks;
        return ((to.UtcTicks - first.UtcTicks) + width - 1) / width;
    }
}
