using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Worker.Telemetry;

/// <summary>
/// Every instrument of the worker, created once through <see cref="IMeterFactory"/>. Tag values are
/// bounded: campaigns and their canonical hashtag come from configuration, platforms and outcomes
/// are closed sets; post text and discovered hashtags never become tags.
/// </summary>
internal sealed class HazaraMonitorMetrics
{
    public const string MeterName = "HazaraMonitor";

    public const string CampaignTag = "campaign";
    public const string PlatformTag = "platform";
    public const string PeriodTag = "period";
    public const string QuotaTag = "quota";
    public const string HashtagGroupTag = "hashtag_group";
    public const string EndpointTag = "endpoint";
    public const string OutcomeTag = "outcome";
    public const string ReasonTag = "reason";
    public const string ResolutionTag = "resolution";
    public const string WindowTag = "window";
    public const string CoHashtagTag = "cohashtag";
    public const string KindTag = "kind";
    public const string SinkTag = "sink";
    public const string IncidentTag = "incident";
    public const string TitleTag = "title";

    /// <summary>Most discovered co-hashtags with a label of their own per campaign; the rest are "other".</summary>
    public const int CoHashtagLabels = 20;

    /// <summary>Seconds-sized boundaries: a poll takes tens of milliseconds to a minute with retries.</summary>
    private static readonly double[] PollDurationBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    /// <summary>Post time to commit: seconds for a live stream, minutes for a poll, hours for a backlog.</summary>
    private static readonly double[] LagBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400];

    private readonly Counter<long> _ingested;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _pollDuration;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _coHashtags;
    private readonly Counter<long> _streamEvents;
    private readonly Counter<long> _alertsSent;
    private readonly Counter<long> _alertsRaised;
    private readonly ConcurrentDictionary<(string Campaign, string Series, string Group), double> _anomalyScores = new();
    private readonly ConcurrentDictionary<(Platform, string), int> _rateLimitRemaining = new();
    private readonly ConcurrentDictionary<(Platform, string), long> _quotaRemaining = new();
    private readonly ConcurrentDictionary<string, BoundedLabelSet> _coHashtagLabels = new(StringComparer.Ordinal);
    private readonly CampaignGauges _gauges;

    public HazaraMonitorMetrics(IMeterFactory meterFactory, CampaignGauges gauges, CampaignCatalog campaigns)
    {
        _gauges = gauges;
        var meter = meterFactory.Create(MeterName);
        _ingested = meter.CreateCounter<long>("hazaramonitor.posts.ingested", "{post}", "Posts counted for the first time.");
        _duplicates = meter.CreateCounter<long>("hazaramonitor.posts.duplicates", "{post}", "Posts seen again (overlapping pages, retries, restarts) and skipped.");
        _rejected = meter.CreateCounter<long>("hazaramonitor.posts.rejected", "{post}", "Posts returned by a platform but not counted: reason=unmatched (no campaign hashtag), too_old (past the dedupe window) or malformed (a post without an id or a creation time, refused alone: the rest of its page counts).");
        _polls = meter.CreateCounter<long>("hazaramonitor.polls", "{poll}", "Platform polls by outcome.");
        _pollDuration = meter.CreateHistogram("hazaramonitor.poll.duration", "s", "Duration of one platform poll, all pages included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollDurationBoundaries });
        _lag = meter.CreateHistogram("hazaramonitor.ingest.lag", "s", "Time from a post's creation to its commit, per batch (oldest post).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBoundaries });
        meter.CreateObservableGauge("hazaramonitor.ratelimit.remaining", ObserveRateLimits, "{request}", "Requests left in the platform's current rate-limit window.");
        _alertsSent = meter.CreateCounter<long>("hazaramonitor.alerts.sent", "{alert}", "Alerts handed to a sink, by sink, kind (spike or dip) and outcome (ok or failed).");
        _alertsRaised = meter.CreateCounter<long>("hazaramonitor.alerts.raised", "{alert}", "Alerts raised (once per deployment, by the instance judging), by campaign, series (a platform, or all) and kind (spike or dip), whether or not any sink is configured.");
        // Every series starts at 0: Prometheus's increase() sees no rise in a series whose first sample is
        // already 1, so the first alert of a process would be missing from the board's annotations.
        foreach (var campaign in campaigns.All)
        {
            foreach (var series in campaign.Platforms.Select(p => p.Name).Prepend("all"))
            {
                AlertRaised(campaign.Id, series, "spike", 0);
                AlertRaised(campaign.Id, series, "dip", 0);
            }
        }

        meter.CreateObservableGauge("hazaramonitor.campaign.incident.timestamp", () => _gauges.Current.Incidents.Select(i => new Measurement<double>(i.Time.ToUnixTimeSeconds(),
            new TagList { { CampaignTag, i.Campaign }, { IncidentTag, i.Id }, { TitleTag, i.Title } })),
            "s", "Each incident of a campaign (its file's and those posted through the API, at most 1,000 each), valued at its time (Unix seconds): the Grafana board marks them as annotations.");
        meter.CreateObservableGauge("hazaramonitor.anomaly.score", () => _anomalyScores.Select(kv => new Measurement<double>(kv.Value,
            new TagList { { CampaignTag, kv.Key.Campaign }, { PlatformTag, kv.Key.Series }, { HashtagGroupTag, kv.Key.Group } })),
            "1", "The detector's score (0..1) of the last judged minute, per campaign and series (a platform, or all).");
        _streamEvents = meter.CreateCounter<long>("hazaramonitor.stream.events", "{event}", "Events read from a streaming source (Bluesky Jetstream) by kind: post (created a post), other (everything else), malformed.");
        _coHashtags = meter.CreateCounter<long>("hazaramonitor.cohashtags", "{post}", $"New posts by hashtag found beside the campaign's own: the {CoHashtagLabels} most frequent per campaign by name, the rest as 'other'.");
        meter.CreateObservableGauge("hazaramonitor.bucket.volume", () => _gauges.Current.Volumes.Select(v =>
            new Measurement<long>(v.Count, VolumeTags(v))), "{post}", "Posts counted in the last closed bucket of each resolution (read from Redis: the same on every instance).");
        meter.CreateObservableGauge("hazaramonitor.bucket.reported", () => _gauges.Current.Volumes.Where(v => v.Reported is not null).Select(v =>
            new Measurement<long>(v.Reported!.Value, VolumeTags(v))), "{post}", "The platform's own count for the last closed bucket, where it reports one.");
        meter.CreateObservableGauge("hazaramonitor.authors.unique", () => _gauges.Current.Authors.Select(a =>
            new Measurement<long>(a.Authors, new TagList { { CampaignTag, a.Campaign }, { PlatformTag, a.Platform.Name }, { WindowTag, a.Window } })),
            "{author}", "Distinct authors (HyperLogLog, ~0.81% error): window=1h the last closed hour, window=1d the current UTC day. Not reported for a platform that names no author (instagram): not available, never 0.");
        meter.CreateObservableGauge("hazaramonitor.bucket.completeness", () => _gauges.Current.Completeness.Select(c =>
            new Measurement<double>(c.Completeness, new TagList { { CampaignTag, c.Campaign }, { PlatformTag, c.Platform.Name } })),
            "1", "Share of the last closed minute's polls that succeeded; below 1 the minute's counts may be short.");
        meter.CreateObservableGauge("hazaramonitor.platform.spend", () => _gauges.Current.Spends.SelectMany(s => new[]
            {
                new Measurement<double>((double)s.DayUsd, new TagList { { PlatformTag, s.Platform.Name }, { PeriodTag, "day" } }),
                new Measurement<double>((double)s.MonthUsd, new TagList { { PlatformTag, s.Platform.Name }, { PeriodTag, "month" } }),
            }), "{USD}", "What a metered platform (X) has billed in the current UTC day and calendar month, from the ledger every instance shares.");
        meter.CreateObservableGauge("hazaramonitor.platform.quota.used", () => _gauges.Current.Spends.Select(s =>
            new Measurement<long>(s.MonthPostReads, new TagList { { PlatformTag, s.Platform.Name }, { QuotaTag, "monthly_post_reads" } })),
            "{post}", "Posts a metered platform billed this month, against its own cap (X: 3,000,000).");
        meter.CreateObservableGauge("hazaramonitor.platform.quota.remaining", () => _quotaRemaining.Select(kv =>
            new Measurement<long>(kv.Value, new TagList { { PlatformTag, kv.Key.Item1.Name }, { QuotaTag, kv.Key.Item2 } })),
            "{unit}", "What is left of a platform's own quota, as this instance last read it: quota=hashtags_7d (Instagram: hashtags the account may still search this rolling week), keyword_searches_24h (Threads: searches left in the rolling 24 hours), requests_utc_day and records_utc_day (TikTok: requests and records left of the UTC day's quota; requests 0 once the records or TikTok's own quota are spent).");
        meter.CreateObservableGauge("hazaramonitor.redis.up", () => _gauges.Current.RedisUp ? 1 : 0, "1",
            "1 when the last read of the gauges from Redis succeeded, 0 when Redis could not be read.");
    }

    public void Ingested(string campaign, Platform platform, string hashtagGroup, long count, long duplicates)
    {
        var tags = new TagList { { CampaignTag, campaign }, { PlatformTag, platform.Name }, { HashtagGroupTag, hashtagGroup } };
        if (count > 0)
        {
            _ingested.Add(count, tags);
        }

        if (duplicates > 0)
        {
            _duplicates.Add(duplicates, tags);
        }
    }

    public void Rejected(string campaign, Platform platform, string reason, long count)
    {
        if (count > 0)
        {
            _rejected.Add(count, new TagList { { CampaignTag, campaign }, { PlatformTag, platform.Name }, { ReasonTag, reason } });
        }
    }

    public void Polled(Platform platform, string endpoint, PollOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList { { PlatformTag, platform.Name }, { EndpointTag, endpoint }, { OutcomeTag, outcome.Name() } };
        _polls.Add(1, tags);
        _pollDuration.Record(duration.TotalSeconds, tags);
    }

    public void AlertSent(string campaign, string series, string sink, string kind, bool ok) =>
        _alertsSent.Add(1, new TagList { { CampaignTag, campaign }, { PlatformTag, series }, { SinkTag, sink }, { KindTag, kind }, { OutcomeTag, ok ? "ok" : "failed" } });

    /// <summary>Counts an alert raised; <paramref name="count"/> 0 starts the series.</summary>
    public void AlertRaised(string campaign, string series, string kind, long count = 1) =>
        _alertsRaised.Add(count, new TagList { { CampaignTag, campaign }, { PlatformTag, series }, { KindTag, kind } });

    public void AnomalyScore(string campaign, string series, string hashtagGroup, double score) =>
        _anomalyScores[(campaign, series, hashtagGroup)] = score;

    public void StreamEvents(Platform platform, string kind, long count)
    {
        if (count > 0)
        {
            _streamEvents.Add(count, new TagList { { PlatformTag, platform.Name }, { KindTag, kind } });
        }
    }

    /// <summary>Counts a new post's hashtags that are not the campaign's own, under a bounded label set.</summary>
    public void CoHashtag(string campaign, string hashtagKey)
    {
        var labels = _coHashtagLabels.GetOrAdd(campaign, _ => new BoundedLabelSet(CoHashtagLabels));
        _coHashtags.Add(1, new TagList { { CampaignTag, campaign }, { CoHashtagTag, labels.Observe(hashtagKey) } });
    }

    public void Lag(Platform platform, TimeSpan lag) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), new TagList { { PlatformTag, platform.Name } });

    /// <summary>What is left of a platform's own quota (<paramref name="quota"/> is a closed set per platform).</summary>
    public void QuotaRemaining(Platform platform, string quota, long remaining) =>
        _quotaRemaining[(platform, quota)] = Math.Max(0, remaining);

    public void RateLimitRemaining(Platform platform, string endpoint, int remaining) =>
        _rateLimitRemaining[(platform, endpoint)] = remaining;

    private static TagList VolumeTags(VolumeReading v) => new()
    {
        { CampaignTag, v.Campaign }, { PlatformTag, v.Platform.Name }, { HashtagGroupTag, v.HashtagGroup }, { ResolutionTag, v.Resolution.Label() },
    };

    private IEnumerable<Measurement<int>> ObserveRateLimits() =>
        _rateLimitRemaining.Select(kv => new Measurement<int>(kv.Value, new TagList { { PlatformTag, kv.Key.Item1.Name }, { EndpointTag, kv.Key.Item2 } }));
}
