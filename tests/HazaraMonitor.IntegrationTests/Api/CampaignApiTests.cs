using System.Net;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Ingest;
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

    /// <summary>The hour seeded through the commit (<see cref="SeedHourAsync"/>): two days ago, well within every retention.</summary>
    public static readonly DateTimeOffset Hour = Resolution.Hour.Start(TimeProvider.System.GetUtcNow().AddDays(-2));

    public const string CounterTag = "CounterTag";

    private InProcessWorker? _worker;

    public HttpClient Http { get; private set; } = null!;

    protected override async Task StartAsync()
    {
        _worker = InProcessWorker.Create(Simulator, "api", "simulator-token", "--HazaraMonitor:Platforms:Reddit:Enabled=false", "--HazaraMonitor:Platforms:TikTok:Enabled=false",
            $"--HazaraMonitor:Campaigns:0:CounterHashtags:0={CounterTag}");
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

        await SeedHourAsync(_worker.Services);
        Http = await _worker.ServeAsync();
    }

    /// <summary>
    /// Commits, in <see cref="Hour"/>: on X five posts of the campaign (three in Persian, one also carrying the counter-tag,
    /// one with 50 likes) and one of the counter-tag only, with three polls that succeeded and one that failed; on Mastodon
    /// three posts of the campaign in its second hour (two carrying #Kabul).
    /// </summary>
    private static async Task SeedHourAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<RedisCountStore>();
        var campaign = services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        var at = Hour.AddMinutes(10);
        Post Make(Platform platform, string id, string author, string? language, long likes, int minutes, params string[] tags) =>
            new(platform, id, author, at.AddMinutes(minutes), "post " + id, language, [.. tags.Select(t => HashtagNormalizer.Normalize(t))],
                new Engagement(likes, 0, 0, 0), $"https://example.test/{platform}/{id}");
        IReadOnlyList<Post> x =
        [
            Make(XPlatform.Id, "1", "a", "fa", 0, 0, "StopHazaraGenocide"),
            Make(XPlatform.Id, "2", "b", "fa", 50, 0, "StopHazaraGenocide"),
            Make(XPlatform.Id, "3", "c", "fa", 0, 1, "HazaraGenocide", CounterTag),
            Make(XPlatform.Id, "4", "a", "en", 0, 1, "StopHazaraGenocide"),
            Make(XPlatform.Id, "5", "d", null, 0, 2, "StopHazaraGenocide"),
            Make(XPlatform.Id, "6", "e", "en", 900, 2, CounterTag),
        ];
        IReadOnlyList<Post> mastodon =
        [
            Make(MastodonPlatform.Id, "m1", "a@m", "en", 5, 60, "StopHazaraGenocide", "Kabul"),
            Make(MastodonPlatform.Id, "m2", "f@m", "en", 0, 61, "StopHazaraGenocide", "Kabul"),
            Make(MastodonPlatform.Id, "m3", "g@m", "fa", 0, 62, "StopHazaraGenocide"),
        ];
        foreach (var (platform, posts) in new[] { (XPlatform.Id, x), (MastodonPlatform.Id, mastodon) })
        {
            await store.CommitAsync(BatchAggregator.Aggregate(campaign, platform, posts, at, TimeSpan.FromDays(8)), "seed", null, CancellationToken.None);
        }

        foreach (var ok in new[] { true, true, true, false })
        {
            await store.RecordPollAsync(Campaign, XPlatform.Id, at, ok, CancellationToken.None);
        }
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

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string At(DateTimeOffset t) => Uri.EscapeDataString(Iso(t));

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

    private static string HourRange(int hours) => $"from={At(ServingWorkerFixture.Hour)}&to={At(ServingWorkerFixture.Hour.AddHours(hours))}";

    [SkippableFact]
    public async Task SummarizesTheRangeAcrossPlatformsLanguagesAuthorsTopPostsAndTheCounterGroup()
    {
        var summary = await OkAsync($"/api/campaigns/{Campaign}/summary?{HourRange(2)}");
        var firstHour = await OkAsync($"/api/campaigns/{Campaign}/summary?{HourRange(1)}");

        Assert.Equal(("1h", Iso(ServingWorkerFixture.Hour), Iso(ServingWorkerFixture.Hour.AddHours(2))),
            (summary.GetProperty("resolution").GetString(), summary.GetProperty("from").GetString(), summary.GetProperty("to").GetString()));
        Assert.Equal(8, summary.GetProperty("total").GetInt64());
        Assert.Equal(5, firstHour.GetProperty("total").GetInt64());
        var platforms = summary.GetProperty("platforms").EnumerateArray().ToDictionary(p => p.GetProperty("platform").GetString()!, p => p.GetProperty("count").GetInt64());
        Assert.Equal(5, platforms["x"]);
        Assert.Equal(3, platforms["mastodon"]);
        Assert.Equal(0, platforms["bluesky"]);
        Assert.False(platforms.ContainsKey("reddit")); // turned off
        Assert.Equal(7, summary.GetProperty("authors").GetInt64());
        Assert.Equal((0.75, 1), (summary.GetProperty("completeness").GetDouble(), summary.GetProperty("pollsFailed").GetInt64()));
        Assert.Equal(["fa=4", "en=3", "und=1"], summary.GetProperty("languages").EnumerateArray().Select(l => $"{l.GetProperty("language").GetString()}={l.GetProperty("count").GetInt64()}"));
        var hashtags = summary.GetProperty("hashtags").EnumerateArray().ToDictionary(h => h.GetProperty("hashtag").GetString()!, h => h.GetProperty("count").GetInt64());
        Assert.Equal((7L, 1L), (hashtags["StopHazaraGenocide"], hashtags["HazaraGenocide"]));
        Assert.Equal(["x/2", "mastodon/m1"], summary.GetProperty("topPosts").EnumerateArray().Take(2).Select(p => $"{p.GetProperty("platform").GetString()}/{p.GetProperty("id").GetString()}"));
        Assert.Equal("https://example.test/x/2", summary.GetProperty("topPosts")[0].GetProperty("url").GetString());
        Assert.Equal(8, summary.GetProperty("topPosts").GetArrayLength()); // the counter-only post, with 900 likes, is not the campaign's
        Assert.Equal("kabul=2", string.Join(",", summary.GetProperty("coHashtags").EnumerateArray().Select(h => $"{h.GetProperty("hashtag").GetString()}={h.GetProperty("count").GetInt64()}")));
        var counter = summary.GetProperty("counter");
        Assert.Equal((2L, 0.8), (counter.GetProperty("total").GetInt64(), counter.GetProperty("shareOfVoice").GetDouble()));
        Assert.Equal([ServingWorkerFixture.CounterTag], counter.GetProperty("hashtags").EnumerateArray().Select(h => h.GetString()));
    }

    [SkippableFact]
    public async Task TheSeriesTotalsAgreeWithTheSummary()
    {
        var summary = await OkAsync($"/api/campaigns/{Campaign}/summary?{HourRange(2)}");
        var series = await OkAsync($"/api/campaigns/{Campaign}/series?resolution=1h&{HourRange(2)}");
        var counter = await OkAsync($"/api/campaigns/{Campaign}/series?resolution=1h&group=counter&{HourRange(2)}");
        var persian = await OkAsync($"/api/campaigns/{Campaign}/series?resolution=1h&language=fa&{HourRange(2)}");

        long Sum(JsonElement s) => s.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
        Assert.Equal(summary.GetProperty("total").GetInt64(), Sum(series));
        Assert.Equal(summary.GetProperty("counter").GetProperty("total").GetInt64(), Sum(counter));
        Assert.Equal(4, Sum(persian));
        var first = series.GetProperty("points")[0];
        Assert.Equal((0.75, 4L), (first.GetProperty("completeness").GetDouble(), first.GetProperty("authors").GetInt64()));
    }

    [SkippableTheory]
    [InlineData("format=csv", null)]
    [InlineData(null, "text/csv")]
    public async Task AnswersTheSeriesAsCsvWithTheSameNumbersAsJson(string? format, string? accept)
    {
        fixture.Require();
        var query = $"/api/campaigns/{Campaign}/series?resolution=1h&{HourRange(3)}";
        var json = await OkAsync(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, format is null ? query : $"{query}&{format}");
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var header = lines[0].Split(',');
        var points = json.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points[0].EnumerateObject().Select(p => p.Name), header);
        Assert.Equal(points.Count, lines.Length - 1);
        for (var i = 0; i < points.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            var fields = points[i].EnumerateObject().ToList();
            for (var j = 0; j < header.Length; j++)
            {
                var expected = fields[j].Value.ValueKind switch
                {
                    JsonValueKind.Null => string.Empty,
                    JsonValueKind.String => fields[j].Value.GetString(),
                    _ => fields[j].Value.GetRawText(),
                };
                Assert.Equal(expected, cells[j]);
            }
        }

        Assert.Contains(points, p => p.GetProperty("count").GetInt64() > 0);
    }

    [SkippableTheory]
    [InlineData("summary?resolution=1m", "resolution must be 1h or 1d: a summary sums hour or day buckets (got '1m').")]
    [InlineData("summary?from=2022-10-02T00:00:00Z&to=2022-10-01T00:00:00Z", "from (2022-10-02T00:00:00.0000000+00:00) must be before to (2022-10-01T00:00:00.0000000+00:00).")]
    [InlineData("summary?from=1990-01-01T00:00:00Z&to=2022-10-01T00:00:00Z", "The range holds 11961 buckets of 1d; at most 10080 per request. Narrow from/to or use a coarser resolution.")]
    [InlineData("summary?resolution=1h&from=2020-01-01T00:00:00Z&to=2022-10-01T00:00:00Z", "The range holds 24096 buckets of 1h; at most 10080 per request. Narrow from/to or use resolution=1d.")]
    [InlineData("series?format=xml", "format must be json or csv (got 'xml').")]
    [InlineData("series?language=farsi", "language must be a language code of 2-3 letters such as fa, en or prs, or 'und' for unknown (got 'farsi').")]
    [InlineData("series?group=theirs", "group must be 'own' (the campaign's hashtags) or 'counter' (its counter-hashtags) (got 'theirs').")]
    [InlineData("series?group=counter&language=fa", "hashtag, language and group=counter each choose a part of the campaign: give at most one of them.")]
    public async Task AnswersABadSummaryOrSeriesChoiceWith400NamingIt(string query, string message)
    {
        var (status, detail) = await ProblemAsync($"/api/campaigns/{Campaign}/{query}");

        Assert.Equal((HttpStatusCode.BadRequest, message), (status, detail));
    }

    [SkippableFact]
    public async Task AnswersTheSummaryOfAnUnknownCampaignWith404()
    {
        Assert.Equal((HttpStatusCode.NotFound, "No campaign 'no-such-campaign'. See /api/campaigns."), await ProblemAsync("/api/campaigns/no-such-campaign/summary"));
    }
}
