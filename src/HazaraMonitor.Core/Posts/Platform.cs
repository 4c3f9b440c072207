using System.Text.RegularExpressions;

namespace HazaraMonitor.Core.Posts;

/// <summary>
/// A platform HazaraMonitor reads, by its stable lower-case name (<c>x</c>, <c>mastodon</c>), the name
/// used in configuration, Redis fields, metrics and the HTTP API. Each platform declares its own in
/// its folder; the set a deployment knows is the set registered, so a platform is a bounded metric tag.
/// </summary>
public readonly partial record struct Platform
{
    public Platform(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"A platform name is 1-32 characters of a-z, 0-9 and '-', starting with a letter (got '{name}').", nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    public override string ToString() => Name;

    /// <summary>Reads a platform name in any case; false when it cannot be one.</summary>
    public static bool TryParse(string? name, out Platform platform)
    {
        var lower = name?.Trim().ToLowerInvariant();
        platform = lower is not null && NamePattern().IsMatch(lower) ? new Platform(lower) : default;
        return lower is not null && platform.Name is not null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex NamePattern();
}
