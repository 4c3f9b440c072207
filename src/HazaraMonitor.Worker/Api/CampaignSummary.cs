using System.Text;
using HazaraMonitor.Worker.Platforms;

namespace HazaraMonitor.Worker.Api;

/// <summary>Turns a campaign's stored totals into what the summary endpoint, the page and the daily digest show.</summary>
internal static class CampaignSummary
{
    public static SummaryView View(Campaign campaign, CampaignTotals totals, IEnumerable<PlatformDefinition> definitions)
    {
        var anonymous = definitions.Where(d => !d.NamesAuthors).Select(d => d.Id).ToHashSet();
        var platforms = totals.Platforms.OrderBy(p => p.Key.Name, StringComparer.Ordinal).ToList();
        var total = platforms.Sum(p => p.Value.Volume);
        var counter = platforms.Sum(p => p.Value.Counter);
        long ok = platforms.Sum(p => p.Value.PollsOk), failed = platforms.Sum(p => p.Value.PollsFailed);
        var reported = platforms.Where(p => p.Value.Reported is not null).Select(p => p.Value.Reported!.Value).ToList();
        return new SummaryView(
            campaign.Id,
            campaign.Name,
            totals.Resolution.Label(),
            totals.From.UtcDateTime,
            totals.To.UtcDateTime,
            total,
            reported.Count > 0 ? reported.Sum() : null,
            platforms.All(p => anonymous.Contains(p.Key)) ? null : totals.Authors,
            Share(ok, ok + failed),
            ok,
            failed,
            [.. platforms.Select(p => new PlatformSummaryView(
                p.Key.Name, p.Value.Volume, p.Value.Reported, anonymous.Contains(p.Key) ? null : p.Value.Authors,
                Share(p.Value.PollsOk, p.Value.PollsOk + p.Value.PollsFailed), p.Value.PollsOk, p.Value.PollsFailed))],
            [.. totals.Languages.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => new LanguageCountView(l.Key, l.Value))],
            [.. campaign.Hashtags.Select(h => new HashtagCountView(h.Display, totals.Hashtags.GetValueOrDefault(h.Key)))],
            [.. totals.TopPosts.Select(p => new TopPostView(p.Platform, p.Id, p.Url, p.Author, p.Text, p.Language, p.CreatedAt.UtcDateTime, p.Engagement))],
            [.. totals.CoHashtags.Select(c => new HashtagCountView(c.Key, c.Value))],
            new CounterView(
                [.. campaign.CounterHashtags.Select(h => h.Display)],
                counter,
                [.. platforms.Select(p => new PlatformCountView(p.Key.Name, p.Value.Counter))],
                [.. campaign.CounterHashtags.Select(h => new HashtagCountView(h.Display, totals.Hashtags.GetValueOrDefault(h.Key)))],
                campaign.CounterHashtags.Count == 0 ? null : Share(total, total + counter)));
    }

    private static double? Share(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}

/// <summary>
/// A series as CSV (RFC 4180): a header of the point fields as JSON names them, then one row per
/// point. Every value is a number, a UTC time or empty (null), so none needs quoting.
/// </summary>
internal static class SeriesCsv
{
    public const string ContentType = "text/csv";

    public const string Header = "t,count,reported,sampled,sampleShare,completeness,authors";

    public static string Write(SeriesView series)
    {
        var csv = new StringBuilder(Header.Length + 2 + (series.Points.Count * 48)).Append(Header).Append("\r\n");
        foreach (var p in series.Points)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.T:yyyy-MM-dd'T'HH:mm:ss'Z'},{p.Count},{p.Reported},{p.Sampled},{p.SampleShare},{p.Completeness},{p.Authors}\r\n");
        }

        return csv.ToString();
    }
}
