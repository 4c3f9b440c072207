using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// Sends an alert to every configured sink at once. Each sink succeeds or fails on its own: a
/// failure is retried (by the sink), then logged and counted, and never delays or blocks the others.
/// </summary>
internal sealed class AlertDispatcher(
    IOptions<AlertsOptions> options,
    IHttpClientFactory httpClients,
    HazaraMonitorMetrics metrics,
    TimeProvider time,
    ILogger<AlertDispatcher> logger)
{
    public const string HttpClientName = "alerts";

    private readonly Lazy<IReadOnlyList<IAlertSink>> _sinks = new(() => CreateSinks(options.Value, httpClients, time));

    public IReadOnlyList<IAlertSink> Sinks => _sinks.Value;

    /// <summary>Sends the alert to every sink not in <paramref name="delivered"/>; returns the names of those that took it now.</summary>
    public async Task<IReadOnlyList<string>> DispatchAsync(Alert alert, IReadOnlySet<string> delivered, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Sinks.Where(s => !delivered.Contains(s.Name)).Select(async sink =>
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken);
                metrics.AlertSent(alert.Campaign, alert.Platform, sink.Name, alert.Direction, ok: true);
                Log.AlertSent(logger, sink.Name, alert.Id);
                return sink.Name;
            }
            catch (AlertSinkException e)
            {
                metrics.AlertSent(alert.Campaign, alert.Platform, sink.Name, alert.Direction, ok: false);
                Log.AlertNotSent(logger, sink.Name, alert.Id, e.Message);
                return null;
            }
        }));
        return [.. results.OfType<string>()];
    }

    /// <summary>Sends a notice to every sink once (each sink still retries on its own); returns how many took it.</summary>
    public async Task<int> NotifyAsync(Notice notice, CancellationToken cancellationToken)
    {
        var sent = await Task.WhenAll(Sinks.Select(async sink =>
        {
            try
            {
                await sink.SendAsync(notice, cancellationToken);
                return true;
            }
            catch (AlertSinkException e)
            {
                Log.AlertNotSent(logger, sink.Name, notice.Id, e.Message);
                return false;
            }
        }));
        return sent.Count(ok => ok);
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
