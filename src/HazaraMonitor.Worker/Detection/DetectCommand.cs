using System.CommandLine;
using System.Data;
using System.Diagnostics;
using HazaraMonitor.Core.Detection;
using Sylvan.Data.Csv;

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

    private static readonly Option<string> Input = new("--input")
    {
        Description = "a CSV with a header and the columns timestamp,value (UTC, ascending), or a folder of them",
        Required = true,
    };

    private static readonly Option<string> Output = new("--output")
    {
        Description = "where to write timestamp,value,anomaly_score,alert: a file for one input, a folder for a folder",
        Required = true,
    };

    private static readonly Option<string?> Settings = new("--settings")
    {
        Description = "a JSON object of detector settings overriding the defaults (see README, \"Spike detection\")",
    };

    private static readonly Option<TimeSpan?> Bucket = new("--bucket")
    {
        Description = "the bucket width, e.g. 00:05:00; default: the most common step between timestamps",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var bucket) && bucket > TimeSpan.Zero)
            {
                return bucket;
            }

            result.AddError($"--bucket '{text}' is not a positive duration such as 00:05:00");
            return null;
        },
    };

    /// <summary>Runs <c>detect</c> with the arguments after its name; <c>--help</c> prints the usage.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var command = new Command(Name, "Runs the live detector over CSV files (timestamp,value), for backtests.") { Input, Output, Settings, Bucket };
        command.SetAction((parsed, _) => RunAsync(new Options(parsed.GetValue(Input)!, parsed.GetValue(Output)!, parsed.GetValue(Settings), parsed.GetValue(Bucket)), output, errors));
        var parsed = new RootCommand("HazaraMonitor") { command }.Parse([Name, .. args]);
        if (parsed.Errors.Count > 0)
        {
            await errors.WriteLineAsync($"detect: {string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.')))} (hazaramonitor detect --help for the usage)");
            return BadUsage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
    }

    private static async Task<int> RunAsync(Options options, TextWriter output, TextWriter errors)
    {
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

        var inputs = InputFiles(options.Input, out var problem);
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
        using var table = new DataTable();
        foreach (var column in (string[])["timestamp", "value", "anomaly_score", "alert"])
        {
            table.Columns.Add(column, typeof(string));
        }

        for (var i = 0; i < points.Count; i++)
        {
            table.Rows.Add(
                series.Timestamps[i],
                series.Values[i].ToString("R", CultureInfo.InvariantCulture),
                points[i].Score.ToString("0.######", CultureInfo.InvariantCulture),
                points[i].Alert ? "1" : "0");
        }

        // UTF-8 without a byte-order mark, as the input is read and the scorer expects.
        await using var csv = CsvDataWriter.Create(new StreamWriter(path));
        await csv.WriteAsync(table.CreateDataReader());
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
}
