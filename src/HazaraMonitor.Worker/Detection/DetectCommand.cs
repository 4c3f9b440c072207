using System.Diagnostics;
using System.Globalization;
using System.Text;
using HazaraMonitor.Core.Detection;

namespace HazaraMonitor.Worker.Detection;

/// <summary>
/// <c>hazaramonitor detect --input &lt;csv|folder&gt; --output &lt;csv|folder&gt; [--settings &lt;json&gt;] [--bucket &lt;hh:mm:ss&gt;]</c>:
/// the live detector run over CSV files (<c>timestamp,value</c>), for backtests. Writes
/// <c>timestamp,value,anomaly_score,alert</c> per input file, under the same file name.
/// Exit codes: 0 done, 1 an input file is not usable (the message names the file and line), 2 bad arguments or settings.
/// </summary>
internal static class DetectCommand
{
    public const string Name = "detect";

    private const int BadInput = 1;
    private const int BadUsage = 2;

    private const string Usage = """
        usage: hazaramonitor detect --input <csv or folder> --output <csv or folder> [--settings <json>] [--bucket <hh:mm:ss>]
          --input     a CSV with a header and the columns timestamp,value (UTC, ascending), or a folder of them
          --output    where to write timestamp,value,anomaly_score,alert: a file for one input, a folder for a folder
          --settings  a JSON object of detector settings overriding the defaults (see README, "Spike detection")
          --bucket    the bucket width; default: the most common step between timestamps
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await errors.WriteLineAsync($"detect: {problem}\n{Usage}");
            return BadUsage;
        }

        var settings = new SpikeDetectorSettings();
        if (options.Settings is { } settingsPath)
        {
            try
            {
                new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(settingsPath), optional: false).Build()
                    .Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or InvalidDataException or FormatException)
            {
                await errors.WriteLineAsync($"detect: {settingsPath}: {e.Message}");
                return BadUsage;
            }
        }

        var inputs = InputFiles(options.Input, out problem);
        if (inputs is null)
        {
            await errors.WriteLineAsync($"detect: {problem}");
            return BadUsage;
        }

        var toFolder = Directory.Exists(options.Input) || Directory.Exists(options.Output) || inputs.Count > 1;
        if (toFolder)
        {
            Directory.CreateDirectory(options.Output);
        }

        var totalAlerts = 0;
        foreach (var input in inputs)
        {
            var clock = Stopwatch.StartNew();
            CsvSeries series;
            try
            {
                series = CsvSeries.Read(input);
            }
            catch (InvalidDataException e)
            {
                await errors.WriteLineAsync($"detect: {e.Message}");
                return BadInput;
            }

            var bucket = options.Bucket ?? series.MostCommonStep();
            if (settings.Validate("settings", bucket) is { Count: > 0 } invalid)
            {
                await errors.WriteLineAsync($"detect: the settings do not fit buckets of {bucket}:\n  - " + string.Join("\n  - ", invalid));
                return BadUsage;
            }

            var points = SpikeDetector.Run(series.Values, bucket, settings);
            var target = toFolder ? Path.Combine(options.Output, Path.GetFileName(input)) : options.Output;
            await WriteAsync(target, series, points);
            var alerts = points.Count(p => p.Alert);
            totalAlerts += alerts;
            // Progress on standard error, so standard output stays the summary.
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"detect: {Path.GetFileName(input)}: {series.Values.Count:N0} rows of {bucket}, {alerts} alerts -> {target} ({clock.Elapsed.TotalSeconds:F1} s){Notes(series, bucket)}"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{inputs.Count} file(s), {totalAlerts} alert(s); detector {SpikeDetector.Version}{(options.Settings is null ? " with default settings" : $" with settings from {options.Settings}")}"));
        return 0;
    }

    /// <summary>What the backtest read differently from the file: said on every run, never silently.</summary>
    private static string Notes(CsvSeries series, TimeSpan bucket)
    {
        var notes = new List<string>();
        if (series.Negatives > 0)
        {
            notes.Add($"{series.Negatives} negative value(s) judged as 0");
        }

        if (series.Repeats > 0)
        {
            notes.Add($"{series.Repeats} repeated timestamp(s) judged as the next bucket");
        }

        if (series.Gaps(bucket) is > 0 and var gaps)
        {
            notes.Add($"{gaps} gap(s) longer than a bucket read as consecutive rows");
        }

        return notes.Count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; note: {string.Join(", ", notes)}");
    }

    private static async Task WriteAsync(string path, CsvSeries series, IReadOnlyList<DetectorPoint> points)
    {
        var text = new StringBuilder("timestamp,value,anomaly_score,alert\n");
        for (var i = 0; i < points.Count; i++)
        {
            text.Append(series.Timestamps[i]).Append(',')
                .Append(series.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(points[i].Score.ToString("0.######", CultureInfo.InvariantCulture)).Append(',')
                .Append(points[i].Alert ? '1' : '0').Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString());
    }

    private static List<string>? InputFiles(string input, out string? problem)
    {
        problem = null;
        if (File.Exists(input))
        {
            return [input];
        }

        if (Directory.Exists(input))
        {
            var files = Directory.GetFiles(input, "*.csv", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                problem = $"the folder {input} holds no .csv file";
                return null;
            }

            return files;
        }

        problem = $"--input {input}: no such file or folder";
        return null;
    }

    private sealed record Options(string Input, string Output, string? Settings, TimeSpan? Bucket);

    private static bool TryParse(string[] args, out Options options, out string? problem)
    {
        options = new Options(string.Empty, string.Empty, null, null);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is not ("--input" or "--output" or "--settings" or "--bucket"))
            {
                problem = $"unknown argument '{args[i]}'";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                problem = $"{args[i]} needs a value";
                return false;
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue("--input", out var input) || !values.TryGetValue("--output", out var output))
        {
            problem = "--input and --output are required";
            return false;
        }

        TimeSpan? bucket = null;
        if (values.TryGetValue("--bucket", out var bucketText))
        {
            if (!TimeSpan.TryParse(bucketText, CultureInfo.InvariantCulture, out var parsed) || parsed <= TimeSpan.Zero)
            {
                problem = $"--bucket '{bucketText}' is not a positive duration such as 00:05:00";
                return false;
            }

            bucket = parsed;
        }

        options = new Options(input, output, values.GetValueOrDefault("--settings"), bucket);
        problem = null;
        return true;
    }
}
