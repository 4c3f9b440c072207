using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Live detection's shared state: each alert's claim, the campaign's alert log, the alerts raised
/// but not yet sent and the leases to send them again, and each series' judged mark. Every
/// instance sees the same, so two instances or a restart raise each alert once.
/// </summary>
public sealed class RedisAlertStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private IDatabase Db => redis.GetDatabase();

    private RedisKeySchema Keys { get; } = new(options.KeyPrefix);

    /// <summary>
    /// Raises an alert, atomically: claims the series and direction for <paramref name="cooldown"/>
    /// (SET NX), adds the alert to the campaign's log (newest 1,000) and to the pending alerts. True
    /// for exactly one caller across instances and restarts until the claim expires; false, with
    /// nothing written, for every other. A crash after it leaves the alert pending, to be sent again.
    /// </summary>
    public async Task<bool> TryRaiseAlertAsync(string campaignId, string series, string direction, string alertId, TimeSpan cooldown, DateTimeOffset minute, string json, CancellationToken cancellationToken)
    {
        var raised = await Db.ScriptEvaluateAsync(RedisScripts.RaiseAlert,
            [Keys.AlertClaim(campaignId, series, direction), Keys.AlertLog(campaignId), Keys.AlertsPending(campaignId), Keys.AlertRaised(campaignId, alertId)],
            [alertId, (long)cooldown.TotalMilliseconds, minute.ToUnixTimeSeconds(), json, (long)options.DayRetention.TotalMilliseconds, (long)options.MinuteRetention.TotalMilliseconds])
            .WaitAsync(cancellationToken);
        return (long)raised == 1;
    }

    /// <summary>The campaign's alerts raised but not yet handed to the sinks (JSON).</summary>
    public async Task<IReadOnlyList<string>> GetPendingAlertsAsync(string campaignId, CancellationToken cancellationToken) =>
        [.. (await Db.HashValuesAsync(Keys.AlertsPending(campaignId)).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>Takes the lease to send a pending alert again: true for one caller until <paramref name="lease"/> passes.</summary>
    public async Task<bool> TryLeaseAlertAsync(string campaignId, string alertId, TimeSpan lease, CancellationToken cancellationToken) =>
        await Db.StringSetAsync(Keys.AlertSending(campaignId, alertId), "1", lease, When.NotExists).WaitAsync(cancellationToken);

    /// <summary>Marks an alert as handed to every sink (or given up): it is no longer pending.</summary>
    public async Task CompleteAlertAsync(string campaignId, string alertId, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashDeleteAsync(Keys.AlertsPending(campaignId), alertId);
        _ = transaction.KeyDeleteAsync(Keys.AlertDelivered(campaignId, alertId));
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>The sinks that have taken a pending alert.</summary>
    public async Task<IReadOnlySet<string>> GetDeliveredAsync(string campaignId, string alertId, CancellationToken cancellationToken) =>
        (await Db.SetMembersAsync(Keys.AlertDelivered(campaignId, alertId)).WaitAsync(cancellationToken)).Select(v => v.ToString()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Records sinks that took a pending alert, so a resend goes only to the others.</summary>
    public async Task AddDeliveredAsync(string campaignId, string alertId, IReadOnlyCollection<string> sinks, CancellationToken cancellationToken)
    {
        if (sinks.Count == 0)
        {
            return;
        }

        var key = Keys.AlertDelivered(campaignId, alertId);
        var transaction = Db.CreateTransaction();
        _ = transaction.SetAddAsync(key, [.. sinks.Select(s => (RedisValue)s)]);
        _ = transaction.KeyExpireAsync(key, options.DayRetention);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>The last minute the detector judged for each series (one read), or null before its first evaluation.</summary>
    public async Task<IReadOnlyList<DateTimeOffset?>> GetEvaluatedAsync(string campaignId, IReadOnlyList<string> series, CancellationToken cancellationToken)
    {
        var values = await Db.StringGetAsync([.. series.Select(s => Keys.AlertsEvaluated(campaignId, s))]).WaitAsync(cancellationToken);
        // A missing key parses as 0 (1970): test for it first.
        return [.. values.Select(v => !v.IsNull && v.TryParse(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null)];
    }

    /// <summary>Moves the campaign's series' evaluation marks forward in one call (never back: two instances may race).</summary>
    public async Task SetEvaluatedAsync(string campaignId, IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken)
    {
        if (marks.Count == 0)
        {
            return;
        }

        await Db.ScriptEvaluateAsync(RedisScripts.AdvanceMark, [.. marks.Keys.Select(series => Keys.AlertsEvaluated(campaignId, series))],
            [.. marks.Values.Select(m => (RedisValue)m.ToUnixTimeSeconds()), (long)options.MinuteRetention.TotalMilliseconds]).WaitAsync(cancellationToken);
    }

    /// <summary>The campaign's newest alerts (JSON), newest first.</summary>
    public async Task<IReadOnlyList<string>> GetAlertsAsync(string campaignId, int limit, CancellationToken cancellationToken) =>
        [.. (await Db.SortedSetRangeByRankAsync(Keys.AlertLog(campaignId), 0, limit - 1, Order.Descending).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>The campaign's alerts about minutes in [from, to), oldest first, as stored (JSON).</summary>
    public async Task<IReadOnlyList<string>> GetAlertsAsync(string campaignId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await Db.SortedSetRangeByScoreAsync(Keys.AlertLog(campaignId), from.ToUnixTimeSeconds(), to.ToUnixTimeSeconds(), Exclude.Stop).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>Gives a notice's id back, so that a later run may send it (no sink took it).</summary>
    public Task ReleaseNoticeAsync(string noticeId, CancellationToken cancellationToken) =>
        Db.KeyDeleteAsync(Keys.Notice(noticeId)).WaitAsync(cancellationToken);

    /// <summary>Claims a notice's id for <paramref name="keep"/>: true for the one instance that may send it.</summary>
    public Task<bool> TryClaimNoticeAsync(string noticeId, TimeSpan keep, CancellationToken cancellationToken) =>
        Db.StringSetAsync(Keys.Notice(noticeId), 1, keep, When.NotExists).WaitAsync(cancellationToken);
}
