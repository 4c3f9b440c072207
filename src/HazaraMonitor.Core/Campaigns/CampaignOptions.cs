using System.Text.RegularExpressions;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Posts;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Core.Campaigns;

/// <summary>The campaigns to follow: <c>HazaraMonitor:Campaigns</c>. At least one is required.</summary>
public sealed class CampaignsOptions
{
    /// <summary>Bound from the root, so its keys read <c>HazaraMonitor:Campaigns:0:Id</c>.</summary>
    public const string Key = ValidatedOptions.Root;

    public List<CampaignOptions> Campaigns { get; set; } = [];

    /// <summary>The campaigns whose <c>Platforms</c> list <paramref name="platform"/>, with their index in configuration.</summary>
    public IReadOnlyList<(int Index, CampaignOptions Campaign)> Listing(Platform platform) =>
        [.. Campaigns.Index().Where(c => c.Item.Platforms.Any(p => Platform.TryParse(p, out var listed) && listed == platform))];
}

/// <summary>One campaign: a group of hashtags followed on some platforms.</summary>
public sealed class CampaignOptions
{
    /// <summary>URL-safe slug: lower-case letters, digits and '-', e.g. <c>stop-hazara-genocide</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The hashtags, with or without '#'. The first is the canonical name of the group; variants and
    /// other-script spellings listed beside it count for the campaign too.
    /// </summary>
    public List<string> Hashtags { get; set; } = [];

    /// <summary>Platforms to follow it on, by name: <c>x</c>, <c>mastodon</c>, <c>bluesky</c>, <c>reddit</c>.</summary>
    public List<string> Platforms { get; set; } = [];

    /// <summary>
    /// Opposing or hijacking hashtags, followed on the same platforms and counted as the campaign's
    /// counter group, beside its own (share of voice). None by default.
    /// </summary>
    public List<string> CounterHashtags { get; set; } = [];

    /// <summary>
    /// A CSV or JSON file of the campaign's dated events (time, title, place, link), shown on its page
    /// and the Grafana board, and named by the spike alerts that follow them; read once at start-up, a
    /// relative path from the content root (the worker's folder, where appsettings.json is copied).
    /// None by default.
    /// </summary>
    public string? IncidentsFile { get; set; }
}

/// <summary>
/// Checks the campaigns: ids, names, hashtags, and platforms against those registered and turned on.
/// A platform's own limits on a campaign (the length of its query) are its validator's.
/// </summary>
public sealed partial class CampaignsOptionsValidator(PlatformCatalog platforms) : IValidateOptions<CampaignsOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignsOptions options)
    {
        var problems = new OptionProblems(CampaignsOptions.Key);
        if (options.Campaigns.Count == 0)
        {
            problems.Add("Campaigns", "must list at least one campaign.");
            return problems.Result();
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, campaign) in options.Campaigns.Index())
        {
            var at = $"Campaigns:{i}";
            if (string.IsNullOrEmpty(campaign.Id) || !SlugPattern().IsMatch(campaign.Id))
            {
                problems.Add($"{at}:Id", $"must be a slug of 1-64 characters a-z, 0-9 and '-', starting with a letter or digit (got '{campaign.Id}').");
            }
            else if (!ids.Add(campaign.Id))
            {
                problems.Add($"{at}:Id", $"'{campaign.Id}' is used by an earlier campaign; ids must be unique.");
            }

            if (string.IsNullOrWhiteSpace(campaign.Name))
            {
                problems.Add($"{at}:Name", "must not be empty.");
            }

            Hashtags(campaign, at, problems);
            Platforms(campaign, at, problems);
        }

        return problems.Result();
    }

    private static void Hashtags(CampaignOptions campaign, string at, OptionProblems problems)
    {
        if (campaign.Hashtags.Count == 0)
        {
            problems.Add($"{at}:Hashtags", "must not be empty.");
        }

        // One table for both lists: a hashtag may not be the campaign's own and its counter at once.
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (list, tags) in (ReadOnlySpan<(string, List<string>)>)[("Hashtags", campaign.Hashtags), ("CounterHashtags", campaign.CounterHashtags)])
        {
            foreach (var (j, tag) in tags.Index())
            {
                var key = $"{at}:{list}:{j}";
                if (!HashtagNormalizer.IsValid(tag))
                {
                    problems.Add(key, $"'{tag}' is not a hashtag: letters, digits and '_' only, not all digits.");
                    continue;
                }

                var normalized = HashtagNormalizer.Normalize(tag);
                if (keys.TryGetValue(normalized, out var first))
                {
                    problems.Add(key, $"'{tag}' is the same hashtag as {problems.Key(first)} once case, letter forms and joiners are folded; list it once.");
                }
                else
                {
                    keys[normalized] = key;
                }
            }
        }
    }

    private void Platforms(CampaignOptions campaign, string at, OptionProblems problems)
    {
        if (campaign.Platforms.Count == 0)
        {
            problems.Add($"{at}:Platforms", $"must list at least one platform ({platforms.Names}).");
            return;
        }

        var listed = new List<PlatformStatus>();
        foreach (var (j, name) in campaign.Platforms.Index())
        {
            if (platforms.Find(name) is { } platform)
            {
                listed.Add(platform);
            }
            else
            {
                problems.Add($"{at}:Platforms:{j}", $"'{name}' is not a supported platform; allowed: {platforms.Names}.");
            }
        }

        if (listed.Count > 0 && listed.All(p => !p.Enabled))
        {
            var off = string.Join(", ", listed.Distinct().Select(p => $"{p.Id} by {p.EnabledKey}=false"));
            problems.Add($"{at}:Platforms", $"lists only disabled platforms ({off}): the campaign would follow nothing. Enable one of them or list an enabled platform.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();
}
