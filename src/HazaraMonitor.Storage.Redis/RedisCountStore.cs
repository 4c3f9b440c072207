using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>What one atomic commit did.</summary>
/// <param name="New">Posts counted for the first time.</param>
/// <param name="Duplicates">Posts already counted by an earlier commit, skipped.</param>
/// <param name="NewPosts">Ids of the posts counted for the first time.</param>
public sealed record CommitResult(long New, long Duplicates, IReadOnlySet<string> NewPosts);

/// <summary>A commit refused because a newer owner of the writer's lease has committed since: this writer lost its lease.</summary>
public sealed class FencedException(string message, Exception inner) : Exception(message, inner);

/// <summary>One bucket of a series.</summary>
/// <param name="Start">Bucket start, UTC.</param>
/// <param name="Count">
/// The volume: posts counted by HazaraMonitor, except on a platform read by sampling, whose volume is
/// the platform's own count (exact) rather than the sample's (see <paramref name="Sample"/>).
/// </param>
/// <param name="Reported">The platform's own count where it gives one, else null.</param>
/// <param name="Sample">When a platform in the point was read by sampling: what the sample holds; null otherwise.</param>
/// <param name="Completeness">Share of the bucket's polls on the platforms summed that succeeded; null when none ran (or none was recorded).</param>
/// <param name="Authors">Estimated distinct authors in the bucket on the platforms summed; null in minute buckets (sketches are per hour and day).</param>
public readonly record struct SeriesPoint(DateTimeOffset Start, long Count, long? Reported, Sample? Sample = null, double? Completeness = null, long? Authors = null);

/// <summary>What a sampled read holds: <paramref name="Read"/> posts of a volume of <paramref name="Volume"/> (null when the platform did not report one).</summary>
public readonly record struct Sample(long Read, long? Volume)
{
    /// <summary>Share of the volume the sample read; figures from the sample (languages, authors, hashtags) are estimates with this share.</summary>
    public double? Share => Volume is > 0 ? Math.Min(1, (double)Read / Volume.Value) : null;
}

/// <summary>What one bucket holds for one platform.</summary>
/// <param name="Count">Posts of the campaign counted by HazaraMonitor.</param>
/// <param name="Reported">The platform's own count, or null.</param>
/// <param name="PollsOk">Polls that succeeded in this bucket (minute buckets only).</param>
/// <param name="PollsFailed">Polls that failed or could not run in this bucket (minute buckets only).</param>
/// <param name="Sampled">True when the platform was read by sampling here: <see cref="Count"/> is a sample.</param>
public readonly record struct PlatformBucket(long Count, long? Reported, long PollsOk, long PollsFailed, bool Sampled = false)
{
    /// <summary>The bucket's volume: the count, or for a sampled read the platform's own count when it gave one.</summary>
    public long Volume => Sampled && Reported is { } reported ? reported : Count;

    /// <summary>Share of the bucket's polls that succeeded; null when no poll ran in it.</summary>
    public double? Completeness => PollsOk + PollsFailed == 0 ? null : (double)PollsOk / (PollsOk + PollsFailed);
}

/// <summary>A platform-reported count for one bucket.</summary>
public readonly record struct ReportedCount(Resolution Resolution, DateTimeOffset Start, long Count);

/// <summary>
/// A campaign's counts in Redis: its time buckets per platform, hashtag and language, the
/// platforms' own reported counts, the unique-author sketches, and the polls of each minute. A
/// batch is committed in one Lua script (<c>Scripts/commit.lua</c>): the dedupe check, the bucket
/// increments, the author sketches and the connector's cursor move together or not at all, so a
/// crash at any instruction neither loses nor double-counts a post.
/// </summary>
public sealed partial class RedisCountStore(IConnectionMultiplexer redis, RedisOptions options)
{
    public RedisKeySchema Keys { get; } = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Commits a batch and, in the same atomic step, the connector's cursor for <paramref name="stream"/>
    /// (null leaves the stored cursor as it is). Committing the same batch twice changes nothing.
    /// </summary>
    /// <param name="fence">The lease's fencing token when the writer holds a lease (<see cref="RedisLeaseStore"/>): a commit under an
    /// older token than the stored cursor's is refused with nothing written (<see cref="FencedException"/>).</param>
    public async Task<CommitResult> CommitAsync(IngestBatch batch, string stream, string? cursor, CancellationToken cancellationToken, long? fence = null)
    {
        if (batch.IsEmpty && cursor is null)
        {
            return new CommitResult(0, 0, new HashSet<string>());
        }

        var cursorKey = Keys.Cursor(batch.Campaign.Id, batch.Platform, stream);
        var (keys, args, order) = RedisIngestCommand.Build(batch, Keys, options, cursorKey, cursor, fence);
        RedisResult result;
        try
        {
            result = await Db.ScriptEvaluateAsync(RedisScripts.Commit, keys, args).WaitAsync(cancellationToken);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("FENCED", StringComparison.Ordinal))
        {
            throw new FencedException(e.Message, e);
        }
        var values = (RedisResult[])result!;
        var flags = (string?)values[2] ?? string.Empty;
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < flags.Length; i++)
        {
            if (flags[i] == '1')
            {
                fresh.Add(order[i].Id);
            }
        }

