using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Telemetry;

/// <summary>How the gauges read from Redis are refreshed.</summary>
public sealed class MetricsOptions
{
    public const string Key = ValidatedOptions.Root + ":Metrics";

    /// <summary>Quartz cron for re-reading bucket volumes, unique authors and completeness from Redis. Default every 15 s: <c>0/15 * * * * ?</c>.</summary>
    public string RefreshSchedule { get; set; } = "0/15 * * * * ?";
}

/// <summary>Checks <c>HazaraMonitor:Metrics</c>.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var problems = new OptionProblems(MetricsOptions.Key);
        problems.Cron(options.RefreshSchedule, nameof(options.RefreshSchedule));
        return problems.Result();
    }
}
