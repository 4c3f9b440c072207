using Quartz;

namespace HazaraMonitor.Worker.Configuration;

internal static class CronCheck
{
    /// <summary>Checks a Quartz cron expression as the scheduler will parse it, passing Quartz's message through with the key; true when it parses.</summary>
    public static bool Cron(this OptionProblems problems, string expression, string name)
    {
        try
        {
            CronExpression.Parse(expression);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(name, $"'{expression}' is not a Quartz cron expression: {e.Message}");
            return false;
        }
    }

    /// <summary>How often a Quartz cron fires in a day (counted over a whole UTC day): what a platform's daily cost or quota is planned from.</summary>
    public static int FiresPerDay(string cron)
    {
        var expression = new CronExpression(cron, TimeZoneInfo.Utc);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var fires = 0;
        for (var at = expression.GetNextValidTimeAfter(start.AddTicks(-1)); at is { } next && next < start.AddDays(1); at = expression.GetNextValidTimeAfter(next))
        {
            fires++;
        }

        return fires;
    }
}
