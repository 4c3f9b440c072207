using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>What the X connector reads.</summary>
public enum XMode
{
    /// <summary>Only <c>/2/tweets/counts/recent</c>: volume at $0.005 a call, no posts.</summary>
    Counts,

    /// <summary>Only <c>/2/tweets/search/recent</c>: the posts themselves, $0.005 a post.</summary>
    Search,

    /// <summary>Both.</summary>
    Both,
}

/// <summary>X API v2 settings.</summary>
public sealed class XOptions : PlatformOptions, ISweepOptions
{
    /// <summary>Base URL of the API. Default <c>https://api.x.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.x.com";

    /// <summary>OAuth 2.0 app-only bearer token. A secret: set it through the environment or user secrets.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Quartz cron expression for polls. Default every minute at second 5: <c>5 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "5 * * * * ?";

    /// <summary><c>Counts</c>, <c>Search</c> or <c>Both</c>. Default <c>Both</c>.</summary>
    public XMode Mode { get; set; } = XMode.Both;

    /// <summary>
    /// Most search pages (100 posts each) one poll may read; the rest continue at the next poll from
    /// the stored <c>next_token</c>. Bounds the cost of a poll at pay-per-use prices. Default 10.
    /// </summary>
    public int MaxPagesPerPoll { get; set; } = 10;

    /// <summary>How far back the very first search of a campaign reaches. Default 1 hour (at most 7 days).</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// What X may cost, in US dollars (empty: no budget). With a budget, counts come first and search
    /// reads an even sample of each minute as far as the budget allows; without one, search reads
    /// every post until X's monthly cap of 3,000,000 post reads.
    /// </summary>
    public XBudgetOptions Budget { get; set; } = new();
}

/// <summary>X spending limits, US dollars; each empty means none.</summary>
public sealed class XBudgetOptions
{
    /// <summary>Most to spend in a UTC day, e.g. <c>20</c>.</summary>
    public decimal? Daily { get; set; }

    /// <summary>Most to spend in a calendar month (UTC), e.g. <c>300</c>.</summary>
    public decimal? Monthly { get; set; }

    public bool IsSet => Daily is not null || Monthly is not null;
}

/// <summary>Checks <c>HazaraMonitor:Platforms:X</c> when a campaign follows X.</summary>
internal sealed class XOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<XOptions>(configuration)
{
    /// <summary>X documents 512 characters as the query limit for self-serve recent search and counts.</summary>
    public const int QueryLimit = 512;

    protected override PlatformDefinition Platform => XPlatform.Definition;

    protected override void Check(XOptions x, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        problems.HttpUrl(x.BaseUrl, nameof(x.BaseUrl));
        if (string.IsNullOrWhiteSpace(x.BearerToken))
        {
            problems.Add(nameof(x.BearerToken), "is required when a campaign follows X; set it in the environment (HazaraMonitor__Platforms__X__BearerToken) or user secrets, never in appsettings.json, or turn X off (HazaraMonitor__Platforms__X__Enabled=false).");
        }

        problems.OneOf(x.Mode, nameof(x.Mode));
        problems.Cron(x.Schedule, nameof(x.Schedule));
        problems.Between(x.MaxPagesPerPoll, 1, 1000, nameof(x.MaxPagesPerPoll));
        if (x.InitialLookback <= TimeSpan.Zero || x.InitialLookback > TimeSpan.FromDays(7))
        {
            problems.Add(nameof(x.InitialLookback), $"must be more than 0 and at most 7.00:00:00, the reach of recent search (got {x.InitialLookback}).");
        }

        problems.Positive(x.RequestTimeout, nameof(x.RequestTimeout));
        if (x.Budget.Daily < 0 || x.Budget.Monthly < 0)
        {
            problems.Add(nameof(x.Budget), $"Daily and Monthly must not be negative (got {x.Budget.Daily}, {x.Budget.Monthly}).");
        }

        if (x.Budget.IsSet && x.Mode is XMode.Search)
        {
            problems.Add(nameof(x.Mode), "must be Both or Counts when a budget is set (HazaraMonitor:Platforms:X:Budget): with a budget search reads a sample, and the exact volume comes from counts.");
        }

        QueryFits(following, CampaignQueries.Hashtags, QueryLimit, ("an", "X"), problems);
    }
}
