using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>TikTok Research API settings.</summary>
public sealed class TikTokOptions : PlatformOptions
{
    /// <summary>The API host. Default <c>https://open.tiktokapis.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://open.tiktokapis.com";

    /// <summary>Token endpoint for the client access token (<c>client_credentials</c>). Default <c>https://open.tiktokapis.com/v2/oauth/token/</c>.</summary>
    public string TokenUrl { get; set; } = "https://open.tiktokapis.com/v2/oauth/token/";

    /// <summary>The research client's key (TikTok for Developers, your approved research project). Required when a campaign follows TikTok.</summary>
    public string? ClientKey { get; set; }

    /// <summary>The research client's secret. A secret: set it in the environment (<c>HazaraMonitor__Platforms__TikTok__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Quartz cron for polls. Default hourly at minute 25: <c>0 25 * * * ?</c>. The API filters by whole
    /// UTC days, so every sweep reads the whole of today again: its cost grows with the day's videos.
    /// </summary>
    public string Schedule { get; set; } = "0 25 * * * ?";

    /// <summary>Most pages (up to 100 videos each) one poll may read; a longer sweep continues at the next poll. Default 10.</summary>
    public int MaxPagesPerPoll { get; set; } = 10;

    /// <summary>How far back the very first poll reaches; older videos of its first day are read but not counted. Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How much before the previous sweep's start each sweep reads again, for videos TikTok makes
    /// searchable late; the sweep starts at the UTC day that time falls in. Default 0: from the day
    /// the previous sweep started (every day to today is read whole anyway). A day more doubles the cost.
    /// </summary>
    public TimeSpan Relook { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Requests the deployment may make in a UTC day, shared by every instance and campaign. Default
    /// 1,000, the Research API's daily limit; set it lower when collaborators use the same project.
    /// </summary>
    public int DailyRequestLimit { get; set; } = 1_000;

    /// <summary>Videos the deployment may read in a UTC day. Default 100,000, the Research API's daily limit.</summary>
    public int DailyRecordLimit { get; set; } = 100_000;

    /// <summary>How long to stay away after a 429 <c>rate_limit_exceeded</c>, which carries no reset: the API counts requests over a sliding minute. Default 1 minute.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Timeout of one HTTP attempt. Default 30 s (a research query can be slow).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <c>HazaraMonitor:Platforms:TikTok</c> when a campaign follows TikTok.</summary>
internal sealed class TikTokOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<TikTokOptions>(configuration)
{
    protected override PlatformDefinition Platform => TikTokPlatform.Definition;

    protected override void Check(TikTokOptions tiktok, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(tiktok.BaseUrl, nameof(tiktok.BaseUrl));
        problems.HttpUrl(tiktok.TokenUrl, nameof(tiktok.TokenUrl));
        if (string.IsNullOrWhiteSpace(tiktok.ClientKey))
        {
            problems.Add(nameof(tiktok.ClientKey), "is required when a campaign follows tiktok: the client key of your approved Research API project (developers.tiktok.com, Research projects); or turn TikTok off (HazaraMonitor__Platforms__TikTok__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(tiktok.ClientSecret))
        {
            problems.Add(nameof(tiktok.ClientSecret), "is required when a campaign follows tiktok; set it in the environment (HazaraMonitor__Platforms__TikTok__ClientSecret) or user secrets, never in appsettings.json, or turn TikTok off (HazaraMonitor__Platforms__TikTok__Enabled=false).");
        }

        problems.Between(tiktok.MaxPagesPerPoll, 1, 100, nameof(tiktok.MaxPagesPerPoll));
        problems.Positive(tiktok.InitialLookback, nameof(tiktok.InitialLookback));
        if (tiktok.Relook < TimeSpan.Zero || tiktok.Relook > TimeSpan.FromDays(30))
        {
            problems.Add(nameof(tiktok.Relook), $"must be between 00:00:00 and 30.00:00:00 (got {tiktok.Relook}).");
        }

        problems.Between(tiktok.DailyRequestLimit, 1, int.MaxValue, nameof(tiktok.DailyRequestLimit));
        problems.Between(tiktok.DailyRecordLimit, 1, int.MaxValue, nameof(tiktok.DailyRecordLimit));
        problems.Positive(tiktok.RateLimitBackoff, nameof(tiktok.RateLimitBackoff));
        problems.Positive(tiktok.RequestTimeout, nameof(tiktok.RequestTimeout));
        if (problems.Cron(tiktok.Schedule, nameof(tiktok.Schedule)) && tiktok.DailyRequestLimit > 0)
        {
            // Every poll of every campaign makes at least one request, so a schedule that fires more
            // often than the day's requests allow spends the quota before the day ends, every day.
            var requests = (long)CronCheck.FiresPerDay(tiktok.Schedule) * following.Count;
            if (requests > tiktok.DailyRequestLimit)
            {
                problems.Add(nameof(tiktok.Schedule), string.Create(CultureInfo.InvariantCulture,
                    $"'{tiktok.Schedule}' fires {requests / following.Count:N0} times a day for {following.Count} campaign(s): at least {requests:N0} requests a day, more than the {tiktok.DailyRequestLimit:N0} of {problems.Key(nameof(tiktok.DailyRequestLimit))}. Poll less often (the default is hourly)."));
            }
        }
    }
}
