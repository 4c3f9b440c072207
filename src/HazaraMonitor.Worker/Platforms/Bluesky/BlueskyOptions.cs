using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Platforms.Bluesky;

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
public sealed class BlueskyOptions : PlatformOptions, ISweepOptions
{
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

/// <summary>Checks <c>HazaraMonitor:Platforms:Bluesky</c> when a campaign follows Bluesky: the keys of the mode it reads in.</summary>
internal sealed class BlueskyOptionsValidator(IConfiguration configuration) : PlatformOptionsValidator<BlueskyOptions>(configuration)
{
    protected override PlatformDefinition Platform => BlueskyPlatform.Definition;

    protected override void Check(BlueskyOptions bluesky, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems)
    {
        if (!problems.OneOf(bluesky.Mode, nameof(bluesky.Mode)))
        {
            return;
        }

        if (bluesky.Mode is BlueskyMode.Jetstream or BlueskyMode.Both)
        {
            if (!Uri.TryCreate(bluesky.JetstreamUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeWs && uri.Scheme != Uri.UriSchemeWss))
            {
                problems.Add(nameof(bluesky.JetstreamUrl), $"must be an absolute ws or wss URL such as wss://jetstream2.us-east.bsky.network/subscribe (got '{bluesky.JetstreamUrl}').");
            }

            if (bluesky.InitialLookback <= TimeSpan.Zero || bluesky.InitialLookback > TimeSpan.FromHours(36))
            {
                problems.Add(nameof(bluesky.InitialLookback), $"must be more than 0 and at most 1.12:00:00, what Jetstream replays (got {bluesky.InitialLookback}).");
            }

            if (bluesky.ReplayOverlap < TimeSpan.Zero)
            {
                problems.Add(nameof(bluesky.ReplayOverlap), $"must not be negative (got {bluesky.ReplayOverlap}).");
            }

            if (bluesky.FlushInterval <= TimeSpan.Zero || bluesky.FlushInterval > TimeSpan.FromSeconds(2))
            {
                problems.Add(nameof(bluesky.FlushInterval), $"must be more than 0 and at most 00:00:02, the promise of counting a post within 2 s (got {bluesky.FlushInterval}).");
            }

            problems.Between(bluesky.MaxBatch, 1, 10_000, nameof(bluesky.MaxBatch));
            problems.Positive(bluesky.ReconnectMaxDelay, nameof(bluesky.ReconnectMaxDelay));
        }

        if (bluesky.Mode is BlueskyMode.Search or BlueskyMode.Both)
        {
            problems.HttpUrl(bluesky.SearchBaseUrl, nameof(bluesky.SearchBaseUrl));
            if (string.IsNullOrWhiteSpace(bluesky.Identifier) != string.IsNullOrWhiteSpace(bluesky.AppPassword))
            {
                problems.Add(nameof(bluesky.Identifier), $"and {problems.Key(nameof(bluesky.AppPassword))} go together: set both to sign in, or neither to search unauthenticated (usually refused); set the password in the environment (HazaraMonitor__Platforms__Bluesky__AppPassword).");
            }

            problems.Cron(bluesky.SearchSchedule, nameof(bluesky.SearchSchedule));
            problems.Between(bluesky.MaxPagesPerPoll, 1, 100, nameof(bluesky.MaxPagesPerPoll));
            problems.Positive(bluesky.RequestTimeout, nameof(bluesky.RequestTimeout));
        }
    }
}
