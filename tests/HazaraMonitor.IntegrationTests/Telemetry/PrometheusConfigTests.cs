
namespace HazaraMonitor.IntegrationTests.Telemetry;

/// <summary>The shipped Prometheus configuration and alert rules, checked by promtool itself.</summary>
public sealed class PrometheusConfigTests
{
    private static readonly string PrometheusDir = Path.Combine(Repository.Root, "deploy", "prometheus");

    [SkippableFact]
    public async Task PromtoolAcceptsTheScrapeConfiguration()
    {
        var (exit, output) = await ExternalTool.RunAsync("promtool", ["check", "config", "prometheus.yml"], workingDirectory: PrometheusDir);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: prometheus.yml is valid", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PromtoolAcceptsTheAlertRules()
    {
        var (exit, output) = await ExternalTool.RunAsync("promtool", ["check", "rules", "alerts.yml"], workingDirectory: PrometheusDir);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 10 rules found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheAlertRulesPassTheirUnitTests()
    {
        var (exit, output) = await ExternalTool.RunAsync("promtool", ["test", "rules", "alerts.test.yml"], workingDirectory: PrometheusDir);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }
}