        return new CommitResult((long)values[0], (long)values[1], fresh);
    }

    /// <summary>
    /// Stores platform-reported volumes beside the counted ones. Each value replaces the previous
    /// report for its bucket (reports are absolute, so repeating one is harmless); with
    /// <paramref name="keepLarger"/> a smaller value leaves the stored one, for sources that each see
    /// part of the platform (Mastodon instances) and whose best figure is the largest.
    /// </summary>
    public async Task SetReportedAsync(string campaignId, Platform platform, IReadOnlyCollection<ReportedCount> counts, CancellationToken cancellationToken, bool keepLarger = false)
    {
        var field = RedisKeySchema.ReportedField(platform);
        var batch = Db.CreateBatch();
        var writes = new List<Task>(counts.Count * 2);
        foreach (var count in counts)
        {
            var key = Keys.Bucket(campaignId, count.Resolution, count.Start);
            var expireAt = options.ExpiresAt(count.Resolution, count.Start);
            writes.Add(keepLarger
                ? batch.ScriptEvaluateAsync(RedisScripts.KeepLarger, [key], [field, count.Count])
                : batch.HashSetAsync(key, field, count.Count));
            writes.Add(batch.KeyExpireAsync(key, expireAt.UtcDateTime));
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The series of a campaign over [from, to), summed over <paramref name="platforms"/>: every bucket, zeros included.
    /// </summary>
    /// <param name="platforms">The platforms summed: one, or those the campaign follows (a platform turned off keeps its old buckets, which are not summed).</param>
    /// <param name="part">What part of the campaign: null for its total, else the field after "{platform}|": a configured
    /// hashtag's comparison key, <c>lang:{code}</c> (<see cref="RedisKeySchema.LanguageField"/>) or the counter group
    /// (<see cref="RedisKeySchema.CounterSuffix"/>). The platforms' own counts and sampled volumes are of the total only.</param>
    public async Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(
        string campaignId, Resolution resolution, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyCollection<Platform> platforms, string? part, CancellationToken cancellationToken)
    {
        var starts = resolution.Range(from, to).ToList();
        var batch = Db.CreateBatch();
        var reads = starts.Select(s => batch.HashGetAllAsync(Keys.Bucket(campaignId, resolution, s))).ToList();
        var authorReads = resolution == Resolution.Minute
            ? null
            : starts.Select(s => batch.HyperLogLogLengthAsync([.. platforms.Select(p => Keys.Authors(campaignId, resolution, s, p))])).ToList();
        batch.Execute();
        var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var authors = authorReads is null ? null : await Task.WhenAll(authorReads).WaitAsync(cancellationToken);

        var what = part ?? RedisKeySchema.AllHashtags;
        var points = new SeriesPoint[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            var perPlatform = new Dictionary<Platform, (long Count, long? Reported, bool Sampled)>();
            long pollsOk = 0, pollsFailed = 0;
            foreach (var entry in hashes[i])
            {
                if (!RedisKeySchema.TryParseField(entry.Name!, out var p, out var fieldWhat) || !platforms.Contains(p))
                {
                    continue;
                }

                var one = perPlatform.GetValueOrDefault(p);
                perPlatform[p] = fieldWhat switch
                {
                    _ when fieldWhat == what => one with { Count = (long)entry.Value },
                    RedisKeySchema.ReportedSuffix => one with { Reported = (long)entry.Value },
                    RedisKeySchema.SampledSuffix => one with { Sampled = (long)entry.Value > 0 },
                    _ => one,
                };
                pollsOk += fieldWhat == RedisKeySchema.PollsOkSuffix ? (long)entry.Value : 0;
                pollsFailed += fieldWhat == RedisKeySchema.PollsFailedSuffix ? (long)entry.Value : 0;
            }

            long count = 0;
            long? reported = null;
            Sample? sample = null;
            foreach (var (_, one) in perPlatform)
            {
                // The platforms' own counts are of the whole campaign, not of one part of it.
                var exact = part is null && one.Sampled && one.Reported is not null;
                count += exact ? one.Reported!.Value : one.Count;
                if (part is null && one.Reported is { } r)
                {
                    reported = (reported ?? 0) + r;
                }

                if (one.Sampled)
                {
                    // The volume is known when every sampled platform reported one.
                    var volume = exact && (sample is null || sample.Value.Volume is not null) ? (sample?.Volume ?? 0) + one.Reported : null;
                    sample = new Sample((sample?.Read ?? 0) + one.Count, volume);
                }
            }

            points[i] = new SeriesPoint(starts[i], count, reported, sample,
                pollsOk + pollsFailed == 0 ? null : (double)pollsOk / (pollsOk + pollsFailed), authors?[i]);
        }

        return points;
    }

    /// <summary>
    /// Estimated distinct authors in one hour or day bucket (HyperLogLog, ~0.81% error) on
    /// <paramref name="platforms"/> (the union of their sketches: one author on two platforms is counted once).
    /// </summary>
    public async Task<long> CountAuthorsAsync(string campaignId, Resolution resolution, DateTimeOffset bucketStart, IReadOnlyCollection<Platform> platforms, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [.. platforms.Select(p => Keys.Authors(campaignId, resolution, bucketStart, p))];
        return await Db.HyperLogLogLengthAsync(keys).WaitAsync(cancellationToken);
    }

    /// <summary>One bucket of a campaign, per platform (platforms with nothing in it are absent).</summary>
    public async Task<IReadOnlyDictionary<Platform, PlatformBucket>> GetBucketAsync(
        string campaignId, Resolution resolution, DateTimeOffset bucketStart, CancellationToken cancellationToken) =>
        ParseBucket(await Db.HashGetAllAsync(Keys.Bucket(campaignId, resolution, resolution.Start(bucketStart))).WaitAsync(cancellationToken));

    /// <summary>Every minute bucket in [from, to), oldest first, per platform, read in one pipelined batch.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<Platform, PlatformBucket>>> GetMinuteBucketsAsync(
        string campaignId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var reads = Resolution.Minute.Range(from, to).Select(m => batch.HashGetAllAsync(Keys.Bucket(campaignId, Resolution.Minute, m))).ToList();
        batch.Execute();
        return [.. (await Task.WhenAll(reads).WaitAsync(cancellationToken)).Select(ParseBucket)];
    }

    private static Dictionary<Platform, PlatformBucket> ParseBucket(HashEntry[] entries)
    {
        var buckets = new Dictionary<Platform, PlatformBucket>();
        foreach (var entry in entries)
        {
            if (!RedisKeySchema.TryParseField(entry.Name!, out var platform, out var what))
            {
                continue;
            }

            var bucket = buckets.GetValueOrDefault(platform);
            var value = (long)entry.Value;
            buckets[platform] = what switch
            {
                RedisKeySchema.AllHashtags => bucket with { Count = value },
                RedisKeySchema.ReportedSuffix => bucket with { Reported = value },
                RedisKeySchema.PollsOkSuffix => bucket with { PollsOk = value },
                RedisKeySchema.PollsFailedSuffix => bucket with { PollsFailed = value },
                RedisKeySchema.SampledSuffix => bucket with { Sampled = value > 0 },
                _ => bucket,
            };
        }

        return buckets;
    }

    /// <summary>
    /// Marks the minute of <paramref name="minute"/>, and its hour and day, as read by sampling on
    /// <paramref name="platform"/>: their count is then a sample, and their volume the platform's
    /// own. Marked before the sample is committed, so a crash between the two leaves a marked bucket
    /// whose volume is still exact.
    /// </summary>
    public async Task MarkSampledAsync(string campaignId, Platform platform, DateTimeOffset minute, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        foreach (var resolution in Buckets.All)
        {
            var start = resolution.Start(minute);
            var key = Keys.Bucket(campaignId, resolution, start);
            _ = transaction.HashIncrementAsync(key, RedisKeySchema.SampledField(platform));
            _ = transaction.KeyExpireAsync(key, options.ExpiresAt(resolution, start).UtcDateTime);
        }

        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>How long the last success of each endpoint is kept after the newest: a day.</summary>
    public static readonly TimeSpan PollSuccessesKept = TimeSpan.FromDays(1);

    /// <summary>When each endpoint's last successful poll of the campaign ended, on any instance, by <c>{platform}:{endpoint}</c>.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetPollSuccessesAsync(string campaignId, CancellationToken cancellationToken) =>
        (await Db.HashGetAllAsync(Keys.PollSuccesses(campaignId)).WaitAsync(cancellationToken))
        .ToDictionary(e => (string)e.Name!, e => DateTimeOffset.FromUnixTimeMilliseconds((long)e.Value), StringComparer.Ordinal);

    /// <summary>
    /// Counts a poll in the minute it ended, and in its hour and day, so their completeness is known to
    /// every instance: a bucket with a failed, rate-limited or skipped poll is incomplete.
    /// </summary>
    /// <param name="endpoint">The endpoint polled: a success is also marked where every instance sees it (<see cref="GetPollSuccessesAsync"/>).</param>
    public async Task RecordPollAsync(string campaignId, Platform platform, DateTimeOffset at, bool ok, CancellationToken cancellationToken, string? endpoint = null)
    {
        var transaction = Db.CreateTransaction();
        if (ok && endpoint is not null)
        {
            _ = transaction.HashSetAsync(Keys.PollSuccesses(campaignId), RedisKeySchema.PollSuccessField(platform, endpoint), at.ToUnixTimeMilliseconds());
            _ = transaction.KeyExpireAsync(Keys.PollSuccesses(campaignId), PollSuccessesKept);
        }

        foreach (var resolution in Buckets.All)
        {
            var start = resolution.Start(at);
            var key = Keys.Bucket(campaignId, resolution, start);
            _ = transaction.HashIncrementAsync(key, RedisKeySchema.PollsField(platform, ok));
            _ = transaction.KeyExpireAsync(key, options.ExpiresAt(resolution, start).UtcDateTime);
        }

        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }
}
