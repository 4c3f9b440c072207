namespace HazaraMonitor.Tests.Configuration;

/// <summary>Assertions on the problems a validator reports, each of which starts with the key it names.</summary>
internal static class ProblemAssert
{
    /// <summary>Asserts that, for each of <paramref name="starts"/>, some problem starts with it (ordinal).</summary>
    public static void HasEach(IReadOnlyList<string> problems, params string[] starts)
    {
        foreach (var start in starts)
        {
            Assert.Contains(problems, e => e.StartsWith(start, StringComparison.Ordinal));
        }
    }
}
