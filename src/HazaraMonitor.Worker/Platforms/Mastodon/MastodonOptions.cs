using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>Mastodon settings.</summary>
public sealed class MastodonOptions : PlatformOptions
{
    /// <summary>
    /// The instances to read. A tag timeline holds only the posts its instance knows, so reading a few
    /// large instances covers more of the fediverse; a post federated to several is counted once.
    /// No default in code (a bound list would be appended to it): appsettings.json lists them.
    /// </summary>
    public List<MastodonInstanceOptions> Instances { get; set; } = [];

    /// <summary>Quartz cron for polls. Default every minute at second 20: <c>20 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "20 * * * * ?";

    /// <summary>Quartz cron for reading the tags' 7-day history (the instances' own daily counts). Default hourly: <c>0 7 * * * ?</c>.</summary>
    public string HistorySchedule { get; set; } = "0 7 * * * ?";

    /// <summary>
    /// Most pages (40 posts each) one poll of one instance may read. Paging requests share a
    /// 300-per-15-minutes throttle per IP, so with 2 tag groups and a poll a minute, 10 pages
    /// would exhaust it in a surge; the rest continues at the next poll. Default 3.
    /// </summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>How far back the first poll of an instance reaches (status ids are time-based). Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>One Mastodon instance.</summary>
public sealed class MastodonInstanceOptions
{
    /// <summary>Base URL, e.g. <c>https://mastodon.social</c>.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>
    /// Optional app or user token, for instances that disabled public hashtag feeds. A secret: set it
    /// in the environment (<c>HazaraMonitor__Platforms__Mastodon__Instances__0__AccessToken</c>).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// The instance's name in job names, cursors, health and metric tags: its host, with port and
    /// path when the URL has them (so two instances behind one host stay apart).
    /// </summary>
    public string Name
    {
        get
        {
            var uri = new Uri(BaseUrl);
            return (uri.IsDefaultPort ? uri.Host : uri.Authority) + uri.AbsolutePath.TrimEnd('/');
        }
    }

    /// <summary>The instance a Mastodon job's target (its index in configuration) names.</summary>
    public static MastodonInstanceOptions ForTarget(MastodonOptions mastodon, string? target) =>
        int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < mastodon.Instances.Count
            ? mastodon.Instances[index]
            : throw new ArgumentException($"Mastodon job target '{target}' names no configured instance.", nameof(target));
}

/// <summary>Checks <c>HazaraMonitor:Platforms:Mastodon</c> when a campaign follows Mastodon.</summary>
internal sealed class MastodonOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<MastodonOptions>(configuration)
{
    protected override PlatformDefinition Platform => MastodonPlatform.Definition;

    protected override void Check(MastodonOptions mastodon, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        if (mastodon.Instances.Count == 0)
        {
            problems.Add(nameof(mastodon.Instances), "must list at least one instance when a campaign follows mastodon, e.g. https://mastodon.social.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (i, instance) in mastodon.Instances.Index())
        {
            var key = $"{nameof(mastodon.Instances)}:{i}:{nameof(instance.BaseUrl)}";
            if (problems.HttpUrl(instance.BaseUrl, key) is { } uri && !seen.Add(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')))
            {
                problems.Add(key, $"'{instance.BaseUrl}' is listed twice.");
            }
        }

        problems.Cron(mastodon.Schedule, nameof(mastodon.Schedule));
        problems.Cron(mastodon.HistorySchedule, nameof(mastodon.HistorySchedule));
        problems.Between(mastodon.MaxPagesPerPoll, 1, 100, nameof(mastodon.MaxPagesPerPoll));
        problems.Positive(mastodon.InitialLookback, nameof(mastodon.InitialLookback));
        problems.Positive(mastodon.RequestTimeout, nameof(mastodon.RequestTimeout));
    }
}
