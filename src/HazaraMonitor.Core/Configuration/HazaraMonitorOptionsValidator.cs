using System.Text.RegularExpressions;
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

    private const string Root = HazaraMonitorOptions.SectionName;

    /// <summary>Platforms that have a connector today.</summary>
    public static IReadOnlySet<Platform> SupportedPlatforms { get; } = new HashSet<Platform> { Platform.X, Platform.Mastodon };

    /// <summary>A Mastodon request names at most this many tags (the path tag and any[]); larger groups are split.</summary>
    public const int MastodonTagsPerRequest = 4;

    public static IReadOnlyList<string> Validate(HazaraMonitorOptions options, Func<string, string?>? cronError = null)
    {
        var errors = new List<string>();
        ValidateRedis(options.Redis, errors);
        if (cronError?.Invoke(options.Metrics.RefreshSchedule) is { } metricsCron)
        {
            errors.Add($"{Root}:Metrics:RefreshSchedule '{options.Metrics.RefreshSchedule}' is not a Quartz cron expression: {metricsCron}");
        }

        ValidateCampaigns(options, errors);
        if (Follows(options, PlatformNames.X))
        {
            ValidateX(options.Platforms.X, cronError, errors);
        }

        if (Follows(options, PlatformNames.Mastodon))
        {
            ValidateMastodon(options.Platforms.Mastodon, cronError, errors);
        }

        return errors;
    }

    /// <summary>The X query for a campaign: its hashtags OR-ed, as X's standalone '#' operator expects.</summary>
    public static string XQuery(IEnumerable<string> hashtags) =>
        string.Join(" OR ", hashtags.Select(h => "#" + h.TrimStart('#', '\uFF03').Trim()));

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

            ValidateHashtags(campaign, at, errors);
            ValidatePlatforms(campaign, at, errors);
        }
    }

    private static void ValidateHashtags(CampaignOptions campaign, string at, List<string> errors)
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

        var query = XQuery(campaign.Hashtags);
        if (campaign.Platforms.Any(p => string.Equals(p, PlatformNames.X, StringComparison.OrdinalIgnoreCase)) && query.Length > XQueryLimit)
        {
            errors.Add($"{at}:Hashtags make an X query of {query.Length} characters; X allows {XQueryLimit}. Split the campaign.");
        }
    }

    private static void ValidatePlatforms(CampaignOptions campaign, string at, List<string> errors)
    {
        if (campaign.Platforms.Count == 0)
        {
            errors.Add($"{at}:Platforms must list at least one platform ({AllowedPlatforms()}).");
            return;
        }

        for (var j = 0; j < campaign.Platforms.Count; j++)
        {
            var name = campaign.Platforms[j];
            if (!PlatformNames.TryParse(name, out var platform) || !SupportedPlatforms.Contains(platform))
            {
                errors.Add($"{at}:Platforms:{j} '{name}' is not a supported platform; allowed: {AllowedPlatforms()}.");
            }
        }
    }

    private static void ValidateX(XOptions x, Func<string, string?>? cronError, List<string> errors)
    {
        const string key = Root + ":Platforms:X";
        if (!Uri.TryCreate(x.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{key}:BaseUrl must be an absolute http or https URL (got '{x.BaseUrl}').");
        }

        if (string.IsNullOrWhiteSpace(x.BearerToken))
        {
            errors.Add($"{key}:BearerToken is required when a campaign follows X; set it in the environment (HazaraMonitor__Platforms__X__BearerToken) or user secrets, never in appsettings.json.");
        }

        if (!Enum.TryParse<XMode>(x.Mode, ignoreCase: true, out _) || int.TryParse(x.Mode, out _))
        {
            errors.Add($"{key}:Mode must be one of {string.Join(", ", Enum.GetNames<XMode>())} (got '{x.Mode}').");
        }

        if (cronError?.Invoke(x.Schedule) is { } cron)
        {
            errors.Add($"{key}:Schedule '{x.Schedule}' is not a Quartz cron expression: {cron}");
        }

        if (x.MaxPagesPerPoll is < 1 or > 1000)
        {
            errors.Add($"{key}:MaxPagesPerPoll must be between 1 and 1000 (got {x.MaxPagesPerPoll}).");
        }

        if (x.InitialLookback <= TimeSpan.Zero || x.InitialLookback > TimeSpan.FromDays(7))
        {
            errors.Add($"{key}:InitialLookback must be more than 0 and at most 7.00:00:00, the reach of recent search (got {x.InitialLookback}).");
        }

        Positive(x.RequestTimeout, $"{key}:RequestTimeout", errors);
    }

    private static bool Follows(HazaraMonitorOptions options, string platform) =>
        options.Campaigns.Any(c => c.Platforms.Any(p => string.Equals(p, platform, StringComparison.OrdinalIgnoreCase)));

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
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:Instances:{i}:BaseUrl must be an absolute http or https URL (got '{url}').");
            }
            else if (!seen.Add(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')))
            {
                errors.Add($"{key}:Instances:{i}:BaseUrl '{url}' is listed twice.");
            }
        }

        if (cronError?.Invoke(mastodon.Schedule) is { } cron)
        {
            errors.Add($"{key}:Schedule '{mastodon.Schedule}' is not a Quartz cron expression: {cron}");
        }

        if (cronError?.Invoke(mastodon.HistorySchedule) is { } historyCron)
        {
            errors.Add($"{key}:HistorySchedule '{mastodon.HistorySchedule}' is not a Quartz cron expression: {historyCron}");
        }

        if (mastodon.MaxPagesPerPoll is < 1 or > 100)
        {
            errors.Add($"{key}:MaxPagesPerPoll must be between 1 and 100 (got {mastodon.MaxPagesPerPoll}).");
        }

        Positive(mastodon.InitialLookback, $"{key}:InitialLookback", errors);
        Positive(mastodon.RequestTimeout, $"{key}:RequestTimeout", errors);
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
