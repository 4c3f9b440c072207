using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Core.Campaigns;

/// <summary>A configured hashtag: as the operator wrote it, and its comparison key.</summary>
public sealed record CampaignHashtag(string Display, string Key);

/// <summary>A campaign ready for matching: its hashtags normalized, its platforms parsed.</summary>
public sealed class Campaign
{
    private readonly Dictionary<string, CampaignHashtag> _byKey;

    public Campaign(string id, string name, IEnumerable<string> hashtags, IEnumerable<Platform> platforms)
    {
        Id = id;
        Name = name;
        Hashtags = [.. hashtags.Select(h => new CampaignHashtag(h.TrimStart('#', '\uFF03').Trim(), HashtagNormalizer.Normalize(h)))];
        _byKey = Hashtags.ToDictionary(h => h.Key, StringComparer.Ordinal);
        Platforms = platforms.ToHashSet();
        HashtagQuery = CampaignQueries.Hashtags(Hashtags.Select(h => h.Display));
        RedditQuery = CampaignQueries.Words(Hashtags.Select(h => h.Display));
        YouTubeQuery = CampaignQueries.Alternatives(Hashtags.Select(h => h.Display));
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The group's hashtags; the first is its canonical name.</summary>
    public IReadOnlyList<CampaignHashtag> Hashtags { get; }

    public CampaignHashtag Canonical => Hashtags[0];

    public IReadOnlySet<Platform> Platforms { get; }

    /// <summary>The hashtags OR-ed, each with '#': X recent search and counts, Bluesky searchPosts.</summary>
    public string HashtagQuery { get; }

    /// <summary>The hashtags OR-ed as words, for Reddit search.</summary>
    public string RedditQuery { get; }

    /// <summary>The hashtags with '#' joined by '|', for YouTube search.</summary>
    public string YouTubeQuery { get; }

    /// <summary>Looks a hashtag up in any spelling; null when the campaign does not follow it.</summary>
    public CampaignHashtag? Find(string hashtag) =>
        _byKey.GetValueOrDefault(HashtagNormalizer.Normalize(hashtag));

    /// <summary>True when <paramref name="key"/>, a comparison key, is one of the campaign's hashtags.</summary>
    public bool Follows(string key) => _byKey.ContainsKey(key);

    /// <summary>The configured hashtags a post carries (comparison keys), sorted, each once.</summary>
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
            .Where(platforms.IsEnabled));
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
