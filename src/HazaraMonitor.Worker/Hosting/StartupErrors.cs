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
        if (ConfigurationValues.Problems(app.Configuration.GetSection(HazaraMonitorOptions.SectionName), typeof(HazaraMonitorOptions)) is { Count: > 0 } problems)
        {
            await Console.Error.WriteLineAsync("HazaraMonitor cannot start: the configuration is invalid.");
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("  - " + problem);
            }

            return BadConfiguration;
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
            await Console.Error.WriteLineAsync("HazaraMonitor cannot start: the configuration is invalid.");
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync("  - " + failure);
            }

            return BadConfiguration;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder names the key and the value; values of secret keys are strings and never fail conversion.
            await Console.Error.WriteLineAsync("HazaraMonitor cannot start: " + e.Message);
            return BadConfiguration;
        }
    }
}
