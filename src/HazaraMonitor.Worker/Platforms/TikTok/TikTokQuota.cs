using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>
/// The Research API's daily quota (1,000 requests and 100,000 records a UTC day, reset at 00:00 UTC),
/// kept in Redis for every instance and campaign: each request is reserved with the records it may
/// return before it is sent, and settled to what it returned; at the limit polls stop until the day
/// ends, before TikTok refuses them.
/// </summary>
internal sealed class TikTokQuota(RedisDailyQuota counters, HazaraMonitorMetrics metrics, IOptions<TikTokOptions> options, TimeProvider time)
{
    /// <summary>The quotas' names in <c>hazaramonitor.platform.quota.remaining</c>.</summary>
    public const string RequestsMetric = "requests_utc_day";

    public const string RecordsMetric = "records_utc_day";

    private TikTokOptions Settings => options.Value;

    /// <summary>Reserves a request and up to a page of records; the records granted, or a rate-limited failure until the day ends.</summary>
    public async Task<(DateTimeOffset At, int Records)> ReserveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (granted, refused) = await counters.ReserveAsync(TikTokPlatform.Id, now, TikTokClient.MaxCount, Settings.DailyRequestLimit, Settings.DailyRecordLimit, cancellationToken);
        return refused switch
        {
            null => (now, granted),
            QuotaRefusal.Requests => throw Spent(now, string.Create(CultureInfo.InvariantCulture, $"{Settings.DailyRequestLimit:N0} requests (HazaraMonitor:Platforms:TikTok:DailyRequestLimit)")),
            QuotaRefusal.Records => throw Spent(now, string.Create(CultureInfo.InvariantCulture, $"{Settings.DailyRecordLimit:N0} records (HazaraMonitor:Platforms:TikTok:DailyRecordLimit)")),
            _ => throw Spent(now, $"the project's quota: TikTok answered {TikTokClient.DailyQuotaCode}"),
        };
    }

    /// <summary>Settles a reservation to the records the page returned.</summary>
    public Task SettleAsync((DateTimeOffset At, int Records) reservation, int returned, CancellationToken cancellationToken) =>
        counters.SettleAsync(TikTokPlatform.Id, reservation.At, reservation.Records, returned, cancellationToken);

    /// <summary>Notes that TikTok said the day's quota is spent, so no instance asks again before the day ends.</summary>
    public Task ExhaustAsync(CancellationToken cancellationToken) => counters.ExhaustAsync(TikTokPlatform.Id, time.GetUtcNow(), cancellationToken);

    /// <summary>The day's use and the requests left until the reset; what is left is reported in the platform quota gauge.</summary>
    public async Task<(DailyQuotaUse Use, RateLimitInfo Requests)> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var use = await counters.GetAsync(TikTokPlatform.Id, now, cancellationToken);
        var left = use.Exhausted || use.Records >= Settings.DailyRecordLimit ? 0 : Math.Max(0, Settings.DailyRequestLimit - use.Requests);
        metrics.QuotaRemaining(TikTokPlatform.Id, RequestsMetric, left);
        metrics.QuotaRemaining(TikTokPlatform.Id, RecordsMetric, use.Exhausted ? 0 : Settings.DailyRecordLimit - use.Records);
        return (use, new RateLimitInfo(Settings.DailyRequestLimit, (int)left, TikTokClient.NextReset(now)));
    }

    private static PlatformRequestException Spent(DateTimeOffset now, string what) => new(PollOutcome.RateLimited,
        string.Create(CultureInfo.InvariantCulture, $"TikTok's daily quota is spent ({what}): no more reads until {TikTokClient.NextReset(now):yyyy-MM-dd HH:mm} UTC."),
        TikTokClient.NextReset(now));
}

/// <summary>
/// The TikTok quota of the current UTC day, from the counters every instance shares: Healthy while
/// within it, Degraded once it is spent (polls wait for 00:00 UTC). Healthy, with no data, when no
/// campaign follows TikTok.
/// </summary>
internal sealed class TikTokQuotaHealthCheck(TikTokQuota quota, CampaignCatalog campaigns, IOptions<TikTokOptions> options) : IHealthCheck
{
    public const string Name = "tiktok_quota";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!campaigns.All.Any(c => c.Platforms.Contains(TikTokPlatform.Id)))
        {
            return HealthCheckResult.Healthy("No campaign follows TikTok.");
        }

        var settings = options.Value;
        var (use, requests) = await quota.ReadAsync(cancellationToken);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["requests"] = use.Requests,
            ["daily_request_limit"] = (long)settings.DailyRequestLimit,
            ["records"] = use.Records,
            ["daily_record_limit"] = (long)settings.DailyRecordLimit,
            ["spent_at_tiktok"] = use.Exhausted.ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
            ["resets_at"] = requests.Reset!.Value,
        };
        return requests.Remaining > 0
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"TikTok quota today: {use.Requests:N0} of {settings.DailyRequestLimit:N0} requests, {use.Records:N0} of {settings.DailyRecordLimit:N0} records."), data)
            : HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"TikTok's daily quota is spent ({(use.Exhausted ? "TikTok said so" : $"{use.Requests:N0} of {settings.DailyRequestLimit:N0} requests, {use.Records:N0} of {settings.DailyRecordLimit:N0} records")}): no reads until {requests.Reset:yyyy-MM-dd HH:mm} UTC."), data: data);
    }
}
