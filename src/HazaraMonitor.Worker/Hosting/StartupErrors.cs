using HazaraMonitor.Worker.Configuration;

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
        if (Problems(app.Services) is { Count: > 0 } problems)
        {
            await Console.Error.WriteLineAsync("HazaraMonitor cannot start: the configuration is invalid.");
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("  - " + problem);
            }

            return BadConfiguration;
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// Every configuration problem of every component at once: first each value that does not convert
    /// to its option's type (the binder stops at the first, and converts as this check does, so binding
    /// cannot fail after it passes); then each component's validator, as the host would run them at start.
    /// </summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var conversions = services.GetServices<ConfiguredSection>()
            .SelectMany(s => ConfigurationValues.Problems(configuration.GetSection(s.Key), s.Type))
            .ToList();
        if (conversions.Count > 0)
        {
            return conversions;
        }

        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            // A platform's problems come twice: from its options, and from its HTTP client's resilience
            // options, whose validation reads the platform's options for its timeout.
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(v => v.Failures).Distinct()];
        }
    }
}
