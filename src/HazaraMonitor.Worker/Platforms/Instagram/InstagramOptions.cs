using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>Instagram Graph API hashtag search settings.</summary>
public sealed class InstagramOptions : PlatformOptions
{
    /// <summary>Instagram's own limit: 30 distinct hashtags searched per rolling 7 days per account.</summary>
    public const int HashtagsPerWeekLimit = 30;

    /// <summary>Graph API base URL, version included. Default <c>https://graph.facebook.com/v24.0</c>.</summary>
    public string BaseUrl { get; set; } = "https://graph.facebook.com/v24.0";

    /// <summary>
    /// The id of the Instagram Business or Creator account the searches are made for (the IG user id,
    /// not its username); its 30 hashtags a week are what the searches spend. Required when a campaign follows Instagram.
    /// </summary>
    public string? UserId { get; set; }

    /// <summary>
    /// A Facebook Login for Business user access token with <c>instagram_basic</c> and the Instagram
    /// Public Content Access feature (App Review). A secret: set it in the environment
    /// (<c>HazaraMonitor__Platforms__Instagram__AccessToken</c>).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Quartz cron for polls. Default every 10 minutes at second 40: <c>40 */10 * * * ?</c>. Each poll
    /// reads the whole last 24 hours of every followed hashtag (the only window Instagram serves),
    /// so a poll costs a request per 50 posts of the day; polling more often finds posts sooner, not more of them.
    /// </summary>
    public string Schedule { get; set; } = "40 */10 * * * ?";

    /// <summary>
    /// Most pages (50 posts each) one poll reads per hashtag. A day holding more than this is read in
    /// part (the pages come in no order, so a different part each poll); <c>/healthz</c> says so. Default 20.
    /// </summary>
    public int MaxPagesPerPoll { get; set; } = 20;

    /// <summary>
    /// How many of the account's 30 hashtags a week HazaraMonitor may spend. Lower it when the account
    /// searches hashtags elsewhere too (another tool, the social team): Instagram counts those against
    /// the same 30. Default 30.
    /// </summary>
    public int HashtagsPerWeek { get; set; } = HashtagsPerWeekLimit;

    /// <summary>
    /// Usage (the highest percentage in <c>X-App-Usage</c> or <c>X-Business-Use-Case-Usage</c>) from
    /// which polls slow down: a poll that sees it stops, and the next waits the share of an hour (Meta's
    /// window) by which usage passed this. At 100%, or when Meta gives a time to regain access, polls stop until then. Default 75.
    /// </summary>
    public int SlowDownAt { get; set; } = 75;

    /// <summary>How long polls wait after a throttling error (codes 4, 17, 32, 613, 80002) or full usage that came without Meta's estimate. Default 10 minutes.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Checks <c>HazaraMonitor:Platforms:Instagram</c> when a campaign follows Instagram.</summary>
internal sealed class InstagramOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<InstagramOptions>(configuration)
{
    protected override PlatformDefinition Platform => InstagramPlatform.Definition;

    protected override void Check(InstagramOptions instagram, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(instagram.BaseUrl, nameof(instagram.BaseUrl));
        if (string.IsNullOrWhiteSpace(instagram.UserId) || !instagram.UserId.All(char.IsAsciiDigit))
        {
            problems.Add(nameof(instagram.UserId), $"must be the numeric id of the Instagram Business or Creator account the searches are made for (got '{instagram.UserId}'); or turn Instagram off (HazaraMonitor__Platforms__Instagram__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(instagram.AccessToken))
        {
            problems.Add(nameof(instagram.AccessToken), "is required when a campaign follows instagram: a Facebook Login for Business user token with instagram_basic and Instagram Public Content Access; set it in the environment (HazaraMonitor__Platforms__Instagram__AccessToken) or user secrets, never in appsettings.json, or turn Instagram off (HazaraMonitor__Platforms__Instagram__Enabled=false).");
        }

        problems.Cron(instagram.Schedule, nameof(instagram.Schedule));
        problems.Between(instagram.MaxPagesPerPoll, 1, 200, nameof(instagram.MaxPagesPerPoll));
        problems.Between(instagram.HashtagsPerWeek, 1, InstagramOptions.HashtagsPerWeekLimit, nameof(instagram.HashtagsPerWeek), "Instagram allows 30 distinct hashtags per rolling 7 days per account");
        problems.Between(instagram.SlowDownAt, 1, 99, nameof(instagram.SlowDownAt), "a percentage of Meta's usage limits, below the 100 at which polls stop");
        problems.Positive(instagram.RateLimitBackoff, nameof(instagram.RateLimitBackoff));
        problems.Positive(instagram.RequestTimeout, nameof(instagram.RequestTimeout));
    }
}
