using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>
/// Stores Mastodon's own daily volume of a campaign beside the counted one: the 7-day history of
/// each of its tags on one instance, summed per day (a post with two of the campaign's tags counts
/// twice there, as the instance counts it). Each instance sees part of the fediverse, so the stored
/// figure for a day is the largest any instance reports.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class MastodonTagHistoryJob(
    MastodonClient client,
    IOptions<MastodonOptions> options,
    PollContext context,
    ILogger<MastodonTagHistoryJob> logger) : MastodonJob(options, context, logger)
{
    protected override string Endpoint(string? target) => Instance(target).Name + "/tags";

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var instance = Instance(target);
        var perDay = new Dictionary<DateTimeOffset, long>();
        foreach (var hashtag in campaign.Hashtags)
        {
            foreach (var day in await client.TagHistoryAsync(new Uri(instance.BaseUrl), instance.AccessToken, hashtag.Display, cancellationToken))
            {
                var start = Resolution.Day.Start(day.Day);
                perDay[start] = perDay.GetValueOrDefault(start) + day.Uses;
            }
        }

        await Counts.SetReportedAsync(campaign.Id, MastodonPlatform.Id, [.. perDay.Select(d => new ReportedCount(Resolution.Day, d.Key, d.Value))], cancellationToken, keepLarger: true);
    }
}
