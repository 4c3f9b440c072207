using Quartz;

namespace HazaraMonitor.Worker.Configuration;

internal static class CronCheck
{
    /// <summary>How often a Quartz cron fires in a day (counted over a whole UTC day, a Monday); 0 when it does not parse.</summary>
    public static int FiresPerDay(string cron)
    {
        CronExpression expression;
        try
        {
            expression = new CronExpression(cron, TimeZoneInfo.Utc);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return 0;
        }

        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var fires = 0;
        for (var at = expression.GetNextValidTimeAfter(start.AddTicks(-1)); at is { } next && next < start.AddDays(1); at = expression.GetNextValidTimeAfter(next))
        {
            fires++;
        }

        return fires;
    }

    /// <summary>Checks a Quartz cron expression as the scheduler will parse it, passing Quartz's message through with the key.</summary>
    public static void Cron(this OptionProblems problems, string expression, string name)
    {
        try
        {
            CronExpression.Parse(expression);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problems.Add(name, $"'{expression}' is not a Quartz cron expression: {e.Message}");
        }
    }
}
