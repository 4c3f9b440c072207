using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// Sends an alert to every configured sink at once. Each sink succeeds or fails on its own: a
/// failure is retried (by the sink), then logged and counted, and never delays or blocks the others.
/// </summary>
internal sealed class AlertDispatcher(
    IOptions<HazaraMonitorOptions> options,
    IHttpClientFactory httpClients,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<AlertDispatcher> logger)
{
    public const string HttpClientName = "alerts";

    private readonly Lazy<IReadOnlyList<IAlertSink>> _sinks = new(() => CreateSinks(options.Value.Alerts, httpClients, time));

    public IReadOnlyList<IAlertSink> Sinks => _sinks.Value;

    /// <returns>How many sinks took the alert.</returns>
    public async Task<int> DispatchAsync(Alert alert, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Sinks.Select(async sink =>
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken);
                metrics.AlertSent(alert.Campaign, alert.Platform, sink.Name, alert.Direction, ok: true);
                Log.AlertSent(logger, sink.Name, alert.Id);
                return true;
            }
            catch (AlertSinkException e)
            {
                metrics.AlertSent(alert.Campaign, alert.Platform, sink.Name, alert.Direction, ok: false);
                Log.AlertNotSent(logger, sink.Name, alert.Id, e.Message);
                return false;
            }
        }));
        return results.Count(ok => ok);
    }

    private static List<IAlertSink> CreateSinks(AlertsOptions alerts, IHttpClientFactory httpClients, TimeProvider time)
    {
        var sinks = new List<IAlertSink>();
        foreach (var hook in alerts.Webhooks)
        {
            sinks.Add(new WebhookSink(hook, httpClients.CreateClient(HttpClientName)));
        }

        if (!string.IsNullOrWhiteSpace(alerts.Email.Host))
        {
            sinks.Add(new EmailSink(alerts.Email, time));
        }

        return sinks;
    }
}
