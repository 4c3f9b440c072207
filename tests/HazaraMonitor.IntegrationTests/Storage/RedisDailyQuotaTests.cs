namespace HazaraMonitor.IntegrationTests.Storage;

/// <summary>The shared daily quota counters on a real Redis: instances together stop at the limits, and a UTC day starts afresh.</summary>
public sealed class RedisDailyQuotaTests
{
    private static readonly Platform TikTok = new("tiktok");

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 23, 59, 0, TimeSpan.Zero);

    private static RedisDailyQuota NewQuota(string test) =>
        new(RedisServer.Connect(), new RedisOptions { KeyPrefix = RedisServer.UniquePrefix(test) });

    [SkippableFact]
    public async Task InstancesRacingForTheLastRequestsCannotPassTheLimitTogether()
    {
        var quota = NewQuota(nameof(InstancesRacingForTheLastRequestsCannotPassTheLimitTogether));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => quota.ReserveAsync(TikTok, Now, 100, 7, 100_000, CancellationToken.None)));

        Assert.Equal(7, answers.Count(a => a.Refused is null));
        Assert.All(answers.Where(a => a.Refused is not null), a => Assert.Equal(QuotaRefusal.Requests, a.Refused));
        Assert.Equal(new DailyQuotaUse(7, 700, false), await quota.GetAsync(TikTok, Now, CancellationToken.None));
    }

    [SkippableFact]
    public async Task GrantsWhatIsLeftOfTheRecordsThenRefusesAndSettlingGivesBackWhatWasNotReturned()
    {
        var quota = NewQuota(nameof(GrantsWhatIsLeftOfTheRecordsThenRefusesAndSettlingGivesBackWhatWasNotReturned));

        Assert.Equal((100, null), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 250, CancellationToken.None));
        Assert.Equal((100, null), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 250, CancellationToken.None));
        Assert.Equal((50, null), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 250, CancellationToken.None));
        Assert.Equal((0, QuotaRefusal.Records), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 250, CancellationToken.None));

        // The first page held 30 videos: 70 are free again.
        await quota.SettleAsync(TikTok, Now, 100, 30, CancellationToken.None);
        Assert.Equal((70, null), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 250, CancellationToken.None));
        Assert.Equal(new DailyQuotaUse(4, 250, false), await quota.GetAsync(TikTok, Now, CancellationToken.None));
    }

    [SkippableFact]
    public async Task ThePlatformSayingTheQuotaIsSpentStopsTheDayAndTheNextDayStartsAfresh()
    {
        var quota = NewQuota(nameof(ThePlatformSayingTheQuotaIsSpentStopsTheDayAndTheNextDayStartsAfresh));

        await quota.ExhaustAsync(TikTok, Now, CancellationToken.None);

        Assert.Equal((0, QuotaRefusal.Platform), await quota.ReserveAsync(TikTok, Now, 100, 1_000, 100_000, CancellationToken.None));
        Assert.True((await quota.GetAsync(TikTok, Now, CancellationToken.None)).Exhausted);
        Assert.Equal((100, null), await quota.ReserveAsync(TikTok, Now.AddMinutes(1), 100, 1_000, 100_000, CancellationToken.None));
    }
}
