namespace HazaraMonitor.Core.Posts;

/// <summary>A registered platform, the key that turns it off, and whether configuration did.</summary>
public sealed record PlatformStatus(Platform Id, string EnabledKey, bool Enabled);

/// <summary>
/// The platforms this deployment registered (one line each in the worker), and which of them
/// <c>Platforms:&lt;P&gt;:Enabled=false</c> turned off: every campaign then skips those, so a
/// deployment configured only by environment follows just the platforms it has credentials for.
/// </summary>
public sealed class PlatformCatalog(IEnumerable<PlatformStatus> platforms)
{
    private readonly Dictionary<Platform, PlatformStatus> _byId = platforms.ToDictionary(p => p.Id);

    /// <summary>Every registered platform, in registration order.</summary>
    public IReadOnlyCollection<PlatformStatus> All => _byId.Values;

    public IReadOnlyList<PlatformStatus> Disabled => [.. _byId.Values.Where(p => !p.Enabled)];

    /// <summary>The registered platform <paramref name="name"/> names, in any case; null when none does.</summary>
    public PlatformStatus? Find(string? name) => Platform.TryParse(name, out var id) ? _byId.GetValueOrDefault(id) : null;

    public bool IsEnabled(Platform platform) => _byId.GetValueOrDefault(platform)?.Enabled ?? false;

    public string Names => string.Join(", ", _byId.Keys.Select(p => p.Name));
}
