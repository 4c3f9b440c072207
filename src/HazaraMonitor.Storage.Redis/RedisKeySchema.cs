using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// The one owner of HazaraMonitor's Redis key names. Every key is
/// <c>{prefix}:v1:{{campaign}}:…</c>: the schema version lets a future layout live beside this one,
/// and the braces are a Redis Cluster hash tag, so all keys of one campaign sit in one slot and one
/// Lua script may touch them atomically.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>…:b:{res}:{stamp}</c></term><description>hash, one per bucket (res = 1m/1h/1d, stamp
/// = yyyyMMddHHmm / yyyyMMddHH / yyyyMMdd UTC). Fields: <c>{platform}|*</c> posts of the campaign,
/// <c>{platform}|{hashtag}</c> posts carrying that configured hashtag or counter-hashtag (comparison key),
/// <c>{platform}|counter:*</c> posts carrying one of the counter-hashtags (the counter group's total),
/// <c>{platform}|lang:{code}</c> posts of the campaign by language, <c>{platform}|*|reported</c> the platform's own
/// count; <c>{platform}|polls:ok</c> and <c>{platform}|polls:failed</c>, the
/// polls that ended in that bucket (its completeness; in hour and day buckets since issue 14). Expires at bucket end + retention of its
/// resolution.</description></item>
/// <item><term><c>…:top:{res}:{stamp}</c>, <c>…:top:{res}:{stamp}:posts</c></term><description>the bucket's
/// top posts (res = 1h/1d): sorted set of <c>{platform}:{id}</c> scored by engagement (likes, reposts,
/// replies and quotes when last read), at most 10, and a hash of the same members to what the page
/// shows (JSON: url, author, text cut to 280 characters, language, time). Written by the commit;
/// expire with the bucket.</description></item>
/// <item><term><c>…:co:{res}:{stamp}</c></term><description>hash, hashtag comparison key → new posts of the
/// campaign carrying it beside the campaign's own (res = 1h/1d), at most 200 hashtags per bucket, the
/// rest under <c>*</c>. Written by the commit; expires with the bucket.</description></item>
/// <item><term><c>…:seen:{platform}:{yyyyMMddHHmm}</c></term><description>set of post ids created in
/// that minute and already counted; expires at the end of the minute's UTC day + dedupe window.
/// Per minute rather than per day: small sets stay in cache and, up to 512 numeric ids, in Redis's
/// compact intset encoding; measured 4.5x faster SMISMEMBER than one 200k-member set.</description></item>
/// <item><term><c>…:authors:{res}:{stamp}:{platform}</c></term><description>HyperLogLog of author
/// ids per hour and day bucket and platform (0.81% standard error); across platforms it is the
/// union of these, counted by one PFCOUNT over the platforms' keys.</description></item>
/// <item><term><c>…:polls:ok</c></term><description>hash, <c>{platform}:{endpoint}</c> → when that endpoint's last
/// successful poll of the campaign ended (Unix ms), on any instance: an instance whose own last poll of it failed
/// while another instance now runs it does not keep reporting the failure. Expires a day after the newest.</description></item>
/// <item><term><c>…:cursor:{platform}:{stream}</c></term><description>opaque connector cursor,
/// written in the same script as the counts it covers. A cursor written under a lease is stored
/// as <c>f{token}:{cursor}</c>: the commit refuses a writer whose fencing token is older.</description></item>
/// <item><term><c>…:alerts:claim:{series}:{direction}</c></term><description>string set with NX and
/// the cooldown as expiry by the instance that raises an alert: while it exists no instance raises
/// another for that series and direction (series = a platform name or <c>all</c>).</description></item>
/// <item><term><c>…:alerts:evaluated:{series}</c></term><description>the last minute (Unix seconds)
/// the detector has judged for that series, so a restart neither skips nor repeats minutes.</description></item>
/// <item><term><c>…:alerts:log</c></term><description>sorted set of the campaign's alerts as JSON, scored
/// by the minute they concern; trimmed to the newest 1,000.</description></item>
/// <item><term><c>…:alerts:pending</c></term><description>hash of alerts raised but not yet handed to
/// every sink (id → JSON), written in the same script as the claim and the log entry and removed
/// after sending: an instance that finds one older than a few minutes sends it again.</description></item>
/// <item><term><c>…:alerts:sending:{id}</c></term><description>short lease (SET NX) taken before a
/// pending alert is sent again, so two instances do not both resend it.</description></item>
/// <item><term><c>…:alerts:raised:{id}</c></term><description>set when an alert id is raised, kept for
/// the minute retention: a judgement repeated after a crash raises nothing again.</description></item>
/// <item><term><c>…:alerts:delivered:{id}</c></term><description>set of the sinks that took a pending
/// alert: a resend goes to the others only.</description></item>
/// <item><term><c>…:incidents</c></term><description>hash of the campaign's incidents posted through the
/// API (id <c>a-…</c> → JSON: time, precision, title, place, link), at most 1,000
/// (<c>Scripts/incident-add.lua</c> refuses more); no expiry: an incident stays until deleted through
/// the API. The campaign's file incidents are not stored: every instance reads the file at start-up.</description></item>
/// <item><term><c>{prefix}:v1:pause:rate:{platform}:{endpoint}</c></term><description>when a
/// rate-limited endpoint may be called again (Unix ms), expiring then: every instance waits.</description></item>
/// <item><term><c>{prefix}:v1:pause:auth</c></term><description>hash of refused credentials
/// (<c>{platform}:{credential}</c> → message), expiring an hour after the last refusal: instances that
/// did not see the refusal do not try it either. Deleted when an instance starts (its configuration
/// may hold a new credential).</description></item>
/// <item><term><c>{prefix}:v1:spend:{{platform}}:day:{yyyyMMdd}</c>, <c>…:month:{yyyyMM}</c></term><description>
/// hash, the platform's spending ledger for a UTC day and month, shared by every instance: <c>micro</c>
/// (spend in millionths of a US dollar), <c>reads</c> (posts billed), <c>requests</c> (requests billed).
/// Expire 3 and 62 days after they start.</description></item>
/// <item><term><c>{prefix}:v1:quota:{{platform}}:day:{yyyyMMdd}</c></term><description>hash, a platform's
/// daily quota for a UTC day (TikTok's Research API), shared by every instance: <c>requests</c> made,
/// <c>records</c> returned (and reserved by requests in flight), <c>exhausted</c> = 1 once the
/// platform said the day's quota is spent. Expires 2 days after it is written.</description></item>
/// <item><term><c>{prefix}:v1:lease:{{name}}</c>, <c>…:fence</c></term><description>a lease (hash: owner,
/// token) held by one instance for what must not run twice (<c>jetstream</c>, <c>detection</c>),
/// expiring unless renewed; and the counter that gives each new owner a larger fencing token.</description></item>
/// <item><term><c>{prefix}:v1:notice:{id}</c></term><description>a notice to the operators (a spent
/// budget, once a day), claimed by the instance that sends it; expires after 2 days.</description></item>
/// <item><term><c>{prefix}:v1:spend:{{platform}}:read:{yyyyMMdd}</c></term><description>set of the post ids
/// read that UTC day: the platform bills a post once a day however often it is read. Expires 2 days
/// after the day starts.</description></item>
/// <item><term><c>{prefix}:v1:quota:{{platform}}:{quota}</c></term><description>sorted set, a platform's
/// quota of distinct things per rolling window, shared by every instance: member (an Instagram hashtag's
/// comparison key, a Threads search's id) → Unix ms of its first use in its window; members older than
/// the window are dropped as it is taken (<c>Scripts/rolling-take.lua</c>). Quotas:
/// <c>hashtags:{ig-user-id}</c> (30 per 7 days per Instagram account), <c>keyword-searches</c> (Threads,
/// 2,200 per 24 hours per user). Expires one window after the newest member.</description></item>
/// <item><term><c>{prefix}:v1:lookup:{platform}:{table}</c></term><description>hash of names the platform
/// resolves to ids that never change (<c>lookup:instagram:hashtag-ids</c>: hashtag comparison key → Instagram's
/// global hashtag id), so each is asked once per deployment. No expiry.</description></item>
/// </list>
/// Field separators ('|', ':') and '*' cannot occur in a hashtag key, so fields never collide.
/// </remarks>
public sealed class RedisKeySchema(string prefix)
{
    public const string SchemaVersion = "v1";
    public const string AllHashtags = "*";

