using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.YouTube;

/// <summary>YouTube Data API v3 settings.</summary>
public sealed class YouTubeOptions : PlatformOptions, ISweepOptions
{
    /// <summary>Google's API host; the client calls <c>youtube/v3/search</c> and <c>youtube/v3/videos</c> under it. Default <c>https://www.googleapis.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://www.googleapis.com";

    /// <summary>
    /// An API key of a Google Cloud project with the YouTube Data API v3 enabled. A secret: set it in the
    /// environment (<c>HazaraMonitor__Platforms__YouTube__ApiKey</c>). Sent in the <c>X-Goog-Api-Key</c>
    /// header, never in a URL.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Quartz cron for polls. Default every 30 minutes at second 40: <c>40 */30 * * * ?</c>. Each poll
    /// costs at least one search page (100 quota units), so the schedule is checked against
    /// <see cref="DailyQuotaUnits"/> at start-up.
    /// </summary>
    public string Schedule { get; set; } = "40 */30 * * * ?";

    /// <summary>Most search pages (50 videos, 101 quota units each with their statistics) one poll may read; the rest continue at the next poll. Default 2.</summary>
    public int MaxPagesPerPoll { get; set; } = 2;

    /// <summary>How far back the very first poll reaches. Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How far behind the newest video of the last sweep the next one starts (<c>publishedAfter</c>):
    /// search lists a video some time after it is published, and a video that appears late would
    /// otherwise never be read. Videos read again are recognised as duplicates; a page costs the same
    /// however many it holds. Default 1 hour.
    /// </summary>
    public TimeSpan IndexLag { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The project's daily quota in units (it resets at midnight Pacific time). Default 10,000, what
    /// Google grants a new project; raise it only to what Google granted. The polls' most spending
    /// (schedule x campaigns x pages x 101 units) must fit in it.
    /// </summary>
    public int DailyQuotaUnits { get; set; } = 10_000;

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Checks <c>HazaraMonitor:Platforms:YouTube</c> when a campaign follows YouTube, the schedule against the daily quota included.</summary>
internal sealed class YouTubeOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<YouTubeOptions>(configuration)
{
    protected override PlatformDefinition Platform => YouTubePlatform.Definition;

    protected override void Check(YouTubeOptions youtube, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(youtube.BaseUrl, nameof(youtube.BaseUrl));
        if (string.IsNullOrWhiteSpace(youtube.ApiKey))
        {
            problems.Add(nameof(youtube.ApiKey), "is required when a campaign follows youtube: an API key of a Google Cloud project with the YouTube Data API v3 enabled; set it in the environment (HazaraMonitor__Platforms__YouTube__ApiKey) or user secrets, never in appsettings.json, or turn YouTube off (HazaraMonitor__Platforms__YouTube__Enabled=false).");
        }

        var schedule = problems.Cron(youtube.Schedule, nameof(youtube.Schedule));
        problems.Between(youtube.MaxPagesPerPoll, 1, 10, nameof(youtube.MaxPagesPerPoll), "each page costs 101 quota units");
        problems.Positive(youtube.InitialLookback, nameof(youtube.InitialLookback));
        if (youtube.IndexLag < TimeSpan.Zero || youtube.IndexLag > TimeSpan.FromDays(1))
        {
            problems.Add(nameof(youtube.IndexLag), $"must be at least 0 and at most 1.00:00:00 (got {youtube.IndexLag}).");
        }

        problems.Positive(youtube.RequestTimeout, nameof(youtube.RequestTimeout));
        if (youtube.DailyQuotaUnits < YouTubeQuota.PageCost)
        {
            problems.Add(nameof(youtube.DailyQuotaUnits), $"must be at least {YouTubeQuota.PageCost}, the cost of one search page with its statistics (got {youtube.DailyQuotaUnits}).");
        }
        else if (schedule && youtube.MaxPagesPerPoll is >= 1 and <= 10)
        {
            var fires = CronCheck.FiresPerDay(youtube.Schedule);
            var most = (long)fires * following.Count * youtube.MaxPagesPerPoll * YouTubeQuota.PageCost;
            if (most > youtube.DailyQuotaUnits)
            {
                problems.Add(nameof(youtube.Schedule), string.Create(CultureInfo.InvariantCulture,
                    $"'{youtube.Schedule}' fires {fires:N0} times a day; with {following.Count} campaign(s) following youtube and MaxPagesPerPoll {youtube.MaxPagesPerPoll}, polls may spend {most:N0} quota units a day (search.list 100 and videos.list 1 a page), more than DailyQuotaUnits {youtube.DailyQuotaUnits:N0} allows: YouTube would stop answering until midnight Pacific time. Poll less often (the default '40 */30 * * * ?' spends at most 9,696 a campaign), lower {problems.Key(nameof(youtube.MaxPagesPerPoll))}, or raise {problems.Key(nameof(youtube.DailyQuotaUnits))} to the quota Google granted the project."));
            }
        }
    }
}
