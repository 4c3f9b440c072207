using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>Threads keyword search settings.</summary>
public sealed class ThreadsOptions : PlatformOptions, ISweepOptions
{
    /// <summary>Meta's documented limit: keyword searches per user per rolling 24 hours, shared by every app the user authorized.</summary>
    public const int DocumentedQueriesPerDay = 2200;

    /// <summary>Threads API host. Default <c>https://graph.threads.net</c>; requests go to <c>/v1.0/keyword_search</c>.</summary>
    public string BaseUrl { get; set; } = "https://graph.threads.net";

    /// <summary>
    /// A Threads user access token with <c>threads_basic</c> and <c>threads_keyword_search</c> (App
    /// Review; without it search returns only the user's own posts). A secret: set it in the environment
    /// (<c>HazaraMonitor__Platforms__Threads__AccessToken</c>).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Quartz cron for polls. Default every 10 minutes at second 25: <c>25 */10 * * * ?</c>. Each poll
    /// makes at least one keyword search per hashtag; start-up refuses a schedule whose searches do not
    /// fit <see cref="QueriesPerDay"/> (7 hashtags every 10 minutes are 1,008 a day).
    /// </summary>
    public string Schedule { get; set; } = "25 */10 * * * ?";

    /// <summary>
    /// Keyword searches HazaraMonitor may make per rolling 24 hours. Default 2,200, Meta's documented
    /// limit per user; lower it when other apps search for the same user (the limit is shared). The
    /// worker keeps the count in Redis and stops searching when it is spent.
    /// </summary>
    public int QueriesPerDay { get; set; } = DocumentedQueriesPerDay;

    /// <summary>Most pages (100 posts each) one poll reads per hashtag; the rest continue at the next poll. Default 3.</summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>How far back the very first search of a hashtag reaches. Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long polls wait after a throttling error (codes 4, 17, 32, 613). Default 10 minutes.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Checks <c>HazaraMonitor:Platforms:Threads</c> when a campaign follows Threads, its schedule against the day's keyword searches included.</summary>
internal sealed class ThreadsOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<ThreadsOptions>(configuration)
{
    protected override PlatformDefinition Platform => ThreadsPlatform.Definition;

    protected override void Check(ThreadsOptions threads, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(threads.BaseUrl, nameof(threads.BaseUrl));
        if (string.IsNullOrWhiteSpace(threads.AccessToken))
        {
            problems.Add(nameof(threads.AccessToken), "is required when a campaign follows threads: a Threads user token with threads_basic and threads_keyword_search; set it in the environment (HazaraMonitor__Platforms__Threads__AccessToken) or user secrets, never in appsettings.json, or turn Threads off (HazaraMonitor__Platforms__Threads__Enabled=false).");
        }

        var schedule = problems.Cron(threads.Schedule, nameof(threads.Schedule));
        if (threads.QueriesPerDay < 1)
        {
            problems.Add(nameof(threads.QueriesPerDay), string.Create(CultureInfo.InvariantCulture, $"must be at least 1; Meta documents {ThreadsOptions.DocumentedQueriesPerDay} keyword searches per user per rolling 24 hours (got {threads.QueriesPerDay})."));
        }

        problems.Between(threads.MaxPagesPerPoll, 1, 100, nameof(threads.MaxPagesPerPoll));
        if (threads.InitialLookback <= TimeSpan.Zero || threads.InitialLookback > ThreadsSearchJob.Reach)
        {
            problems.Add(nameof(threads.InitialLookback), $"must be more than 0 and at most {ThreadsSearchJob.Reach} (got {threads.InitialLookback}).");
        }

        problems.Positive(threads.RateLimitBackoff, nameof(threads.RateLimitBackoff));
        problems.Positive(threads.RequestTimeout, nameof(threads.RequestTimeout));
        if (schedule)
        {
            FitsTheDay(threads, following, problems);
        }
    }

    /// <summary>Each poll searches every hashtag of every campaign once at least: that many a day must fit the quota (the schedule parses).</summary>
    private static void FitsTheDay(ThreadsOptions threads, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        var fires = CronCheck.FiresPerDay(threads.Schedule);
        var hashtags = following.Sum(c => c.Campaign.Hashtags.Count + c.Campaign.CounterHashtags.Count);
        var searches = (long)fires * hashtags;
        if (threads.QueriesPerDay >= 1 && searches > threads.QueriesPerDay)
        {
            problems.Add(nameof(threads.Schedule), string.Create(CultureInfo.InvariantCulture,
                $"'{threads.Schedule}' fires {fires:N0} times a day; with {hashtags} hashtags in the {following.Count} campaign(s) that follow threads that is {searches:N0} keyword searches a day, more than the {threads.QueriesPerDay:N0} of {problems.Key(nameof(threads.QueriesPerDay))} (Meta allows {ThreadsOptions.DocumentedQueriesPerDay:N0} per user per rolling 24 hours). Poll no more often than every {Math.Ceiling(1440.0 * hashtags / threads.QueriesPerDay):0} minutes, or follow fewer hashtags."));
        }
    }
}
