using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HazaraMonitor.Core.Incidents;
using Sylvan.Data.Csv;

namespace HazaraMonitor.Worker.Incidents;

/// <summary>
/// A campaign's incidents file, by its extension:
/// <list type="bullet">
/// <item><c>.csv</c> (RFC 4180, read with Sylvan.Data.Csv): a header naming the columns, in any order:
/// <c>date</c> (or <c>time</c>) and <c>title</c> required; <c>precision</c>, <c>kind</c>, <c>place</c>
/// and <c>source</c> (or <c>link</c>) optional.</item>
/// <item><c>.json</c>: an array of objects with the same fields, <c>time</c> or <c>date</c> and <c>link</c> or
/// <c>source</c>.</item>
/// </list>
/// A date is a month (<c>2022-04</c>), a day (<c>2022-09-30</c>) or an ISO-8601 time; <c>precision</c>,
/// when given, must agree with it. Every problem is an <see cref="InvalidDataException"/> whose message
/// names the line (CSV) or the element (JSON) and the field.
/// </summary>
internal static class IncidentFile
{
    private static readonly string[] TimeNames = ["date", "time"];
    private static readonly string[] LinkNames = ["source", "link"];

    /// <summary>Reads and checks the file at <paramref name="path"/> (a full path).</summary>
    public static IReadOnlyList<Incident> Read(string path)
    {
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".CSV" or ".JSON"))
        {
            throw new InvalidDataException("must name a .csv or .json file");
        }

        if (!File.Exists(path))
        {
            throw new InvalidDataException("no such file");
        }

        var rows = extension == ".CSV" ? ReadCsv(path) : ReadJson(path);
        var incidents = new List<Incident>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var incident = Check(row);
            if (seen.TryGetValue(incident.Id, out var first))
            {
                throw new InvalidDataException($"{row.Where}: the same date and title as {first}; list an incident once");
            }

            seen[incident.Id] = row.Where;
            incidents.Add(incident);
            if (incidents.Count > IncidentRules.MaxPerSource)
            {
                throw new InvalidDataException($"{row.Where}: more than {IncidentRules.MaxPerSource} incidents; a file holds at most that many");
            }
        }

        return incidents;
    }

    /// <summary>A file incident's id: the same time and title give the same id across restarts and instances.</summary>
    public static string Id(DateTimeOffset time, string title)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{time.UtcTicks}|{title}"));
        return "f-" + Convert.ToHexStringLower(hash, 0, 6);
    }

    /// <summary>One row or element as written; <see cref="Where"/> says where it is ("line 4", "[3]").</summary>
    private sealed record Row(string Where, string? Time, string TimeName, string? Precision, string? Kind, string? Title, string? Place, string? Link, string LinkName);

    private static Incident Check(Row row)
    {
        if (!IncidentRules.TryParseTime(row.Time, row.TimeName, out var time, out var precision, out var error))
        {
            throw new InvalidDataException($"{row.Where}: {error}");
        }

        if (!string.IsNullOrWhiteSpace(row.Precision))
        {
            if (!IncidentRules.TryParsePrecision(row.Precision, out var stated))
            {
                throw new InvalidDataException($"{row.Where}: precision must be time, day or month (got '{row.Precision}').");
            }

            if (stated != precision)
            {
                throw new InvalidDataException($"{row.Where}: precision '{row.Precision}' does not match {row.TimeName} '{row.Time}', which gives a {precision.ToString().ToLowerInvariant()}.");
            }
        }

        var problem = IncidentRules.CheckText("title", row.Title, IncidentRules.MaxTitle, required: true)
            ?? IncidentRules.CheckText("place", row.Place, IncidentRules.MaxPlace, required: false)
            ?? IncidentRules.CheckText("kind", row.Kind, IncidentRules.MaxKind, required: false)
            ?? IncidentRules.CheckLink(row.LinkName, row.Link);
        if (problem is not null)
        {
            throw new InvalidDataException($"{row.Where}: {problem}");
        }

        var title = row.Title!.Trim();
        return new Incident(Id(time, title), time, precision, title, Blank(row.Place), Blank(row.Link), Blank(row.Kind), IncidentSource.File);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<Row> ReadCsv(string path)
    {
        CsvDataReader csv;
        try
        {
            csv = CsvDataReader.Create(path, new CsvDataReaderOptions { Delimiter = ',' });
        }
        catch (CsvMissingHeadersException)
        {
            throw new InvalidDataException("line 1: the file is empty; expected a header such as date,precision,kind,title,place,source");
        }

        using var _ = csv;
        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToList();
        int Column(params string[] names) => names.Select(n => columns.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var (time, title) = (Column(TimeNames), Column("title"));
        if (time < 0 || title < 0)
        {
            throw new InvalidDataException($"line 1: the header '{string.Join(',', columns)}' lacks the column {(time < 0 ? "date" : "title")}; expected date,precision,kind,title,place,source");
        }

        var (precision, kind, place, link) = (Column("precision"), Column("kind"), Column("place"), Column(LinkNames));
        var timeName = columns[time];
        var linkName = link < 0 ? "source" : columns[link];
        var rows = new List<Row>();
        while (Next(csv))
        {
            // Sylvan counts data rows from 1; the header is line 1 (a quoted line break makes later lines count one record).
            var where = $"line {csv.RowNumber + 1}";
            if (csv.RowFieldCount != columns.Count)
            {
                throw new InvalidDataException($"{where}: {csv.RowFieldCount} cells where the header has {columns.Count}");
            }

            string? Cell(int i) => i < 0 ? null : csv.GetString(i);
            rows.Add(new Row(where, Cell(time), timeName, Cell(precision), Cell(kind), Cell(title), Cell(place), Cell(link), linkName));
        }

        return rows;
    }

    private static bool Next(CsvDataReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"line {e.RowNumber + 1}: not a CSV record ({e.Message})", e);
        }
    }

    private static List<Row> ReadJson(string path)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"line {e.LineNumber + 1}: not JSON ({e.Message})", e);
        }

        using var owned = document;
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("the file must hold a JSON array of incidents, [{\"time\": ..., \"title\": ..., \"place\": ..., \"link\": ...}]");
        }

        var rows = new List<Row>();
        foreach (var (i, element) in document.RootElement.EnumerateArray().Index())
        {
            var where = $"[{i}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where}: must be an object with time, title, place and link");
            }

            string? Field(string name)
            {
                if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidDataException($"{where}.{name}: must be a string (got {value.ValueKind.ToString().ToLowerInvariant()})");
            }

            var timeName = TimeNames.FirstOrDefault(n => element.TryGetProperty(n, out _)) ?? "time";
            var linkName = LinkNames.FirstOrDefault(n => element.TryGetProperty(n, out _)) ?? "link";
            rows.Add(new Row(where, Field(timeName), timeName, Field("precision"), Field("kind"), Field("title"), Field("place"), Field(linkName), linkName));
        }

        return rows;
    }
}
