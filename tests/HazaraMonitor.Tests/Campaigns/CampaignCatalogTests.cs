using HazaraMonitor.Tests.Configuration;

namespace HazaraMonitor.Tests.Campaigns;

public sealed class CampaignCatalogTests
{
    private static Dictionary<string, string?> TwoCampaigns() =>
        ConfiguredWorker.WithSecondCampaign(ConfiguredWorker.Following(ConfiguredWorker.OnX(), "x", "mastodon", "bluesky", "reddit"), "kaaj", "Kaaj", "Kaaj", "Reddit", "bluesky");

    private static CampaignCatalog Catalog(Dictionary<string, string?> settings)
    {
        using var worker = new ConfiguredWorker(settings);
        return worker.Services.GetRequiredService<CampaignCatalog>();
    }

    private static IEnumerable<string> Names(CampaignCatalog catalog, string id) => catalog.Find(id)!.Platforms.Select(p => p.Name).Order(StringComparer.Ordinal);

    [Fact]
    public void FollowsEveryListedPlatformInAnyCase()
    {
        var catalog = Catalog(TwoCampaigns());

        Assert.Equal(["bluesky", "mastodon", "reddit", "x"], Names(catalog, "stop-hazara-genocide"));
        Assert.Equal(["bluesky", "reddit"], Names(catalog, "kaaj"));
    }

    [Fact]
    public void LeavesATurnedOffPlatformOutOfEveryCampaign()
    {
        // Every consumer (jobs, the Jetstream consumer, detection, gauges, the API) reads the catalog.
        var catalog = Catalog(ConfiguredWorker.With(TwoCampaigns(), ("HazaraMonitor:Platforms:Reddit:Enabled", "false"), ("HazaraMonitor:Platforms:Mastodon:Enabled", "False")));

        Assert.Equal(["bluesky", "x"], Names(catalog, "stop-hazara-genocide"));
        Assert.Equal(["bluesky"], Names(catalog, "kaaj"));
    }

    [Fact]
    public void NamesAPlatformByItsLowerCaseNameOnly()
    {
        Assert.True(Platform.TryParse(" Bluesky ", out var bluesky));
        Assert.Equal("bluesky", bluesky.Name);
        Assert.False(Platform.TryParse("my space", out _));
        Assert.Throws<ArgumentException>(() => new Platform("X"));
    }
}
