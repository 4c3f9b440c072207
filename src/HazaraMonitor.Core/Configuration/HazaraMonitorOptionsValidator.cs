using System.Globalization;
using System.Text.RegularExpressions;
using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Core.Configuration;

/// <summary>
/// Checks the whole configuration at once and names the exact key of every problem, so an operator
/// fixes all of them in one go. Host-specific checks (cron syntax, Redis configuration syntax) are
/// supplied by the worker (Quartz parses cron).
/// </summary>
public static partial class HazaraMonitorOptionsValidator
{
    /// <summary>X documents 512 characters as the query limit for self-serve recent search and counts.</summary>
    public const int XQueryLimit = 512;

    /// <summary>Reddit's search takes at most 512 characters of <c>q</c> (front.py, GET_search).</summary>
    public const int RedditQueryLimit = 512;

    private const string Root = HazaraMonitorOptions.SectionName;

    /// <summary>Platforms that have a connector today.</summary>
    public static IReadOnlySet<Platform> SupportedPlatforms { get; } = new HashSet<Platform> { Platform.X, Platform.Mastodon, Platform.Bluesky, Platform.Reddit };

    /// <summary>A Mastodon request names at most this many tags (the path tag and any[]); larger groups are split.</summary>
    public const int MastodonTagsPerRequest = 4;

    public static IReadOnlyList<string> Validate(HazaraMonitorOptions options, Func<string, string?>? cronError = null)
    {
        var errors = new List<string>();
        ValidateRedis(options.Redis, errors);
        Cron(options.Metrics.RefreshSchedule, $"{Root}:Metrics:RefreshSchedule", cronError, errors);

        ValidateCampaigns(options, errors);
        // Live detection runs on 1-minute buckets.
        errors.AddRange(options.Detection.Validate(Root + ":Detection", TimeSpan.FromMinutes(1)));
        ValidateAlerts(options.Alerts, cronError, errors);
        // A platform no campaign follows, or one turned off (Platforms:<P>:Enabled=false), needs no
        // credentials and no valid settings: nothing reads them.
        if (Follows(options, Platform.X))
        {
            ValidateX(options.Platforms.X, cronError, errors);
        }

        if (Follows(options, Platform.Mastodon))
        {
            ValidateMastodon(options.Platforms.Mastodon, cronError, errors);
        }

        if (Follows(options, Platform.Bluesky))
        {
            ValidateBluesky(options.Platforms.Bluesky, cronError, errors);
        }

        if (Follows(options, Platform.Reddit))
        {
            ValidateReddit(options.Platforms.Reddit, cronError, errors);
        }

        return errors;
    }

    private static void ValidateRedis(RedisOptions redis, List<string> errors)
    {
        const string key = Root + ":Redis";
        if (string.IsNullOrWhiteSpace(redis.Configuration))
        {
            errors.Add($"{key}:Configuration must be a StackExchange.Redis configuration string, e.g. 'localhost:6379'.");
        }

        if (string.IsNullOrWhiteSpace(redis.KeyPrefix) || !KeyPrefixPattern().IsMatch(redis.KeyPrefix))
        {
            errors.Add($"{key}:KeyPrefix must be 1-32 characters of a-z, 0-9, '-' or '_' (got '{redis.KeyPrefix}').");
        }

        Positive(redis.MinuteRetention, $"{key}:MinuteRetention", errors);
        Positive(redis.HourRetention, $"{key}:HourRetention", errors);
        Positive(redis.DayRetention, $"{key}:DayRetention", errors);
        Positive(redis.DedupeWindow, $"{key}:DedupeWindow", errors);
    }

    private static void ValidateCampaigns(HazaraMonitorOptions options, List<string> errors)
    {
        const string key = Root + ":Campaigns";
        if (options.Campaigns.Count == 0)
        {
            errors.Add($"{key} must list at least one campaign.");
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Campaigns.Count; i++)
        {
            var campaign = options.Campaigns[i];
            var at = $"{key}:{i}";
            if (string.IsNullOrEmpty(campaign.Id) || !SlugPattern().IsMatch(campaign.Id))
            {
                errors.Add($"{at}:Id must be a slug of 1-64 characters a-z, 0-9 and '-', starting with a letter or digit (got '{campaign.Id}').");
            }
            else if (!ids.Add(campaign.Id))
            {
                errors.Add($"{at}:Id '{campaign.Id}' is used by an earlier campaign; ids must be unique.");
            }

            if (string.IsNullOrWhiteSpace(campaign.Name))
            {
                errors.Add($"{at}:Name must not be empty.");
            }

            ValidateHashtags(campaign, options.Platforms, at, errors);
            ValidatePlatforms(campaign, options.Platforms, at, errors);
        }
    }

