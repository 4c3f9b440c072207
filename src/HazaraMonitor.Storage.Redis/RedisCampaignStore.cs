using System.Reflection;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>What one atomic commit did.</summary>
/// <param name="New">Posts counted for the first time.</param>
/// <param name="Duplicates">Posts already counted by an earlier commit, skipped.</param>
/// <param name="NewPerShape">New posts per shape of the batch, in the batch's shape order.</param>
/// <param name="NewPosts">Ids of the posts counted for the first time.</param>
public sealed record CommitResult(long New, long Duplicates, IReadOnlyList<long> NewPerShape, IReadOnlySet<string> NewPosts);

/// <summary>One bucket of a series.</summary>
/// <param name="Start">Bucket start, UTC.</param>
/// <param name="Count">Posts counted by HazaraMonitor.</param>
/// <param name="Reported">The platform's own count where it gives one, else null.</param>
public readonly record struct SeriesPoint(DateTimeOffset Start, long Count, long? Reported);

/// <summary>What one bucket holds for one platform.</summary>
/// <param name="Count">Posts of the campaign counted by HazaraMonitor.</param>
/// <param name="Reported">The platform's own count, or null.</param>
/// <param name="PollsOk">Polls that succeeded in this bucket (minute buckets only).</param>
/// <param name="PollsFailed">Polls that failed or could not run in this bucket (minute buckets only).</param>
public readonly record struct PlatformBucket(long Count, long? Reported, long PollsOk, long PollsFailed)
{
    /// <summary>Share of the bucket's polls that succeeded; null when no poll ran in it.</summary>
    public double? Completeness => PollsOk + PollsFailed == 0 ? null : (double)PollsOk / (PollsOk + PollsFailed);
}

/// <summary>A platform-reported count for one bucket.</summary>
public readonly record struct ReportedCount(Resolution Resolution, DateTimeOffset Start, long Count);

