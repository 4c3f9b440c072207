using System.Collections.Concurrent;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>A hashtag Threads answered with nothing though it had posts within the day.</summary>
/// <param name="LastPost">Its newest post seen, which the empty answer's window held.</param>
internal sealed record WithheldTag(string Campaign, string Hashtag, DateTimeOffset LastPost, DateTimeOffset At);

/// <summary>
/// The user's keyword searches of the last 24 hours (Meta allows 2,200, shared by every app the user
/// authorized), counted in Redis so every instance and restart spends from one count: each search
/// takes a place first, and gives it back when it found nothing (Meta does not count those). Also
/// what the polls found withheld, for <c>/healthz</c>.
/// </summary>
internal sealed class ThreadsSearches(RedisQuotaStore quotas, HazaraMonitorMetrics metrics, IOptions<ThreadsOptions> options, TimeProvider time)
{
    public const string Quota = "keyword-searches";

    /// <summary>The quota's name in <c>hazaramonitor.platform.quota.remaining</c>.</summary>
    public const string QuotaMetric = "keyword_searches_24h";

    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<(string Campaign, string Hashtag), WithheldTag> _withheld = new();

    /// <summary>Hashtags whose last search was empty though they had posts within the day.</summary>
    public IReadOnlyCollection<WithheldTag> Withheld => [.. _withheld.Values];

    /// <summary>Takes a search's place; throws a spent budget (with when the oldest place frees) when the day's searches are used up.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        var search = Guid.NewGuid().ToString("N");
        var limit = options.Value.QueriesPerDay;
        var state = await quotas.TakeAsync(ThreadsPlatform.Id, Quota, [search], time.GetUtcNow(), Day, limit, cancellationToken);
        metrics.QuotaRemaining(ThreadsPlatform.Id, QuotaMetric, limit - state.Held);
        return state.Members[0] != QuotaTake.Refused
            ? search
            : throw new PlatformRequestException(PollOutcome.BudgetSpent, string.Create(CultureInfo.InvariantCulture,
                $"Threads' {limit:N0} keyword searches of the last 24 hours (HazaraMonitor:Platforms:Threads:QueriesPerDay) are spent; searching resumes at {state.OldestFreesAt:O}."), state.OldestFreesAt);
    }

    /// <summary>Gives back the place of a search that found nothing.</summary>
    public Task GiveBackAsync(string search, CancellationToken cancellationToken) =>
        quotas.ReleaseAsync(ThreadsPlatform.Id, Quota, search, cancellationToken);

    /// <summary>The searches held now.</summary>
    public Task<long> UsedAsync(CancellationToken cancellationToken) =>
        quotas.CountHeldAsync(ThreadsPlatform.Id, Quota, time.GetUtcNow(), Day, cancellationToken);

    /// <summary>Records what a campaign's poll found withheld, replacing what the last poll found.</summary>
    public void Found(string campaign, IReadOnlyCollection<CampaignHashtag> hashtags, IReadOnlyList<WithheldTag> withheld)
    {
        foreach (var tag in hashtags)
        {
            _withheld.TryRemove((campaign, tag.Display), out _);
        }

        foreach (var tag in withheld)
        {
            _withheld[(campaign, tag.Hashtag)] = tag;
        }
    }
}
