using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Polling;
using Quartz;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>
/// Search under a budget (<c>Platforms:X:Budget</c>): instead of reading every post newest first, it
/// reads an even sample of the minutes, one request per sampled minute (<c>start_time</c> and
/// <c>end_time</c> one minute apart) for as many posts as the budget's rate allows
/// (<see cref="XSpend.SamplePostsPerMinute"/>; under 10 a minute, every n-th minute for 10). Each
/// minute it passes is marked sampled, so its volume is the one counts reported (exact) and its posts
/// are a sample with a known share. Each read is reserved in the shared ledger first and settled
/// after, so no instance spends past the budget; when it is spent the minutes are still marked
/// (volume from counts continues) and the poll reports <see cref="PollOutcome.BudgetSpent"/>.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class XSampleJob(
    XApiClient client,
    IngestPipeline pipeline,
    XSpend spend,
    RedisSpendLedger ledger,
    IOptions<XOptions> options,
    PollContext context,
    ILogger<XSampleJob> logger) : PollJob(context, logger)
{
    /// <summary>The cursor's stream: the next minute to sample (Unix seconds).</summary>
    public const string Stream = "sample";

    /// <summary>How long after a minute ends it may be sampled (the default schedule runs 5 s into the minute): X indexes posts within seconds.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>The smallest page X serves.</summary>
    private const int FewestPosts = 10;

    protected override Platform Platform => XPlatform.Id;

    /// <summary>The same rate-limited endpoint as the unbudgeted search.</summary>
    protected override string Endpoint(string? target) => SweepCursor.Stream;

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var stored = await Cursors.GetCursorAsync(campaign.Id, Platform, Stream, cancellationToken);
        var first = long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : Resolution.Minute.Start(now - options.Value.InitialLookback);
        var perMinute = spend.SamplePostsPerMinute;
        var size = (int)Math.Clamp(Math.Floor(perMinute), FewestPosts, XApiClient.MaxResults);
        var stride = perMinute >= FewestPosts ? 1 : perMinute > 0 ? (long)Math.Ceiling(FewestPosts / perMinute) : long.MaxValue;

        var minute = first;
        var requests = 0;
        var spent = perMinute <= 0;
        for (; minute + Resolution.Minute.Width() + Settle <= now; minute += Resolution.Minute.Width())
        {
            var sampled = !spent && (minute.ToUnixTimeSeconds() / 60) % stride == 0;
            if (sampled && requests == options.Value.MaxPagesPerPoll)
            {
                break;
            }

            await Counts.MarkSampledAsync(campaign.Id, Platform, minute, cancellationToken);
            if (!sampled)
            {
                continue;
            }

            requests++;
            if (await ledger.ReserveAsync(Platform, now, size, FewestPosts, 0, XSpend.Tariff, spend.SearchLimitsAt(now), cancellationToken) is not { } granted)
            {
                spent = true;
                continue;
            }

            var page = await client.SampleMinuteAsync(campaign.HashtagQuery, minute, granted, cancellationToken);
            await ledger.SettleAsync(Platform, now, granted, [.. page.Posts.Select(p => p.Id)], XSpend.Tariff, cancellationToken);
            await pipeline.IngestAsync(campaign, Platform, page.Posts, Stream, Next(minute), cancellationToken);
            pipeline.Refused(campaign, Platform, page.Refused ?? []);
            await ObserveAsync(SweepCursor.Stream, page.RateLimit, cancellationToken);
            if (page.RateLimit.Remaining <= 0)
            {
                minute += Resolution.Minute.Width();
                break;
            }
        }

        if (minute != first)
        {
            await pipeline.IngestAsync(campaign, Platform, [], Stream, minute.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        if (spent)
        {
            throw XSpend.Spent(perMinute <= 0
                ? "HazaraMonitor:Platforms:X:Budget covers counts only: search reads no posts; the volume comes from counts"
                : "the X budget (HazaraMonitor:Platforms:X:Budget) or X's monthly read cap is spent: search reads no more posts until it resets; the volume still comes from counts");
        }
    }

    private static string Next(DateTimeOffset minute) => (minute + Resolution.Minute.Width()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
