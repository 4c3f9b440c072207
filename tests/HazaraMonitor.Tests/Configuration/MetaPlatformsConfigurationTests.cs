using HazaraMonitor.Worker.Platforms.Instagram;

namespace HazaraMonitor.Tests.Configuration;

/// <summary>Start-up checks of Instagram and Threads: credentials, their own limits, and a Threads schedule that must fit the day's keyword searches.</summary>
public sealed class MetaPlatformsConfigurationTests
{
    private static Dictionary<string, string?> Following(params string[] platforms) => ConfiguredWorker.Following(ConfiguredWorker.OnX(), ["x", .. platforms]);

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings) => ConfiguredWorker.Problems(settings);

    [Fact]
    public void AsksInstagramForItsAccountAndTokenOnlyWhenACampaignFollowsIt()
    {
        var settings = ConfiguredWorker.With(ConfiguredWorker.OnX(), ("HazaraMonitor:Platforms:Instagram:HashtagsPerWeek", "31"));
        Assert.Empty(Problems(settings));

        var problems = Problems(ConfiguredWorker.Following(settings, "x", "instagram"));

        ProblemAssert.HasEach(
            problems,
            "HazaraMonitor:Platforms:Instagram:UserId must be the numeric id of the Instagram Business or Creator account",
            "HazaraMonitor:Platforms:Instagram:AccessToken is required when a campaign follows instagram",
            "HazaraMonitor:Platforms:Instagram:HashtagsPerWeek must be between 1 and 30; Instagram allows 30 distinct hashtags per rolling 7 days per account (got 31)");
        Assert.Contains(problems, e => e.EndsWith("or turn Instagram off (HazaraMonitor__Platforms__Instagram__Enabled=false).", StringComparison.Ordinal));
    }

    [Fact]
    public void NeverEchoesTheInstagramOrThreadsToken()
    {
        var problems = Problems(ConfiguredWorker.With(
            Following("instagram", "threads"),
            ("HazaraMonitor:Platforms:Instagram:AccessToken", "ig-token-from-the-environment"),
            ("HazaraMonitor:Platforms:Instagram:UserId", "not-a-number"),
            ("HazaraMonitor:Platforms:Instagram:BaseUrl", "graph.facebook.com"),
            ("HazaraMonitor:Platforms:Threads:AccessToken", "threads-token-from-the-environment"),
            ("HazaraMonitor:Platforms:Threads:BaseUrl", "graph.threads.net")));

        ProblemAssert.HasEach(problems, "HazaraMonitor:Platforms:Instagram:UserId", "HazaraMonitor:Platforms:Instagram:BaseUrl", "HazaraMonitor:Platforms:Threads:BaseUrl");
        Assert.DoesNotContain(problems, e => e.Contains("token-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAThreadsScheduleWhoseSearchesDoNotFitTheDayNamingTheKey()
    {
        // Two hashtags every minute: 2,880 keyword searches a day, more than Meta's 2,200.
        var settings = ConfiguredWorker.With(
            Following("threads"),
            ("HazaraMonitor:Platforms:Threads:AccessToken", "token"),
            ("HazaraMonitor:Platforms:Threads:Schedule", "0 * * * * ?"));

        var problem = Assert.Single(Problems(settings));

        Assert.StartsWith("HazaraMonitor:Platforms:Threads:Schedule '0 * * * * ?' fires 1,440 times a day; with 2 hashtags in the 1 campaign(s) that follow threads that is 2,880 keyword searches a day, more than the 2,200 of HazaraMonitor:Platforms:Threads:QueriesPerDay", problem, StringComparison.Ordinal);
        Assert.EndsWith("Poll no more often than every 2 minutes, or follow fewer hashtags.", problem, StringComparison.Ordinal);

        // Every two minutes fits (1,440 a day); so does a lower share of the day's searches at the default schedule.
        Assert.Empty(Problems(ConfiguredWorker.With(settings, ("HazaraMonitor:Platforms:Threads:Schedule", "0 */2 * * * ?"))));
        Assert.Empty(Problems(ConfiguredWorker.With(settings, ("HazaraMonitor:Platforms:Threads:Schedule", "25 */10 * * * ?"), ("HazaraMonitor:Platforms:Threads:QueriesPerDay", "300"))));
    }

    [Fact]
    public void CountsTheHashtagsOfEveryCampaignThatFollowsThreads()
    {
        var settings = ConfiguredWorker.With(
            ConfiguredWorker.WithSecondCampaign(Following("threads"), "second", "Second", "Hazara", "threads"),
            ("HazaraMonitor:Platforms:Threads:AccessToken", "token"),
            ("HazaraMonitor:Platforms:Threads:QueriesPerDay", "400"));

        // The default schedule fires 144 times a day; 3 hashtags make 432 searches.
        ProblemAssert.HasEach(Problems(settings), "HazaraMonitor:Platforms:Threads:Schedule '25 */10 * * * ?' fires 144 times a day; with 3 hashtags in the 2 campaign(s)");
        Assert.Empty(Problems(ConfiguredWorker.With(settings, ("HazaraMonitor:Platforms:Threads:QueriesPerDay", "432"))));
    }

    [Fact]
    public void AsksNothingOfInstagramAndThreadsWhenTheyAreTurnedOff()
    {
        var settings = ConfiguredWorker.With(
            Following("instagram", "threads"),
            ("HazaraMonitor:Platforms:Threads:Schedule", "* * * * * ?"),
            ("HazaraMonitor:Platforms:Instagram:Enabled", "false"),
            ("HazaraMonitor:Platforms:Threads:Enabled", "false"));

        Assert.Empty(Problems(settings));
    }

    [Fact]
    public void GivesTheWeeksHashtagPlacesToEveryCampaignsCanonicalSpellingFirst()
    {
        var settings = ConfiguredWorker.With(
            ConfiguredWorker.WithSecondCampaign(Following("instagram"), "second", "Second", "Hazara", "instagram"),
            ("HazaraMonitor:Campaigns:0:Hashtags:2", "StopHazaraKilling"),
            ("HazaraMonitor:Campaigns:1:Hashtags:1", "HazaraGenocide"),
            ("HazaraMonitor:Platforms:Instagram:UserId", "17841405309211844"),
            ("HazaraMonitor:Platforms:Instagram:AccessToken", "token"),
            ("HazaraMonitor:Platforms:Instagram:HashtagsPerWeek", "3"));
        Assert.Empty(Problems(settings));
        using var worker = new ConfiguredWorker(settings);

        // Canonical spellings of both campaigns, then the second of each (HazaraGenocide once, shared), then the third.
        Assert.Equal(
            ["StopHazaraGenocide", "Hazara", "HazaraGenocide", "StopHazaraKilling"],
            InstagramHashtags.Prioritize(worker.Services.GetRequiredService<CampaignCatalog>()).Select(h => h.Display));
    }
}