    /// <summary>Field names after "{platform}|" that are not hashtags.</summary>
    public const string ReportedSuffix = AllHashtags + "|reported";
    public const string PollsOkSuffix = "polls:ok";
    public const string PollsFailedSuffix = "polls:failed";

    /// <summary>Field after "{platform}|" counting the posts read by sampling into the bucket: its count is then a sample, its volume the reported one.</summary>
    public const string SampledSuffix = "sampled";

    /// <summary>Field after "{platform}|" counting the posts of the counter group (<c>CounterHashtags</c>).</summary>
    public const string CounterSuffix = "counter:*";

    /// <summary>Field prefix after "{platform}|" of the posts of one language.</summary>
    public const string LanguagePrefix = "lang:";

    /// <summary>Co-hashtags named per bucket; the rest count under <see cref="AllHashtags"/>.</summary>
    public const int CoHashtagsPerBucket = 200;

    public string CampaignPrefix(string campaignId) => $"{prefix}:{SchemaVersion}:{{{campaignId}}}";

    public RedisKey RatePause(Platform platform, string endpoint) => $"{prefix}:{SchemaVersion}:pause:rate:{platform.Name}:{endpoint}";

    public RedisKey AuthPauses => $"{prefix}:{SchemaVersion}:pause:auth";

    public static string AuthPauseField(Platform platform, string credential) => $"{platform.Name}:{credential}";