/// <summary>
/// Counts, cursors and sketches of campaigns in Redis. All writes of a batch happen in one Lua
/// script (<c>Scripts/commit.lua</c>): the dedupe check, the bucket increments, the author sketches
/// and the cursor move together or not at all, so a crash at any instruction neither loses nor
/// double-counts a post.
/// </summary>
public sealed class RedisCampaignStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private static readonly string CommitScript = LoadScript("commit.lua");

    private const string KeepLargerScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
        if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 0
        """;

    public RedisKeySchema Keys { get; } = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Commits a batch and, in the same atomic step, the connector's cursor for <paramref name="stream"/>
    /// (null leaves the stored cursor as it is). Committing the same batch twice changes nothing.
    /// </summary>
    public async Task<CommitResult> CommitAsync(IngestBatch batch, string stream, string? cursor, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty && cursor is null)
        {
            return new CommitResult(0, 0, [], new HashSet<string>());
        }

        var cursorKey = Keys.Cursor(batch.Campaign.Id, batch.Platform, stream);
        var (keys, args, order) = RedisIngestCommand.Build(batch, Keys, options, cursorKey, cursor);
        var result = await Db.ScriptEvaluateAsync(CommitScript, keys, args).WaitAsync(cancellationToken);
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

        return new CommitResult((long)values[0], (long)values[1], [.. values[3..].Select(v => (long)v)], fresh);
    }

    /// <summary>The cursor last committed for a campaign, platform and stream, or null before the first commit.</summary>
    public async Task<string?> GetCursorAsync(string campaignId, Platform platform, string stream, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(Keys.Cursor(campaignId, platform, stream)).WaitAsync(cancellationToken);
        return value.IsNull ? null : value.ToString();
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
            var expireAt = count.Start + count.Resolution.Width() + options.RetentionOf(count.Resolution);
            writes.Add(keepLarger
                ? batch.ScriptEvaluateAsync(KeepLargerScript, [key], [field, count.Count])
                : batch.HashSetAsync(key, field, count.Count));
            writes.Add(batch.KeyExpireAsync(key, expireAt.UtcDateTime));
        }

        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The series of a campaign over [from, to): every bucket, zeros included.
    /// </summary>
    /// <param name="platform">One platform, or null for the sum over all.</param>
    /// <param name="hashtagKey">A configured hashtag's comparison key, or null for the campaign total.</param>
    public Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(
        string campaignId, Resolution resolution, DateTimeOffset from, DateTimeOffset to,
        Platform? platform, string? hashtagKey, CancellationToken cancellationToken) =>
        SumSeriesAsync(campaignId, resolution, from, to, platform is { } one ? [one] : PlatformNames.All, hashtagKey, cancellationToken);

    /// <summary>
    /// The series of a campaign over [from, to), summed over <paramref name="platforms"/>: every bucket, zeros included.
    /// </summary>
    /// <param name="platforms">The platforms summed: one, or those the campaign follows (a platform turned off keeps its old buckets, which are not summed).</param>
    /// <param name="hashtagKey">A configured hashtag's comparison key, or null for the campaign total.</param>
    public async Task<IReadOnlyList<SeriesPoint>> SumSeriesAsync(
        string campaignId, Resolution resolution, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyCollection<Platform> platforms, string? hashtagKey, CancellationToken cancellationToken)
    {
        var starts = resolution.Range(from, to).ToList();
        var batch = Db.CreateBatch();
        var reads = starts.Select(s => batch.HashGetAllAsync(Keys.Bucket(campaignId, resolution, s))).ToList();
        batch.Execute();
        var hashes = await Task.WhenAll(reads).WaitAsync(cancellationToken);

        var what = hashtagKey ?? RedisKeySchema.AllHashtags;
        var points = new SeriesPoint[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            long count = 0;
            long? reported = null;
            foreach (var entry in hashes[i])
            {
                if (!RedisKeySchema.TryParseField(entry.Name!, out var p, out var fieldWhat) || !platforms.Contains(p))
                {
                    continue;
                }

                if (fieldWhat == what)
                {
                    count += (long)entry.Value;
                }
                else if (hashtagKey is null && fieldWhat == RedisKeySchema.ReportedSuffix)
                {
                    reported = (reported ?? 0) + (long)entry.Value;
                }
            }

            points[i] = new SeriesPoint(starts[i], count, reported);
        }

        return points;
    }

    /// <summary>
    /// Estimated distinct authors in one hour or day bucket (HyperLogLog, ~0.81% error), on one
    /// platform or, with null, on all (the union of the platforms' sketches).
    /// </summary>
    public async Task<long> CountAuthorsAsync(string campaignId, Resolution resolution, DateTimeOffset bucketStart, Platform? platform, CancellationToken cancellationToken)
    {
        RedisKey[] keys = platform is { } only
            ? [Keys.Authors(campaignId, resolution, bucketStart, only)]
            : [.. PlatformNames.All.Select(p => Keys.Authors(campaignId, resolution, bucketStart, p))];
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
                _ => bucket,
            };
        }

        return buckets;
    }

    /// <summary>
    /// Raises an alert, atomically: claims the series and direction for <paramref name="cooldown"/>
    /// (SET NX), adds the alert to the campaign's log (newest 1,000) and to the pending alerts. True
    /// for exactly one caller across instances and restarts until the claim expires; false, with
    /// nothing written, for every other. A crash after it leaves the alert pending, to be sent again.
    /// </summary>
    public async Task<bool> TryRaiseAlertAsync(string campaignId, string series, string direction, string alertId, TimeSpan cooldown, DateTimeOffset minute, string json, CancellationToken cancellationToken)
    {
        const string script = """
            if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1001)
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[3], ARGV[5])
            return 1
            """;
        var raised = await Db.ScriptEvaluateAsync(script,
            [Keys.AlertClaim(campaignId, series, direction), Keys.AlertLog(campaignId), Keys.AlertsPending(campaignId)],
            [alertId, (long)cooldown.TotalMilliseconds, minute.ToUnixTimeSeconds(), json, (long)options.DayRetention.TotalMilliseconds]).WaitAsync(cancellationToken);
        return (long)raised == 1;
    }

    /// <summary>The campaign's alerts raised but not yet handed to the sinks (JSON).</summary>
    public async Task<IReadOnlyList<string>> GetPendingAlertsAsync(string campaignId, CancellationToken cancellationToken) =>
        [.. (await Db.HashValuesAsync(Keys.AlertsPending(campaignId)).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>Takes the lease to send a pending alert again: true for one caller until <paramref name="lease"/> passes.</summary>
    public async Task<bool> TryLeaseAlertAsync(string campaignId, string alertId, TimeSpan lease, CancellationToken cancellationToken) =>
        await Db.StringSetAsync(Keys.AlertSending(campaignId, alertId), "1", lease, When.NotExists).WaitAsync(cancellationToken);

    /// <summary>Marks an alert as handed to every sink: it is no longer pending.</summary>
    public async Task CompleteAlertAsync(string campaignId, string alertId, CancellationToken cancellationToken) =>
        await Db.HashDeleteAsync(Keys.AlertsPending(campaignId), alertId).WaitAsync(cancellationToken);

    /// <summary>The last minute the detector judged for each series (one read), or null before its first evaluation.</summary>
    public async Task<IReadOnlyList<DateTimeOffset?>> GetEvaluatedAsync(string campaignId, IReadOnlyList<string> series, CancellationToken cancellationToken)
    {
        var values = await Db.StringGetAsync([.. series.Select(s => Keys.AlertsEvaluated(campaignId, s))]).WaitAsync(cancellationToken);
        // A missing key parses as 0 (1970): test for it first.
        return [.. values.Select(v => !v.IsNull && v.TryParse(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null)];
    }

    /// <summary>Moves a series' evaluation mark forward (never back: two instances may race).</summary>
    public async Task SetEvaluatedAsync(string campaignId, string series, DateTimeOffset minute, CancellationToken cancellationToken)
    {
        const string script = "local c = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end";
        await Db.ScriptEvaluateAsync(script, [Keys.AlertsEvaluated(campaignId, series)],
            [minute.ToUnixTimeSeconds(), (long)options.MinuteRetention.TotalMilliseconds]).WaitAsync(cancellationToken);
    }

    /// <summary>The campaign's newest alerts (JSON), newest first.</summary>
    public async Task<IReadOnlyList<string>> GetAlertsAsync(string campaignId, int limit, CancellationToken cancellationToken) =>
        [.. (await Db.SortedSetRangeByRankAsync(Keys.AlertLog(campaignId), 0, limit - 1, Order.Descending).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>
    /// Counts a poll in the minute it ended, so the minute's completeness is known to every instance:
    /// a minute with a failed, rate-limited or skipped poll is incomplete.
    /// </summary>
    public async Task RecordPollAsync(string campaignId, Platform platform, DateTimeOffset at, bool ok, CancellationToken cancellationToken)
    {
        var minute = Resolution.Minute.Start(at);
        var key = Keys.Bucket(campaignId, Resolution.Minute, minute);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashIncrementAsync(key, RedisKeySchema.PollsField(platform, ok));
        _ = transaction.KeyExpireAsync(key, (minute + Resolution.Minute.Width() + options.MinuteRetention).UtcDateTime);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Round-trip time to Redis; throws when it cannot be reached.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken) =>
        await Db.PingAsync().WaitAsync(cancellationToken);

    private static string LoadScript(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
