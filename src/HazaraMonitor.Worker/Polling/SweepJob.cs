using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// A poll that sweeps a newest-first search (X recent search, Reddit search, Bluesky searchPosts)
/// page by page. Each page is committed with the <see cref="SweepCursor"/> that follows it, so
/// whatever stops the poll (a crash, a 429, a malformed page) leaves the cursor at the last page
/// that was counted, and the next poll continues from there.
/// </summary>
internal abstract class SweepJob<TOptions>(
    IngestPipeline pipeline,
    IOptions<TOptions> options,
    PollContext context,
    ILogger logger) : PollJob(context, logger)
    where TOptions : class, ISweepOptions
{
    protected override string Endpoint(string? target) => SweepCursor.Stream;

    /// <summary>The furthest back the platform's search reaches.</summary>
    protected abstract TimeSpan SearchReach { get; }

    /// <summary>Reads the page <paramref name="cursor"/> points at.</summary>
    protected abstract Task<SweepPage> FetchAsync(Campaign campaign, SweepCursor cursor, CancellationToken cancellationToken);

    protected override async Task PollAsync(Campaign campaign, string? target, CancellationToken cancellationToken)
    {
        var stored = await Cursors.GetCursorAsync(campaign.Id, Platform, SweepCursor.Stream, cancellationToken);
        var cursor = SweepCursor.Parse(stored).Starting(Time.GetUtcNow(), options.Value.InitialLookback, SearchReach);
        for (var page = 0; page < options.Value.MaxPagesPerPoll; page++)
        {
            SweepPage result;
            try
            {
                result = await FetchAsync(campaign, cursor, cancellationToken);
            }
            catch (PlatformRequestException e) when (e.PageTokenRefused && cursor.InSweep)
            {
                // The platform forgot the sweep's page token: read the sweep again from its newest
                // page; what was already counted is recognised, nothing is skipped.
                Log.SweepRestarted(Logger, Platform.Name, campaign.Id, e.Message);
                cursor = cursor.Restarted();
                result = await FetchAsync(campaign, cursor, cancellationToken);
            }

            cursor = cursor.After(result.Newest, result.NextPage);
            var serialized = cursor.Serialize();
            // An empty poll that leaves the stored cursor as it was has nothing to commit.
            await pipeline.IngestAsync(campaign, Platform, result.Posts, SweepCursor.Stream, serialized == stored ? null : serialized, cancellationToken);
            pipeline.Refused(campaign, Platform, result.Refused ?? []);
            stored = serialized;
            await ObserveAsync(SweepCursor.Stream, result.RateLimit, cancellationToken);
            if (!cursor.InSweep || result.RateLimit.Remaining <= 0)
            {
                break;
            }
        }
    }
}
