using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Core.Campaigns;

/// <summary>A configured hashtag: as the operator wrote it, and its comparison key.</summary>
/// <param name="Counter">True for one of the campaign's counter-hashtags (<c>CounterHashtags</c>), false for its own.</param>
public sealed record CampaignHashtag(string Display, string Key, bool Counter = false);

/// <summary>A campaign ready for matching: its hashtags normalized, its platforms parsed.</summary>
public sealed class Campaign
{
    private readonly Dictionary<string, CampaignHashtag> _byKey;

    public Campaign(string id, string name, IEnumerable<string> hashtags, IEnumerable<Platform> platforms, IEnumerable<string>? counterHashtags = null)
    {
        Id = id;
        Name = name;
        Hashtags = [.. hashtags.Select(h => Hashtag(h, counter: false))];
        CounterHashtags = [.. (counterHashtags ?? []).Select(h => Hashtag(h, counter: true))];
        Followed = [.. Hashtags, .. CounterHashtags];
        _byKey = Followed.ToDictionary(h => h.Key, StringComparer.Ordinal);
        Platforms = platforms.ToHashSet();
        var displays = Followed.Select(h => h.Display).ToList();
        HashtagQuery = CampaignQueries.Hashtags(displays);
        CountsQuery = CampaignQueries.Hashtags(Hashtags.Select(h => h.Display));
        RedditQuery = CampaignQueries.Words(displays);
        YouTubeQuery = CampaignQueries.Alternatives(displays);
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The group's hashtags; the first is its canonical name.</summary>
    public IReadOnlyList<CampaignHashtag> Hashtags { get; }

    public CampaignHashtag Canonical => Hashtags[0];

    /// <summary>Opposing or hijacking hashtags, counted as the campaign's counter group beside its own; often none.</summary>
    public IReadOnlyList<CampaignHashtag> CounterHashtags { get; }

    /// <summary>Every hashtag the platforms are asked for: the campaign's own, then its counter-hashtags.</summary>
    public IReadOnlyList<CampaignHashtag> Followed { get; }

    public IReadOnlySet<Platform> Platforms { get; }

    /// <summary>The followed hashtags OR-ed, each with '#': X recent search, Bluesky searchPosts.</summary>
    public string HashtagQuery { get; }

    /// <summary>The campaign's own hashtags OR-ed, each with '#': X's counts of the campaign's volume.</summary>
    public string CountsQuery { get; }

    /// <summary>The followed hashtags OR-ed as words, for Reddit search.</summary>
    public string RedditQuery { get; }

    /// <summary>The followed hashtags with '#' joined by '|', for YouTube search.</summary>
    public string YouTubeQuery { get; }

    /// <summary>Looks a hashtag up in any spelling, own or counter; null when the campaign does not follow it.</summary>
    public CampaignHashtag? Find(string hashtag) =>
        _byKey.GetValueOrDefault(HashtagNormalizer.Normalize(hashtag));

    /// <summary>True when <paramref name="key"/>, a comparison key, is one of the campaign's hashtags or counter-hashtags.</summary>
    public bool Follows(string key) => _byKey.ContainsKey(key);

    /// <summary>True when <paramref name="key"/>, a comparison key, is one of the campaign's counter-hashtags.</summary>
    public bool IsCounter(string key) => _byKey.TryGetValue(key, out var tag) && tag.Counter;

    /// <summary>The followed hashtags a post carries (comparison keys), own and counter, sorted, each once.</summary>
    public IReadOnlyList<string> Match(IReadOnlyList<string> postHashtagKeys)
    {
        List<string>? matched = null;
        foreach (var key in postHashtagKeys)
        {
            if (Follows(key))
            {
                matched ??= [];
                if (!matched.Contains(key))
                {
                    matched.Add(key);
                }
            }
        }

        if (matched is null)
        {
            return [];
        }

        matched.Sort(StringComparer.Ordinal);
        return matched;
    }

    /// <summary>
    /// The campaign as configured, following only the listed platforms <paramref name="platforms"/>
    /// has turned on: a platform turned off by <c>Platforms:&lt;P&gt;:Enabled=false</c> is left out
    /// here, so no consumer (jobs, stream, detection, gauges, API) sees it.
    /// </summary>
    public static Campaign FromOptions(CampaignOptions options, PlatformCatalog platforms) =>
        new(options.Id, options.Name, options.Hashtags, options.Platforms
            .Select(p => platforms.Find(p)?.Id ?? throw new ArgumentException($"Unknown platform '{p}'.", nameof(options)))
            .Where(platforms.IsEnabled), options.CounterHashtags);

    private static CampaignHashtag Hashtag(string configured, bool counter) =>
        new(configured.TrimStart('#', '\uFF03').Trim(), HashtagNormalizer.Normalize(configured), counter);
}

/// <summary>The configured campaigns, looked up by id.</summary>
public sealed class CampaignCatalog(IEnumerable<Campaign> campaigns)
{
    private readonly Dictionary<string, Campaign> _byId = campaigns.ToDictionary(c => c.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<Campaign> All => _byId.Values;

    public Campaign? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The configured campaigns, each following only its enabled platforms (<c>Platforms:&lt;P&gt;:Enabled</c>).</summary>
    public static CampaignCatalog FromOptions(CampaignsOptions options, PlatformCatalog platforms) =>
        new(options.Campaigns.Select(c => Campaign.FromOptions(c, platforms)));
}
