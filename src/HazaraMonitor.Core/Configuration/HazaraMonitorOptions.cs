namespace HazaraMonitor.Core.Configuration;

/// <summary>Everything under the <c>HazaraMonitor</c> configuration section.</summary>
public sealed class HazaraMonitorOptions
{
    public const string SectionName = "HazaraMonitor";

    /// <summary>Where counts, cursors and sketches live.</summary>
    public RedisOptions Redis { get; set; } = new();

    /// <summary>One section per platform.</summary>
    public PlatformsOptions Platforms { get; set; } = new();

    /// <summary>Metrics read from Redis.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The spike and dip detector's settings (every one has a default).</summary>
    public Detection.SpikeDetectorSettings Detection { get; set; } = new();

    /// <summary>Live detection and where alerts go.</summary>
    public AlertsOptions Alerts { get; set; } = new();

    /// <summary>The campaigns to follow. At least one is required.</summary>
    public List<CampaignOptions> Campaigns { get; set; } = [];
}

/// <summary>Redis connection and retention.</summary>
public sealed class RedisOptions
{
    /// <summary>StackExchange.Redis configuration string. Default <c>localhost:6379</c>.</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>First segment of every key, so several deployments can share one Redis. Default <c>hm</c>.</summary>
    public string KeyPrefix { get; set; } = "hm";

    /// <summary>
    /// How long 1-minute buckets are kept. Default 22 days: live detection learns from three weeks of
    /// minutes (the tail model's <c>HistoryBlocks</c>) and one day more; a shorter retention gives it less.
    /// </summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(22);

    /// <summary>How long 1-hour buckets are kept. Default 90 days.</summary>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long 1-day buckets are kept. Default 3 years.</summary>
    public TimeSpan DayRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>
    /// How long a post id is remembered for de-duplication, counted from the end of the post's UTC day.
    /// Posts older than this are refused (and counted as such) rather than risk counting them twice.
    /// Default 8 days.
    /// </summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(8);

    public TimeSpan RetentionOf(Time.Resolution resolution) => resolution switch
    {
        Time.Resolution.Minute => MinuteRetention,
        Time.Resolution.Hour => HourRetention,
        Time.Resolution.Day => DayRetention,
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };

    /// <summary>When the bucket of <paramref name="resolution"/> that starts at <paramref name="start"/> expires: its retention after its end.</summary>
    public DateTimeOffset ExpiresAt(Time.Resolution resolution, DateTimeOffset start) => start + Time.Buckets.Width(resolution) + RetentionOf(resolution);
}

/// <summary>How the gauges read from Redis are refreshed.</summary>
public sealed class MetricsOptions
{
    /// <summary>Quartz cron for re-reading bucket volumes, unique authors and completeness from Redis. Default every 15 s: <c>0/15 * * * * ?</c>.</summary>
    public string RefreshSchedule { get; set; } = "0/15 * * * * ?";
}

/// <summary>Per-platform sections.</summary>
public sealed class PlatformsOptions
{
    /// <summary>X API v2.</summary>
    public XOptions X { get; set; } = new();

    /// <summary>Mastodon instances' public tag timelines.</summary>
    public MastodonOptions Mastodon { get; set; } = new();

    /// <summary>Bluesky: the Jetstream firehose and the searchPosts fallback.</summary>
    public BlueskyOptions Bluesky { get; set; } = new();

    /// <summary>Reddit search with an app-only OAuth token.</summary>
    public RedditOptions Reddit { get; set; } = new();

    /// <summary>
    /// False when <c>Platforms:&lt;P&gt;:Enabled</c> turns the platform off: every campaign then skips it,
    /// so a deployment configured only by environment can follow just the platforms it has credentials for.
    /// </summary>
    public bool IsEnabled(Posts.Platform platform) => platform switch
    {
        Posts.Platform.X => X.Enabled,
        Posts.Platform.Mastodon => Mastodon.Enabled,
        Posts.Platform.Bluesky => Bluesky.Enabled,
        Posts.Platform.Reddit => Reddit.Enabled,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>The platforms turned off by <c>Platforms:&lt;P&gt;:Enabled=false</c>, in <see cref="Posts.PlatformNames.All"/> order.</summary>
    public IReadOnlyList<Posts.Platform> DisabledPlatforms() => [.. Posts.PlatformNames.All.Where(p => !IsEnabled(p))];

    /// <summary>The configuration key that turns <paramref name="platform"/> on or off, e.g. <c>HazaraMonitor:Platforms:Reddit:Enabled</c>.</summary>
    public static string EnabledKey(Posts.Platform platform) => $"{HazaraMonitorOptions.SectionName}:Platforms:{platform}:Enabled";
}

/// <summary>How Bluesky is read.</summary>
public enum BlueskyMode
{
    /// <summary>Only the Jetstream WebSocket: every post within about a second, no request limits.</summary>
    Jetstream,

