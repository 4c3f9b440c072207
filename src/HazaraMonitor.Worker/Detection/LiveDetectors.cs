using System.Collections.Concurrent;
using HazaraMonitor.Core.Detection;

namespace HazaraMonitor.Worker.Detection;

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
/// <param name="SeriesStart">The minute the detectors learnt first (their bucket 0): <paramref name="Start"/>, or the first block after the campaign's first activity.</param>
/// <param name="Active">Whether the campaign had any posts or polls when they were built (if not, its first ones start the series).</param>
/// <param name="Series">Per series name (a platform, or <see cref="LiveSeries.AllPlatforms"/>), its detector: it has learnt one minute per bucket from <paramref name="SeriesStart"/>.</param>
internal sealed record LiveCampaign(DateTimeOffset Start, DateTimeOffset SeriesStart, bool Active, IReadOnlyDictionary<string, SpikeDetector> Series)
{
    /// <summary>The last minute <paramref name="detector"/> has learnt (the minute before <see cref="SeriesStart"/> when none).</summary>
    public DateTimeOffset Through(SpikeDetector detector) => SeriesStart + (TimeSpan.FromMinutes(1) * (detector.Count - 1));
}
