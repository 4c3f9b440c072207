using HazaraMonitor.Core.Configuration;

namespace HazaraMonitor.Tests.Configuration;

public sealed class OptionsValidatorTests
{
    private static HazaraMonitorOptions Valid() => new()
    {
        Platforms = new PlatformsOptions { X = new XOptions { BearerToken = "token-from-the-environment" } },
        Campaigns =
        [
            new CampaignOptions
            {
                Id = "stop-hazara-genocide",
                Name = "#StopHazaraGenocide",
                Hashtags = ["StopHazaraGenocide", "HazaraGenocide"],
                Platforms = ["x"],
            },
        ],
    };

    [Fact]
    public void AcceptsAValidConfiguration() =>
        Assert.Empty(HazaraMonitorOptionsValidator.Validate(Valid()));

    [Fact]
    public void NamesTheKeyOfAnEmptyHashtagList()
    {
        var options = Valid();
        options.Campaigns[0].Hashtags.Clear();

        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags must not be empty", StringComparison.Ordinal));
    }

    [Fact]
    public void ReportsEveryProblemAtOnce()
    {
        var options = Valid();
        options.Campaigns[0].Id = "Not A Slug";
        options.Campaigns[0].Platforms = ["x", "myspace"];
        options.Campaigns[0].Hashtags = ["StopHazaraGenocide", "stophazaragenocide", "two words"];
        options.Platforms.X.BearerToken = null;
        // A number the binder takes for an enum but that names none of its values.
        options.Platforms.X.Mode = (XMode)7;
        options.Platforms.X.BaseUrl = "api.x.com";
        options.Redis.MinuteRetention = TimeSpan.Zero;

        var errors = HazaraMonitorOptionsValidator.Validate(options, cron => cron.Contains('*', StringComparison.Ordinal) ? null : "bad");

        Assert.Collection(
            errors.Order(StringComparer.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Hashtags:1 'stophazaragenocide' is the same hashtag as HazaraMonitor:Campaigns:0:Hashtags:0", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Hashtags:2 'two words' is not a hashtag", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Id must be a slug", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Campaigns:0:Platforms:1 'myspace' is not a supported platform; allowed: x", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:X:BaseUrl must be an absolute http or https URL", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:X:BearerToken is required", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Platforms:X:Mode must be one of Counts, Search, Both (got '7')", e, StringComparison.Ordinal),
            e => Assert.StartsWith("HazaraMonitor:Redis:MinuteRetention must be a positive duration", e, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesDuplicateCampaignIdsAndMissingCampaigns()
    {
        var options = Valid();
        options.Campaigns.Add(new CampaignOptions { Id = "stop-hazara-genocide", Name = "again", Hashtags = ["Hazara"], Platforms = ["x"] });
        Assert.Contains(HazaraMonitorOptionsValidator.Validate(options), e => e.StartsWith("HazaraMonitor:Campaigns:1:Id 'stop-hazara-genocide' is used by an earlier campaign", StringComparison.Ordinal));

        options.Campaigns.Clear();
        Assert.Equal(["HazaraMonitor:Campaigns must list at least one campaign."], HazaraMonitorOptionsValidator.Validate(options));
    }

    [Fact]
    public void PassesTheCronCheckersMessageThroughWithTheKey()
    {
        var options = Valid();
        options.Platforms.X.Schedule = "every minute";

        options.Metrics.RefreshSchedule = "often";

        var errors = HazaraMonitorOptionsValidator.Validate(options, cron => cron.Contains('*', StringComparison.Ordinal) ? null : "Unexpected end of expression.");

        Assert.Equal(
            [
                "HazaraMonitor:Metrics:RefreshSchedule 'often' is not a Quartz cron expression: Unexpected end of expression.",
                "HazaraMonitor:Platforms:X:Schedule 'every minute' is not a Quartz cron expression: Unexpected end of expression.",
            ],
            errors);
    }

    [Fact]
    public void RefusesAnXQueryLongerThanXAllows()
    {
        var options = Valid();
        options.Campaigns[0].Hashtags = [.. Enumerable.Range(0, 40).Select(i => $"StopHazaraGenocide{i}")];

        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags make an X query of", StringComparison.Ordinal) && e.Contains("X allows 512", StringComparison.Ordinal));
    }

    [Fact]
    public void ChecksTheMastodonInstancesOfACampaignThatFollowsMastodon()
    {
        var options = Valid();
        options.Campaigns[0].Platforms.Add("mastodon");
        Assert.Contains(HazaraMonitorOptionsValidator.Validate(options), e => e.StartsWith("HazaraMonitor:Platforms:Mastodon:Instances must list at least one instance", StringComparison.Ordinal));

        options.Platforms.Mastodon.Instances = [new() { BaseUrl = "https://mastodon.social" }, new() { BaseUrl = "mastodon.online" }, new() { BaseUrl = "https://mastodon.social/" }];
        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Equal(
            [
                "HazaraMonitor:Platforms:Mastodon:Instances:1:BaseUrl must be an absolute http or https URL (got 'mastodon.online').",
                "HazaraMonitor:Platforms:Mastodon:Instances:2:BaseUrl 'https://mastodon.social/' is listed twice.",
            ],
            errors);
    }

    [Fact]
    public void NeverEchoesTheBearerToken()
    {
        var options = Valid();
        options.Platforms.X.Mode = (XMode)9;
        options.Campaigns[0].Id = "";

        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Contains("token-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void ChecksBlueskyAndRedditKeysOnlyForCampaignsThatFollowThem()
    {
        var options = Valid();
        options.Platforms.Bluesky.JetstreamUrl = "https://jetstream2.us-east.bsky.network/subscribe";
        options.Platforms.Reddit.BaseUrl = "not a url";
        Assert.Empty(HazaraMonitorOptionsValidator.Validate(options));

        options.Campaigns[0].Platforms.AddRange(["bluesky", "reddit"]);
        options.Platforms.Bluesky.FlushInterval = TimeSpan.FromSeconds(5);
        options.Platforms.Reddit.ClientSecret = "reddit-secret-from-the-environment";
        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Platforms:Bluesky:JetstreamUrl must be an absolute ws or wss URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Platforms:Bluesky:FlushInterval must be more than 0 and at most 00:00:02", StringComparison.Ordinal));
        Assert.Contains("HazaraMonitor:Platforms:Reddit:BaseUrl must be an absolute http or https URL (got 'not a url').", errors);
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Platforms:Reddit:ClientId is required when a campaign follows reddit", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("reddit-secret-from-the-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void AsksNothingOfAPlatformThatIsTurnedOff()
    {
        // An X token and nothing else, as an environment-only deployment has it: the shipped
        // campaign lists all four platforms, the other three are turned off.
        var options = Valid();
        options.Campaigns[0].Platforms = ["x", "mastodon", "bluesky", "reddit"];
        options.Platforms.Bluesky.JetstreamUrl = "https://not-a-websocket";
        options.Platforms.Reddit.BaseUrl = "not a url";
        // Stopped for want of Reddit credentials, the operator is told how to do without them.
        Assert.Contains(HazaraMonitorOptionsValidator.Validate(options), e => e.StartsWith("HazaraMonitor:Platforms:Reddit:ClientId is required", StringComparison.Ordinal)
            && e.EndsWith("or turn Reddit off (HazaraMonitor__Platforms__Reddit__Enabled=false).", StringComparison.Ordinal));

        options.Platforms.Mastodon.Enabled = false;
        options.Platforms.Bluesky.Enabled = false;
        options.Platforms.Reddit.Enabled = false;

        Assert.Empty(HazaraMonitorOptionsValidator.Validate(options));
    }

    [Fact]
    public void LeavesTheQueryLimitsOfATurnedOffPlatformAlone()
    {
        var options = Valid();
        options.Campaigns[0].Platforms = ["x", "reddit"];
        options.Campaigns[0].Hashtags = [.. Enumerable.Range(0, 40).Select(i => $"StopHazaraGenocide{i}")];
        options.Platforms.Reddit.Enabled = false;
        Assert.Contains(HazaraMonitorOptionsValidator.Validate(options), e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags make an X query", StringComparison.Ordinal));

        options.Platforms.X.Enabled = false;
        options.Platforms.Reddit.Enabled = true;
        options.Platforms.Reddit.ClientId = "id";
        options.Platforms.Reddit.ClientSecret = "secret";
        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.DoesNotContain(errors, e => e.Contains("X query", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Campaigns:0:Hashtags make a Reddit query", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesACampaignWhosePlatformsAreAllTurnedOffNamingTheKeys()
    {
        var options = Valid();
        options.Campaigns[0].Platforms = ["x", "reddit"];
        options.Platforms.X.Enabled = false;
        options.Platforms.Reddit.Enabled = false;
        options.Campaigns.Add(new CampaignOptions { Id = "second", Name = "Second", Hashtags = ["Hazara"], Platforms = ["bluesky"] });

        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Equal(
            ["HazaraMonitor:Campaigns:0:Platforms lists only disabled platforms (x by HazaraMonitor:Platforms:X:Enabled=false, reddit by HazaraMonitor:Platforms:Reddit:Enabled=false): the campaign would follow nothing. Enable one of them or list an enabled platform."],
            errors);
    }

    [Fact]
    public void ChecksTheBlueskySearchSettingsOnlyInASearchMode()
    {
        var options = Valid();
        options.Campaigns[0].Platforms.Add("bluesky");
        options.Platforms.Bluesky.AppPassword = "app-password-from-the-environment";
        options.Platforms.Bluesky.SearchBaseUrl = "ftp://bsky.social";
        Assert.Empty(HazaraMonitorOptionsValidator.Validate(options));

        options.Platforms.Bluesky.Mode = BlueskyMode.Both;
        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Contains("HazaraMonitor:Platforms:Bluesky:SearchBaseUrl must be an absolute http or https URL (got 'ftp://bsky.social').", errors);
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Platforms:Bluesky:Identifier and HazaraMonitor:Platforms:Bluesky:AppPassword go together", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("app-password-from-the-environment", StringComparison.Ordinal));

        options.Platforms.Bluesky.Mode = (BlueskyMode)9;
        Assert.Equal(["HazaraMonitor:Platforms:Bluesky:Mode must be one of Jetstream, Search, Both (got '9')."], HazaraMonitorOptionsValidator.Validate(options));
    }

    [Fact]
    public void ChecksAlertSinksWithoutRepeatingTheirSecrets()
    {
        var options = Valid();
        options.Alerts.Webhooks =
        [
            new WebhookSinkOptions { Name = "slack", Kind = WebhookKind.Slack, Url = "https://hooks.slack.com/services/T000/B000/secret-path" },
            new WebhookSinkOptions { Name = "slack", Kind = (WebhookKind)9, Url = "not-a-url-secret" },
        ];
        options.Alerts.Email = new EmailSinkOptions { Host = "smtp.example.org", From = "monitor", Username = "u", Password = null };
        options.Detection.HistoryBlocks = 2;

        var errors = HazaraMonitorOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Webhooks:1:Name must be set, unique among the webhooks", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Webhooks:1:Kind must be one of Json, Slack, Discord, Teams", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Webhooks:1:Url must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Email:From must be an email address", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Email:To must list at least one", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Alerts:Email:Username and HazaraMonitor:Alerts:Email:Password go together", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HazaraMonitor:Detection:HistoryBlocks must be at least 3", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("secret-path", StringComparison.Ordinal) || e.Contains("not-a-url-secret", StringComparison.Ordinal));
    }
}
