namespace HazaraMonitor.Tests.Configuration;

/// <summary>Every component's validator, run as start-up runs them, on settings as configuration gives them.</summary>
public sealed class StartupValidationTests
{
    private static Dictionary<string, string?> Valid() => ConfiguredWorker.OnX();

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings) => ConfiguredWorker.Problems(settings);

    private static Dictionary<string, string?> Set(Dictionary<string, string?> settings, params (string Key, string? Value)[] values) => ConfiguredWorker.With(settings, values);

    private static void ManyHashtags(Dictionary<string, string?> settings)
    {
        for (var i = 0; i < 40; i++)
        {
            settings[$"HazaraMonitor:Campaigns:0:Hashtags:{i}"] = $"StopHazaraGenocide{i}";
        }
    }

    [Fact]
    public void AcceptsAValidConfiguration() => Assert.Empty(Problems(Valid()));

    [Fact]
    public void NamesTheKeyOfAMissingHashtagList()
    {
        var settings = Valid();
        settings.Remove("HazaraMonitor:Campaigns:0:Hashtags:0");
        settings.Remove("HazaraMonitor:Campaigns:0:Hashtags:1");

        ProblemAssert.HasEach(Problems(settings), "HazaraMonitor:Campaigns:0:Hashtags must not be empty");
    }

    [Fact]
    public void ReportsEveryComponentsProblemsAtOnce()
    {
        var settings = Set(
            ConfiguredWorker.Following(Valid(), "x", "myspace"),
            ("HazaraMonitor:Campaigns:0:Id", "Not A Slug"),
            ("HazaraMonitor:Campaigns:0:Hashtags:1", "stophazaragenocide"),
            ("HazaraMonitor:Campaigns:0:Hashtags:2", "two words"),
            ("HazaraMonitor:Platforms:X:BearerToken", null),
            ("HazaraMonitor:Platforms:X:BaseUrl", "api.x.com"),
            ("HazaraMonitor:Redis:MinuteRetention", "00:00:00"),
            ("HazaraMonitor:Metrics:RefreshSchedule", "often"));

        Assert.Collection(
            Problems(settings).Order(StringComparer.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Hashtags:1 'stophazaragenocide' is the same hashtag as HazaraMonitor:Campaigns:0:Hashtags:0", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Hashtags:2 'two words' is not a hashtag", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Id must be a slug", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Platforms:1 'myspace' is not a supported platform; allowed: x, mastodon, bluesky, reddit, youtube, tiktok, instagram, threads", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Metrics:RefreshSchedule 'often' is not a Quartz cron expression: ", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:X:BaseUrl must be an absolute http or https URL", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:X:BearerToken is required", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Redis:MinuteRetention must be a positive duration", e, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesACounterHashtagThatIsNoHashtagOrIsTheCampaignsOwn()
    {
        var settings = Set(Valid(),
            ("HazaraMonitor:Campaigns:0:CounterHashtags:0", "#STOPHAZARAGENOCIDE"),
            ("HazaraMonitor:Campaigns:0:CounterHashtags:1", "two words"),
            ("HazaraMonitor:Campaigns:0:CounterHashtags:2", "FineCounterTag"));

        Assert.Collection(
            Problems(settings).Order(StringComparer.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:CounterHashtags:0 '#STOPHAZARAGENOCIDE' is the same hashtag as HazaraMonitor:Campaigns:0:Hashtags:0", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:CounterHashtags:1 'two words' is not a hashtag", e, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesADigestScheduleThatIsNoCronExpression()
    {
        ProblemAssert.HasEach(Problems(Set(Valid(), ("HazaraMonitor:Alerts:DigestSchedule", "daily"))), "HazaraMonitor:Alerts:DigestSchedule 'daily' is not a Quartz cron expression");
    }

    [Fact]
    public void RefusesDuplicateCampaignIdsAndMissingCampaigns()
    {
        var settings = ConfiguredWorker.WithSecondCampaign(Valid(), "stop-hazara-genocide", "again", "Hazara", "x");
        ProblemAssert.HasEach(Problems(settings), "HazaraMonitor:Campaigns:1:Id 'stop-hazara-genocide' is used by an earlier campaign");

        Assert.Equal(["HazaraMonitor:Campaigns must list at least one campaign."], Problems(new Dictionary<string, string?>()));
    }

    [Fact]
    public void PassesQuartzsMessageThroughWithTheKey()
    {
        var settings = Set(Valid(), ("HazaraMonitor:Platforms:X:Schedule", "every minute"), ("HazaraMonitor:Alerts:Schedule", "15 * * * * ?"));

        var problem = Assert.Single(Problems(settings));

        Assert.StartsWith("HazaraMonitor:Platforms:X:Schedule 'every minute' is not a Quartz cron expression: ", problem, StringComparison.Ordinal);
        Assert.True(problem.Length > "HazaraMonitor:Platforms:X:Schedule 'every minute' is not a Quartz cron expression: ".Length, "Quartz's own message follows");
    }

    [Fact]
    public void RefusesAnXQueryLongerThanXAllows()
    {
        var settings = Valid();
        ManyHashtags(settings);

        Assert.Contains(Problems(settings), e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags make an X query of", StringComparison.Ordinal) && e.Contains("X allows 512", StringComparison.Ordinal));
    }

    [Fact]
    public void ChecksTheMastodonInstancesOfACampaignThatFollowsMastodon()
    {
        var settings = ConfiguredWorker.Following(Valid(), "x", "mastodon");
        ProblemAssert.HasEach(Problems(settings), "HazaraMonitor:Platforms:Mastodon:Instances must list at least one instance");

        Set(
            settings,
            ("HazaraMonitor:Platforms:Mastodon:Instances:0:BaseUrl", "https://mastodon.social"),
            ("HazaraMonitor:Platforms:Mastodon:Instances:1:BaseUrl", "mastodon.online"),
            ("HazaraMonitor:Platforms:Mastodon:Instances:2:BaseUrl", "https://mastodon.social/"));

        Assert.Equal(
            [
                "HazaraMonitor:Platforms:Mastodon:Instances:1:BaseUrl must be an absolute http or https URL (got 'mastodon.online').",
                "HazaraMonitor:Platforms:Mastodon:Instances:2:BaseUrl 'https://mastodon.social/' is listed twice.",
            ],
            Problems(settings));
    }

    [Fact]
    public void NeverEchoesTheBearerToken()
    {
        var problems = Problems(Set(Valid(), ("HazaraMonitor:Platforms:X:BaseUrl", "nowhere"), ("HazaraMonitor:Campaigns:0:Id", string.Empty)));

        Assert.NotEmpty(problems);
        Assert.DoesNotContain(problems, e => e.Contains("token-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void ChecksBlueskyAndRedditKeysOnlyForCampaignsThatFollowThem()
    {
        var settings = Set(
            Valid(),
            ("HazaraMonitor:Platforms:Bluesky:JetstreamUrl", "https://jetstream2.us-east.bsky.network/subscribe"),
            ("HazaraMonitor:Platforms:Reddit:BaseUrl", "not a url"));
        Assert.Empty(Problems(settings));

        Set(
            ConfiguredWorker.Following(settings, "x", "bluesky", "reddit"),
            ("HazaraMonitor:Platforms:Bluesky:FlushInterval", "00:00:05"),
            ("HazaraMonitor:Platforms:Reddit:ClientSecret", "reddit-secret-from-the-environment"));
        var problems = Problems(settings);

        ProblemAssert.HasEach(
            problems,
            "HazaraMonitor:Platforms:Bluesky:JetstreamUrl must be an absolute ws or wss URL",
            "HazaraMonitor:Platforms:Bluesky:FlushInterval must be more than 0 and at most 00:00:02",
            "HazaraMonitor:Platforms:Reddit:ClientId is required when a campaign follows reddit");
        Assert.Contains("HazaraMonitor:Platforms:Reddit:BaseUrl must be an absolute http or https URL (got 'not a url').", problems);
        Assert.DoesNotContain(problems, e => e.Contains("reddit-secret-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void AsksNothingOfAPlatformThatIsTurnedOff()
    {
        // An X token and nothing else, as an environment-only deployment has it: the shipped
        // campaign lists all four platforms, the other three are turned off.
        var settings = Set(
            ConfiguredWorker.Following(Valid(), "x", "mastodon", "bluesky", "reddit"),
            ("HazaraMonitor:Platforms:Bluesky:JetstreamUrl", "https://not-a-websocket"),
            ("HazaraMonitor:Platforms:Reddit:BaseUrl", "not a url"));
        // Stopped for want of Reddit credentials, the operator is told how to do without them.
        Assert.Contains(Problems(settings), e => e.StartsWith("HazaraMonitor:Platforms:Reddit:ClientId is required", StringComparison.Ordinal)
            && e.EndsWith("or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).", StringComparison.Ordinal));

        Set(
            settings,
            ("HazaraMonitor:Platforms:Mastodon:Enabled", "false"),
            ("HazaraMonitor:Platforms:Bluesky:Enabled", "false"),
            ("HazaraMonitor:Platforms:Reddit:Enabled", "false"));

        Assert.Empty(Problems(settings));
    }

    [Fact]
    public void LeavesTheQueryLimitsOfATurnedOffPlatformAlone()
    {
        var settings = ConfiguredWorker.Following(Valid(), "x", "reddit");
        ManyHashtags(settings);
        settings["HazaraMonitor:Platforms:Reddit:Enabled"] = "false";
        ProblemAssert.HasEach(Problems(settings), "HazaraMonitor:Campaigns:0:Hashtags make an X query");

        var problems = Problems(Set(
            settings,
            ("HazaraMonitor:Platforms:X:Enabled", "false"),
            ("HazaraMonitor:Platforms:Reddit:Enabled", "true"),
            ("HazaraMonitor:Platforms:Reddit:ClientId", "id"),
            ("HazaraMonitor:Platforms:Reddit:ClientSecret", "secret")));

        Assert.DoesNotContain(problems, e => e.Contains("X query", StringComparison.Ordinal));
        Assert.Contains(problems, e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags make a Reddit query", StringComparison.Ordinal) && e.Contains("Reddit allows 512", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesACampaignWhosePlatformsAreAllTurnedOffNamingTheKeys()
    {
        var settings = Set(
            ConfiguredWorker.WithSecondCampaign(ConfiguredWorker.Following(Valid(), "x", "reddit"), "second", "Second", "Hazara", "bluesky"),
            ("HazaraMonitor:Platforms:X:Enabled", "false"),
            ("HazaraMonitor:Platforms:Reddit:Enabled", "false"));

        Assert.Equal(
            ["HazaraMonitor:Campaigns:0:Platforms lists only disabled platforms (x by HazaraMonitor:Platforms:X:Enabled=false, reddit by HazaraMonitor:Platforms:Reddit:Enabled=false): the campaign would follow nothing. Enable one of them or list an enabled platform."],
            Problems(settings));
    }

    [Fact]
    public void ChecksTheBlueskySearchSettingsOnlyInASearchMode()
    {
        var settings = Set(
            ConfiguredWorker.Following(Valid(), "x", "bluesky"),
            ("HazaraMonitor:Platforms:Bluesky:AppPassword", "app-password-from-the-environment"),
            ("HazaraMonitor:Platforms:Bluesky:SearchBaseUrl", "ftp://bsky.social"));
        Assert.Empty(Problems(settings));

        settings["HazaraMonitor:Platforms:Bluesky:Mode"] = "Both";
        var problems = Problems(settings);

        Assert.Contains("HazaraMonitor:Platforms:Bluesky:SearchBaseUrl must be an absolute http or https URL (got 'ftp://bsky.social').", problems);
        ProblemAssert.HasEach(problems, "HazaraMonitor:Platforms:Bluesky:Identifier and HazaraMonitor:Platforms:Bluesky:AppPassword go together");
        Assert.DoesNotContain(problems, e => e.Contains("app-password-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void ChecksAlertSinksAndDetectionWithoutRepeatingSecrets()
    {
        var problems = Problems(Set(
            Valid(),
            ("HazaraMonitor:Alerts:Webhooks:0:Name", "slack"),
            ("HazaraMonitor:Alerts:Webhooks:0:Kind", "Slack"),
            ("HazaraMonitor:Alerts:Webhooks:0:Url", "https://hooks.slack.com/services/T000/B000/secret-path"),
            ("HazaraMonitor:Alerts:Webhooks:1:Name", "slack"),
            ("HazaraMonitor:Alerts:Webhooks:1:Url", "not-a-url-secret"),
            ("HazaraMonitor:Alerts:Email:Host", "smtp.example.org"),
            ("HazaraMonitor:Alerts:Email:From", "monitor"),
            ("HazaraMonitor:Alerts:Email:Username", "u"),
            ("HazaraMonitor:Detection:HistoryBlocks", "2")));

        ProblemAssert.HasEach(
            problems,
            "HazaraMonitor:Alerts:Webhooks:1:Name must be set, unique among the webhooks",
            "HazaraMonitor:Alerts:Webhooks:1:Url must be an absolute http or https URL",
            "HazaraMonitor:Alerts:Email:From must be an email address",
            "HazaraMonitor:Alerts:Email:To must list at least one",
            "HazaraMonitor:Alerts:Email:Username and HazaraMonitor:Alerts:Email:Password go together",
            "HazaraMonitor:Detection:HistoryBlocks must be at least 3");
        Assert.DoesNotContain(problems, e => e.Contains("secret-path", StringComparison.Ordinal) || e.Contains("not-a-url-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void ABudgetNeedsCountsAndNoNegativeDollars()
    {
        var settings = ConfiguredWorker.With(Valid(), ("HazaraMonitor:Platforms:X:Budget:Daily", "-5"), ("HazaraMonitor:Platforms:X:Mode", "Search"));

        ProblemAssert.HasEach(
            Problems(settings),
            "HazaraMonitor:Platforms:X:Budget Daily and Monthly must not be negative",
            "HazaraMonitor:Platforms:X:Mode must be Both or Counts when a budget is set");
        Assert.Empty(Problems(ConfiguredWorker.With(Valid(), ("HazaraMonitor:Platforms:X:Budget:Monthly", "300"))));
    }

    [Fact]
    public void RefusesAScheduleDatabaseThatIsNotAConnectionStringWithoutQuotingIt()
    {
        var problems = Problems(ConfiguredWorker.With(Valid(), ("HazaraMonitor:Scheduler:PostgreSql", "Host=db;Password=hunter2;no-such-keyword=1")));

        var problem = Assert.Single(problems);
        Assert.StartsWith("HazaraMonitor:Scheduler:PostgreSql is not an Npgsql connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
        Assert.Empty(Problems(ConfiguredWorker.With(Valid(), ("HazaraMonitor:Scheduler:PostgreSql", "Host=db;Database=hm;Username=hm;Password=hunter2"))));
    }
}
