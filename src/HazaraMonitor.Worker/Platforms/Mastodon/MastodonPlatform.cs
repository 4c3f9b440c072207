
namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>Mastodon instances' public tag timelines, and their tags' 7-day history.</summary>
internal static class MastodonPlatform
{
    public static readonly Platform Id = new("mastodon");

    public static readonly PlatformDefinition Definition = new(Id, "Mastodon");

    /// <summary>
    /// Registers Mastodon's options, one client for every instance (requests carry absolute URLs), and
    /// per instance a timeline poll and a tag-history poll.
    /// </summary>
    public static IServiceCollection AddMastodonPlatform(this IServiceCollection services) => services
        .AddPlatform<MastodonOptions, MastodonOptionsValidator>(Definition)
        .Client<MastodonClient>(o => o.RequestTimeout)
        .Poll<MastodonTimelineJob>("mastodon", o => o.Schedule, Instances)
        .Poll<MastodonTagHistoryJob>("mastodon-history", o => o.HistorySchedule, Instances)
        .Services;

    private static IReadOnlyList<(string Name, string Data)> Instances(MastodonOptions options) =>
        [.. options.Instances.Select((instance, i) => (instance.Name, i.ToString(CultureInfo.InvariantCulture)))];
}
