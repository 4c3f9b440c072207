namespace HazaraMonitor.Tests.Configuration;

/// <summary>Start-up reads each campaign's incidents file and checks the API's write key and the alerts' lookback, naming the key of every problem.</summary>
public sealed class IncidentsConfigurationTests : IDisposable
{
    private const string FileKey = "HazaraMonitor:Campaigns:0:IncidentsFile";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hm-incidents-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] values) =>
        ConfiguredWorker.Problems(ConfiguredWorker.With(ConfiguredWorker.OnX(), values));

    [Fact]
    public void AcceptsAGoodFile() =>
        Assert.Empty(Problems((FileKey, Write("good.csv", "date,title\n2022-09-30,Kaaj\n"))));

    [Fact]
    public void NamesTheKeyTheFileAndTheLineOfABadRow()
    {
        var path = Write("bad.csv", "date,title\n2022-09-30,Kaaj\n2022-13-01,Later\n");

        var problem = Assert.Single(Problems((FileKey, path)));

        Assert.Equal($"{FileKey} '{path}' (read as {path}): line 3: date must be a month (2022-09), a day (2022-09-30) or an ISO-8601 time such as 2022-09-30T08:15:00Z (got '2022-13-01').", problem);
    }

    [Fact]
    public void NamesTheKeyOfAMissingFileAndWhereItWasLookedFor()
    {
        var problem = Assert.Single(Problems((FileKey, "incidents/none.csv")));

        Assert.StartsWith($"{FileKey} 'incidents/none.csv' (read as /", problem, StringComparison.Ordinal);
        Assert.EndsWith("/incidents/none.csv): no such file.", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesTheKeyOfAFileOfAnotherKind() =>
        ProblemAssert.HasEach(Problems((FileKey, Write("incidents.xlsx", "not read"))), $"{FileKey} '");

    [Fact]
    public void ReportsTheFileAmongTheOtherProblemsAtOnce()
    {
        var problems = Problems((FileKey, Write("bad.json", "[{\"title\": \"Kaaj\"}]")), ("HazaraMonitor:Campaigns:0:Name", ""));

        Assert.Equal(2, problems.Count);
        ProblemAssert.HasEach(problems, "HazaraMonitor:Campaigns:0:Name must not be empty", $"{FileKey} '");
        Assert.Contains(problems, p => p.EndsWith("[0]: time is required.", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAShortWriteKeyWithoutRepeatingIt()
    {
        var problem = Assert.Single(Problems(("HazaraMonitor:Api:WriteKey", "hunter2")));

        Assert.StartsWith("HazaraMonitor:Api:WriteKey must be at least 16 characters", problem, StringComparison.Ordinal);
        Assert.Contains("HazaraMonitor__Api__WriteKey", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
        Assert.Empty(Problems(("HazaraMonitor:Api:WriteKey", "a-long-enough-write-key-0123456789")));
    }

    [Fact]
    public void RefusesANegativeIncidentLookback() =>
        ProblemAssert.HasEach(Problems(("HazaraMonitor:Alerts:IncidentLookback", "-1.00:00:00")), "HazaraMonitor:Alerts:IncidentLookback must not be negative");
}
