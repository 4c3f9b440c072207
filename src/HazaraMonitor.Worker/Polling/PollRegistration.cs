using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Platforms.Bluesky;
using HazaraMonitor.Platforms.Mastodon;
using HazaraMonitor.Platforms.Reddit;
using HazaraMonitor.Platforms.X;
using Quartz;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// One poll a platform registers (<see cref="PlatformRegistrations"/>): the scheduler adds a job of
/// <paramref name="Job"/> per campaign following <paramref name="Platform"/> and per target, named
/// <c>{Name}[.{target}].{campaign}</c>, on the cron <paramref name="Schedule"/> reads.
/// </summary>
/// <param name="Targets">What the job reads within its platform (a Mastodon instance): per target its name and the job data the job finds it by; null for one job per campaign.</param>
/// <param name="When">Whether the configuration asks for this poll at all (a mode that reads another way); null: always.</param>
internal sealed record PollRegistration(
    Platform Platform,
    string Name,
    Type Job,
    Func<HazaraMonitorOptions, string> Schedule,
    Func<HazaraMonitorOptions, IReadOnlyList<(string Name, string Data)>>? Targets = null,
    Func<HazaraMonitorOptions, bool>? When = null);

/// <summary>What each platform adds to the worker: its client, its poll jobs and their schedules. One line per platform in <c>AddPolling</c>.</summary>
internal static class PlatformRegistrations
{
    public static IServiceCollection AddXPlatform(this IServiceCollection services) => services
        .AddXClient()
        .AddPoll<XSearchJob>(Platform.X, "x-search", o => o.Platforms.X.Schedule, when: o => o.Platforms.X.Mode is XMode.Search or XMode.Both)
        .AddPoll<XCountsJob>(Platform.X, "x-counts", o => o.Platforms.X.Schedule, when: o => o.Platforms.X.Mode is XMode.Counts or XMode.Both);

    public static IServiceCollection AddMastodonPlatform(this IServiceCollection services) => services
        .AddMastodonClient()
        .AddPoll<MastodonTimelineJob>(Platform.Mastodon, "mastodon", o => o.Platforms.Mastodon.Schedule, MastodonInstances)
        .AddPoll<MastodonTagHistoryJob>(Platform.Mastodon, "mastodon-history", o => o.Platforms.Mastodon.HistorySchedule, MastodonInstances);

    /// <summary>Search is polled here; Jetstream is followed by <see cref="Streaming.JetstreamConsumer"/>, a hosted service.</summary>
    public static IServiceCollection AddBlueskyPlatform(this IServiceCollection services) => services
        .AddBlueskyClient()
        .AddHostedService<Streaming.JetstreamConsumer>()
        .AddPoll<BlueskySearchJob>(Platform.Bluesky, "bluesky-search", o => o.Platforms.Bluesky.SearchSchedule, when: o => o.Platforms.Bluesky.Mode is not BlueskyMode.Jetstream);

    public static IServiceCollection AddRedditPlatform(this IServiceCollection services) => services
        .AddRedditClient()
        .AddPoll<RedditSearchJob>(Platform.Reddit, "reddit-search", o => o.Platforms.Reddit.Schedule);

    private static IReadOnlyList<(string Name, string Data)> MastodonInstances(HazaraMonitorOptions options) =>
        [.. options.Platforms.Mastodon.Instances.Select((instance, i) => (instance.Name, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static IServiceCollection AddPoll<TJob>(
        this IServiceCollection services, Platform platform, string name, Func<HazaraMonitorOptions, string> schedule,
        Func<HazaraMonitorOptions, IReadOnlyList<(string Name, string Data)>>? targets = null, Func<HazaraMonitorOptions, bool>? when = null)
        where TJob : class, IJob
    {
        services.AddTransient<TJob>();
        return services.AddSingleton(new PollRegistration(platform, name, typeof(TJob), schedule, targets, when));
    }
}