    /// <summary>Only <c>app.bsky.feed.searchPosts</c> polls (needs an account: unauthenticated search is usually refused).</summary>
    Search,

    /// <summary>Both; a post read by both is counted once.</summary>
    Both,
}

/// <summary>Bluesky settings.</summary>
public sealed class BlueskyOptions
{
    /// <summary>
    /// Whether campaigns follow Bluesky at all. Default true. False skips it for every campaign (no polls,
    /// no stream, no credentials required, not counted in series, detection or health), e.g.
    /// <c>HazaraMonitor__Platforms__Bluesky__Enabled=false</c> for a deployment without its credentials.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Jetstream</c>, <c>Search</c> or <c>Both</c>. Default <c>Jetstream</c>.</summary>
    public BlueskyMode Mode { get; set; } = BlueskyMode.Jetstream;

    /// <summary>Jetstream subscribe URL (ws or wss). Default <c>wss://jetstream2.us-east.bsky.network/subscribe</c>.</summary>
    public string JetstreamUrl { get; set; } = "wss://jetstream2.us-east.bsky.network/subscribe";

    /// <summary>
    /// How far back the very first connection replays (Jetstream keeps about 36 hours). Later
    /// connections resume from the committed cursor. Default 1 hour.
    /// </summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How far before the committed cursor a reconnect starts, so nothing between the last commit
    /// and the drop is missed; the replayed posts are recognised as duplicates. Default 5 s.
    /// </summary>
    public TimeSpan ReplayOverlap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time a matching post waits in memory before its batch is committed. Default 500 ms (posts are counted within 2 s).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most posts per campaign in one commit; a fuller batch is committed at once. Default 1000.</summary>
    public int MaxBatch { get; set; } = 1000;

    /// <summary>Longest wait between reconnect attempts (the wait doubles from 1 s up to this). Default 1 minute.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Base URL for searchPosts: the public AppView, or your PDS when signing in. Default <c>https://public.api.bsky.app</c>.</summary>
    public string SearchBaseUrl { get; set; } = "https://public.api.bsky.app";

    /// <summary>Handle or email to sign in with (<c>com.atproto.server.createSession</c> on <see cref="SearchBaseUrl"/>); optional.</summary>
    public string? Identifier { get; set; }

    /// <summary>App password for <see cref="Identifier"/>. A secret: set it in the environment (<c>HazaraMonitor__Platforms__Bluesky__AppPassword</c>).</summary>
    public string? AppPassword { get; set; }

    /// <summary>Quartz cron for search polls. Default every 2 minutes at second 35: <c>35 */2 * * * ?</c>.</summary>
    public string SearchSchedule { get; set; } = "35 */2 * * * ?";

    /// <summary>Most search pages (100 posts each) one poll may read. Default 3.</summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Reddit settings.</summary>
public sealed class RedditOptions
{
    /// <summary>
    /// Whether campaigns follow Reddit at all. Default true. False skips it for every campaign (no polls,
    /// no stream, no credentials required, not counted in series, detection or health), e.g.
    /// <c>HazaraMonitor__Platforms__Reddit__Enabled=false</c> for a deployment without its credentials.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>OAuth API host. Default <c>https://oauth.reddit.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://oauth.reddit.com";

    /// <summary>Token endpoint for the app-only <c>client_credentials</c> grant. Default <c>https://www.reddit.com/api/v1/access_token</c>.</summary>
    public string TokenUrl { get; set; } = "https://www.reddit.com/api/v1/access_token";

