namespace HazaraMonitor.Tests.Configuration;

/// <summary><c>HazaraMonitor:Platforms:YouTube</c> as start-up checks it: the key when a campaign follows YouTube, and the schedule against the daily quota.</summary>
public sealed class YouTubeConfigurationTests
{
    private const string Key = "HazaraMonitor:Platforms:YouTube";

    /// <summary>One campaign on X and YouTube, with both credentials.</summary>
    private static Dictionary<string, string?> OnYouTube() => ConfiguredWorker.With(
        ConfiguredWorker.Following(ConfiguredWorker.OnX(), "x", "youtube"),
        ($"{Key}:ApiKey", "youtube-key-from-the-environment"));

    [Fact]
    public void AcceptsTheDefaultsForOneCampaign() => Assert.Empty(ConfiguredWorker.Problems(OnYouTube()));

    [Fact]
    public void AsksForTheKeyOnlyWhenACampaignFollowsYouTubeAndNeverRepeatsIt()
    {
        Assert.Empty(ConfiguredWorker.Problems(ConfiguredWorker.With(ConfiguredWorker.OnX(), ($"{Key}:BaseUrl", "not a url"))));

        var settings = OnYouTube();
        settings.Remove($"{Key}:ApiKey");
        var problems = ConfiguredWorker.Problems(ConfiguredWorker.With(settings, ($"{Key}:BaseUrl", "www.googleapis.com"), ($"{Key}:IndexLag", "2.00:00:00")));

        ProblemAssert.HasEach(
            problems,
            $"{Key}:ApiKey is required when a campaign follows youtube",
            $"{Key}:BaseUrl must be an absolute http or https URL",
            $"{Key}:IndexLag must be at least 0 and at most 1.00:00:00");
        Assert.Contains(problems, e => e.EndsWith("or turn YouTube off (HazaraMonitor__Platforms__YouTube__Enabled=false).", StringComparison.Ordinal));

        var bad = ConfiguredWorker.Problems(ConfiguredWorker.With(OnYouTube(), ($"{Key}:BaseUrl", "nowhere")));
        Assert.DoesNotContain(bad, e => e.Contains("youtube-key-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAScheduleTheDailyQuotaCannotPayNamingTheKeys()
    {
        // Every minute: 1,440 polls of up to 2 pages at 101 units, far past 10,000.
        var problems = ConfiguredWorker.Problems(ConfiguredWorker.With(OnYouTube(), ($"{Key}:Schedule", "0 * * * * ?")));

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{Key}:Schedule '0 * * * * ?' fires 1,440 times a day; with 1 campaign(s) following youtube and MaxPagesPerPoll 2, polls may spend 290,880 quota units a day", problem, StringComparison.Ordinal);
        Assert.Contains("more than DailyQuotaUnits 10,000 allows", problem, StringComparison.Ordinal);
        Assert.Contains($"{Key}:DailyQuotaUnits", problem, StringComparison.Ordinal);

        // The quota Google granted pays for it.
        Assert.Empty(ConfiguredWorker.Problems(ConfiguredWorker.With(OnYouTube(), ($"{Key}:Schedule", "0 * * * * ?"), ($"{Key}:DailyQuotaUnits", "300000"))));
    }

    [Fact]
    public void CountsEveryCampaignThatFollowsYouTubeAgainstTheQuota()
    {
        // The default schedule spends at most 9,696 units a campaign: a second one is past the quota.
        var two = ConfiguredWorker.WithSecondCampaign(OnYouTube(), "second", "Second", "Hazara", "x", "youtube");

        ProblemAssert.HasEach(ConfiguredWorker.Problems(two), $"{Key}:Schedule '40 */30 * * * ?' fires 48 times a day; with 2 campaign(s) following youtube");
        Assert.Empty(ConfiguredWorker.Problems(ConfiguredWorker.With(two, ($"{Key}:MaxPagesPerPoll", "1"))));
        Assert.Empty(ConfiguredWorker.Problems(ConfiguredWorker.With(two, ($"{Key}:Enabled", "false"))));
    }
}