    /// <summary>
    /// A platform's own quota: <paramref name="quota"/> names it (a rolling window of
    /// <see cref="RedisQuotaStore"/>, a day of <see cref="RedisDailyQuota"/>); the braces keep a
    /// platform's quota keys in one Redis Cluster slot.
    /// </summary>
    public RedisKey Quota(Platform platform, string quota) => $"{prefix}:{SchemaVersion}:quota:{{{platform.Name}}}:{quota}";

    /// <summary>Names a platform resolves to ids that never change (<see cref="RedisQuotaStore"/>).</summary>
    public RedisKey Lookup(Platform platform, string table) => $"{prefix}:{SchemaVersion}:lookup:{platform.Name}:{table}";

    /// <summary>A lease (<see cref="RedisLeaseStore"/>); braces keep it and its token counter in one Redis Cluster slot.</summary>
    public RedisKey Lease(string name) => $"{prefix}:{SchemaVersion}:lease:{{{name}}}";

    public RedisKey LeaseFence(string name) => $"{prefix}:{SchemaVersion}:lease:{{{name}}}:fence";

    /// <summary>A notice to the operators claimed by the instance that sends it (SET NX with an expiry), so it goes once.</summary>
    public RedisKey Notice(string noticeId) => $"{prefix}:{SchemaVersion}:notice:{noticeId}";

    /// <summary>A platform's ledger keys; the braces keep them in one Redis Cluster slot, as the spend scripts touch them together.</summary>
    public RedisKey SpendDay(Platform platform, DateTimeOffset day) => $"{prefix}:{SchemaVersion}:spend:{{{platform.Name}}}:day:{Resolution.Day.Stamp(day)}";

    public RedisKey SpendMonth(Platform platform, DateTimeOffset day) =>
        $"{prefix}:{SchemaVersion}:spend:{{{platform.Name}}}:month:{day.UtcDateTime.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>A platform's daily quota counters for the UTC day of <paramref name="day"/> (<see cref="RedisDailyQuota"/>).</summary>
    public RedisKey QuotaDay(Platform platform, DateTimeOffset day) => Quota(platform, $"day:{Resolution.Day.Stamp(day)}");

    public RedisKey SpendRead(Platform platform, DateTimeOffset day) => $"{prefix}:{SchemaVersion}:spend:{{{platform.Name}}}:read:{Resolution.Day.Stamp(day)}";

    public RedisKey Bucket(string campaignId, Resolution resolution, DateTimeOffset bucketStart) =>
        $"{CampaignPrefix(campaignId)}:b:{resolution.Label()}:{resolution.Stamp(bucketStart)}";

