using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// A message for the people who run the deployment, sent to the same sinks as alerts (a spent budget).
/// JSON webhooks receive it as it is; chat sinks and email get its title and lines.
/// </summary>
/// <param name="Id">Stable id: the same condition on the same day has the same id, and is sent once.</param>
/// <param name="Kind">What happened, e.g. <c>budget_spent</c>, <c>daily_digest</c>.</param>
/// <param name="Digest">For a daily digest, its figures, so a JSON receiver need not parse the lines; null otherwise.</param>
internal sealed record Notice(string Id, string Kind, string Platform, string Title, IReadOnlyList<string> Lines, DateTimeOffset At, DailyDigest? Digest = null);

/// <summary>Sends each notice once for every instance: the first to claim its id in Redis sends it.</summary>
internal sealed class OpsNotices(RedisAlertStore store, AlertDispatcher dispatcher, TimeProvider time, ILogger<OpsNotices> logger)
{
    /// <summary>How long a notice's id stays claimed: the same condition is not announced again within it.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromDays(2);

    /// <summary>Announces that <paramref name="platform"/>'s budget is spent, once a UTC day, with <paramref name="reason"/>.</summary>
    public async Task BudgetSpentAsync(Platform platform, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var notice = new Notice(
            $"{platform}-budget_spent-{Resolution.Day.Stamp(Resolution.Day.Start(now))}", "budget_spent", platform.Name,
            $"Budget spent on {platform}: search paused, volume from counts continues",
            [reason, "See /api/spend for what was spent and the limits; it resets at the next UTC day (daily budget) or month (monthly budget, X's read cap)."],
            now);
        if (await store.TryClaimNoticeAsync(notice.Id, Keep, cancellationToken))
        {
            var sent = await dispatcher.NotifyAsync(notice, cancellationToken);
            Log.NoticeSent(logger, notice.Id, sent);
        }
    }
}
