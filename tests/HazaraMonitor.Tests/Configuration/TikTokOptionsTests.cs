namespace HazaraMonitor.Tests.Configuration;

/// <summary><c>HazaraMonitor:Platforms:TikTok</c> as start-up checks it.</summary>
public sealed class TikTokOptionsTests
{
    private const string Secret = "tiktok-secret-from-the-environment";

    private static Dictionary<string, string?> OnTikTok(params (string Key, string? Value)[] values) => ConfiguredWorker.With(
        ConfiguredWorker.Following(ConfiguredWorker.OnX(), "x", "tiktok"),
        [("HazaraMonitor:Platforms:TikTok:ClientKey", "research-client-key"), ("HazaraMonitor:Platforms:TikTok:ClientSecret", Secret), .. values]);

    [Fact]
    public void AcceptsTheShippedDefaultsWithCredentials() => Assert.Empty(ConfiguredWorker.Problems(OnTikTok()));

    [Fact]
    public void AsksForTheResearchClientOnlyWhenACampaignFollowsTikTokAndItIsOn()
    {
        var notFollowed = ConfiguredWorker.With(ConfiguredWorker.OnX(), ("HazaraMonitor:Platforms:TikTok:BaseUrl", "not a url"));
        Assert.Empty(ConfiguredWorker.Problems(notFollowed));

        var missing = OnTikTok(("HazaraMonitor:Platforms:TikTok:ClientKey", null), ("HazaraMonitor:Platforms:TikTok:ClientSecret", null));
        var problems = ConfiguredWorker.Problems(missing);
        ProblemAssert.HasEach(
            problems,
            "HazaraMonitor:Platforms:TikTok:ClientKey is required when a campaign follows tiktok",
            "HazaraMonitor:Platforms:TikTok:ClientSecret is required when a campaign follows tiktok; set it in the environment (HazaraMonitor__Platforms__TikTok__ClientSecret)");
        Assert.All(problems, p => Assert.EndsWith("(HazaraMonitor__Platforms__TikTok__Enabled=false).", p, StringComparison.Ordinal));

        Assert.Empty(ConfiguredWorker.Problems(ConfiguredWorker.With(missing, ("HazaraMonitor:Platforms:TikTok:Enabled", "false"))));
    }

    [Fact]
    public void NamesEveryBadKeyAndNeverTheSecret()
    {
        var problems = ConfiguredWorker.Problems(OnTikTok(
            ("HazaraMonitor:Platforms:TikTok:BaseUrl", "open.tiktokapis.com"),
            ("HazaraMonitor:Platforms:TikTok:TokenUrl", "ftp://open.tiktokapis.com/v2/oauth/token/"),
            ("HazaraMonitor:Platforms:TikTok:MaxPagesPerPoll", "0"),
            ("HazaraMonitor:Platforms:TikTok:InitialLookback", "00:00:00"),
            ("HazaraMonitor:Platforms:TikTok:Relook", "-01:00:00"),
            ("HazaraMonitor:Platforms:TikTok:DailyRecordLimit", "0"),
            ("HazaraMonitor:Platforms:TikTok:RateLimitBackoff", "00:00:00"),
            ("HazaraMonitor:Platforms:TikTok:Schedule", "hourly")));

        Assert.Collection(
            problems.Order(StringComparer.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:BaseUrl must be an absolute http or https URL (got 'open.tiktokapis.com')", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:DailyRecordLimit must be between 1 and", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:InitialLookback must be a positive duration", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:MaxPagesPerPoll must be between 1 and 100", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:RateLimitBackoff must be a positive duration", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:Relook must be between 00:00:00 and 30.00:00:00 (got -01:00:00)", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:Schedule 'hourly' is not a Quartz cron expression", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:TikTok:TokenUrl must be an absolute http or https URL", e, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, e => e.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesASchedulePollingMoreOftenThanTheDailyRequestsAllow()
    {
        // Every minute: 1,440 polls a day, each at least one request; TikTok allows 1,000.
        var problems = ConfiguredWorker.Problems(OnTikTok(("HazaraMonitor:Platforms:TikTok:Schedule", "0 * * * * ?")));

        Assert.Equal(
            ["HazaraMonitor:Platforms:TikTok:Schedule '0 * * * * ?' fires 1,440 times a day for 1 campaign(s): at least 1,440 requests a day, more than the 1,000 of HazaraMonitor:Platforms:TikTok:DailyRequestLimit. Poll less often (the default is hourly)."],
            problems);

        // Every two minutes is within it for one campaign, not for two sharing the quota.
        var twoMinutes = OnTikTok(("HazaraMonitor:Platforms:TikTok:Schedule", "0 */2 * * * ?"));
        Assert.Empty(ConfiguredWorker.Problems(twoMinutes));
        var twoCampaigns = ConfiguredWorker.WithSecondCampaign(twoMinutes, "kaaj", "Kaaj", "Kaaj", "tiktok");
        ProblemAssert.HasEach(ConfiguredWorker.Problems(twoCampaigns), "HazaraMonitor:Platforms:TikTok:Schedule '0 */2 * * * ?' fires 720 times a day for 2 campaign(s): at least 1,440 requests");
    }
}
