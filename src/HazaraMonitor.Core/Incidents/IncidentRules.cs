using System.Globalization;
using System.Text.RegularExpressions;

namespace HazaraMonitor.Core.Incidents;

/// <summary>
/// What an incident may hold, the same for a file's rows and the API's posts. Each check returns a
/// message naming the field, or null when the value is fine.
/// </summary>
public static partial class IncidentRules
{
    /// <summary>Longest title: the seed file's longest is 141 characters; it also labels a metric series and an alert line.</summary>
    public const int MaxTitle = 200;

    public const int MaxPlace = 200;

    public const int MaxKind = 40;

    /// <summary>Longest link: what browsers and proxies reliably carry.</summary>
    public const int MaxLink = 2048;

    /// <summary>
    /// Most incidents a campaign holds from each source (its file, the API): each is a series of the
    /// incident gauge, so this bounds its cardinality, and the API's are all read for every alert.
    /// </summary>
    public const int MaxPerSource = 1000;

    /// <summary>The earliest and latest times an incident may have: the API's range for <c>from</c> and <c>to</c>.</summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch, Latest = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Reads a time as precisely as it is written: <c>2022-09</c> (month), <c>2022-09-30</c> (day), or an
    /// ISO-8601 time with or without an offset (UTC when none), e.g. <c>2022-09-30T08:15:00Z</c>.
    /// </summary>
    public static bool TryParseTime(string? text, string name, out DateTimeOffset time, out IncidentPrecision precision, out string? error)
    {
        var value = text?.Trim() ?? string.Empty;
        (time, precision, error) = (default, IncidentPrecision.Time, null);
        if (value.Length == 0)
        {
            error = $"{name} is required.";
            return false;
        }

        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, utc, out time))
        {
            precision = IncidentPrecision.Month;
        }
        else if (DateTimeOffset.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, utc, out time))
        {
            precision = IncidentPrecision.Day;
        }
        else if (!IsoTime().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, utc, out time))
        {
            error = $"{name} must be a month (2022-09), a day (2022-09-30) or an ISO-8601 time such as 2022-09-30T08:15:00Z (got '{Shorten(value)}').";
            return false;
        }

        if (time < Earliest || time > Latest)
        {
            error = $"{name} must be between 1970-01-01 and 9999-12-30 (got '{value}').";
            return false;
        }

        return true;
    }

    /// <summary>Reads a precision: <c>time</c>, <c>day</c> or <c>month</c> (any case).</summary>
    public static bool TryParsePrecision(string text, out IncidentPrecision precision) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out precision) && Enum.IsDefined(precision) && !int.TryParse(text, out _);

    /// <summary>Checks a text field: present when <paramref name="required"/>, at most <paramref name="max"/> characters, one line.</summary>
    public static string? CheckText(string name, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? $"{name} is required." : null;
        }

        if (value.Length > max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name} is {value.Length} characters long; at most {max}.");
        }

        return value.Any(char.IsControl) ? $"{name} must be one line, without control characters (line breaks, tabs)." : null;
    }

    /// <summary>Checks a link: absent, or an absolute http or https URL of at most <see cref="MaxLink"/> characters.</summary>
    public static string? CheckLink(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > MaxLink)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name} is {value.Length} characters long; at most {MaxLink}.");
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"{name} must be an absolute http or https URL (got '{Shorten(value)}').";
    }

    /// <summary>A value quoted back in a message, cut at 100 characters.</summary>
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "...";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
