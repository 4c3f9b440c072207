using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.Reddit;

/// <summary>Reddit settings.</summary>
public sealed class RedditOptions : PlatformOptions, ISweepOptions
{
    /// <summary>OAuth API host. Default <c>https://oauth.reddit.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://oauth.reddit.com";

    /// <summary>Token endpoint for the app-only <c>client_credentials</c> grant. Default <c>https://www.reddit.com/api/v1/access_token</c>.</summary>
    public string TokenUrl { get; set; } = "https://www.reddit.com/api/v1/access_token";

    /// <summary>The app's client id (a "script" or "web" app at reddit.com/prefs/apps). Required when a campaign follows Reddit.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's secret. A secret: set it in the environment (<c>HazaraMonitor__Platforms__Reddit__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The User-Agent Reddit asks for: unique and descriptive, <c>platform:appid:version (by /u/name)</c>;
    /// generic ones are throttled. Default <c>server:hazaramonitor:1.0</c>; add your account.
    /// </summary>
    public string UserAgent { get; set; } = "server:hazaramonitor:1.0";

    /// <summary>Quartz cron for polls. Default every minute at second 50: <c>50 * * * * ?</c> (the free tier allows 100 requests a minute).</summary>
    public string Schedule { get; set; } = "50 * * * * ?";

    /// <summary>Most pages (100 posts each) one poll may read; listings end near 1,000 posts anyway. Default 3.</summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>How far back the very first poll reaches. Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Checks <c>HazaraMonitor:Platforms:Reddit</c> when a campaign follows Reddit.</summary>
internal sealed class RedditOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<RedditOptions>(configuration)
{
    /// <summary>Reddit's search takes at most 512 characters of <c>q</c> (front.py, GET_search).</summary>
    public const int QueryLimit = 512;

    protected override PlatformDefinition Platform => RedditPlatform.Definition;

    protected override void Check(RedditOptions reddit, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(reddit.BaseUrl, nameof(reddit.BaseUrl));
        problems.HttpUrl(reddit.TokenUrl, nameof(reddit.TokenUrl));
        if (string.IsNullOrWhiteSpace(reddit.ClientId))
        {
            problems.Add(nameof(reddit.ClientId), "is required when a campaign follows reddit: the client id of your app at https://www.reddit.com/prefs/apps; or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(reddit.ClientSecret))
        {
            problems.Add(nameof(reddit.ClientSecret), "is required when a campaign follows reddit; set it in the environment (HazaraMonitor__Platforms__Reddit__ClientSecret) or user secrets, never in appsettings.json, or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(reddit.UserAgent) || reddit.UserAgent.Any(char.IsControl))
        {
            problems.Add(nameof(reddit.UserAgent), $"must be a descriptive User-Agent such as 'server:hazaramonitor:1.0 (by /u/yourname)' (got '{reddit.UserAgent}').");
        }

        problems.Cron(reddit.Schedule, nameof(reddit.Schedule));
        problems.Between(reddit.MaxPagesPerPoll, 1, 10, nameof(reddit.MaxPagesPerPoll), "listings end near 1,000 posts");
        problems.Positive(reddit.InitialLookback, nameof(reddit.InitialLookback));
        problems.Positive(reddit.RequestTimeout, nameof(reddit.RequestTimeout));
        QueryFits(following, CampaignQueries.Words, QueryLimit, ("a", "Reddit"), problems);
    }
}
