using HazaraMonitor.Core.Campaigns;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Tests.Campaigns;

public sealed class CampaignCatalogTests
{
    private static HazaraMonitorOptions TwoCampaigns() => new()
    {
        Campaigns =
        [
            new CampaignOptions { Id = "stop-hazara-genocide", Name = "Stop", Hashtags = ["StopHazaraGenocide"], Platforms = ["x", "mastodon", "bluesky", "reddit"] },
            new CampaignOptions { Id = "kaaj", Name = "Kaaj", Hashtags = ["Kaaj"], Platforms = ["reddit", "bluesky"] },
        ],
    };

    [Fact]
    public void FollowsEveryListedPlatformByDefault()
    {
        var catalog = CampaignCatalog.FromOptions(TwoCampaigns());

        Assert.Equal([Platform.X, Platform.Mastodon, Platform.Bluesky, Platform.Reddit], catalog.Find("stop-hazara-genocide")!.Platforms.Order());
        Assert.Equal([Platform.Bluesky, Platform.Reddit], catalog.Find("kaaj")!.Platforms.Order());
    }

    [Fact]
    public void LeavesATurnedOffPlatformOutOfEveryCampaign()
    {
        // Every consumer (jobs, the Jetstream consumer, detection, gauges, the API) reads the catalog.
        var options = TwoCampaigns();
        options.Platforms.Reddit.Enabled = false;
        options.Platforms.Mastodon.Enabled = false;

        var catalog = CampaignCatalog.FromOptions(options);

        Assert.Equal([Platform.X, Platform.Bluesky], catalog.Find("stop-hazara-genocide")!.Platforms.Order());
        Assert.Equal([Platform.Bluesky], catalog.Find("kaaj")!.Platforms.Order());
    }
}
