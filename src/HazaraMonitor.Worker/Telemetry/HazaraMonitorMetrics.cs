using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HazaraMonitor.Core.Polling;
using HazaraMonitor.Core.Posts;

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
    public const string HashtagGroupTag = "hashtag_group";
    public const string EndpointTag = "endpoint";
    public const string OutcomeTag = "outcome";
    public const string ReasonTag = "reason";

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
    private readonly ConcurrentDictionary<(Platform, string), int> _rateLimitRemaining = new();

    public HazaraMonitorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ingested = meter.CreateCounter<long>("hazaramonitor.posts.ingested", "{post}", "Posts counted for the first time.");
        _duplicates = meter.CreateCounter<long>("hazaramonitor.posts.duplicates", "{post}", "Posts seen again (overlapping pages, retries, restarts) and skipped.");
        _rejected = meter.CreateCounter<long>("hazaramonitor.posts.rejected", "{post}", "Posts returned by a platform but not counted: reason=unmatched (no campaign hashtag) or too_old (past the dedupe window).");
        _polls = meter.CreateCounter<long>("hazaramonitor.polls", "{poll}", "Platform polls by outcome.");
        _pollDuration = meter.CreateHistogram("hazaramonitor.poll.duration", "s", "Duration of one platform poll, all pages included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollDurationBoundaries });
        _lag = meter.CreateHistogram("hazaramonitor.ingest.lag", "s", "Time from a post's creation to its commit, per batch (oldest post).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBoundaries });
        meter.CreateObservableGauge("hazaramonitor.ratelimit.remaining", ObserveRateLimits, "{request}", "Requests left in the platform's current rate-limit window.");
    }

    public void Ingested(string campaign, Platform platform, string hashtagGroup, long count, long duplicates)
    {
        var tags = new TagList { { CampaignTag, campaign }, { PlatformTag, platform.Name() }, { HashtagGroupTag, hashtagGroup } };
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
            _rejected.Add(count, new TagList { { CampaignTag, campaign }, { PlatformTag, platform.Name() }, { ReasonTag, reason } });
        }
    }

    public void Polled(Platform platform, string endpoint, PollOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList { { PlatformTag, platform.Name() }, { EndpointTag, endpoint }, { OutcomeTag, outcome.Name() } };
        _polls.Add(1, tags);
        _pollDuration.Record(duration.TotalSeconds, tags);
    }

    public void Lag(Platform platform, TimeSpan lag) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), new TagList { { PlatformTag, platform.Name() } });

    public void RateLimitRemaining(Platform platform, string endpoint, int remaining) =>
        _rateLimitRemaining[(platform, endpoint)] = remaining;

    private IEnumerable<Measurement<int>> ObserveRateLimits() =>
        _rateLimitRemaining.Select(kv => new Measurement<int>(kv.Value, new TagList { { PlatformTag, kv.Key.Item1.Name() }, { EndpointTag, kv.Key.Item2 } }));
}
