using System.Globalization;
using System.Text.RegularExpressions;

namespace HazaraMonitor.IntegrationTests.Telemetry;

/// <summary>The live /metrics of a running worker, checked by promtool, by the Grafana board and by a real Prometheus.</summary>
public sealed partial class LiveMetricsTests(LiveWorkerFixture live) : IClassFixture<LiveWorkerFixture>
{
    [SkippableFact]
    public async Task PromtoolAcceptsTheLiveMetrics()
    {
        live.Require();
        var metrics = await live.MetricsAsync();

        var (exit, output) = await ExternalTool.RunAsync("promtool", ["check", "metrics"], standardInput: metrics);

        Assert.True(exit == 0, output);
        Assert.Contains("hazaramonitor_posts_ingested_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("hazaramonitor_platform_spend", metrics, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ReportsNoUniqueAuthorsForAPlatformWhoseAnswersNameNone()
    {
        live.Require();
        var authors = (await live.MetricsAsync()).Split('\n').Where(line => line.StartsWith("hazaramonitor_authors_unique{", StringComparison.Ordinal)).ToList();

        // Instagram's hashtag search gives no author: its figure is absent (not available), not a 0.
        Assert.Contains(authors, line => line.Contains("platform=\"x\"", StringComparison.Ordinal));
        Assert.Contains(authors, line => line.Contains("platform=\"threads\"", StringComparison.Ordinal));
        Assert.DoesNotContain(authors, line => line.Contains("platform=\"instagram\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task TheGrafanaBoardQueriesOnlyMetricsTheWorkerExports()
    {
        live.Require();
        var exported = MetricName().Matches(await live.MetricsAsync()).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        using var board = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "grafana", "dashboards", "hazaramonitor.json")));

        var panels = board.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            var expressions = panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList();
            Assert.NotEmpty(expressions);
            foreach (var expression in expressions)
            {
                var names = WorkerMetricReference().Matches(expression).Select(m => m.Value).ToList();
                Assert.True(names.Count > 0 || expression.StartsWith("ALERTS", StringComparison.Ordinal), $"panel '{title}' queries no worker metric: {expression}");
                Assert.All(names, name => Assert.True(exported.Contains(name), $"panel '{title}' queries {name}, which the worker does not export"));
            }
        }
    }

    [SkippableFact]
    public async Task TheGrafanaAnnotationsQueryMetricsTheWorkerExports()
    {
        live.Require();
        var exported = MetricName().Matches(await live.MetricsAsync()).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        using var board = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "grafana", "dashboards", "hazaramonitor.json")));

        var annotations = board.RootElement.GetProperty("annotations").GetProperty("list").EnumerateArray()
            .Where(a => a.GetProperty("datasource").GetProperty("type").GetString() == "prometheus").ToList();
        Assert.Equal(["Incidents", "Alerts"], annotations.Select(a => a.GetProperty("name").GetString()));
        foreach (var annotation in annotations)
        {
            var name = annotation.GetProperty("name").GetString();
            // Older Grafana reads the top-level expression, newer the target's: they must be the same query.
            var expression = annotation.GetProperty("expr").GetString()!;
            Assert.Equal(expression, annotation.GetProperty("target").GetProperty("expr").GetString());
            var names = WorkerMetricReference().Matches(expression).Select(m => m.Value).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, metric => Assert.True(exported.Contains(metric), $"annotation '{name}' queries {metric}, which the worker does not export"));
        }

        // The incidents' times are the series' values, in seconds: Grafana's useValueForTime wants milliseconds.
        var incidents = annotations[0];
        Assert.True(incidents.GetProperty("useValueForTime").GetBoolean());
        Assert.EndsWith(") * 1000", incidents.GetProperty("expr").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ExportsEachIncidentOfTheShippedFileAtItsTime()
    {
        live.Require();
        var incidents = (await live.MetricsAsync()).Split('\n').Where(line => line.StartsWith("hazaramonitor_campaign_incident_timestamp_seconds{", StringComparison.Ordinal)).ToList();

        Assert.Equal(11, incidents.Count);
        // The Kaaj education centre attack, 30 September 2022 (1664496000 s).
        var kaaj = Assert.Single(incidents, line => line.Contains("Kaaj education centre", StringComparison.Ordinal));
        Assert.Contains($"campaign=\"{LiveWorkerFixture.Campaign}\"", kaaj, StringComparison.Ordinal);
        Assert.Matches(@"incident=""f-[0-9a-f]{12}""", kaaj);
        var value = kaaj[(kaaj.LastIndexOf('}') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Equal(1664496000, double.Parse(value, CultureInfo.InvariantCulture));
        // Every alert series starts at 0, so increase() sees the first alert.
        Assert.Contains((await live.MetricsAsync()).Split('\n'), line => line.StartsWith("hazaramonitor_alerts_raised_total{", StringComparison.Ordinal) && line.Contains("platform=\"all\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ARealPrometheusScrapingTheWorkerAgreesWithItsApi()
    {
        live.Require();
        var prometheus = ExternalTool.Require("prometheus");
        var dir = Directory.CreateTempSubdirectory("hm-prometheus-");
        var port = Ports.Free();
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: hazaramonitor
                static_configs:
                  - targets: ["{live.Worker.BaseAddress.Authority}"]
            """);
        var start = new System.Diagnostics.ProcessStartInfo(prometheus) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--config.file={dir.FullName}/prometheus.yml", $"--storage.tsdb.path={dir.FullName}/data", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            var total = await live.TotalAsync();
            var lastHour = Resolution.Hour.Start(TimeProvider.System.GetUtcNow()) - TimeSpan.FromHours(1);
            var hourFromApi = (await live.SeriesAsync("1h", lastHour, lastHour.AddHours(1))).Single();

            var ingested = await QueryUntilAsync(http, $"sum(hazaramonitor_posts_ingested_total{{campaign=\"{LiveWorkerFixture.Campaign}\",platform=\"x\"}})", total);
            var hourVolume = await QueryUntilAsync(http, $"sum(hazaramonitor_bucket_volume{{campaign=\"{LiveWorkerFixture.Campaign}\",platform=\"x\",resolution=\"1h\"}})", hourFromApi);

            Assert.Equal(total, ingested);
            Assert.Equal(hourFromApi, hourVolume);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Asks Prometheus until it answers <paramref name="expected"/> (scrapes take a moment), then returns its last answer.</summary>
    private static async Task<long> QueryUntilAsync(HttpClient http, string query, long expected)
    {
        long last = -1;
        for (var attempt = 0; attempt < 60 && last != expected; attempt++)
        {
            try
            {
                var answer = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
                var result = answer.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    last = (long)double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            if (last != expected)
            {
                await Task.Delay(500);
            }
        }

        return last;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex MetricName();

    [GeneratedRegex(@"hazaramonitor_[a-z0-9_]+")]
    private static partial Regex WorkerMetricReference();
}
