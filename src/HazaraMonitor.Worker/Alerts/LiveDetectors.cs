using System.Collections.Concurrent;
using HazaraMonitor.Core.Detection;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>
/// The live detectors of every campaign's series, kept between evaluations, so each minute is read
/// and learnt once instead of every series' weeks of history being read and judged again every
/// minute. Lost with the process: a restarted worker builds them again from the stored buckets.
/// </summary>
internal sealed class LiveDetectors
{
    private readonly ConcurrentDictionary<string, LiveCampaign> _campaigns = new(StringComparer.Ordinal);

    public LiveCampaign? Find(string campaignId) => _campaigns.GetValueOrDefault(campaignId);

    public LiveCampaign Set(string campaignId, LiveCampaign campaign) => _campaigns[campaignId] = campaign;
}

/// <summary>One campaign's detectors, built from the history that starts at <paramref name="Start"/>.</summary>
/// <param name="Start">The first minute of the history the detectors were built from.</param>
/// <param name="SeriesStart">The minute the detectors learnt first (index 0): <paramref name="Start"/>, or the first block after the campaign's first activity.</param>
/// <param name="Active">Whether the campaign had any posts or polls when they were built (if not, its first ones start the series).</param>
/// <param name="Series">Per series name (a platform, or <see cref="DetectionJob.AllPlatforms"/>).</param>
internal sealed record LiveCampaign(DateTimeOffset Start, DateTimeOffset SeriesStart, bool Active, IReadOnlyDictionary<string, LiveSeries> Series);

/// <summary>A series' detector and the last minute it has learnt (settled: complete, or waited for).</summary>
internal sealed class LiveSeries(SpikeDetector detector, DateTimeOffset through)
{
    public SpikeDetector Detector { get; } = detector;

    public DateTimeOffset Through { get; set; } = through;
}
