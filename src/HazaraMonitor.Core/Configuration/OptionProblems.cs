using System.Globalization;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Core.Configuration;

/// <summary>
/// The problems one validator finds in its section, each message starting with the full key it is
/// about, so an operator fixes every one in one go.
/// </summary>
public sealed class OptionProblems(string section)
{
    private readonly List<string> _problems = [];

    /// <summary>The full key of <paramref name="name"/> in this section, e.g. <c>HazaraMonitor:Platforms:X:Schedule</c>.</summary>
    public string Key(string name) => $"{section}:{name}";

    /// <summary>Adds "<c>{section}:{name} {message}</c>".</summary>
    public void Add(string name, string message) => _problems.Add($"{Key(name)} {message}");

    public void AddRange(IEnumerable<string> problems) => _problems.AddRange(problems);

    public ValidateOptionsResult Result() => _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);

    /// <summary>Checks an absolute http(s) URL; returns it when valid.</summary>
    public Uri? HttpUrl(string? value, string name)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Add(name, $"must be an absolute http or https URL (got '{value}').");
        return null;
    }

    /// <summary>Checks that a count lies within <paramref name="min"/>..<paramref name="max"/>; <paramref name="why"/> says why, when the bound is the platform's.</summary>
    public void Between(int value, int min, int max, string name, string? why = null)
    {
        if (value < min || value > max)
        {
            Add(name, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}{(why is null ? string.Empty : "; " + why)} (got {value})."));
        }
    }

    public void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            Add(name, $"must be a positive duration such as 1.00:00:00 (got {value}).");
        }
    }

    /// <summary>Checks that an enum bound from a number is one of its names' values (a name the binder does not know is reported before binding).</summary>
    public bool OneOf<T>(T value, string name)
        where T : struct, Enum
    {
        if (Enum.IsDefined(value))
        {
            return true;
        }

        Add(name, $"must be one of {string.Join(", ", Enum.GetNames<T>())} (got '{value}').");
        return false;
    }
}
