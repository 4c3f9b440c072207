using System.Globalization;

namespace HazaraMonitor.Worker.Detection;

/// <summary>A <c>timestamp,value</c> CSV: its timestamps as written (echoed to the output) and values.</summary>
internal sealed class CsvSeries
{
    private CsvSeries(List<string> timestamps, List<DateTimeOffset> times, List<double> values)
    {
        Timestamps = timestamps;
        Times = times;
        Values = values;
    }

    public IReadOnlyList<string> Timestamps { get; }

    public IReadOnlyList<DateTimeOffset> Times { get; }

    public IReadOnlyList<double> Values { get; }

    /// <summary>Reads and checks a file; every problem is an <see cref="InvalidDataException"/> naming the file and line.</summary>
    public static CsvSeries Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path}:1: the file is empty; expected a header with timestamp,value");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToList();
        var timeColumn = columns.IndexOf("timestamp");
        var valueColumn = columns.IndexOf("value");
        if (timeColumn < 0 || valueColumn < 0)
        {
            throw new InvalidDataException($"{path}:1: the header '{header}' lacks the column {(timeColumn < 0 ? "timestamp" : "value")}; expected timestamp,value");
        }

        var timestamps = new List<string>();
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length != columns.Count)
            {
                throw new InvalidDataException($"{path}:{line}: {cells.Length} cells where the header has {columns.Count}");
            }

            var stamp = cells[timeColumn].Trim().Trim('"');
            if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new InvalidDataException($"{path}:{line}: '{stamp}' is not a timestamp (e.g. 2015-02-26 21:42:53 or 2015-02-26T21:42:53Z)");
            }

            if (!double.TryParse(cells[valueColumn].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                throw new InvalidDataException($"{path}:{line}: '{cells[valueColumn]}' is not a count (a number, 0 or more)");
            }

            if (times.Count > 0 && time <= times[^1])
            {
                throw new InvalidDataException($"{path}:{line}: {stamp} is not after the row before ({timestamps[^1]}); rows must be in ascending time order, each time once");
            }

            timestamps.Add(stamp);
            times.Add(time);
            values.Add(value);
        }

        if (values.Count < 2)
        {
            throw new InvalidDataException($"{path}:{line}: {values.Count} data row(s); at least 2 are needed to know the bucket width");
        }

        return new CsvSeries(timestamps, times, values);
    }

    /// <summary>The most common step between consecutive timestamps: the bucket width.</summary>
    public TimeSpan MostCommonStep() =>
        Times.Zip(Times.Skip(1), (a, b) => b - a).GroupBy(s => s).MaxBy(g => g.Count())!.Key;
}
