using Quartz;

namespace HazaraMonitor.Worker.Configuration;

internal static class CronCheck
{
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