    private static void ValidateHashtags(CampaignOptions campaign, PlatformsOptions platforms, string at, List<string> errors)
    {
        if (campaign.Hashtags.Count == 0)
        {
            errors.Add($"{at}:Hashtags must not be empty.");
            return;
        }

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < campaign.Hashtags.Count; j++)
        {
            var tag = campaign.Hashtags[j];
            if (!HashtagNormalizer.IsValid(tag))
            {
                errors.Add($"{at}:Hashtags:{j} '{tag}' is not a hashtag: letters, digits and '_' only, not all digits.");
                continue;
            }

            var normalized = HashtagNormalizer.Normalize(tag);
            if (keys.TryGetValue(normalized, out var first))
            {
                errors.Add($"{at}:Hashtags:{j} '{tag}' is the same hashtag as {at}:Hashtags:{first} once case, letter forms and joiners are folded; list it once.");
            }
            else
            {
                keys[normalized] = j;
            }
        }

        var query = CampaignQueries.Hashtags(campaign.Hashtags);
        if (Lists(campaign, Platform.X) && platforms.IsEnabled(Platform.X) && query.Length > XQueryLimit)
        {
            errors.Add($"{at}:Hashtags make an X query of {query.Length} characters; X allows {XQueryLimit}. Split the campaign.");
        }

