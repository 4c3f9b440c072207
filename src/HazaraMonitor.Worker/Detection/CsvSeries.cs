using Sylvan.Data.Csv;

namespace HazaraMonitor.Worker.Detection;

/// <summary>
/// A <c>timestamp,value</c> CSV (RFC 4180, read with Sylvan.Data.Csv: quoted cells, other columns
/// in any order): its timestamps as written (echoed to the output) and values.
/// </summary>
internal sealed class CsvSeries
{
    private CsvSeries(List<string> timestamps, List<DateTimeOffset> times, List<double> values, int negatives, int repeats)
    {
        Timestamps = timestamps;
        Times = times;
        Values = values;
        Negatives = negatives;
        Repeats = repeats;
    }

    private static readonly TimeSpan DaylightSavingShift = TimeSpan.FromHours(1);

    public IReadOnlyList<string> Timestamps { get; }

    public IReadOnlyList<DateTimeOffset> Times { get; }

    /// <summary>The values as judged: a negative value is read as 0 (the detector judges counts).</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>How many rows held a negative value (judged as 0).</summary>
    public int Negatives { get; }

    /// <summary>How many rows are not after every row before them, by at most an hour (the hour a local-time export repeats when daylight saving ends).</summary>
    public int Repeats { get; }

    /// <summary>Reads and checks a file; every problem is an <see cref="InvalidDataException"/> naming the file and line.</summary>
    public static CsvSeries Read(string path)
    {
        CsvDataReader csv;
        try
        {
            csv = CsvDataReader.Create(path, new CsvDataReaderOptions { Delimiter = ',' });
        }
        catch (CsvMissingHeadersException)
        {
            throw new InvalidDataException($"{path}:1: the file is empty; expected a header with timestamp,value");
        }

        using var _ = csv;
        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToList();
        var timeColumn = columns.IndexOf("timestamp");
        var valueColumn = columns.IndexOf("value");

        if (timeColumn < 0 || valueColumn < 0)
        {
            throw new InvalidDataException($"{path}:1: the header '{string.Join(',', columns)}' lacks the column {(timeColumn < 0 ? "timestamp" : "value")}; expected timestamp,value");
        }

        var timestamps = new List<string>();
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        int negatives = 0, repeats = 0;
        var latest = DateTimeOffset.MinValue;
        var line = 1;
        while (Next(csv, path))
        {
            // Sylvan counts data rows from 1; the header is line 1.
            line = csv.RowNumber + 1;
            if (csv.RowFieldCount != columns.Count)
            {
                throw new InvalidDataException($"{path}:{line}: {csv.RowFieldCount} cells where the header has {columns.Count}");
            }

            var stamp = csv.GetString(timeColumn).Trim();
            if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new InvalidDataException($"{path}:{line}: '{stamp}' is not a timestamp (e.g. 2015-02-26 21:42:53 or 2015-02-26T21:42:53Z)");
            }

            var cell = csv.GetString(valueColumn).Trim();
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InvalidDataException($"{path}:{line}: '{cell}' is not a number");
            }

            // A backtest of a real export judges every row it was given and says what it changed:
            // a count is never negative, so a negative value (a signed measurement, not a count)
            // is judged as 0, and a repeated time (the hour a local-time export repeats when
            // daylight saving ends) is judged as the next bucket, one output row per input row.
            if (value < 0)
            {
                negatives++;
                value = 0;
            }

            if (time <= latest)
            {
                // Up to an hour back is the repeated hour of a local-time export, not disorder.
                if (latest - time > DaylightSavingShift)
                {
                    throw new InvalidDataException($"{path}:{line}: {stamp} is more than an hour before an earlier row ({latest:yyyy-MM-dd HH:mm:ss}); rows must be in ascending time order (an hour repeated at a daylight-saving change is accepted)");
                }

                repeats++;
            }

            if (time > latest)
            {
                latest = time;
            }

            timestamps.Add(stamp);
            times.Add(time);
            values.Add(value);
        }

        if (values.Count < 2 || latest == times[0])
        {
            throw new InvalidDataException($"{path}:{line}: {values.Count} data row(s) at {Math.Min(values.Count, 1)} distinct time(s); at least 2 distinct times are needed to know the bucket width");
        }

        return new CsvSeries(timestamps, times, values, negatives, repeats);
    }

    /// <summary>The next record; a malformed one (an unclosed quote) is an <see cref="InvalidDataException"/> naming its line.</summary>
    private static bool Next(CsvDataReader csv, string path)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{path}:{e.RowNumber + 1}: not a CSV record ({e.Message})", e);
        }
    }

    /// <summary>The most common step between consecutive timestamps: the bucket width.</summary>
    public TimeSpan MostCommonStep() =>
        Times.Zip(Times.Skip(1), (a, b) => b - a).Where(s => s > TimeSpan.Zero).GroupBy(s => s).MaxBy(g => g.Count())!.Key;

    /// <summary>How many steps between rows are longer than <paramref name="bucket"/>: gaps the detector reads as consecutive buckets.</summary>
    public int Gaps(TimeSpan bucket) => Times.Zip(Times.Skip(1), (a, b) => b - a).Count(s => s > bucket);
}
