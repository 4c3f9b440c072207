using System.Collections.Concurrent;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>Which hashtags Instagram follows now, and why each other one is not.</summary>
/// <param name="Followed">Comparison keys of the hashtags that hold one of the week's places.</param>
/// <param name="NotFollowed">Comparison key → the reason, for the others.</param>
/// <param name="Held">Places held in the account's week (ours and any still held by hashtags no longer configured).</param>
/// <param name="FreesAt">When the oldest place frees, or null when none is held.</param>
internal sealed record InstagramPlan(IReadOnlySet<string> Followed, IReadOnlyDictionary<string, string> NotFollowed, int Held, DateTimeOffset? FreesAt)
{
    public static InstagramPlan None { get; } = new(new HashSet<string>(), new Dictionary<string, string>(), 0, null);
}

/// <summary>
/// Spends the account's 30 hashtags a week deliberately and remembers what each costs. Instagram
/// counts a hashtag against the account from its first query for a rolling 7 days (repeats are free
/// and do not restart its time), so the places are taken in one atomic step for every campaign's
/// hashtags in priority order: every campaign's canonical spelling first, then the second spelling
/// of each, and so on, up to <c>HashtagsPerWeek</c>. The week is kept in Redis (which hashtag was
/// searched when), shared by every instance and restart; hashtag ids, global and stable, are asked
/// once and kept there too. What is not followed, and why, is logged once and shown in
/// <c>/healthz</c> and <c>/api/campaigns</c>.
/// </summary>
internal sealed class InstagramHashtags(
    CampaignCatalog campaigns,
    RedisQuotaStore quotas,
    HazaraMonitorMetrics metrics,
    IOptions<InstagramOptions> options,
    TimeProvider time,
    ILogger<InstagramHashtags> logger) : IHashtagCoverage
{
    /// <summary>The lookup table of hashtag ids.</summary>
    public const string IdsTable = "hashtag-ids";

    /// <summary>The quota's name in <c>hazaramonitor.platform.quota.remaining</c>.</summary>
    public const string QuotaMetric = "hashtags_7d";

    /// <summary>Instagram's window: a hashtag counts for 7 days from its first query.</summary>
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>How long a hashtag Instagram refused to search (a sensitive one, or the account's own limit met elsewhere) waits before it is asked again.</summary>
    public static readonly TimeSpan SearchRetry = TimeSpan.FromHours(6);

    private readonly Lazy<IReadOnlyList<CampaignHashtag>> _priority = new(() => Prioritize(campaigns));
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Reason, DateTimeOffset Until)> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Pages, DateTimeOffset At)> _cut = new(StringComparer.Ordinal);
    private volatile InstagramPlan? _last;
    private volatile UsageSeen? _usage;

    public Platform Platform => InstagramPlatform.Id;

    /// <summary>Every followed campaign hashtag, once, in the order places are given.</summary>
    public IReadOnlyList<CampaignHashtag> Priority => _priority.Value;

    /// <summary>The week's quota in Redis: per Instagram account.</summary>
    public string Quota => "hashtags:" + options.Value.UserId;

    /// <summary>The plan of the last poll on this instance, or, before any, what configuration alone decides.</summary>
    public InstagramPlan Current => _last ?? Configured();

    /// <summary>The last usage Meta reported to this instance.</summary>
    public UsageSeen? Usage => _usage;

    /// <summary>Hashtags whose last sweep ended at the page limit, with when.</summary>
    public IReadOnlyDictionary<string, (int Pages, DateTimeOffset At)> CutSweeps => _cut;

    /// <summary>
    /// Takes the week's places for the hashtags, in priority order (one atomic step in Redis), and
    /// says which are followed. A hashtag Instagram refused to search waits out <see cref="SearchRetry"/>
    /// and takes no place meanwhile, so the next in line may have it.
    /// </summary>
    public async Task<InstagramPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var limit = options.Value.HashtagsPerWeek;
        var notFollowed = new Dictionary<string, string>(StringComparer.Ordinal);
        var asking = new List<CampaignHashtag>();
        foreach (var tag in Priority)
        {
            if (_refused.TryGetValue(tag.Key, out var refused) && refused.Until > now)
            {
                notFollowed[tag.Key] = refused.Reason;
            }
            else
            {
                asking.Add(tag);
            }
        }

        var state = await quotas.TakeAsync(Platform, Quota, [.. asking.Select(t => t.Key)], now, Week, limit, cancellationToken);
        metrics.QuotaRemaining(Platform, QuotaMetric, limit - state.Held);
        var followed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tag, take) in asking.Zip(state.Members))
        {
            if (take == QuotaTake.Refused)
            {
                notFollowed[tag.Key] = string.Create(CultureInfo.InvariantCulture,
                    $"not followed: the {limit} hashtags a week this account may search (HazaraMonitor:Platforms:Instagram:HashtagsPerWeek; Instagram allows 30 per rolling 7 days) are held by hashtags searched before it (canonical spellings come first); the next place frees at {state.OldestFreesAt:O}");
            }
            else
            {
                followed.Add(tag.Key);
                if (take == QuotaTake.Taken)
                {
                    Log.InstagramHashtagSpent(logger, tag.Display, state.Held, limit);
                }
            }
        }

        foreach (var (key, reason) in notFollowed)
        {
            if (_warned.TryAdd(key + "|" + reason[..Math.Min(reason.Length, 40)], 0))
            {
                Log.HashtagNotFollowed(logger, InstagramPlatform.Id.Name, Display(key), reason);
            }
        }

        var plan = new InstagramPlan(followed, notFollowed, state.Held, state.OldestFreesAt);
        _last = plan;
        return plan;
    }

    /// <summary>
    /// The id of <paramref name="tag"/>: from memory, from Redis, or asked of Instagram once and kept
    /// (ids are global and never change). Null when Instagram has no such hashtag or refused to search
    /// it (a sensitive one gets a generic error): the hashtag is then not followed for <see cref="SearchRetry"/>.
    /// </summary>
    public async Task<string?> IdAsync(CampaignHashtag tag, InstagramClient client, CancellationToken cancellationToken)
    {
        if (_ids.TryGetValue(tag.Key, out var known))
        {
            return known;
        }

        if ((await quotas.LookupAsync(Platform, IdsTable, [tag.Key], cancellationToken))[0] is { } stored)
        {
            return _ids[tag.Key] = stored;
        }

        string? id;
        try
        {
            id = await client.SearchHashtagAsync(tag.Display, cancellationToken);
        }
        catch (PlatformRequestException e) when (e is { Outcome: PollOutcome.HttpError, StatusCode: 400 })
        {
            Refuse(tag, $"not followed: Instagram refused to search it ({e.Message}); asked again after {time.GetUtcNow() + SearchRetry:O}");
            return null;
        }

        if (id is null)
        {
            Refuse(tag, $"not followed: Instagram has no hashtag by this name; asked again after {time.GetUtcNow() + SearchRetry:O}");
            return null;
        }

        await quotas.RememberAsync(Platform, IdsTable, tag.Key, id, cancellationToken);
        return _ids[tag.Key] = id;
    }

    /// <summary>Says that polls slow down until <paramref name="until"/>.</summary>
    public void SlowingDown(GraphUsage usage, DateTimeOffset until) => Log.SlowingDown(logger, Platform.Name, usage.Percent, usage.Which, until);

    /// <summary>Notes the usage Meta reported.</summary>
    public void Observed(GraphUsage usage) => _usage = new UsageSeen(usage, time.GetUtcNow());

    /// <summary>Notes how a hashtag's sweep ended: read to its end, or cut at <paramref name="pagesRead"/> pages.</summary>
    public void Swept(CampaignHashtag tag, int? pagesRead)
    {
        if (pagesRead is { } pages)
        {
            _cut[tag.Key] = (pages, time.GetUtcNow());
            if (_warned.TryAdd(tag.Key + "|cut", 0))
            {
                Log.InstagramSweepCut(logger, tag.Display, pages);
            }
        }
        else
        {
            _cut.TryRemove(tag.Key, out _);
        }
    }

    /// <summary>The hashtag as configured, for a comparison key.</summary>
    public string Display(string key) => Priority.FirstOrDefault(t => t.Key == key)?.Display ?? key;

    public IReadOnlyDictionary<string, string> NotFollowed(Campaign campaign)
    {
        var plan = Current;
        return campaign.Followed.Where(h => plan.NotFollowed.ContainsKey(h.Key)).ToDictionary(h => h.Display, h => plan.NotFollowed[h.Key], StringComparer.Ordinal);
    }

    /// <summary>
    /// The order places are given: every campaign's canonical spelling (its first hashtag), in the
    /// order campaigns are configured, then every campaign's second, and so on; a hashtag two campaigns
    /// share takes one place.
    /// </summary>
    internal static IReadOnlyList<CampaignHashtag> Prioritize(CampaignCatalog campaigns)
    {
        var following = campaigns.All.Where(c => c.Platforms.Contains(InstagramPlatform.Id)).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<CampaignHashtag>();
        for (var position = 0; following.Any(c => c.Followed.Count > position); position++)
        {
            foreach (var campaign in following.Where(c => c.Followed.Count > position))
            {
                if (seen.Add(campaign.Followed[position].Key))
                {
                    order.Add(campaign.Followed[position]);
                }
            }
        }

        return order;
    }

    private void Refuse(CampaignHashtag tag, string reason)
    {
        _refused[tag.Key] = (reason, time.GetUtcNow() + SearchRetry);
        if (_last is { } plan)
        {
            _last = plan with
            {
                Followed = plan.Followed.Where(k => k != tag.Key).ToHashSet(StringComparer.Ordinal),
                NotFollowed = new Dictionary<string, string>(plan.NotFollowed, StringComparer.Ordinal) { [tag.Key] = reason },
            };
        }

        if (_warned.TryAdd(tag.Key + "|" + reason[..Math.Min(reason.Length, 40)], 0))
        {
            Log.HashtagNotFollowed(logger, InstagramPlatform.Id.Name, tag.Display, reason);
        }
    }

    /// <summary>Before any poll: the hashtags beyond <c>HashtagsPerWeek</c> in priority order are not followed, whatever Redis holds.</summary>
    private InstagramPlan Configured()
    {
        var limit = options.Value.HashtagsPerWeek;
        return new InstagramPlan(
            Priority.Take(limit).Select(t => t.Key).ToHashSet(StringComparer.Ordinal),
            Priority.Skip(limit).ToDictionary(t => t.Key, _ => string.Create(CultureInfo.InvariantCulture,
                $"not followed: beyond the {limit} hashtags a week this account may search (HazaraMonitor:Platforms:Instagram:HashtagsPerWeek; Instagram allows 30 per rolling 7 days); canonical spellings come first"), StringComparer.Ordinal),
            0,
            null);
    }
}

/// <summary>Meta's usage as last reported, and when.</summary>
internal sealed record UsageSeen(GraphUsage Usage, DateTimeOffset At);
