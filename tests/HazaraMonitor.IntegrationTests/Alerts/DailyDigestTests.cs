using System.Globalization;
using HazaraMonitor.Core.Detection;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Platforms.Mastodon;

namespace HazaraMonitor.IntegrationTests.Alerts;

/// <summary>The daily digest: yesterday's figures and alerts to every sink in its own shape, once, against real listeners and Redis.</summary>
public sealed class DailyDigestTests : IAsyncLifetime
{
    private const string Campaign = "stop-hazara-genocide";

    /// <summary>
    /// The day the digest is of: three days back, where the worker's own polls of the simulator (whose timeline lies within
    /// the last three hours, yesterday's too just after midnight) never count anything.
    /// </summary>
    private static readonly DateTimeOffset Yesterday = Resolution.Day.Start(TimeProvider.System.GetUtcNow()) - TimeSpan.FromDays(3);

    private SimulatorHost? _simulator;
    private AlertReceiver? _receiver;
    private InProcessWorker? _worker;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        _receiver = await AlertReceiver.StartAsync();
        _worker = InProcessWorker.Create(_simulator, nameof(DailyDigestTests), "simulator-token",
            "--HazaraMonitor:Alerts:DigestSchedule=0 0 0 1 1 ? 2099", // never on its own during the test: the test sends it
            "--HazaraMonitor:Alerts:Webhooks:0:Name=json", "--HazaraMonitor:Alerts:Webhooks:0:Kind=Json", $"--HazaraMonitor:Alerts:Webhooks:0:Url={_receiver.Hook("json")}",
            "--HazaraMonitor:Alerts:Webhooks:1:Name=slack", "--HazaraMonitor:Alerts:Webhooks:1:Kind=Slack", $"--HazaraMonitor:Alerts:Webhooks:1:Url={_receiver.Hook("slack")}",
            "--HazaraMonitor:Campaigns:0:CounterHashtags:0=CounterTag");
        await SeedAsync(_worker.Services);
        _http = await _worker.ServeAsync();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var part in new IAsyncDisposable?[] { _worker, _receiver, _simulator })
        {
            if (part is not null)
            {
                await part.DisposeAsync();
            }
        }
    }

    /// <summary>Yesterday: four posts on X (one with 70 likes, one of the counter-tag only), two on Mastodon, and a surge alert; today another alert.</summary>
    private static async Task SeedAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<RedisCountStore>();
        var campaign = services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        var at = Yesterday.AddHours(10);
        Post Make(Platform platform, string id, string language, long likes, params string[] tags) =>
            new(platform, id, "author-" + id, at, "post " + id, language, [.. tags.Select(t => HashtagNormalizer.Normalize(t))], new Engagement(likes, 0, 0, 0), $"https://example.test/{id}");
        foreach (var (platform, posts) in new (Platform, Post[])[]
        {
            (XPlatform.Id, [Make(XPlatform.Id, "1", "fa", 70, "StopHazaraGenocide"), Make(XPlatform.Id, "2", "fa", 1, "HazaraGenocide"), Make(XPlatform.Id, "3", "en", 2, "StopHazaraGenocide"), Make(XPlatform.Id, "4", "en", 900, "CounterTag")]),
            (MastodonPlatform.Id, [Make(MastodonPlatform.Id, "m1", "en", 5, "StopHazaraGenocide"), Make(MastodonPlatform.Id, "m2", "fa", 0, "StopHazaraGenocide")]),
        })
        {
            await store.CommitAsync(BatchAggregator.Aggregate(campaign, platform, posts, at, TimeSpan.FromDays(8)), "seed", null, CancellationToken.None);
        }

        var alerts = services.GetRequiredService<RedisAlertStore>();
        foreach (var minute in new[] { at.AddMinutes(5), Resolution.Minute.Start(TimeProvider.System.GetUtcNow()) })
        {
            var alert = new Alert($"{Campaign}:all:spike:{minute:yyyyMMddHHmm}", Campaign, "#StopHazaraGenocide", "StopHazaraGenocide", "all", "spike", minute,
                400, 10, 1, 0.9, 1000, 1, "http://127.0.0.1/series", SpikeDetector.Version, minute);
            await alerts.TryRaiseAlertAsync(Campaign, "all", "spike", alert.Id, TimeSpan.FromMinutes(1), minute,
                JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert), CancellationToken.None);
        }
    }

    private Task<int> SendAsync() =>
        _worker!.Services.GetRequiredService<DailyDigestJob>().SendAsync(
            _worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!, Yesterday, CancellationToken.None);

    [SkippableFact]
    public async Task SendsYesterdaysFiguresToEverySinkOnceInItsOwnShape()
    {
        Assert.Equal(2, await SendAsync());
        Assert.Equal(0, await SendAsync()); // claimed: a second run, or a second instance, sends nothing

        var day = Yesterday.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var next = Yesterday.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var api = await _http!.GetFromJsonAsync<JsonElement>($"/api/campaigns/{Campaign}/summary?resolution=1d&from={day}&to={next}");
        var json = Assert.Single(_receiver!.Received["json"]);
        Assert.Equal("daily_digest", json.GetProperty("kind").GetString());
        var digest = json.GetProperty("digest");
        Assert.Equal(5, api.GetProperty("total").GetInt64());
        Assert.Equal(api.GetProperty("total").GetInt64(), digest.GetProperty("summary").GetProperty("total").GetInt64());
        Assert.Equal(api.GetProperty("platforms").GetRawText(), digest.GetProperty("summary").GetProperty("platforms").GetRawText());
        Assert.Equal(api.GetProperty("languages").GetRawText(), digest.GetProperty("summary").GetProperty("languages").GetRawText());
        Assert.Equal("x/1", $"{digest.GetProperty("summary").GetProperty("topPosts")[0].GetProperty("platform").GetString()}/{digest.GetProperty("summary").GetProperty("topPosts")[0].GetProperty("id").GetString()}");
        var alert = Assert.Single(digest.GetProperty("alerts").EnumerateArray()); // the day's; today's waits for its own digest
        Assert.StartsWith($"{Campaign}:all:spike:{Yesterday:yyyyMMdd}", alert.GetProperty("id").GetString(), StringComparison.Ordinal);

        var text = Assert.Single(_receiver.Received["slack"]).GetProperty("text").GetString()!;
        Assert.Contains($"#StopHazaraGenocide on {Yesterday:yyyy-MM-dd} (UTC): 5 posts, 1 alert(s)", text, StringComparison.Ordinal);
        Assert.Contains("By platform: x 3, mastodon 2", text, StringComparison.Ordinal);
        Assert.Contains("By language: fa 3 (60%), en 2 (40%)", text, StringComparison.Ordinal);
        Assert.Contains("Counter-hashtags (#CounterTag): 1 posts; the campaign's share of voice 83.3%", text, StringComparison.Ordinal);
        Assert.Contains("  x, 70 interactions: https://example.test/1", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ADigestNoSinkTookIsSentByALaterRun()
    {
        _receiver!.FailFirst["json"] = int.MaxValue;
        _receiver.FailFirst["slack"] = int.MaxValue;
        Assert.Equal(0, await SendAsync());

        _receiver.FailFirst.Clear();
        _receiver.Attempts.Clear();
        Assert.Equal(2, await SendAsync());
        Assert.Equal(1, _receiver.Count("json"));
    }
}
