using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.Options;
using Quartz;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Configuration;

/// <summary>Runs the Core validator at start-up, adding the checks that need Quartz and StackExchange.Redis parsers.</summary>
internal sealed class StartupValidation : IValidateOptions<HazaraMonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, HazaraMonitorOptions options)
    {
        var errors = HazaraMonitorOptionsValidator.Validate(options, CronError).ToList();
        try
        {
            ConfigurationOptions.Parse(options.Redis.Configuration);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{HazaraMonitorOptions.SectionName}:Redis:Configuration is not a StackExchange.Redis configuration string: {e.Message}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? CronError(string expression)
    {
        try
        {
            CronExpression.Parse(expression);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return e.Message;
        }
    }
}
