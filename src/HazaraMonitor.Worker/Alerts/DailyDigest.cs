using System.Text.Json;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Api;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>A campaign's UTC day, as the daily digest sends it: the summary of that day and its alerts.</summary>
/// <param name="Day">The day's start (UTC).</param>
internal sealed record DailyDigest(string Campaign, DateTime Day, SummaryView Summary, IReadOnlyList<Alert> Alerts);

/// <summary>
/// Sends every sink, once a day (<c>Alerts:DigestSchedule</c>), each campaign's previous UTC day: its
/// totals per platform and language, its top posts and its alerts. JSON webhooks get the figures
/// (<see cref="Notice.Digest"/>), chat and email the same in lines. The first run (of any instance) to
/// claim a campaign's day builds and sends it; when no sink takes it (or building it fails), the claim
/// is given back, so the next run that day sends it again.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DailyDigestJob(
    CampaignCatalog campaigns,
    IEnumerable<PlatformDefinition> definitions,
    RedisCountStore counts,
    RedisAlertStore alerts,
    AlertDispatcher dispatcher,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<DailyDigestJob> logger) : IJob
{
    /// <summary>Top posts and alerts named in the lines (JSON receivers get all of them).</summary>
    public const int TopPostLines = 5, AlertLines = 10;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (dispatcher.Sinks.Count == 0)
        {
            return;
        }

        var yesterday = Resolution.Day.Start(time.GetUtcNow()) - TimeSpan.FromDays(1);
        foreach (var campaign in campaigns.All)
        {
            try
            {
                await SendAsync(campaign, yesterday, cancellationToken);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                Log.DigestFailed(logger, campaign.Id, Resolution.Day.Stamp(yesterday), e.Message);
            }
        }
    }

    /// <summary>Sends <paramref name="campaign"/>'s digest of the UTC day starting <paramref name="day"/>, unless an instance has; returns the sinks that took it.</summary>
    public async Task<int> SendAsync(Campaign campaign, DateTimeOffset day, CancellationToken cancellationToken)
    {
        // Claimed before it is built: the hourly runs of every instance but one read nothing.
        var id = NoticeId(campaign, day);
        if (!await alerts.TryClaimNoticeAsync(id, OpsNotices.Keep, cancellationToken))
        {
            return 0;
        }

        var sent = 0;
        try
        {
            sent = await dispatcher.NotifyAsync(await BuildAsync(campaign, day, cancellationToken), cancellationToken);
        }
        finally
        {
            if (sent == 0)
            {
                await alerts.ReleaseNoticeAsync(id, CancellationToken.None);
            }
        }

        Log.NoticeSent(logger, id, sent);
        return sent;
    }

    private static string NoticeId(Campaign campaign, DateTimeOffset day) => $"digest-{campaign.Id}-{Resolution.Day.Stamp(day)}";

    /// <summary>The digest of the UTC day starting <paramref name="day"/>.</summary>
    public async Task<Notice> BuildAsync(Campaign campaign, DateTimeOffset day, CancellationToken cancellationToken)
    {
        var end = day + TimeSpan.FromDays(1);
        var totals = await counts.GetTotalsAsync(campaign.Id, Resolution.Day, day, end, [.. campaign.Platforms], cancellationToken);
        var summary = CampaignSummary.View(campaign, totals, definitions);
        var raised = (await alerts.GetAlertsAsync(campaign.Id, day, end, cancellationToken))
            .Select(json => JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert)).OfType<Alert>().ToList();
        var stamp = day.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new Notice(
            NoticeId(campaign, day), "daily_digest", "all",
            string.Create(CultureInfo.InvariantCulture, $"{campaign.Name} on {stamp} (UTC): {summary.Total:N0} posts, {raised.Count} alert(s)"),
            Lines(summary, raised, $"{options.Value.PublicBaseUrl.TrimEnd('/')}/campaigns/{Uri.EscapeDataString(campaign.Id)}"),
            time.GetUtcNow(),
            new DailyDigest(campaign.Id, day.UtcDateTime, summary, raised));
    }

    private static List<string> Lines(SummaryView summary, List<Alert> raised, string page)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"Posts: {summary.Total:N0}{(summary.Authors is { } authors ? $" from about {authors:N0} distinct authors" : string.Empty)}"),
            "By platform: " + string.Join(", ", summary.Platforms.OrderByDescending(p => p.Count).Select(p => string.Create(c, $"{p.Platform} {p.Count:N0}"))),
            "By language: " + (summary.Total == 0 || summary.Languages.Count == 0
                ? "none"
                : string.Join(", ", summary.Languages.Take(6).Select(l => string.Create(c, $"{l.Language} {l.Count:N0} ({100.0 * l.Count / summary.Total:0}%)")))),
        };
        if (summary.Counter.Hashtags.Count > 0)
        {
            lines.Add(string.Create(c, $"Counter-hashtags ({string.Join(", ", summary.Counter.Hashtags.Select(h => "#" + h))}): {summary.Counter.Total:N0} posts; the campaign's share of voice {(summary.Counter.ShareOfVoice is { } share ? (share * 100).ToString("0.0", c) + "%" : "n/a")}"));
        }

        if (summary.Completeness is < 1)
        {
            lines.Add(string.Create(c, $"Incomplete: {summary.PollsFailed:N0} of {summary.PollsOk + summary.PollsFailed:N0} polls failed or were rate-limited; the totals may be short."));
        }

        lines.Add(summary.TopPosts.Count == 0 ? "Top posts: none" : "Top posts:");
        lines.AddRange(summary.TopPosts.Take(TopPostLines).Select(p => string.Create(c, $"  {p.Platform}, {p.Engagement:N0} interactions: {p.Url ?? p.Id}")));
        lines.Add(raised.Count == 0 ? "Alerts: none" : "Alerts:");
        lines.AddRange(raised.Take(AlertLines).Select(a => string.Create(c, $"  {a.Since:HH:mm} UTC {a.Title}")));
        lines.Add("Page: " + page);
        return lines;
    }
}
