namespace HazaraMonitor.Simulator.Mastodon;

/// <summary>What only the simulated Mastodon instances take, under <c>Mastodon:</c>.</summary>
public sealed class MastodonSimulationOptions
{
    public const string Section = "Mastodon";

    /// <summary>When set, the instances require this token (a hashtag feed closed to the public); null: public.</summary>
    public string? AccessToken { get; set; }
}
