using HazaraMonitor.Worker.Polling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace HazaraMonitor.IntegrationTests.Polling;

/// <summary>X under a budget, against the simulator's bill: counts come first, search reads a sample, nothing is spent past the budget.</summary>
public sealed class XBudgetTests
{
    private const string Campaign = "stop-hazara-genocide";

    [SkippableFact]
    public async Task ASurgeUnderASmallBudgetSpendsNoMoreThanItKeepsTheVolumeExactAndSaysWhatIsSampled()
    {
        await using var simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await using var receiver = await AlertReceiver.StartAsync();
        // $7.50 a day, counts hourly (24 x $0.005 kept for them): search may read about one post a
        // minute, ten from every tenth minute.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var worker = InProcessWorker.CreateOnPrefix(
            simulator,
            RedisServer.UniquePrefix(nameof(ASurgeUnderASmallBudgetSpendsNoMoreThanItKeepsTheVolumeExactAndSaysWhatIsSampled)),
            "simulator-token",
            [
                "--HazaraMonitor:Platforms:X:Budget:Daily=7.50",
                "--HazaraMonitor:Platforms:X:Schedule=0 0 * * * ?",
                "--HazaraMonitor:Platforms:X:MaxPagesPerPoll=100",
                "--HazaraMonitor:Alerts:Webhooks:0:Name=ops",
                $"--HazaraMonitor:Alerts:Webhooks:0:Url={receiver.Hook("ops")}",
            ],
            clock);
        var ledger = worker.Services.GetRequiredService<RedisSpendLedger>();
        var now = clock.GetUtcNow();
        // Spent earlier today: $7.20, which leaves $0.30, less room for the rest of the day's hourly counts.
        Assert.Equal(1_440, await ledger.ReserveAsync(XPlatform.Id, now, 1_440, 0, 0, XSpend.Tariff, new SpendLimits(null, null), CancellationToken.None));

        var sample = worker.Services.GetRequiredService<XSampleJob>();
        var failure = Assert.IsType<PlatformRequestException>(await sample.RunAsync(Campaign, null, CancellationToken.None));
        Assert.Equal(PollOutcome.BudgetSpent, failure.Outcome);
        Assert.Null(await worker.Services.GetRequiredService<XCountsJob>().RunAsync(Campaign, null, CancellationToken.None));
        // Spent again at a later poll (past the next sampled minute, one in ten): the operators were told once.
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(PollOutcome.BudgetSpent, Assert.IsType<PlatformRequestException>(await sample.RunAsync(Campaign, null, CancellationToken.None)).Outcome);
        var notice = Assert.Single(receiver.Received["ops"]);
        Assert.Equal("budget_spent", notice.GetProperty("kind").GetString());
        Assert.Equal("x", notice.GetProperty("platform").GetString());

        // What X billed never passes what the budget left, and the ledger never shows less than was billed.
        var bill = await simulator.Http.GetFromJsonAsync<JsonElement>("/sim/x/billing");
        var billedPosts = bill.GetProperty("posts_billed").GetInt64();
        // The invoice stays within the $0.30 left: at most 59 posts beside the one counts request.
        Assert.InRange(billedPosts, 10, 59);
        Assert.True(bill.GetProperty("usd").GetDecimal() <= 0.30m, $"billed {bill.GetProperty("usd")}");
        Assert.Equal(1, bill.GetProperty("counts_requests").GetInt64());
        var spend = await ledger.GetAsync(XPlatform.Id, now, CancellationToken.None);
        Assert.InRange(spend.DayMicro, 7_200_000 + (billedPosts * 5_000) + 5_000, 7_500_000);

        // Every minute has the exact volume X's counts give (they include reposts search leaves out);
        // the sampled minutes say what their sample holds.
        var campaign = worker.Services.GetRequiredService<CampaignCatalog>().Find(Campaign)!;
        var points = await worker.Services.GetRequiredService<RedisCountStore>()
            .GetSeriesAsync(Campaign, Resolution.Minute, now.AddHours(-2.5), now.AddMinutes(-2), [XPlatform.Id], null, CancellationToken.None);
        using var counts = new HttpRequestMessage(HttpMethod.Get,
            $"/2/tweets/counts/recent?granularity=minute&query={Uri.EscapeDataString(campaign.HashtagQuery)}&start_time={points[0].Start:yyyy-MM-ddTHH:mm:ssZ}&end_time={points[^1].Start.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");
        counts.Headers.Authorization = new("Bearer", "simulator-token");
        using var answer = await simulator.Http.SendAsync(counts);
        var x = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray()
            .ToDictionary(b => b.GetProperty("start").GetDateTimeOffset(), b => b.GetProperty("tweet_count").GetInt64());
        Assert.Contains(x.Values, v => v > 10);
        foreach (var point in points)
        {
            Assert.True(x[point.Start] == point.Count, $"{point.Start:HH:mm}: counted {point.Count}, X counts {x[point.Start]}");
            Assert.True(point.Sample is not null, $"{point.Start:HH:mm} is not marked sampled");
        }

        var sampled = points.Where(p => p.Sample!.Value.Read > 0).ToList();
        Assert.Equal(billedPosts, sampled.Sum(p => p.Sample!.Value.Read));
        Assert.Contains(sampled, p => p.Sample!.Value.Share < 1);

        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["platforms"].Status);
        Assert.Equal(PollOutcome.BudgetSpent, worker.Services.GetRequiredService<PollStatusBoard>().Last[(XPlatform.Id, SweepCursor.Stream, Campaign)].Outcome);

        // The API gives the sample's size and share beside the exact volume.
        var http = await worker.ServeAsync();
        var surge = sampled.MaxBy(p => p.Count);
        var series = await http.GetFromJsonAsync<JsonElement>(
            $"/api/campaigns/{Campaign}/series?resolution=1m&platform=x&from={surge.Start:yyyy-MM-ddTHH:mm:ssZ}&to={surge.Start.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}");
        var shown = series.GetProperty("points")[0];
        Assert.Equal(surge.Count, shown.GetProperty("count").GetInt64());
        Assert.Equal(surge.Sample!.Value.Read, shown.GetProperty("sampled").GetInt64());
        Assert.Equal(Math.Round(surge.Sample!.Value.Share!.Value, 4), shown.GetProperty("sampleShare").GetDouble());
        var spendView = (await http.GetFromJsonAsync<JsonElement>("/api/spend"))[0];
        Assert.Equal(7.5m, spendView.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.True(spendView.GetProperty("dayUsd").GetDecimal() <= 7.5m);
    }
}
