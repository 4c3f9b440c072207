namespace HazaraMonitor.Core.Campaigns;

/// <summary>How a campaign's hashtags become a platform's search query (the validator checks their length against each platform's limit).</summary>
public static class CampaignQueries
{
    /// <summary>A campaign's search query: its hashtags OR-ed, each with '#' (X's hashtag operator; Bluesky's search reads it the same way).</summary>
    public static string Hashtags(IEnumerable<string> hashtags) =>
        string.Join(" OR ", hashtags.Select(h => "#" + h.TrimStart('#', '\uFF03').Trim()));

    /// <summary>
    /// A campaign's Reddit query: its hashtags OR-ed without '#', since Reddit's search matches words
    /// and hashtags are not first-class there; the posts' own '#' hashtags then decide what counts.
    /// </summary>
    public static string Words(IEnumerable<string> hashtags) =>
        string.Join(" OR ", hashtags.Select(h => h.TrimStart('#', '\uFF03').Trim()));

    /// <summary>
    /// A campaign's YouTube query: its hashtags with '#' joined by '|', YouTube search's OR operator
    /// (words separated by spaces must all match, and "OR" is a word there).
    /// </summary>
    public static string Alternatives(IEnumerable<string> hashtags) =>
        string.Join('|', hashtags.Select(h => "#" + h.TrimStart('#', '\uFF03').Trim()));
}