    /// <summary>The app's client id (a "script" or "web" app at reddit.com/prefs/apps). Required when a campaign follows Reddit.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's secret. A secret: set it in the environment (<c>HazaraMonitor__Platforms__Reddit__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The User-Agent Reddit asks for: unique and descriptive, <c>platform:appid:version (by /u/name)</c>;
    /// generic ones are throttled. Default <c>server:hazaramonitor:1.0</c>; add your account.
    /// </summary>
    public string UserAgent { get; set; } = "server:hazaramonitor:1.0";

    /// <summary>Quartz cron for polls. Default every minute at second 50: <c>50 * * * * ?</c> (the free tier allows 100 requests a minute).</summary>
    public string Schedule { get; set; } = "50 * * * * ?";

    /// <summary>Most pages (100 posts each) one poll may read; listings end near 1,000 posts anyway. Default 3.</summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>How far back the very first poll reaches. Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Mastodon settings.</summary>
public sealed class MastodonOptions
{
    /// <summary>
    /// Whether campaigns follow Mastodon at all. Default true. False skips it for every campaign (no polls,
    /// no stream, no credentials required, not counted in series, detection or health), e.g.
    /// <c>HazaraMonitor__Platforms__Mastodon__Enabled=false</c> for a deployment without its credentials.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The instances to read. A tag timeline holds only the posts its instance knows, so reading a few
    /// large instances covers more of the fediverse; a post federated to several is counted once.
    /// No default in code (a bound list would be appended to it): appsettings.json lists them.
    /// </summary>
    public List<MastodonInstanceOptions> Instances { get; set; } = [];

    /// <summary>Quartz cron for polls. Default every minute at second 20: <c>20 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "20 * * * * ?";

    /// <summary>Quartz cron for reading the tags' 7-day history (the instances' own daily counts). Default hourly: <c>0 7 * * * ?</c>.</summary>
    public string HistorySchedule { get; set; } = "0 7 * * * ?";

    /// <summary>
    /// Most pages (40 posts each) one poll of one instance may read. Paging requests share a
    /// 300-per-15-minutes throttle per IP, so with 2 tag groups and a poll a minute, 10 pages
    /// would exhaust it in a surge; the rest continues at the next poll. Default 3.
    /// </summary>
    public int MaxPagesPerPoll { get; set; } = 3;

    /// <summary>How far back the first poll of an instance reaches (status ids are time-based). Default 1 hour.</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>One Mastodon instance.</summary>
public sealed class MastodonInstanceOptions
{
    /// <summary>Base URL, e.g. <c>https://mastodon.social</c>.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>
    /// Optional app or user token, for instances that disabled public hashtag feeds. A secret: set it
    /// in the environment (<c>HazaraMonitor__Platforms__Mastodon__Instances__0__AccessToken</c>).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// The instance's name in job names, cursors, health and metric tags: its host, with port and
    /// path when the URL has them (so two instances behind one host stay apart).
    /// </summary>
    public string Name
    {
        get
        {
            var uri = new Uri(BaseUrl);
            return (uri.IsDefaultPort ? uri.Host : uri.Authority) + uri.AbsolutePath.TrimEnd('/');
        }
    }

    /// <summary>The instance a Mastodon job's target (its index in configuration) names.</summary>
    public static MastodonInstanceOptions ForTarget(MastodonOptions mastodon, string? target) =>
        int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < mastodon.Instances.Count
            ? mastodon.Instances[index]
            : throw new ArgumentException($"Mastodon job target '{target}' names no configured instance.", nameof(target));
}

/// <summary>What the X connector reads.</summary>
public enum XMode
{
    /// <summary>Only <c>/2/tweets/counts/recent</c>: volume at $0.005 a call, no posts.</summary>
    Counts,

    /// <summary>Only <c>/2/tweets/search/recent</c>: the posts themselves, $0.005 a post.</summary>
    Search,

    /// <summary>Both.</summary>
    Both,
}

/// <summary>X API v2 settings.</summary>
public sealed class XOptions
{
    /// <summary>
    /// Whether campaigns follow X at all. Default true. False skips it for every campaign (no polls,
    /// no stream, no credentials required, not counted in series, detection or health), e.g.
    /// <c>HazaraMonitor__Platforms__X__Enabled=false</c> for a deployment without its credentials.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Base URL of the API. Default <c>https://api.x.com</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.x.com";

    /// <summary>OAuth 2.0 app-only bearer token. A secret: set it through the environment or user secrets.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Quartz cron expression for polls. Default every minute at second 5: <c>5 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "5 * * * * ?";

