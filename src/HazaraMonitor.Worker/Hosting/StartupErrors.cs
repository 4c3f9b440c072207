using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Worker.Hosting;

internal static class StartupErrors
{
    /// <summary>Exit code for configuration that does not validate.</summary>
    public const int BadConfiguration = 2;

    /// <summary>
    /// Runs the app; configuration problems end the process with every message on standard error
    /// (each naming its key) and exit code 2, instead of an unhandled-exception dump.
    /// </summary>
    public static async Task<int> RunReportingConfigurationErrorsAsync(this WebApplication app)
    {
        // Every value that does not convert to its option's type, all at once (the binder stops at the first).
        // It converts values the way the binder does, so binding cannot fail after it passes.
        if (ConfigurationValues.Problems(app.Configuration.GetSection(HazaraMonitorOptions.SectionName), typeof(HazaraMonitorOptions)) is { Count: > 0 } problems)
        {
            return await InvalidAsync(problems);
        }

        try
        {
            // Validate before the host starts, so the operator reads the list below rather than a
            // "hosting failed to start" stack trace. ValidateOnStart still guards any other host.
            _ = app.Services.GetRequiredService<IOptions<HazaraMonitorOptions>>().Value;
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            return await InvalidAsync(e.Failures);
        }
    }

    private static async Task<int> InvalidAsync(IEnumerable<string> problems)
    {
        await Console.Error.WriteLineAsync("HazaraMonitor cannot start: the configuration is invalid.");
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync("  - " + problem);
        }

        return BadConfiguration;
    }
}
