namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>The shared spending ledger on a real Redis: reservations never pass a limit, settling bills a post once a day.</summary>
public sealed class RedisSpendLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly Tariff Tariff = new(ReadMicro: 5_000, RequestMicro: 5_000, MonthlyReadCap: null);

    private static RedisSpendLedger NewLedger(string test) =>
        new(RedisServer.Connect(), new RedisOptions { KeyPrefix = RedisServer.UniquePrefix(test) });

    private static string[] Ids(int from, int count) => [.. Enumerable.Range(from, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [SkippableFact]
    public async Task InstancesRacingForTheLastOfABudgetCannotPassItTogether()
    {
        var ledger = NewLedger(nameof(InstancesRacingForTheLastOfABudgetCannotPassItTogether));
        // $2 a day: 400 posts. Twenty requests of 100 at once, as from several instances.
        var limits = new SpendLimits(DailyMicro: 2_000_000, MonthlyMicro: null);

        var granted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, Tariff, limits, CancellationToken.None)));

        Assert.Equal(400, granted.Sum(g => g ?? 0));
        Assert.Equal(16, granted.Count(g => g is null));
        Assert.Equal(2_000_000, (await ledger.GetAsync(XPlatform.Id, Now, CancellationToken.None)).DayMicro);
    }

    [SkippableFact]
    public async Task SettlingBillsAPostOnceADayAndRefundsTheRest()
    {
        var ledger = NewLedger(nameof(SettlingBillsAPostOnceADayAndRefundsTheRest));
        var none = new SpendLimits(null, null);

        var first = (await ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, Tariff, none, CancellationToken.None))!.Value;
        Assert.Equal(60, await ledger.SettleAsync(XPlatform.Id, Now, first, Ids(0, 60), Tariff, CancellationToken.None));
        var second = (await ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, Tariff, none, CancellationToken.None))!.Value;
        // Sixty read again (billed already today) and ten new.
        Assert.Equal(10, await ledger.SettleAsync(XPlatform.Id, Now, second, Ids(0, 70), Tariff, CancellationToken.None));
        // The next day the same posts are billed again, as X bills them.
        var tomorrow = Now.AddDays(1);
        var third = (await ledger.ReserveAsync(XPlatform.Id, tomorrow, 100, 10, 1, Tariff, none, CancellationToken.None))!.Value;
        Assert.Equal(70, await ledger.SettleAsync(XPlatform.Id, tomorrow, third, Ids(0, 70), Tariff, CancellationToken.None));

        var today = await ledger.GetAsync(XPlatform.Id, Now, CancellationToken.None);
        Assert.Equal((70, 350_000L, 0L), (today.DayReads, today.DayMicro, today.DayRequests));
        var next = await ledger.GetAsync(XPlatform.Id, tomorrow, CancellationToken.None);
        Assert.Equal((70, 355_000L, 1L), (next.DayReads, next.DayMicro, next.DayRequests));
        Assert.Equal(140, next.MonthReads);
    }

    [SkippableFact]
    public async Task TheMonthlyReadCapAndTheRoomKeptForCountsBoundWhatIsGranted()
    {
        var ledger = NewLedger(nameof(TheMonthlyReadCapAndTheRoomKeptForCountsBoundWhatIsGranted));
        var capped = Tariff with { MonthlyReadCap = 150 };
        var none = new SpendLimits(null, null);

        Assert.Equal(100, await ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, capped, none, CancellationToken.None));
        Assert.Equal(50, await ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, capped, none, CancellationToken.None));
        Assert.Null(await ledger.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, capped, none, CancellationToken.None));

        // $1 a day with $0.50 kept for counts: search gets 100 posts; counts still get their requests.
        var other = NewLedger(nameof(TheMonthlyReadCapAndTheRoomKeptForCountsBoundWhatIsGranted) + "b");
        var search = new SpendLimits(DailyMicro: 1_000_000, MonthlyMicro: null, KeepDailyMicro: 500_000);
        Assert.Equal(100, await other.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, Tariff, search, CancellationToken.None));
        Assert.Null(await other.ReserveAsync(XPlatform.Id, Now, 100, 10, 0, Tariff, search, CancellationToken.None));
        var counts = search with { KeepDailyMicro = 0 };
        Assert.Equal(0, await other.ReserveAsync(XPlatform.Id, Now, 0, 0, 1, Tariff, counts, CancellationToken.None));
    }
}
