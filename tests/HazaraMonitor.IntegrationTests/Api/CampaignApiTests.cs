using System.Net;
using HazaraMonitor.Worker.Platforms.Mastodon;
using HazaraMonitor.Worker.Platforms.Reddit;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Api;

/// <summary>
/// The worker in-process, serving its HTTP API over loopback against the test Redis, with Reddit
/// and TikTok turned off (<c>Platforms:Reddit:Enabled=false</c>); one minute of 2022 seeded on every platform.
/// </summary>
public sealed class ServingWorkerFixture : SimulatorFixture
{
    public const string Campaign = "stop-hazara-genocide";

    /// <summary>The seeded minute: X counted 5 and reported 9, Mastodon counted 3, Reddit (turned off) counted 4 before it was.</summary>
    public static readonly DateTimeOffset Minute = new(2022, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private InProcessWorker? _worker;

    public HttpClient Http { get; private set; } = null!;

    protected override async Task StartAsync()
    {
        _worker = InProcessWorker.Create(Simulator, "api", "simulator-token", "--HazaraMonitor:Platforms:Reddit:Enabled=false", "--HazaraMonitor:Platforms:TikTok:Enabled=false");
        var keys = new RedisKeySchema(_worker.KeyPrefix);
        var db = RedisServer.Connect().GetDatabase();
        var bucket = keys.Bucket(Campaign, Resolution.Minute, Minute);
        await db.HashSetAsync(bucket,
        [
            new HashEntry(RedisKeySchema.TotalField(XPlatform.Id), 5),
            new HashEntry(RedisKeySchema.ReportedField(XPlatform.Id), 9),
            new HashEntry(RedisKeySchema.TotalField(MastodonPlatform.Id), 3),
            new HashEntry(RedisKeySchema.TotalField(RedditPlatform.Id), 4),
        ]);
        await db.KeyExpireAsync(bucket, TimeSpan.FromHours(1));

        var store = _worker.Services.GetRequiredService<RedisAlertStore>();
        // Three series, since one series and direction alert once within the cooldown.
        string[] series = ["all", "x", "mastodon"];
        for (var i = 0; i < series.Length; i++)
        {
            await store.TryRaiseAlertAsync(Campaign, series[i], "spike", $"alert-{i}", TimeSpan.FromMinutes(1), Minute.AddMinutes(i), $$"""{"id":"alert-{{i}}"}""", CancellationToken.None);
        }

        Http = await _worker.ServeAsync();
    }

    protected override async ValueTask StopAsync()
    {
        Http?.Dispose();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
    }
}

/// <summary>Every answer of <c>/api/campaigns</c>: good requests, and a 400 with a message naming the parameter for every bad one.</summary>
public sealed class CampaignApiTests(ServingWorkerFixture fixture) : IClassFixture<ServingWorkerFixture>
{
    private const string Campaign = ServingWorkerFixture.Campaign;

    /// <summary>The problem's status and detail; asserts the answer is a problem document.</summary>
    private async Task<(HttpStatusCode Status, string Detail)> ProblemAsync(string path)
    {
        fixture.Require();
        using var response = await fixture.Http.GetAsync(path);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        return (response.StatusCode, problem.GetProperty("detail").GetString()!);
    }

    /// <summary>Asserts the answer is a 400 problem whose detail starts with <paramref name="start"/>.</summary>
    private async Task BadRequestStartingAsync(string path, string start)
    {
        var (status, detail) = await ProblemAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(start, detail, StringComparison.Ordinal);
    }

