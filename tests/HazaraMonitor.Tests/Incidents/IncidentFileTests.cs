using HazaraMonitor.Core.Incidents;
using HazaraMonitor.Worker.Incidents;

namespace HazaraMonitor.Tests.Incidents;

public sealed class IncidentFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hm-incidents-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The shipped sample file, as the build copies it beside the worker.</summary>
    private static string Shipped => Path.Combine(AppContext.BaseDirectory, "incidents", "stop-hazara-genocide.csv");

    private string Problem(string name, string text) =>
        Assert.Throws<InvalidDataException>(() => IncidentFile.Read(Write(name, text))).Message;

    [Fact]
    public void ReadsTheShippedSampleWithTheKaajAttackOnItsDay()
    {
        var incidents = IncidentFile.Read(Shipped);

        Assert.Equal(11, incidents.Count);
        var kaaj = Assert.Single(incidents, i => i.Title.Contains("Kaaj education centre", StringComparison.Ordinal));
        Assert.Equal((new DateTimeOffset(2022, 9, 30, 0, 0, 0, TimeSpan.Zero), IncidentPrecision.Day), (kaaj.Time, kaaj.Precision));
        Assert.Equal("Dasht-e-Barchi, Kabul, Afghanistan", kaaj.Place);
        Assert.StartsWith("https://thekhorasandiary.com/", kaaj.Link, StringComparison.Ordinal);
        Assert.Equal(("attack", IncidentSource.File), (kaaj.Kind, kaaj.Source));
        // Months where only the month is reported; the relaunch has no source.
        Assert.Equal(4, incidents.Count(i => i.Precision == IncidentPrecision.Month));
        Assert.Null(Assert.Single(incidents, i => i.Kind == "campaign").Link);
        Assert.All(incidents, i => Assert.StartsWith("f-", i.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadsTheSameIncidentsFromCsvAndJson()
    {
        var csv = Write("a.csv", """
            date,precision,kind,title,place,source
            2022-09-30,day,attack,"Kaaj education centre attack, Kabul","Dasht-e-Barchi, Kabul",https://example.org/kaaj
            2022-04,month,attack,Ramadan attacks,Kabul,
            2022-11-09T08:15:00+04:30,,campaign,Relaunch,online,
            """);
        var json = Write("a.json", """
            [
              {"date": "2022-09-30", "precision": "day", "kind": "attack", "title": "Kaaj education centre attack, Kabul", "place": "Dasht-e-Barchi, Kabul", "source": "https://example.org/kaaj"},
              {"time": "2022-04", "title": "Ramadan attacks", "kind": "attack", "place": "Kabul", "link": null},
              {"time": "2022-11-09T03:45:00Z", "kind": "campaign", "title": "Relaunch", "place": "online"}
            ]
            """);

        var fromCsv = IncidentFile.Read(csv);
        var fromJson = IncidentFile.Read(json);

        Assert.Equal(fromCsv, fromJson);
        Assert.Equal(
            [IncidentPrecision.Day, IncidentPrecision.Month, IncidentPrecision.Time],
            fromCsv.Select(i => i.Precision));
        // A full time with an offset is read as the UTC instant it names.
        Assert.Equal(new DateTimeOffset(2022, 11, 9, 3, 45, 0, TimeSpan.Zero), fromCsv[2].Time);
    }

    [Fact]
    public void GivesAnIncidentTheSameIdOnEveryRead()
    {
        var first = IncidentFile.Read(Shipped);
        var again = IncidentFile.Read(Shipped);

        Assert.Equal(first.Select(i => i.Id), again.Select(i => i.Id));
        Assert.Equal(first.Count, first.Select(i => i.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("date,title\n2022-09-30,Kaaj\nyesterday,Something\n", "line 3: date must be a month (2022-09), a day (2022-09-30) or an ISO-8601 time such as 2022-09-30T08:15:00Z (got 'yesterday').")]
    [InlineData("date,title\n2022-09-30,\n", "line 2: title is required.")]
    [InlineData("date,precision,title\n2022-09,day,Kaaj\n", "line 2: precision 'day' does not match date '2022-09', which gives a month.")]
    [InlineData("date,precision,title\n2022-09-30,hourly,Kaaj\n", "line 2: precision must be time, day or month (got 'hourly').")]
    [InlineData("date,title,source\n2022-09-30,Kaaj,javascript:alert(1)\n", "line 2: source must be an absolute http or https URL (got 'javascript:alert(1)').")]
    [InlineData("date,title\n2022-09-30,Kaaj\n2022-09-30,Kaaj\n", "line 3: the same date and title as line 2; list an incident once")]
    [InlineData("when,title\n2022-09-30,Kaaj\n", "line 1: the header 'when,title' lacks the column date; expected date,precision,kind,title,place,source")]
    [InlineData("date,title\n2022-09-30,Kaaj,extra\n", "line 2: 3 cells where the header has 2")]
    [InlineData("", "line 1: the file is empty; expected a header such as date,precision,kind,title,place,source")]
    public void NamesTheLineAndFieldOfABadCsvRow(string text, string message) =>
        Assert.Equal(message, Problem("bad.csv", text));

    [Theory]
    [InlineData("""[{"time": "2022-09-30", "title": "Kaaj"}, {"time": 20220930, "title": "Kaaj"}]""", "[1].time: must be a string (got number)")]
    [InlineData("""[{"time": "2022-09-30"}]""", "[0]: title is required.")]
    [InlineData("""{"time": "2022-09-30", "title": "Kaaj"}""", "the file must hold a JSON array of incidents, [{\"time\": ..., \"title\": ..., \"place\": ..., \"link\": ...}]")]
    [InlineData("""[{"title": "Kaaj"}]""", "[0]: time is required.")]
    public void NamesTheElementAndFieldOfABadJsonIncident(string text, string message) =>
        Assert.Equal(message, Problem("bad.json", text));

    [Fact]
    public void NamesTheLineOfJsonThatDoesNotParse() =>
        Assert.StartsWith("line 3: not JSON", Problem("broken.json", "[\n  {\"time\": \"2022-09-30\", \"title\": \"Kaaj\"},\n  {\"time\": 2022-10-01}\n]\n"), StringComparison.Ordinal);

    [Fact]
    public void RefusesATitleLongerThanTheLimitAndOneOfSeveralLines()
    {
        Assert.Equal("line 2: title is 201 characters long; at most 200.", Problem("long.csv", $"date,title\n2022-09-30,{new string('a', 201)}\n"));
        Assert.Equal("line 2: title must be one line, without control characters (line breaks, tabs).", Problem("lines.csv", "date,title\n2022-09-30,\"two\nlines\"\n"));
    }

    [Fact]
    public void RefusesAFileThatIsNeitherCsvNorJson() =>
        Assert.Equal("must name a .csv or .json file", Problem("incidents.txt", "date,title\n"));
}
