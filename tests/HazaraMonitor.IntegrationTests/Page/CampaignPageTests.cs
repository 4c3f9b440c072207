using System.Globalization;
using System.Net;
using HazaraMonitor.Worker.Detection;
using Microsoft.Playwright;

namespace HazaraMonitor.IntegrationTests.Page;

/// <summary>
/// The campaign page (<c>/campaigns/{id}</c>) in Debian's headless Chromium, against a worker that
/// has read nearly three simulated hours on all eight platforms, ending in a surge: the page shows
/// the summary API's figures for the range it names, a change of range brings the API's figures
/// for the new one, and the surge's alert and a posted incident are flagged on the chart.
/// </summary>
public sealed class CampaignPageTests(ITestOutputHelper output)
{
    private const string Campaign = "stop-hazara-genocide";
    private const string WriteKey = "page-test-write-key-0123456789";
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(75);

    [SkippableFact]
    public async Task ShowsTheSummaryApisFiguresForItsRangeWithAlertsAndIncidentsOnTheChart()
    {
        await using var chromium = await Chromium.LaunchAsync();
        RedisServer.Connect();
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.RecentSurge, Scenarios.Unmetered);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Detection is run by the test once everything is read, instead of on its schedule (in 2099).
            ["HazaraMonitor:Alerts:Schedule"] = "0 0 0 1 1 ? 2099",
            ["HazaraMonitor:Api:WriteKey"] = WriteKey,
            // The simulator's synthetic counter-campaign, as the demo follows it.
            ["HazaraMonitor:Campaigns:0:CounterHashtags:0"] = "CounterNarrative",
        };
        Scenarios.PollEverySecond(settings);
        Scenarios.DemoDetection(settings);
        await using var worker = InProcessWorker.CreateOnPrefix(simulator, RedisServer.UniquePrefix("page"), "simulator-token", [.. settings.Select(s => $"--{s.Key}={s.Value}")]);
        using var api = await worker.ServeAsync();
        var clock = Stopwatch.StartNew();

        var platforms = await ReadEverythingAsync(api, simulator, clock);
        output.WriteLine($"read the simulated timeline in {clock.Elapsed}");
        var alerts = await RaiseTheSurgeAlertsAsync(worker, simulator);
        var incident = await PostIncidentAsync(api, simulator.Clock.TimelineStart + TimeSpan.FromMinutes(125));

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add($"{m.Text} ({m.Location})");
            }
        };

        // The list of campaigns links to the page.
        await page.GotoAsync(new Uri(api.BaseAddress!, "/").ToString());
        await page.ClickAsync($"a[href='/campaigns/{Campaign}']");
        await WaitForRangeAsync(page, "24h");
        // Paused, so no refresh lands between reading the page's range and its figures.
        await page.ClickAsync("#pause");
        Assert.Equal("true", await page.GetAttributeAsync("#pause", "aria-pressed"));
        Assert.Contains("auto-refresh paused", await page.TextContentAsync("#updated"), StringComparison.Ordinal);

        await page.ClickAsync("button[data-range='1h']");
        var hour = await WaitForRangeAsync(page, "1h");
        await AssertShowsTheApisFiguresAsync(page, api, platforms);
        Assert.Equal(alerts.Select(a => a.ToString("O", CultureInfo.InvariantCulture)).Distinct().Order(StringComparer.Ordinal), await MarkerTimesAsync(page, "alert"));
        Assert.Equal([incident.ToString("O", CultureInfo.InvariantCulture)], await MarkerTimesAsync(page, "incident"));
        Assert.Equal(1, await page.Locator("#events li[data-kind='incident']").CountAsync());
        // The incident's Persian title reads right to left.
        Assert.Equal("rtl", await page.Locator("#events li[data-kind='incident'] span[dir='auto']").First.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.True(await page.Locator("#top-posts li").CountAsync() > 0, "top posts are listed");
        Assert.Equal("noopener noreferrer", await page.Locator("#top-posts a").First.GetAttributeAsync("rel"));
        await ScreenshotAsync(page);

        // By keyboard: a real button, focused and pressed.
        await page.FocusAsync("button[data-range='7d']");
        await page.Keyboard.PressAsync("Enter");
        var week = await WaitForRangeAsync(page, "7d");
        await AssertShowsTheApisFiguresAsync(page, api, platforms);
        // The timeline's first 50 minutes are before the last hour, even widened to whole hours.
        Assert.True(week > hour, $"7 days show {week} posts, more than the last hour's {hour}");
        Assert.Equal([incident.ToString("O", CultureInfo.InvariantCulture)], await MarkerTimesAsync(page, "incident"));
        Assert.True(await page.Locator("#resolution option[value='1m']").EvaluateAsync<bool>("o => o.disabled"), "7 days of minutes are more than the API answers: 1 minute is not offered");

        // On a phone: nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        // The charts follow the new width when their ResizeObserver fires, a frame or so later.
        try
        {
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Root, "artifacts", "campaign-page-phone.png"), FullPage = true });
            var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('main *')].filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ')");
            Assert.Fail($"the page is wider than a 390-pixel screen: {wide}");
        }
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task AnUnknownCampaignGetsAPageSayingSoWith404()
    {
        RedisServer.Connect();
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var worker = InProcessWorker.Create(simulator, "page404");
        using var http = await worker.ServeAsync();

        using var unknown = await http.GetAsync("/campaigns/no-such-campaign%3Cb%3E");
        var html = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("text/html", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No such campaign", html, StringComparison.Ordinal);
        Assert.Contains("no-such-campaign&lt;b&gt;", html, StringComparison.Ordinal);

        using var known = await http.GetAsync($"/campaigns/{Campaign}");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Contains("default-src 'self'", known.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"/js/campaign.js\">", await known.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The chart library is served by the worker itself, from the npm package the build installed.
        using var library = await http.GetAsync("/lib/uPlot.esm.js");
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
    }

    /// <summary>Waits until every platform's total, through the API, is what the simulator served; returns the platforms the campaign follows.</summary>
    private static async Task<IReadOnlyList<string>> ReadEverythingAsync(HttpClient api, SimulatorHost simulator, Stopwatch clock)
    {
        var campaign = (await api.GetFromJsonAsync<JsonElement>("/api/campaigns")).EnumerateArray().Single(c => c.GetProperty("id").GetString() == Campaign);
        var hashtags = campaign.GetProperty("hashtags").EnumerateArray().Select(h => h.GetString()!).ToList();
        IReadOnlyList<string> platforms = [.. campaign.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()!)];
        Assert.Equal(8, platforms.Count);
        var last = string.Empty;
        await Eventually.HoldsAsync(async () =>
        {
            var behind = new List<string>();
            foreach (var platform in platforms)
            {
                // Counted first, then served: a post is served before it is counted.
                var counted = await TotalAsync(api, platform);
                var stats = platform switch
                {
                    "x" => await simulator.StatsAsync(CampaignQueries.Hashtags(hashtags)),
                    "mastodon" => await simulator.MastodonStatsAsync(hashtags),
                    _ => await simulator.PlatformStatsAsync(platform, hashtags),
                };
                var served = stats.GetProperty("matching_so_far").GetInt64() - (stats.TryGetProperty("out_of_reach", out var lost) ? lost.GetInt64() : 0);
                if (!stats.GetProperty("ended").GetBoolean() || counted != served)
                {
                    behind.Add($"{platform} {counted}/{served}");
                }
            }

            last = string.Join(", ", behind);
            return behind.Count == 0;
        }, clock, RunLimit, TimeSpan.FromMilliseconds(500), () => "still behind: " + last);
        return platforms;
    }

    private static async Task<long> TotalAsync(HttpClient api, string platform)
    {
        var now = TimeProvider.System.GetUtcNow();
        var series = await api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{Campaign}/series?platform={platform}&resolution=1h&from={Q(now.AddDays(-1))}&to={Q(now.AddDays(1))}");
        return series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
    }

    /// <summary>
    /// Live detection, as its job runs it, over the minutes from just before the surge: the judged
    /// marks are set there (a first run judges only the last closed minute). Returns the minutes of
    /// the alerts raised, the surge's among them.
    /// </summary>
    private static async Task<IReadOnlyList<DateTimeOffset>> RaiseTheSurgeAlertsAsync(InProcessWorker worker, SimulatorHost simulator)
    {
        var campaign = worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        var surge = simulator.Clock.TimelineStart + TimeSpan.FromMinutes(simulator.Options.SurgeAtMinute);
        var keys = new RedisKeySchema(worker.KeyPrefix);
        var db = RedisServer.Connect().GetDatabase();
        foreach (var series in LiveSeries.Of(campaign))
        {
            await db.StringSetAsync(keys.AlertsEvaluated(Campaign, series.Name), (surge - TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(), TimeSpan.FromHours(1));
        }

        var alerts = await worker.Services.GetRequiredService<DetectionJob>().EvaluateAsync(campaign, DateTimeOffset.MinValue, CancellationToken.None);
        Assert.True(alerts.Any(a => a.Direction == "spike" && a.Since >= surge && a.Since < surge.AddMinutes(5)),
            $"the surge at {surge:O} raised an alert; raised: {string.Join(", ", alerts.Select(a => a.Id))}");
        return [.. alerts.Select(a => a.Since)];
    }

    /// <summary>Posts an incident (its title in Persian) through the API; returns its time.</summary>
    private static async Task<DateTimeOffset> PostIncidentAsync(HttpClient api, DateTimeOffset time)
    {
        time = Resolution.Minute.Start(time);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{Campaign}/incidents")
        {
            // "حمله به مرکز آموزشی" (an attack on an education centre)
            Content = JsonContent.Create(new Dictionary<string, string>
            {
                ["time"] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["title"] = "\u062d\u0645\u0644\u0647 \u0628\u0647 \u0645\u0631\u06a9\u0632 \u0622\u0645\u0648\u0632\u0634\u06cc",
                ["place"] = "Kabul",
                ["link"] = "https://example.org/report",
            }),
        };
        request.Headers.Add("X-Api-Key", WriteKey);
        using var response = await api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the incident was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return time;
    }

    /// <summary>Waits until the page shows <paramref name="range"/>; returns its posts-total.</summary>
    private static async Task<long> WaitForRangeAsync(IPage page, string range)
    {
        await page.WaitForSelectorAsync($"main[data-state='ready'][data-range='{range}']", new PageWaitForSelectorOptions { Timeout = 20_000 });
        return long.Parse((await page.GetAttributeAsync("[data-metric='posts-total']", "data-value"))!, CultureInfo.InvariantCulture);
    }

    /// <summary>The page's posts-total and posts-&lt;platform&gt; are the summary API's for the range the page names.</summary>
    private async Task AssertShowsTheApisFiguresAsync(IPage page, HttpClient api, IReadOnlyList<string> platforms)
    {
        var from = await page.GetAttributeAsync("main", "data-from");
        var to = await page.GetAttributeAsync("main", "data-to");
        var summary = await api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{Campaign}/summary?from={Uri.EscapeDataString(from!)}&to={Uri.EscapeDataString(to!)}");
        output.WriteLine($"{from} to {to}: {summary.GetProperty("total")} posts");
        Assert.Equal(summary.GetProperty("total").GetInt64(), await FigureAsync(page, "posts-total"));
        Assert.Equal(summary.GetProperty("from").GetString(), await page.GetAttributeAsync("#headline", "data-from"));
        var shown = await page.Locator("[data-metric^='posts-']:not([data-metric='posts-total'])").EvaluateAllAsync<string[]>("es => es.map(e => e.dataset.metric)");
        Assert.Equal(platforms.Select(p => $"posts-{p}").Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        foreach (var platform in summary.GetProperty("platforms").EnumerateArray())
        {
            Assert.Equal(platform.GetProperty("count").GetInt64(), await FigureAsync(page, $"posts-{platform.GetProperty("platform").GetString()}"));
        }

        var share = summary.GetProperty("counter").GetProperty("shareOfVoice").GetDouble();
        Assert.Equal(share, double.Parse((await page.GetAttributeAsync("[data-metric='share-of-voice']", "data-value"))!, CultureInfo.InvariantCulture));
        Assert.InRange(share, 0.01, 0.99);
    }

    private static async Task<long> FigureAsync(IPage page, string metric)
    {
        var figure = page.Locator($"[data-metric='{metric}']");
        var value = long.Parse((await figure.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        // The text people read is the same number.
        Assert.Equal(value, long.Parse(await figure.TextContentAsync() ?? string.Empty, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>The times of the volume chart's flags of <paramref name="kind"/>, as the page wrote them, in order.</summary>
    private static async Task<IReadOnlyList<string>> MarkerTimesAsync(IPage page, string kind)
    {
        var markers = page.Locator($"#volume-chart .marker[data-kind='{kind}']");
        Assert.True(await markers.CountAsync() > 0 && await markers.First.IsVisibleAsync(), $"a {kind} flag is on the chart");
        var times = await markers.EvaluateAllAsync<string[]>("ms => ms.map(m => m.dataset.time)");
        return [.. times.Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture).ToString("O", CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The page as a person sees it, for docs/images/campaign-page.png.</summary>
    private async Task ScreenshotAsync(IPage page)
    {
        var path = Path.Combine(Repository.Root, "artifacts", "campaign-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