        var reddit = CampaignQueries.Words(campaign.Hashtags);
        if (Lists(campaign, Platform.Reddit) && platforms.IsEnabled(Platform.Reddit) && reddit.Length > RedditQueryLimit)
        {
            errors.Add($"{at}:Hashtags make a Reddit query of {reddit.Length} characters; Reddit allows {RedditQueryLimit}. Split the campaign.");
        }
    }

    private static void ValidatePlatforms(CampaignOptions campaign, PlatformsOptions platforms, string at, List<string> errors)
    {
        if (campaign.Platforms.Count == 0)
        {
            errors.Add($"{at}:Platforms must list at least one platform ({AllowedPlatforms()}).");
            return;
        }

        var listed = new List<Platform>();
        for (var j = 0; j < campaign.Platforms.Count; j++)
        {
            var name = campaign.Platforms[j];
            if (!PlatformNames.TryParse(name, out var platform) || !SupportedPlatforms.Contains(platform))
            {
                errors.Add($"{at}:Platforms:{j} '{name}' is not a supported platform; allowed: {AllowedPlatforms()}.");
            }
            else
            {
                listed.Add(platform);
            }
        }

        if (listed.Count > 0 && listed.All(p => !platforms.IsEnabled(p)))
        {
            var off = string.Join(", ", listed.Distinct().Select(p => $"{p.Name()} by {PlatformsOptions.EnabledKey(p)}=false"));
            errors.Add($"{at}:Platforms lists only disabled platforms ({off}): the campaign would follow nothing. Enable one of them or list an enabled platform.");
        }
    }

    private static void ValidateX(XOptions x, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Platforms:X";
        HttpUrl(x.BaseUrl, $"{key}:BaseUrl", errors);

        if (string.IsNullOrWhiteSpace(x.BearerToken))
        {
            errors.Add($"{key}:BearerToken is required when a campaign follows X; set it in the environment (HazaraMonitor__Platforms__X__BearerToken) or user secrets, never in appsettings.json, or turn X off (HazaraMonitor__Platforms__X__Enabled=false).");
        }

        OneOf(x.Mode, $"{key}:Mode", errors);

        Cron(x.Schedule, $"{key}:Schedule", cronError, errors);

        Between(x.MaxPagesPerPoll, 1, 1000, $"{key}:MaxPagesPerPoll", errors);

        if (x.InitialLookback <= TimeSpan.Zero || x.InitialLookback > TimeSpan.FromDays(7))
        {
            errors.Add($"{key}:InitialLookback must be more than 0 and at most 7.00:00:00, the reach of recent search (got {x.InitialLookback}).");
        }

        Positive(x.RequestTimeout, $"{key}:RequestTimeout", errors);
    }

    /// <summary>True when the platform is enabled and some campaign lists it.</summary>
    private static bool Follows(HazaraMonitorOptions options, Platform platform) =>
        options.Platforms.IsEnabled(platform) && options.Campaigns.Any(c => Lists(c, platform));

    private static bool Lists(CampaignOptions campaign, Platform platform) =>
        campaign.Platforms.Any(p => string.Equals(p, platform.Name(), StringComparison.OrdinalIgnoreCase));

    private static void ValidateMastodon(MastodonOptions mastodon, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Platforms:Mastodon";
        if (mastodon.Instances.Count == 0)
        {
            errors.Add($"{key}:Instances must list at least one instance when a campaign follows mastodon, e.g. https://mastodon.social.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < mastodon.Instances.Count; i++)
        {
            var url = mastodon.Instances[i].BaseUrl;
            if (HttpUrl(url, $"{key}:Instances:{i}:BaseUrl", errors) is { } uri && !seen.Add(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')))
            {
                errors.Add($"{key}:Instances:{i}:BaseUrl '{url}' is listed twice.");
            }
        }

        Cron(mastodon.Schedule, $"{key}:Schedule", cronError, errors);

        Cron(mastodon.HistorySchedule, $"{key}:HistorySchedule", cronError, errors);

        Between(mastodon.MaxPagesPerPoll, 1, 100, $"{key}:MaxPagesPerPoll", errors);

        Positive(mastodon.InitialLookback, $"{key}:InitialLookback", errors);
        Positive(mastodon.RequestTimeout, $"{key}:RequestTimeout", errors);
    }

    private static void ValidateBluesky(BlueskyOptions bluesky, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Platforms:Bluesky";
        if (!OneOf(bluesky.Mode, $"{key}:Mode", errors))
        {
            return;
        }

        var mode = bluesky.Mode;

        if (mode is BlueskyMode.Jetstream or BlueskyMode.Both)
        {
            if (!Uri.TryCreate(bluesky.JetstreamUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeWs && uri.Scheme != Uri.UriSchemeWss))
            {
                errors.Add($"{key}:JetstreamUrl must be an absolute ws or wss URL such as wss://jetstream2.us-east.bsky.network/subscribe (got '{bluesky.JetstreamUrl}').");
            }

            if (bluesky.InitialLookback <= TimeSpan.Zero || bluesky.InitialLookback > TimeSpan.FromHours(36))
            {
                errors.Add($"{key}:InitialLookback must be more than 0 and at most 1.12:00:00, what Jetstream replays (got {bluesky.InitialLookback}).");
            }

            if (bluesky.ReplayOverlap < TimeSpan.Zero)
            {
                errors.Add($"{key}:ReplayOverlap must not be negative (got {bluesky.ReplayOverlap}).");
            }

            if (bluesky.FlushInterval <= TimeSpan.Zero || bluesky.FlushInterval > TimeSpan.FromSeconds(2))
            {
                errors.Add($"{key}:FlushInterval must be more than 0 and at most 00:00:02, the promise of counting a post within 2 s (got {bluesky.FlushInterval}).");
            }

            Between(bluesky.MaxBatch, 1, 10_000, $"{key}:MaxBatch", errors);

            Positive(bluesky.ReconnectMaxDelay, $"{key}:ReconnectMaxDelay", errors);
        }

        if (mode is BlueskyMode.Search or BlueskyMode.Both)
        {
            HttpUrl(bluesky.SearchBaseUrl, $"{key}:SearchBaseUrl", errors);
            if (string.IsNullOrWhiteSpace(bluesky.Identifier) != string.IsNullOrWhiteSpace(bluesky.AppPassword))
            {
                errors.Add($"{key}:Identifier and {key}:AppPassword go together: set both to sign in, or neither to search unauthenticated (usually refused); set the password in the environment (HazaraMonitor__Platforms__Bluesky__AppPassword).");
            }

            Cron(bluesky.SearchSchedule, $"{key}:SearchSchedule", cronError, errors);

            Between(bluesky.MaxPagesPerPoll, 1, 100, $"{key}:MaxPagesPerPoll", errors);

            Positive(bluesky.RequestTimeout, $"{key}:RequestTimeout", errors);
        }
    }

    private static void ValidateReddit(RedditOptions reddit, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Platforms:Reddit";
        HttpUrl(reddit.BaseUrl, $"{key}:BaseUrl", errors);
        HttpUrl(reddit.TokenUrl, $"{key}:TokenUrl", errors);
        if (string.IsNullOrWhiteSpace(reddit.ClientId))
        {
            errors.Add($"{key}:ClientId is required when a campaign follows reddit: the client id of your app at https://www.reddit.com/prefs/apps; or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(reddit.ClientSecret))
        {
            errors.Add($"{key}:ClientSecret is required when a campaign follows reddit; set it in the environment (HazaraMonitor__Platforms__Reddit__ClientSecret) or user secrets, never in appsettings.json, or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).");
        }

        if (string.IsNullOrWhiteSpace(reddit.UserAgent) || reddit.UserAgent.Any(char.IsControl))
        {
            errors.Add($"{key}:UserAgent must be a descriptive User-Agent such as 'server:hazaramonitor:1.0 (by /u/yourname)' (got '{reddit.UserAgent}').");
        }

        Cron(reddit.Schedule, $"{key}:Schedule", cronError, errors);

        Between(reddit.MaxPagesPerPoll, 1, 10, $"{key}:MaxPagesPerPoll", errors, "listings end near 1,000 posts");

        Positive(reddit.InitialLookback, $"{key}:InitialLookback", errors);
        Positive(reddit.RequestTimeout, $"{key}:RequestTimeout", errors);
    }

    private static void ValidateAlerts(AlertsOptions alerts, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Alerts";
        Cron(alerts.Schedule, $"{key}:Schedule", cronError, errors);

        if (alerts.Cooldown < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{key}:Cooldown must be at least 00:01:00 (got {alerts.Cooldown}).");
        }

        if (alerts.IncompleteWait < TimeSpan.Zero)
        {
            errors.Add($"{key}:IncompleteWait must not be negative (got {alerts.IncompleteWait}).");
        }

        HttpUrl(alerts.PublicBaseUrl, $"{key}:PublicBaseUrl", errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < alerts.Webhooks.Count; i++)
        {
            var hook = alerts.Webhooks[i];
            var at = $"{key}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(hook.Name) || !names.Add(hook.Name) || hook.Name == "email")
            {
                errors.Add($"{at}:Name must be set, unique among the webhooks and not 'email', the email sink's name (got '{hook.Name}'): it names the sink in logs and metrics.");
            }

            OneOf(hook.Kind, $"{at}:Kind", errors);

            // The URL is a secret: say what is wrong with it without repeating it.
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{at}:Url must be an absolute http or https URL; set it in the environment (HazaraMonitor__Alerts__Webhooks__{i}__Url). The value is not shown: it is a secret.");
            }
        }

        var email = alerts.Email;
        if (!string.IsNullOrWhiteSpace(email.Host))
        {
            Between(email.Port, 1, 65535, $"{key}:Email:Port", errors);

            if (string.IsNullOrWhiteSpace(email.From) || !email.From.Contains('@', StringComparison.Ordinal))
            {
                errors.Add($"{key}:Email:From must be an email address when {key}:Email:Host is set (got '{email.From}').");
            }

            if (email.To.Count == 0 || email.To.Any(t => !t.Contains('@', StringComparison.Ordinal)))
            {
                errors.Add($"{key}:Email:To must list at least one email address when {key}:Email:Host is set.");
            }

            if (string.IsNullOrWhiteSpace(email.Username) != string.IsNullOrWhiteSpace(email.Password))
            {
                errors.Add($"{key}:Email:Username and {key}:Email:Password go together; set the password in the environment (HazaraMonitor__Alerts__Email__Password).");
            }
        }
    }

    private static void Cron(string expression, string key, Func<string, string?>? cronError, List<string> errors)
    {
        if (cronError?.Invoke(expression) is { } problem)
        {
            errors.Add($"{key} '{expression}' is not a Quartz cron expression: {problem}");
        }
    }

    /// <summary>Checks that an enum bound from a number is one of its names' values (a name the binder does not know stops binding itself, see StartupErrors).</summary>
    private static bool OneOf<T>(T value, string key, List<string> errors)
        where T : struct, Enum
    {
        if (Enum.IsDefined(value))
        {
            return true;
        }

        errors.Add($"{key} must be one of {string.Join(", ", Enum.GetNames<T>())} (got '{value}').");
        return false;
    }

    /// <summary>Checks an absolute http(s) URL; returns it when valid.</summary>
    private static Uri? HttpUrl(string? value, string key, List<string> errors)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        errors.Add($"{key} must be an absolute http or https URL (got '{value}').");
        return null;
    }

    /// <summary>Checks that a count lies within <paramref name="min"/>..<paramref name="max"/>; <paramref name="why"/> says why, when the bound is the platform's.</summary>
    private static void Between(int value, int min, int max, string key, List<string> errors, string? why = null)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}{(why is null ? string.Empty : "; " + why)} (got {value})."));
        }
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration such as 1.00:00:00 (got {value}).");
        }
    }

    private static string AllowedPlatforms() => string.Join(", ", SupportedPlatforms.Select(p => p.Name()));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex KeyPrefixPattern();
}
