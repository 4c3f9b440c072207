using HazaraMonitor.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace HazaraMonitor.Tests.Configuration;

/// <summary>
/// The worker's services built from settings alone, as start-up builds them (every component's
/// registration, nothing started or connected): what start-up validates, and what it schedules.
/// </summary>
internal sealed class ConfiguredWorker : IDisposable
{
    private readonly IHost _host;

    public ConfiguredWorker(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHazaraMonitor();
        _host = builder.Build();
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>One campaign on X with a token: valid as it stands.</summary>
    public static Dictionary<string, string?> OnX() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["HazaraMonitor:Campaigns:0:Id"] = "stop-hazara-genocide",
        ["HazaraMonitor:Campaigns:0:Name"] = "#StopHazaraGenocide",
        ["HazaraMonitor:Campaigns:0:Hashtags:0"] = "StopHazaraGenocide",
        ["HazaraMonitor:Campaigns:0:Hashtags:1"] = "HazaraGenocide",
        ["HazaraMonitor:Campaigns:0:Platforms:0"] = "x",
        ["HazaraMonitor:Platforms:X:BearerToken"] = "token-from-the-environment",
    };

    /// <summary>Makes the first campaign list <paramref name="platforms"/>, in this order.</summary>
    public static Dictionary<string, string?> Following(Dictionary<string, string?> settings, params string[] platforms) =>
        ListPlatforms(settings, 0, platforms);

    /// <summary>Adds a second campaign with one hashtag, listing <paramref name="platforms"/> in this order.</summary>
    public static Dictionary<string, string?> WithSecondCampaign(Dictionary<string, string?> settings, string id, string name, string hashtag, params string[] platforms)
    {
        settings["HazaraMonitor:Campaigns:1:Id"] = id;
        settings["HazaraMonitor:Campaigns:1:Name"] = name;
        settings["HazaraMonitor:Campaigns:1:Hashtags:0"] = hashtag;
        return ListPlatforms(settings, 1, platforms);
    }

    /// <summary>Sets each key to its value, in order (a null value is a key set to nothing).</summary>
    public static Dictionary<string, string?> With(Dictionary<string, string?> settings, params (string Key, string? Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Every problem start-up would report for <paramref name="settings"/>.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string?> settings)
    {
        using var worker = new ConfiguredWorker(settings);
        return StartupErrors.Problems(worker.Services);
    }

    public void Dispose() => _host.Dispose();

    private static Dictionary<string, string?> ListPlatforms(Dictionary<string, string?> settings, int campaign, string[] platforms)
    {
        foreach (var (i, platform) in platforms.Index())
        {
            settings[$"HazaraMonitor:Campaigns:{campaign}:Platforms:{i}"] = platform;
        }

        return settings;
    }
}
