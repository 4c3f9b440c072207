using HazaraMonitor.Core.Detection;
using HazaraMonitor.Core.Incidents;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Incidents;
using HazaraMonitor.Worker.Platforms.Instagram;
using HazaraMonitor.Worker.Platforms.Mastodon;
using HazaraMonitor.Worker.Platforms.Reddit;
using HazaraMonitor.Worker.Platforms.Threads;
using HazaraMonitor.Worker.Platforms.TikTok;
using HazaraMonitor.Worker.Platforms.YouTube;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Alerts;

/// <summary>
/// Live detection and the alert sinks against real local HTTP listeners, a local SMTP server and
/// real Redis, on a week of seeded minute buckets that ends in a surge.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private const string Campaign = "stop-hazara-genocide";

    private SimulatorHost? _simulator;
    private AlertReceiver? _receiver;

    /// <summary>The hooks the sinks post to, started afresh for each test.</summary>
    private AlertReceiver Receiver => _receiver!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        _receiver = await AlertReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    /// <summary>A week of X minute buckets around 10 posts a minute with a daily cycle, then 400 in the surge minute; returns that minute.</summary>
    private static async Task<DateTimeOffset> SeedAsync(string prefix, double completeness = 1, double days = 8)
    {
        var keys = new RedisKeySchema(prefix);
        var db = RedisServer.Connect().GetDatabase();
        var surge = Resolution.Minute.Start(TimeProvider.System.GetUtcNow()) - TimeSpan.FromMinutes(1);
        var random = new Random(930);
        var batch = db.CreateBatch();
        var writes = new List<Task>();
        for (var minute = surge - TimeSpan.FromDays(days); minute < surge; minute += TimeSpan.FromMinutes(1))
        {
            var mean = 10 + (5 * Math.Sin(2 * Math.PI * minute.TimeOfDay.TotalDays));
            var count = Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * ((random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2))));
            writes.Add(batch.HashSetAsync(keys.Bucket(Campaign, Resolution.Minute, minute), RedisKeySchema.TotalField(XPlatform.Id), count));
            writes.Add(batch.KeyExpireAsync(keys.Bucket(Campaign, Resolution.Minute, minute), TimeSpan.FromHours(1)));
        }

        var surgeKey = keys.Bucket(Campaign, Resolution.Minute, surge);
        writes.Add(batch.HashSetAsync(surgeKey,
        [
            new HashEntry(RedisKeySchema.TotalField(XPlatform.Id), 400),
            new HashEntry(RedisKeySchema.PollsField(XPlatform.Id, ok: true), 1),
            new HashEntry(RedisKeySchema.PollsField(XPlatform.Id, ok: false), completeness < 1 ? 1 : 0),
            .. new[] { MastodonPlatform.Id, BlueskyPlatform.Id, RedditPlatform.Id, YouTubePlatform.Id, TikTokPlatform.Id, InstagramPlatform.Id, ThreadsPlatform.Id }.Select(p => new HashEntry(RedisKeySchema.PollsField(p, ok: true), 1)),
        ]));
        writes.Add(batch.KeyExpireAsync(surgeKey, TimeSpan.FromHours(1)));
        // Judged up to the minute before the surge, so the test does not depend on when it starts within a minute.
        foreach (var series in new[] { "x", "mastodon", "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads", LiveSeries.AllPlatforms })
        {
            writes.Add(batch.StringSetAsync(keys.AlertsEvaluated(Campaign, series), (surge - TimeSpan.FromMinutes(1)).ToUnixTimeSeconds(), TimeSpan.FromHours(1)));
        }

        batch.Execute();
        await Task.WhenAll(writes);
        return surge;
    }

    /// <summary>A worker on <paramref name="prefix"/> against the simulator, with <paramref name="settings"/> as its command-line arguments.</summary>
    private InProcessWorker Worker(string prefix, string[] settings) => InProcessWorker.CreateOnPrefix(_simulator!, prefix, "simulator-token", settings);

    /// <summary>Settings for webhooks named <paramref name="names"/> on the receiver, per-platform alerts on.</summary>
    private string[] Sinks(params string[] names) => Sinks(null, names);

    /// <summary>Settings for webhooks named <paramref name="names"/> on the receiver and, when given, an email sink to <paramref name="smtp"/>; per-platform alerts on.</summary>
    private string[] Sinks(SmtpSink? smtp, params string[] names)
    {
        var settings = new List<string> { "--HazaraMonitor:Alerts:PerPlatform=true" };
        for (var i = 0; i < names.Length; i++)
        {
            var kind = names[i] switch { "slack" => "Slack", "discord" => "Discord", "teams" => "Teams", _ => "Json" };
            settings.Add($"--HazaraMonitor:Alerts:Webhooks:{i}:Name={names[i]}");
            settings.Add($"--HazaraMonitor:Alerts:Webhooks:{i}:Kind={kind}");
            settings.Add($"--HazaraMonitor:Alerts:Webhooks:{i}:Url={Receiver.Hook(names[i])}");
        }

        if (smtp is not null)
        {
            settings.AddRange(["--HazaraMonitor:Alerts:Email:Host=127.0.0.1", $"--HazaraMonitor:Alerts:Email:Port={smtp.Port}", "--HazaraMonitor:Alerts:Email:EnableSsl=false",
                "--HazaraMonitor:Alerts:Email:From=monitor@example.org", "--HazaraMonitor:Alerts:Email:To:0=responders@example.org"]);
        }

        return [.. settings];
    }

    /// <summary>One evaluation, by a worker running since <paramref name="runningSince"/> (default: long before the data).</summary>
    private static Task<IReadOnlyList<Alert>> EvaluateAsync(InProcessWorker worker, DateTimeOffset? runningSince = null) =>
        worker.Services.GetRequiredService<DetectionJob>().EvaluateAsync(
            worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!, runningSince ?? DateTimeOffset.MinValue, CancellationToken.None);

    /// <summary>The last minute judged for <paramref name="series"/>, null before the first evaluation.</summary>
    private static async Task<DateTimeOffset?> MarkAsync(InProcessWorker worker, string series) =>
        (await worker.Services.GetRequiredService<RedisAlertStore>().GetEvaluatedAsync(Campaign, [series], CancellationToken.None))[0];

    /// <summary>A surge on <paramref name="series"/> in <paramref name="minute"/>, raised at <paramref name="at"/>.</summary>
    private static Alert Raised(DateTimeOffset minute, string series, DateTimeOffset at) =>
        new($"{Campaign}:{series}:spike:{minute:yyyyMMddHHmm}", Campaign, "Stop Hazara Genocide", "StopHazaraGenocide",
            series, "spike", minute, 400, 10, 1, 0.9, 1000, 1, "http://127.0.0.1/series", SpikeDetector.Version, at);

    /// <summary>What RaiseAsync writes before it sends: the claim, held for <paramref name="cooldown"/>, and the pending alert; false when the alert was raised before.</summary>
    private static Task<bool> TryRaiseAsync(RedisAlertStore store, Alert alert, TimeSpan cooldown) =>
        store.TryRaiseAlertAsync(Campaign, alert.Platform, alert.Direction, alert.Id, cooldown, alert.Since,
            JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert), CancellationToken.None);

    /// <summary>Records a successful read of every platform in <paramref name="minute"/>.</summary>
    private static Task RecordReadsAsync(string prefix, DateTimeOffset minute) =>
        RedisServer.Connect().GetDatabase().HashSetAsync(new RedisKeySchema(prefix).Bucket(Campaign, Resolution.Minute, minute),
            [.. new[] { XPlatform.Id, MastodonPlatform.Id, BlueskyPlatform.Id, RedditPlatform.Id, YouTubePlatform.Id, TikTokPlatform.Id, InstagramPlatform.Id, ThreadsPlatform.Id }.Select(p => new HashEntry(RedisKeySchema.PollsField(p, ok: true), 1))]);

    [SkippableFact]
    public async Task SendsASurgeToEverySinkInItsOwnShape()
    {
        using var smtp = new SmtpSink();
        var prefix = RedisServer.UniquePrefix(nameof(SendsASurgeToEverySinkInItsOwnShape));
        var surge = await SeedAsync(prefix);
        await using var worker = Worker(prefix, Sinks(smtp, "json", "slack", "discord", "teams"));

        var raised = await EvaluateAsync(worker);
        Assert.Empty(await EvaluateAsync(worker));

        // The X series and the all-platform total both surged.
        Assert.Equal(["all", "x"], raised.Select(a => a.Platform).Order());
        var alert = raised.Single(a => a.Platform == "x");
        Assert.Equal(("spike", surge, 400d, 1d, 1d), (alert.Direction, alert.Since, alert.Volume, alert.WindowMinutes, alert.Completeness));
        Assert.InRange(alert.Expected, 3, 20);
        Assert.Equal(Math.Round(alert.Expected, 1), alert.Expected);
        Assert.True(alert.ReturnPeriodDays >= 90);
        // Learnt from the eight seeded days, less the partial first block: rarer than that much history can say.
        Assert.InRange(alert.HistoryMinutes, 7 * 1440, 8 * 1440);
        // The seeded week and a day, less what the detector's day blocks leave out at this time of day: 7, 7.x or 8 days.
        Assert.Contains(alert.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^How unusual: rarer than once in (7(\.\d)?|8) days, all the history it was judged against"));
        Assert.Equal(SpikeDetector.Version, alert.Detector);
        Assert.Contains($"/api/campaigns/{Campaign}/series?resolution=1m&platform=x&from=", alert.SeriesUrl, StringComparison.Ordinal);

        var json = Receiver.Received["json"].Select(b => b.GetProperty("platform").GetString()).Order();
        Assert.Equal(["all", "x"], json);
        var body = Receiver.Received["json"].First(b => b.GetProperty("platform").GetString() == "x");
        Assert.Equal(Campaign, body.GetProperty("campaign").GetString());
        Assert.Equal("StopHazaraGenocide", body.GetProperty("hashtagGroup").GetString());
        Assert.Equal(400, body.GetProperty("volume").GetDouble());
        Assert.Contains(Receiver.Received["slack"], b => b.GetProperty("text").GetString()!.StartsWith("Surge: #StopHazaraGenocide on x, 400 posts", StringComparison.Ordinal));
        Assert.Contains(Receiver.Received["discord"], b => b.GetProperty("content").GetString()!.Contains("Data: complete", StringComparison.Ordinal));
        Assert.All(Receiver.Received["teams"], b => Assert.Equal("MessageCard", b.GetProperty("@type").GetString()));
        Assert.Equal(2, smtp.Messages.Count);
        Assert.Contains(smtp.Messages, m => m.Contains("Subject: [HazaraMonitor] Surge: #StopHazaraGenocide on x", StringComparison.Ordinal));

        // The API serves what was sent.
        var stored = await worker.Services.GetRequiredService<RedisAlertStore>().GetAlertsAsync(Campaign, 10, CancellationToken.None);
        Assert.Equal(2, stored.Count);
        Assert.Contains(stored, s => JsonDocument.Parse(s).RootElement.GetProperty("id").GetString() == alert.Id);
    }

    /// <summary>Posts an incident through the API's store, as <c>POST /api/campaigns/{id}/incidents</c> does.</summary>
    private static async Task<Incident> IncidentAsync(InProcessWorker worker, DateTimeOffset time, string title, string? place = null, string? link = null) =>
        (await worker.Services.GetRequiredService<IncidentCatalog>().AddAsync(Campaign, time, IncidentPrecision.Time, title, place, link, CancellationToken.None))!;

    [SkippableFact]
    public async Task ASurgeNamesTheNearestIncidentBeforeItInEverySink()
    {
        var prefix = RedisServer.UniquePrefix(nameof(ASurgeNamesTheNearestIncidentBeforeItInEverySink));
        var surge = await SeedAsync(prefix);
        await using var worker = Worker(prefix, Sinks("json", "slack"));
        await IncidentAsync(worker, surge.AddHours(-30), "An older incident");
        var nearest = await IncidentAsync(worker, surge.AddHours(-2), "Explosion outside a school", "Dasht-e-Barchi, Kabul", "https://example.org/school");
        await IncidentAsync(worker, surge.AddMinutes(5), "A later incident");

        var raised = await EvaluateAsync(worker);

        Assert.Equal(["all", "x"], raised.Select(a => a.Platform).Order());
        Assert.All(raised, a => Assert.Equal(nearest.Id, a.Incident?.Id));
        var line = $"Nearest incident before it: {nearest.When}, Explosion outside a school (Dasht-e-Barchi, Kabul), 2 hours earlier: https://example.org/school";
        Assert.Contains(line, raised[0].Lines);
        Assert.All(Receiver.Received["slack"], b => Assert.Contains(line, b.GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.All(Receiver.Received["json"], b => Assert.Equal("Explosion outside a school", b.GetProperty("incident").GetProperty("title").GetString()));
        // The API's alerts carry it too.
        var stored = await worker.Services.GetRequiredService<RedisAlertStore>().GetAlertsAsync(Campaign, 10, CancellationToken.None);
        Assert.All(stored, s => Assert.Equal(nearest.Id, JsonDocument.Parse(s).RootElement.GetProperty("incident").GetProperty("id").GetString()));
    }

    [SkippableFact]
    public async Task ASurgeNamesNoIncidentOlderThanTheLookback()
    {
        var prefix = RedisServer.UniquePrefix(nameof(ASurgeNamesNoIncidentOlderThanTheLookback));
        var surge = await SeedAsync(prefix);
        await using var worker = Worker(prefix, [.. Sinks("json"), "--HazaraMonitor:Alerts:IncidentLookback=01:00:00"]);
        await IncidentAsync(worker, surge.AddMinutes(-90), "Ninety minutes before");

        var raised = await EvaluateAsync(worker);

        Assert.NotEmpty(raised);
        Assert.All(raised, a => Assert.Null(a.Incident));
        Assert.All(Receiver.Received["json"], b => Assert.Equal(JsonValueKind.Null, b.GetProperty("incident").ValueKind));
    }

    [SkippableFact]
    public async Task AnAlertAfterTwoHoursOfHistoryClaimsNoMoreThanTwoHoursSupportAndRoundsItsFigures()
    {
        // The demo's detection settings (scripts/demo.sh), scaled to two hours of history.
        var prefix = RedisServer.UniquePrefix(nameof(AnAlertAfterTwoHoursOfHistoryClaimsNoMoreThanTwoHoursSupportAndRoundsItsFigures));
        await SeedAsync(prefix, days: 2.0 / 24);
        string[] demo =
        [
            "--HazaraMonitor:Detection:Block=00:10:00", "--HazaraMonitor:Detection:HistoryBlocks=11", "--HazaraMonitor:Detection:WarmupBlocks=4",
            "--HazaraMonitor:Detection:SeasonalDays=0", "--HazaraMonitor:Detection:LevelWindow=00:20:00", "--HazaraMonitor:Detection:ScaleWindow=01:00:00",
            "--HazaraMonitor:Detection:Refractory=00:30:00", "--HazaraMonitor:Detection:AlertReturnPeriod=02:00:00", "--HazaraMonitor:Detection:DipWindow=00:10:00",
        ];
        await using var worker = Worker(prefix, [.. Sinks("json", "slack"), .. demo]);

        var alert = (await EvaluateAsync(worker)).Single(a => a.Platform == "x");

        // The tail model reaches back 11 blocks of 10 minutes; the detector's own figure is far beyond.
        Assert.Equal(110, alert.HistoryMinutes);
        Assert.True(alert.ReturnPeriodDays > 1);
        Assert.Contains("How unusual: rarer than once in 1.8 hours, all the history it was judged against (score ", alert.Lines.Single(l => l.StartsWith("How unusual", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(Receiver.Received["slack"], b => b.GetProperty("text").GetString()!.Contains("century", StringComparison.Ordinal));
        // What people read is rounded: no 23.999999999999996.
        var json = Receiver.Received["json"].Single(b => b.GetProperty("platform").GetString() == "x");
        Assert.Equal(alert.Expected, json.GetProperty("expected").GetDouble());
        Assert.Equal(Math.Round(alert.Expected, 1), alert.Expected);
        Assert.Equal(Math.Round(alert.Volume), alert.Volume);
        Assert.Equal(Math.Round(alert.Score, 3), alert.Score);
        Assert.Equal(110, json.GetProperty("historyMinutes").GetDouble());
    }

    [SkippableFact]
    public async Task RetriesA500OrA451AndNeverLetsAFailingSinkHoldUpTheOthers()
    {
        Receiver.FailFirst["flaky"] = 1;
        Receiver.FailFirst["broken"] = int.MaxValue;
        using var smtp = new SmtpSink { RefuseFirst = 1 };
        var prefix = RedisServer.UniquePrefix(nameof(RetriesA500OrA451AndNeverLetsAFailingSinkHoldUpTheOthers));
        await SeedAsync(prefix);
        await using var worker = Worker(prefix, Sinks(smtp, "broken", "flaky", "slack"));

        var raised = await EvaluateAsync(worker);

        Assert.Equal(2, raised.Count);
        Assert.Equal(2, Receiver.Count("flaky"));
        // The first alert met the 500 and was retried; the second went through at once.
        Assert.Equal(3, Receiver.Attempts["flaky"]);
        Assert.Equal(2, Receiver.Count("slack"));
        Assert.Equal(0, Receiver.Count("broken"));
        // One try and three retries per alert.
        Assert.Equal(2 * 4, Receiver.Attempts["broken"]);
        // The mail server refused the first sender for now: that email was sent again, the other at once.
        Assert.Equal(2, smtp.Messages.Count);
        Assert.Equal(3, smtp.Senders);
        // Both alerts stay pending for the sink that never took them, with the sinks that did recorded.
        var store = worker.Services.GetRequiredService<RedisAlertStore>();
        Assert.Equal(2, (await store.GetPendingAlertsAsync(Campaign, CancellationToken.None)).Count);
        foreach (var alert in raised)
        {
            Assert.Equal(["email", "flaky", "slack"], (await store.GetDeliveredAsync(Campaign, alert.Id, CancellationToken.None)).Order(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// An alert one sink did not take is sent again to that sink alone, once it is ResendAfter old;
    /// one still not taken after GiveUpAfter is given up; a judgement repeated after the cooldown (a
    /// crash before the mark moved, and a long downtime) raises nothing again.
    /// </summary>
    [SkippableFact]
    public async Task ResendsAnAlertOnlyToTheSinksThatDidNotTakeItAndGivesUpAfterADay()
    {
        var prefix = RedisServer.UniquePrefix(nameof(ResendsAnAlertOnlyToTheSinksThatDidNotTakeItAndGivesUpAfterADay));
        var now = TimeProvider.System.GetUtcNow();
        var minute = Resolution.Minute.Start(now) - TimeSpan.FromMinutes(10);
        await using var worker = Worker(prefix, Sinks("json", "slack"));
        var store = worker.Services.GetRequiredService<RedisAlertStore>();
        var late = Raised(minute, "x", now - TimeSpan.FromMinutes(9));
        var stale = Raised(minute, "mastodon", now - TimeSpan.FromDays(2));
        foreach (var alert in new[] { late, stale })
        {
            Assert.True(await TryRaiseAsync(store, alert, TimeSpan.FromMilliseconds(1)));
            await store.AddDeliveredAsync(Campaign, alert.Id, ["json"], CancellationToken.None);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(20));
        await EvaluateAsync(worker);

        Assert.Equal(0, Receiver.Count("json"));
        var resent = Assert.Single(Receiver.Received["slack"]);
        Assert.StartsWith("Surge: #StopHazaraGenocide on x,", resent.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(await store.GetPendingAlertsAsync(Campaign, CancellationToken.None));
        // The claim (1 ms cooldown) has expired, the id has not: raising it again writes nothing.
        Assert.False(await TryRaiseAsync(store, late, TimeSpan.FromHours(1)));
    }

    [SkippableFact]
    public async Task TwoInstancesAndARestartSendEachAlertOnce()
    {
        var prefix = RedisServer.UniquePrefix(nameof(TwoInstancesAndARestartSendEachAlertOnce));
        await SeedAsync(prefix);
        var sinks = Sinks("json");

        await using (var first = Worker(prefix, sinks))
        await using (var second = Worker(prefix, sinks))
        {
            var both = await Task.WhenAll(EvaluateAsync(first), EvaluateAsync(second));
            Assert.Equal(2, both.Sum(r => r.Count));
        }

        // A restart that lost its evaluation marks judges the surge again: the claims still hold.
        var db = RedisServer.Connect().GetDatabase();
        foreach (var series in new[] { "x", LiveSeries.AllPlatforms })
        {
            await db.KeyDeleteAsync(new RedisKeySchema(prefix).AlertsEvaluated(Campaign, series));
        }

        await using var restarted = Worker(prefix, sinks);
        Assert.Empty(await EvaluateAsync(restarted));
        Assert.Equal(2, Receiver.Count("json"));
    }

    [SkippableFact]
    public async Task AnAlertRaisedButNotSentBeforeACrashIsSentOnceLater()
    {
        var prefix = RedisServer.UniquePrefix(nameof(AnAlertRaisedButNotSentBeforeACrashIsSentOnceLater));
        var sinks = Sinks("json");
        var now = TimeProvider.System.GetUtcNow();
        var minute = Resolution.Minute.Start(now) - TimeSpan.FromMinutes(10);

        await using (var crashed = Worker(prefix, sinks))
        {
            // What RaiseAsync writes before it sends: one alert raised 9 minutes ago by an instance
            // that died before sending it, and one raised just now by an instance still sending it.
            var store = crashed.Services.GetRequiredService<RedisAlertStore>();
            foreach (var alert in new[] { Raised(minute, "x", minute.AddMinutes(1)), Raised(minute, "mastodon", now) })
            {
                Assert.True(await TryRaiseAsync(store, alert, TimeSpan.FromHours(1)));
            }
        }

        await using (var first = Worker(prefix, sinks))
        await using (var second = Worker(prefix, sinks))
        {
            await Task.WhenAll(EvaluateAsync(first), EvaluateAsync(second));
            await EvaluateAsync(first);
        }

        var sent = Assert.Single(Receiver.Received["json"]);
        Assert.Equal($"{Campaign}:x:spike:{minute:yyyyMMddHHmm}", sent.GetProperty("id").GetString());
        var pending = await RedisServer.Connect().GetDatabase().HashKeysAsync(new RedisKeySchema(prefix).AlertsPending(Campaign));
        Assert.Equal([$"{Campaign}:mastodon:spike:{minute:yyyyMMddHHmm}"], pending.Select(k => k.ToString()));
    }

    [SkippableFact]
    public async Task AfterDowntimeTheUnreadGapWaitsForAReadBeforeItIsJudged()
    {
        var prefix = RedisServer.UniquePrefix(nameof(AfterDowntimeTheUnreadGapWaitsForAReadBeforeItIsJudged));
        var end = await SeedAsync(prefix);
        // The worker read every platform up to 50 minutes ago, then was down: no posts, no reads.
        var gap = end - TimeSpan.FromMinutes(50);
        var keys = new RedisKeySchema(prefix);
        var db = RedisServer.Connect().GetDatabase();
        for (var minute = gap; minute <= end; minute += TimeSpan.FromMinutes(1))
        {
            await db.KeyDeleteAsync(keys.Bucket(Campaign, Resolution.Minute, minute));
        }

        await RecordReadsAsync(prefix, gap - TimeSpan.FromMinutes(1));
        foreach (var series in new[] { "x", "mastodon", "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads", LiveSeries.AllPlatforms })
        {
            await db.StringSetAsync(keys.AlertsEvaluated(Campaign, series), (gap - TimeSpan.FromMinutes(1)).ToUnixTimeSeconds(), TimeSpan.FromHours(1));
        }

        await using var worker = Worker(prefix, Sinks("json"));
        var restarted = TimeProvider.System.GetUtcNow();

        // Just restarted, before any read: the silent gap is not yet known to be silent.
        Assert.Empty(await EvaluateAsync(worker, restarted));
        Assert.Equal(gap - TimeSpan.FromMinutes(1), await MarkAsync(worker, LiveSeries.AllPlatforms));

        // Every platform has read since and found nothing: the campaign really went quiet.
        await RecordReadsAsync(prefix, Resolution.Minute.Start(TimeProvider.System.GetUtcNow()));
        var raised = await EvaluateAsync(worker, restarted);

        var dip = Assert.Single(raised, a => a.Platform == LiveSeries.AllPlatforms);
        Assert.Equal("dip", dip.Direction);
        Assert.Equal(1, dip.Completeness);
        Assert.True(await MarkAsync(worker, LiveSeries.AllPlatforms) >= end);
    }

    [SkippableFact]
    public async Task APlatformTurnedOffIsNoMissingPollOfTheMinuteItJudges()
    {
        var prefix = RedisServer.UniquePrefix(nameof(APlatformTurnedOffIsNoMissingPollOfTheMinuteItJudges));
        var surge = await SeedAsync(prefix);
        // Reddit is turned off, so it never polled the surge minute; the others did.
        await RedisServer.Connect().GetDatabase().HashDeleteAsync(new RedisKeySchema(prefix).Bucket(Campaign, Resolution.Minute, surge), RedisKeySchema.PollsField(RedditPlatform.Id, ok: true));
        await using var worker = Worker(prefix, [.. Sinks("json"), "--HazaraMonitor:Platforms:Reddit:Enabled=false"]);

        var raised = await EvaluateAsync(worker);

        Assert.DoesNotContain(raised, a => a.Platform == "reddit");
        var all = Assert.Single(raised, a => a.Platform == LiveSeries.AllPlatforms);
        Assert.Equal(1, all.Completeness);
        Assert.Contains("Data: complete (every poll of that minute succeeded)", all.Lines);
    }

    [SkippableFact]
    public async Task ASurgeOnIncompleteDataAlertsAtOnceSayingSo()
    {
        var prefix = RedisServer.UniquePrefix(nameof(ASurgeOnIncompleteDataAlertsAtOnceSayingSo));
        await SeedAsync(prefix, completeness: 0.5);
        await using var worker = Worker(prefix, Sinks("slack"));

        var alert = Assert.Single(await EvaluateAsync(worker), a => a.Platform == "x");

        Assert.Equal(0.5, alert.Completeness);
        Assert.Contains(Receiver.Received["slack"], b => b.GetProperty("text").GetString()!.Contains("Data: INCOMPLETE, 50% of that minute's polls succeeded", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AQuietIncompleteMinuteWaitsBeforeItIsJudged()
    {
        var prefix = RedisServer.UniquePrefix(nameof(AQuietIncompleteMinuteWaitsBeforeItIsJudged));
        var surge = await SeedAsync(prefix, completeness: 0.5);
        // The minute with failed polls holds an ordinary count, not a surge.
        await RedisServer.Connect().GetDatabase().HashSetAsync(new RedisKeySchema(prefix).Bucket(Campaign, Resolution.Minute, surge), RedisKeySchema.TotalField(XPlatform.Id), 10);

        await using (var waiting = Worker(prefix, Sinks("slack")))
        {
            Assert.Empty(await EvaluateAsync(waiting));
            var mark = await MarkAsync(waiting, "x");
            Assert.True(mark < surge, "the mark stays before the minute that waits");
        }

        await using var later = Worker(prefix, [.. Sinks("slack"), "--HazaraMonitor:Alerts:IncompleteWait=00:00:00"]);
        Assert.Empty(await EvaluateAsync(later));
        Assert.True(await MarkAsync(later, "x") >= surge);
    }

    [SkippableFact]
    public async Task AMinuteJudgedWhileIncompleteIsLearntWithWhatItFinallyHeld()
    {
        var prefix = RedisServer.UniquePrefix(nameof(AMinuteJudgedWhileIncompleteIsLearntWithWhatItFinallyHeld));
        var surge = await SeedAsync(prefix, completeness: 0.5);
        var bucket = new RedisKeySchema(prefix).Bucket(Campaign, Resolution.Minute, surge);
        var db = RedisServer.Connect().GetDatabase();
        await db.HashSetAsync(bucket, RedisKeySchema.TotalField(XPlatform.Id), 10);
        await using var worker = Worker(prefix, Sinks("json"));

        // Half its polls failed and it looks ordinary: it waits, judged on a copy of the detector.
        Assert.Empty(await EvaluateAsync(worker));

        // The failed poll is retried and finds the posts it missed: the same worker now learns the full minute.
        await db.HashSetAsync(bucket, [new HashEntry(RedisKeySchema.TotalField(XPlatform.Id), 400), new HashEntry(RedisKeySchema.PollsField(XPlatform.Id, ok: false), 0)]);
        var alert = Assert.Single(await EvaluateAsync(worker), a => a.Platform == "x");

        Assert.Equal((surge, 400d, 1d), (alert.Since, alert.Volume, alert.Completeness));
    }

    [SkippableFact]
    public async Task KeepsItsDetectorsUntilLatePostsChangeALearntMinute()
    {
        var prefix = RedisServer.UniquePrefix(nameof(KeepsItsDetectorsUntilLatePostsChangeALearntMinute));
        var surge = await SeedAsync(prefix);
        await using var worker = Worker(prefix, Sinks("json"));
        var detectors = worker.Services.GetRequiredService<LiveDetectors>();
        await EvaluateAsync(worker);
        var built = detectors.Find(Campaign)!;

        // Nothing changed: the next evaluation reads only new minutes and keeps the detectors.
        await EvaluateAsync(worker);
        Assert.Same(built, detectors.Find(Campaign));

        // Five posts reach a minute learnt half an hour ago (a platform's search indexing late).
        var late = surge - TimeSpan.FromMinutes(30);
        var count = await RedisServer.Connect().GetDatabase().HashIncrementAsync(
            new RedisKeySchema(prefix).Bucket(Campaign, Resolution.Minute, late), RedisKeySchema.TotalField(XPlatform.Id), 5);
        await EvaluateAsync(worker);

        var rebuilt = detectors.Find(Campaign)!;
        Assert.NotSame(built, rebuilt);
        var row = (int)((late - rebuilt.SeriesStart) / TimeSpan.FromMinutes(1));
        Assert.Equal(count, rebuilt.Series["x"][row]);
        Assert.Equal(count, rebuilt.Series[LiveSeries.AllPlatforms][row]);
    }

    [SkippableFact]
    public async Task AFirstEvaluationJudgesOnlyTheLastClosedMinuteNotTheHistory()
    {
        var prefix = RedisServer.UniquePrefix(nameof(AFirstEvaluationJudgesOnlyTheLastClosedMinuteNotTheHistory));
        var surge = await SeedAsync(prefix);
        // An old surge in the history, and no evaluation marks: as on a worker's first start.
        var keys = new RedisKeySchema(prefix);
        var db = RedisServer.Connect().GetDatabase();
        await db.HashSetAsync(keys.Bucket(Campaign, Resolution.Minute, surge - TimeSpan.FromHours(3)), RedisKeySchema.TotalField(XPlatform.Id), 500);
        foreach (var series in new[] { "x", "mastodon", "bluesky", "reddit", "youtube", "tiktok", "instagram", "threads", LiveSeries.AllPlatforms })
        {
            await db.KeyDeleteAsync(keys.AlertsEvaluated(Campaign, series));
        }

        await using var worker = Worker(prefix, Sinks("json"));
        var raised = await EvaluateAsync(worker);

        Assert.DoesNotContain(raised, a => a.Since < surge);
    }

    [SkippableFact]
    public async Task ANewDeploymentWarmsUpInsteadOfAlertingOnItsFirstPosts()
    {
        var prefix = RedisServer.UniquePrefix(nameof(ANewDeploymentWarmsUpInsteadOfAlertingOnItsFirstPosts));
        // Two days of posts: less than the four days of warm-up, however large the surge.
        await SeedAsync(prefix, days: 2);
        await using var worker = Worker(prefix, Sinks("json"));

        Assert.Empty(await EvaluateAsync(worker));
        Assert.Equal(0, Receiver.Count("json"));
    }
}
