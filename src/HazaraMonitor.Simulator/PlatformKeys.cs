namespace HazaraMonitor.Simulator;

/// <summary>Keys of the per-platform <see cref="PlatformState"/> services.</summary>
internal static class PlatformKeys
{
    public const string X = "x";
    public const string Mastodon = "mastodon";
    public const string Bluesky = "bluesky";
    public const string Reddit = "reddit";
}
