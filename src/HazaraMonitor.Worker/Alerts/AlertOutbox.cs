using System.Text.Json;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Core.Incidents;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// Alerts on their way to the sinks. An alert is claimed in Redis for <c>Alerts:Cooldown</c> in the
/// same script that logs it and marks it pending, so two instances, or a restart, raise it once; it
/// is then dispatched and no longer pending. A pending alert older than <see cref="ResendAfter"/>
/// (its instance crashed or stopped between raising and sending) is sent again.
/// </summary>
internal sealed class AlertOutbox(
    RedisAlertStore store, AlertDispatcher dispatcher, HazaraMonitorMetrics metrics, IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertOutbox> logger)
{
    /// <summary>
    /// A raised alert still pending after this long was not sent by the instance that raised it
    /// (sinks give up well within it: three retries from 1 s, and timeouts) and is sent again.
    /// </summary>
    internal static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long an alert a sink keeps refusing is resent (every <see cref="ResendAfter"/>) before it is given up: a day, when the news is old.</summary>
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// The alert a judgement raises: its id names the campaign, series, direction and minute, so the
    /// same decision always has the same id. What people read is rounded (whole posts, 0.1 expected,
    /// 0.001 score, 0.1 day), and the alert carries how much history it was judged against, so its
    /// text claims no more rarity than that history supports. A spike names the campaign's nearest
    /// incident of <paramref name="incidents"/> before the end of its minute, within <c>Alerts:IncidentLookback</c>.
    /// </summary>
    public Alert Compose(Campaign campaign, Judgement judgement, IncidentTimeline incidents)
    {
        var (series, minute, point) = (judgement.Series, judgement.Minute, judgement.Point);
        var direction = point.Direction == AnomalyDirection.Dip ? "dip" : "spike";
        var id = $"{campaign.Id}:{series}:{direction}:{minute.UtcDateTime:yyyyMMddHHmm}";
        static string At(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture));
        var platform = series == LiveSeries.AllPlatforms ? string.Empty : "&platform=" + series;
        var url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/campaigns/{campaign.Id}/series?resolution=1m{platform}&from={At(minute - TimeSpan.FromHours(2))}&to={At(minute + TimeSpan.FromMinutes(30))}";
        return new Alert(id, campaign.Id, campaign.Name, campaign.Canonical.Display, series, direction, minute,
            Math.Round(point.Observed), Math.Round(point.Expected, 1), point.Window.TotalMinutes, Math.Round(point.Score, 3),
            Math.Round(Math.Min(point.ReturnPeriod.TotalDays, 36_500), 1), Math.Round(judgement.Completeness, 3), url, SpikeDetector.Version, time.GetUtcNow(),
            judgement.History.TotalMinutes,
            direction == "spike" && incidents.NearestBefore(minute + TimeSpan.FromMinutes(1), options.Value.IncidentLookback) is { } incident
                ? new AlertIncident(incident.Id, incident.Time, incident.When, incident.Title, incident.Place, incident.Link)
                : null);
    }

    /// <summary>Claims, logs and sends the alert; false when it was raised already (by another instance, before a restart, or within the cooldown).</summary>
    public async Task<bool> RaiseAsync(Alert alert, CancellationToken cancellationToken)
    {
        if (!await store.TryRaiseAlertAsync(alert.Campaign, alert.Platform, alert.Direction, alert.Id, options.Value.Cooldown, alert.Since,
                JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert), cancellationToken))
        {
            return false;
        }

        Log.AlertRaised(logger, alert.Id, alert.Title);
        metrics.AlertRaised(alert.Campaign, alert.Platform, alert.Direction);
        await SendAsync(alert, new HashSet<string>(StringComparer.Ordinal), cancellationToken);
        return true;
    }

    /// <summary>
    /// Sends the alert to the sinks that have not taken it, and completes it once every sink has;
    /// otherwise it stays pending, with the sinks that took it recorded, for a later resend.
    /// </summary>
    private async Task SendAsync(Alert alert, IReadOnlySet<string> delivered, CancellationToken cancellationToken)
    {
        var now = await dispatcher.DispatchAsync(alert, delivered, cancellationToken);
        if (dispatcher.Sinks.All(s => delivered.Contains(s.Name) || now.Contains(s.Name)))
        {
            await store.CompleteAlertAsync(alert.Campaign, alert.Id, cancellationToken);
            return;
        }

        await store.AddDeliveredAsync(alert.Campaign, alert.Id, now, cancellationToken);
    }

    /// <summary>
    /// Sends again the campaign's alerts not yet taken by every sink (a sink was down, or the
    /// instance that raised them crashed or stopped while sending), once they are older than
    /// <see cref="ResendAfter"/>, under a lease so only one instance resends each, and only to the
    /// sinks that have not taken them. An alert still not taken after <see cref="GiveUpAfter"/> is
    /// given up, with an error naming the sinks that never took it.
    /// </summary>
    public async Task ResendPendingAsync(string campaignId, CancellationToken cancellationToken)
    {
        foreach (var json in await store.GetPendingAlertsAsync(campaignId, cancellationToken))
        {
            var alert = JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert);
            if (alert is null || time.GetUtcNow() - alert.RaisedAt < ResendAfter
                || !await store.TryLeaseAlertAsync(campaignId, alert.Id, ResendAfter, cancellationToken))
            {
                continue;
            }

            var delivered = await store.GetDeliveredAsync(campaignId, alert.Id, cancellationToken);
            if (time.GetUtcNow() - alert.RaisedAt > GiveUpAfter)
            {
                Log.AlertGivenUp(logger, alert.Id, alert.RaisedAt, string.Join(", ", dispatcher.Sinks.Select(s => s.Name).Where(n => !delivered.Contains(n))));
                await store.CompleteAlertAsync(campaignId, alert.Id, cancellationToken);
                continue;
            }

            Log.AlertResent(logger, alert.Id, alert.RaisedAt);
            await SendAsync(alert, delivered, cancellationToken);
        }
    }
}
