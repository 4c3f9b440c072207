namespace HazaraMonitor.Core.Posts;

/// <summary>The platforms HazaraMonitor reads. The set is closed, so a platform is a bounded metric tag.</summary>
public enum Platform
{
    X,
    Mastodon,
    Bluesky,
    Reddit,
}

/// <summary>Stable lower-case names used in configuration, Redis fields, metrics and the HTTP API.</summary>
public static class PlatformNames
{
    public const string X = "x";
    public const string Mastodon = "mastodon";
    public const string Bluesky = "bluesky";
    public const string Reddit = "reddit";

    public static IReadOnlyList<Platform> All { get; } = Enum.GetValues<Platform>();

    public static string Name(this Platform platform) => platform switch
    {
        Platform.X => X,
        Platform.Mastodon => Mastodon,
        Platform.Bluesky => Bluesky,
        Platform.Reddit => Reddit,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public static bool TryParse(string? name, out Platform platform)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                platform = candidate;
                return true;
            }
        }

        platform = default;
        return false;
    }
}