    /// <summary><c>Counts</c>, <c>Search</c> or <c>Both</c>. Default <c>Both</c>.</summary>
    public XMode Mode { get; set; } = XMode.Both;

    /// <summary>
    /// Most search pages (100 posts each) one poll may read; the rest continue at the next poll from
    /// the stored <c>next_token</c>. Bounds the cost of a poll at pay-per-use prices. Default 10.
    /// </summary>
    public int MaxPagesPerPoll { get; set; } = 10;

    /// <summary>How far back the very first search of a campaign reaches. Default 1 hour (at most 7 days).</summary>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt. Default 20 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>One campaign: a group of hashtags followed on some platforms.</summary>
public sealed class CampaignOptions
{
    /// <summary>URL-safe slug: lower-case letters, digits and '-', e.g. <c>stop-hazara-genocide</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The hashtags, with or without '#'. The first is the canonical name of the group; variants and
    /// other-script spellings listed beside it count for the campaign too.
    /// </summary>
    public List<string> Hashtags { get; set; } = [];

    /// <summary>Platforms to follow it on: <c>x</c>, <c>mastodon</c>, <c>bluesky</c>, <c>reddit</c>.</summary>
    public List<string> Platforms { get; set; } = [];
}

/// <summary>Live detection on closed 1-minute buckets, and the alert sinks.</summary>
public sealed class AlertsOptions
{
    /// <summary>Quartz cron for evaluating the closed minutes. Default every minute at second 15: <c>15 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "15 * * * * ?";

    /// <summary>
    /// When false (the default) only the campaign's all-platform total raises alerts; each platform's
    /// series is still judged and scored (<c>hazaramonitor.anomaly.score</c>). True: each platform alerts too.
    /// </summary>
    public bool PerPlatform { get; set; }

    /// <summary>The same campaign, series and direction alert at most once in this time, across restarts and instances. Default 1 hour.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A quiet minute whose polls did not all succeed, or that no read has covered yet, is evaluated
    /// only once this much time has passed since it ended or since the worker started, whichever is
    /// later (retried polls may still fill it); an alert on it then says how complete it was.
    /// Default 3 minutes.
    /// </summary>
    public TimeSpan IncompleteWait { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Where people reach this worker's API or dashboard; alerts link to the series there. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Incoming webhooks that receive every alert.</summary>
    public List<WebhookSinkOptions> Webhooks { get; set; } = [];

    /// <summary>Email over SMTP; off while <see cref="EmailSinkOptions.Host"/> is empty.</summary>
    public EmailSinkOptions Email { get; set; } = new();
}

/// <summary>What an incoming webhook expects.</summary>
public enum WebhookKind
{
    /// <summary>The alert as JSON (see README): for your own receiver.</summary>
    Json,

    /// <summary>Slack incoming webhook (<c>{"text": ...}</c>).</summary>
    Slack,

    /// <summary>Discord webhook (<c>{"content": ...}</c>).</summary>
    Discord,

    /// <summary>Microsoft Teams incoming webhook (a MessageCard).</summary>
    Teams,
}

/// <summary>One webhook sink.</summary>
public sealed class WebhookSinkOptions
{
    /// <summary>A name for logs and metrics (the URL is a secret and is never shown), e.g. <c>responders-slack</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>Json</c>, <c>Slack</c>, <c>Discord</c> or <c>Teams</c>.</summary>
    public WebhookKind Kind { get; set; } = WebhookKind.Json;

    /// <summary>The webhook URL. A secret: set it in the environment (<c>HazaraMonitor__Alerts__Webhooks__0__Url</c>).</summary>
    public string? Url { get; set; }
}

/// <summary>The email sink.</summary>
public sealed class EmailSinkOptions
{
    /// <summary>SMTP server; empty: no email.</summary>
    public string? Host { get; set; }

    /// <summary>SMTP port. Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Use STARTTLS. Default true.</summary>
    public bool EnableSsl { get; set; } = true;

    /// <summary>Sender address.</summary>
    public string? From { get; set; }

    /// <summary>Recipients.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>SMTP user, if the server wants one.</summary>
    public string? Username { get; set; }

    /// <summary>SMTP password. A secret: set it in the environment (<c>HazaraMonitor__Alerts__Email__Password</c>).</summary>
    public string? Password { get; set; }
}