    public RedisKey Seen(string campaignId, Platform platform, DateTimeOffset minute) =>
        $"{CampaignPrefix(campaignId)}:seen:{platform.Name}:{Resolution.Minute.Stamp(minute)}";

    public RedisKey Authors(string campaignId, Resolution resolution, DateTimeOffset bucketStart, Platform platform) =>
        $"{CampaignPrefix(campaignId)}:authors:{resolution.Label()}:{resolution.Stamp(bucketStart)}:{platform.Name}";

    public RedisKey TopPosts(string campaignId, Resolution resolution, DateTimeOffset bucketStart) =>
        $"{CampaignPrefix(campaignId)}:top:{resolution.Label()}:{resolution.Stamp(bucketStart)}";

    public RedisKey TopPostDetails(string campaignId, Resolution resolution, DateTimeOffset bucketStart) =>
        $"{TopPosts(campaignId, resolution, bucketStart)}:posts";

    public static string TopPostMember(Platform platform, string postId) => $"{platform.Name}:{postId}";

    public RedisKey CoHashtags(string campaignId, Resolution resolution, DateTimeOffset bucketStart) =>
        $"{CampaignPrefix(campaignId)}:co:{resolution.Label()}:{resolution.Stamp(bucketStart)}";

    public RedisKey PollSuccesses(string campaignId) => $"{CampaignPrefix(campaignId)}:polls:ok";

    public static string PollSuccessField(Platform platform, string endpoint) => $"{platform.Name}:{endpoint}";

    public RedisKey Cursor(string campaignId, Platform platform, string stream) =>
        $"{CampaignPrefix(campaignId)}:cursor:{platform.Name}:{stream}";

    public RedisKey AlertClaim(string campaignId, string series, string direction) =>
        $"{CampaignPrefix(campaignId)}:alerts:claim:{series}:{direction}";

    public RedisKey AlertsEvaluated(string campaignId, string series) =>
        $"{CampaignPrefix(campaignId)}:alerts:evaluated:{series}";

    public RedisKey AlertLog(string campaignId) => $"{CampaignPrefix(campaignId)}:alerts:log";

    public RedisKey AlertsPending(string campaignId) => $"{CampaignPrefix(campaignId)}:alerts:pending";

    public RedisKey AlertSending(string campaignId, string alertId) => $"{CampaignPrefix(campaignId)}:alerts:sending:{alertId}";

    /// <summary>Marks an alert id as raised, for as long as a judgement can be repeated: the minute retention.</summary>
    public RedisKey AlertRaised(string campaignId, string alertId) => $"{CampaignPrefix(campaignId)}:alerts:raised:{alertId}";

    /// <summary>The sinks that took a pending alert: a resend goes only to the others.</summary>
    public RedisKey AlertDelivered(string campaignId, string alertId) => $"{CampaignPrefix(campaignId)}:alerts:delivered:{alertId}";

    /// <summary>The campaign's incidents posted through the API (<see cref="RedisIncidentStore"/>).</summary>
    public RedisKey Incidents(string campaignId) => $"{CampaignPrefix(campaignId)}:incidents";

    public static string CountField(Platform platform, string hashtagKey) => $"{platform.Name}|{hashtagKey}";

    public static string TotalField(Platform platform) => CountField(platform, AllHashtags);

    public static string LanguageField(Platform platform, string language) => $"{platform.Name}|{LanguagePrefix}{language}";

    public static string CounterTotalField(Platform platform) => CountField(platform, CounterSuffix);

    public static string ReportedField(Platform platform) => $"{platform.Name}|{ReportedSuffix}";

    public static string SampledField(Platform platform) => $"{platform.Name}|{SampledSuffix}";

    public static string PollsField(Platform platform, bool ok) => $"{platform.Name}|{(ok ? PollsOkSuffix : PollsFailedSuffix)}";

    /// <summary>Reads a count field name back: (platform, what) where what is a hashtag key, "*", "lang:xx" or "*|reported".</summary>
    public static bool TryParseField(string field, out Platform platform, out string what)
    {
        var bar = field.IndexOf('|', StringComparison.Ordinal);
        what = bar < 0 ? string.Empty : field[(bar + 1)..];
        return Platform.TryParse(bar < 0 ? null : field[..bar], out platform);
    }

    public static long UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();
}
