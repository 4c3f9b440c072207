using System.Security.Cryptography;
using System.Text;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>
/// Reads a campaign's hashtags on Threads: one keyword search per hashtag (tag mode, most recent
/// first), each with its own sweep cursor committed with every page's counts, as for X. A sweep
/// starts one second before the newest post the last one saw, so an answer that is not withheld
/// holds that post again (a duplicate); an empty answer for a hashtag that had a post within the day
/// is what Meta gives for keywords it deems sensitive, and the poll ends <c>possibly_withheld</c>
/// (health, metrics and the minute's completeness say so) rather than reporting a silent zero.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ThreadsSearchJob(
    ThreadsClient client,
    ThreadsSearches searches,
    IngestPipeline pipeline,
    IOptions<ThreadsOptions> options,
    PollContext context,
    ILogger<ThreadsSearchJob> logger) : PollJob(context, logger)
{
    public const string EndpointName = "keyword_search";

    /// <summary>How far back a first search may reach. Meta does not document recent search's reach; a week bounds a long lookback.</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(7);

    /// <summary>An empty answer is suspect when the hashtag's newest post seen is at most this old: a hashtag quiet for longer has simply gone quiet.</summary>
    public static readonly TimeSpan WithheldWindow = TimeSpan.FromDays(1);

    protected override Platform Platform => ThreadsPlatform.Id;

    private ThreadsOptions Settings => options.Value;

    protected override string Endpoint(string? target) => EndpointName;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var withheld = new List<WithheldTag>();
        foreach (var tag in campaign.Followed)
        {
            if (await SweepAsync(campaign, tag, cancellationToken) is { } suspect)
            {
                withheld.Add(suspect);
            }
        }

        searches.Found(campaign.Id, campaign.Followed.ToList(), withheld);
        if (withheld.Count > 0)
        {
            // Every page is committed; the poll is reported as what it is: possibly short.
            throw new PlatformRequestException(PollOutcome.PossiblyWithheld, string.Join(" ", withheld.Select(w =>
                $"Threads answered nothing for #{w.Hashtag}, which had a post at {w.LastPost:O}: Meta returns an empty answer for keywords it deems sensitive, so its posts may be withheld, not absent.")));
        }
    }

    /// <summary>Reads one hashtag's pages from its cursor; returns the hashtag when its answer looks withheld.</summary>
    private async Task<WithheldTag?> SweepAsync(Campaign campaign, CampaignHashtag tag, CancellationToken cancellationToken)
    {
        var stream = Stream(tag);
        var now = Time.GetUtcNow();
        var stored = await Cursors.GetCursorAsync(campaign.Id, Platform, stream, cancellationToken);
        var cursor = SweepCursor.Parse(stored).Starting(now, Settings.InitialLookback, Reach);
        var mark = cursor.Since is { } since ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(since, CultureInfo.InvariantCulture)) : (DateTimeOffset?)null;
        // One second early, whether Meta reads since as inclusive or not: the newest post seen is in the answer again.
        var from = mark is { } m ? m.AddSeconds(-1) : cursor.StartTime!.Value;
        WithheldTag? suspect = null;
        for (var page = 0; page < Settings.MaxPagesPerPoll; page++)
        {
            var search = await searches.TakeAsync(cancellationToken);
            var result = await client.SearchTagAsync(tag.Display, tag.Key, from, cursor.Page, cancellationToken);
            if (result.Posts.Count == 0)
            {
                await searches.GiveBackAsync(search, cancellationToken);
                if (!cursor.InSweep && mark is { } last && last >= now - WithheldWindow)
                {
                    suspect = new WithheldTag(campaign.Id, tag.Display, last, now);
                }
            }

            cursor = cursor.After(result.Newest, result.NextPage);
            var serialized = cursor.Serialize();
            await pipeline.IngestAsync(campaign, Platform, result.Posts, stream, serialized == stored ? null : serialized, cancellationToken);
            stored = serialized;
            await ObserveAsync(EndpointName, result.RateLimit, cancellationToken);
            if (!cursor.InSweep)
            {
                break;
            }
        }

        return suspect;
    }

    /// <summary>The hashtag's cursor: a digest of its key, so a renamed hashtag starts afresh.</summary>
    internal static string Stream(CampaignHashtag tag) =>
        "tag:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tag.Key)))[..12];
}