    private async Task<JsonElement> OkAsync(string path)
    {
        fixture.Require();
        using var response = await fixture.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string At(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    [SkippableFact]
    public async Task ListsEachCampaignWithOnlyItsEnabledPlatforms()
    {
        var campaigns = await OkAsync("/api/campaigns");

        var campaign = Assert.Single(campaigns.EnumerateArray());
        Assert.Equal(Campaign, campaign.GetProperty("id").GetString());
        Assert.Equal(["x", "mastodon", "bluesky", "youtube", "instagram", "threads"], campaign.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()));
        // Instagram's hashtag search names no author: its unique authors are not available, never 0.
        var coverage = campaign.GetProperty("coverage");
        Assert.StartsWith("not available", coverage.GetProperty("instagram").GetProperty("uniqueAuthors").GetString(), StringComparison.Ordinal);
        Assert.Equal("available", coverage.GetProperty("x").GetProperty("uniqueAuthors").GetString());
        Assert.Equal("available", coverage.GetProperty("threads").GetProperty("uniqueAuthors").GetString());
        Assert.Empty(coverage.GetProperty("instagram").GetProperty("notFollowed").EnumerateObject());
    }

    [SkippableFact]
    public async Task AnswersTheNewestAlertsFirstUpToTheLimit()
    {
        var all = await OkAsync($"/api/campaigns/{Campaign}/alerts");
        var one = await OkAsync($"/api/campaigns/{Campaign}/alerts?limit=1");
        var empty = await OkAsync($"/api/campaigns/{Campaign}/alerts?limit=");

        Assert.Equal(["alert-2", "alert-1", "alert-0"], all.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(["alert-2"], one.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(3, empty.GetArrayLength());
    }

    [SkippableTheory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-1")]
    [InlineData("%2B5")]
    [InlineData("5&limit=6")]
    public Task AnswersABadAlertLimitWith400NamingIt(string limit) =>
        BadRequestStartingAsync($"/api/campaigns/{Campaign}/alerts?limit={limit}", "limit must be a whole number from 1 to 1000 (got '");

    [SkippableFact]
    public async Task AnswersAnUnknownCampaignWith404()
    {
        var series = await ProblemAsync("/api/campaigns/no-such-campaign/series");
        var alerts = await ProblemAsync("/api/campaigns/no-such-campaign/alerts?limit=abc");

        Assert.Equal((HttpStatusCode.NotFound, "No campaign 'no-such-campaign'. See /api/campaigns."), series);
        Assert.Equal((HttpStatusCode.NotFound, "No campaign 'no-such-campaign'. See /api/campaigns."), alerts);
    }

    [SkippableTheory]
    // Times: beyond the last representable bucket (a 500 before), before 1970, not a time.
    [InlineData("from=9999-12-31T23:00:00Z&to=9999-12-31T23:59:59Z", "to must be between 1970-01-01T00:00:00Z and 9999-12-30T00:00:00Z (got '9999-12-31T23:59:59Z').")]
    [InlineData("from=9999-12-31T23:00:00Z", "from must be between 1970-01-01T00:00:00Z and 9999-12-30T00:00:00Z (got '9999-12-31T23:00:00Z').")]
    [InlineData("to=0001-01-01T00:10:00Z", "to must be between 1970-01-01T00:00:00Z and 9999-12-30T00:00:00Z (got '0001-01-01T00:10:00Z').")]
    [InlineData("from=1969-12-31T23:00:00Z&to=1970-01-01T01:00:00Z", "from must be between 1970-01-01T00:00:00Z and 9999-12-30T00:00:00Z (got '1969-12-31T23:00:00Z').")]
    [InlineData("from=yesterday", "from must be an ISO-8601 time such as 2022-10-01T00:00:00Z (got 'yesterday').")]
    [InlineData("to=2022-13-01T00:00:00Z", "to must be an ISO-8601 time such as 2022-10-01T00:00:00Z (got '2022-13-01T00:00:00Z').")]
    [InlineData("from=2022-10-01T01:00:00Z&to=2022-10-01T00:00:00Z", "from (2022-10-01T01:00:00.0000000+00:00) must be before to (2022-10-01T00:00:00.0000000+00:00).")]
    [InlineData("resolution=1m&from=2022-01-01T00:00:00Z&to=2022-10-01T00:00:00Z", "The range holds 393120 buckets of 1m; at most 10080 per request. Narrow from/to or use a coarser resolution.")]
    // The other parameters.
    [InlineData("resolution=5m", "resolution must be one of 1m, 1h, 1d (got '5m').")]
    [InlineData("resolution=1m&resolution=1h", "resolution must be one of 1m, 1h, 1d (got '1m,1h').")]
    [InlineData("platform=myspace", "platform 'myspace' is not followed by this campaign: x, mastodon, bluesky, youtube, instagram, threads.")]
    [InlineData("platform=reddit", "platform 'reddit' is turned off in this deployment (HazaraMonitor:Platforms:Reddit:Enabled=false); this campaign follows: x, mastodon, bluesky, youtube, instagram, threads.")]
    public async Task AnswersABadSeriesParameterWith400NamingIt(string query, string message)
    {
        var (status, detail) = await ProblemAsync($"/api/campaigns/{Campaign}/series?{query}");

        Assert.Equal((HttpStatusCode.BadRequest, message), (status, detail));
    }

    [SkippableFact]
    public Task AnswersAHashtagTheCampaignDoesNotFollowWith400ListingItsOwn() =>
        BadRequestStartingAsync($"/api/campaigns/{Campaign}/series?hashtag=%23Kabul", "hashtag '#Kabul' is not one of the campaign's hashtags: StopHazaraGenocide, HazaraGenocide,");

    [SkippableFact]
    public async Task AnswersTheLastRepresentableDay()
    {
        var series = await OkAsync("/api/campaigns/stop-hazara-genocide/series?resolution=1d&from=9999-12-29T00:00:00Z&to=9999-12-30T00:00:00Z");

        var point = Assert.Single(series.GetProperty("points").EnumerateArray());
        Assert.Equal("9999-12-29T00:00:00Z", point.GetProperty("t").GetString());
        Assert.Equal(0, point.GetProperty("count").GetInt64());
    }

    [SkippableFact]
    public async Task CountsTheEnabledPlatformsAndReportsWhatThoseThatReportGive()
    {
        // X counted 5 and reported 9, Mastodon counted 3 and reports nothing by the minute, and
        // Reddit, turned off, counted 4 before it was: the total is 8 counted, 9 reported (X's alone).
        var range = $"resolution=1m&from={At(ServingWorkerFixture.Minute)}&to={At(ServingWorkerFixture.Minute.AddMinutes(1))}";
        static (long Count, long? Reported) Point(JsonElement series)
        {
            var point = Assert.Single(series.GetProperty("points").EnumerateArray());
            var reported = point.GetProperty("reported");
            return (point.GetProperty("count").GetInt64(), reported.ValueKind == JsonValueKind.Null ? null : reported.GetInt64());
        }

        var total = await OkAsync($"/api/campaigns/{Campaign}/series?{range}");
        var x = await OkAsync($"/api/campaigns/{Campaign}/series?{range}&platform=x");
        var mastodon = await OkAsync($"/api/campaigns/{Campaign}/series?{range}&platform=mastodon");
        var hashtag = await OkAsync($"/api/campaigns/{Campaign}/series?{range}&hashtag=stophazaragenocide");

        Assert.Equal((8, 9), Point(total));
        Assert.Equal((5, 9), Point(x));
        Assert.Equal((3, null), Point(mastodon));
        // Reported volume is per campaign query, never per hashtag.
        Assert.Null(Point(hashtag).Reported);
        Assert.Equal(JsonValueKind.Null, total.GetProperty("platform").ValueKind);
        Assert.Equal("x", x.GetProperty("platform").GetString());
    }
}
