
namespace HazaraMonitor.Worker.Platforms.Bluesky;

/// <summary>Bluesky: the Jetstream firehose (<see cref="JetstreamConsumer"/>, a hosted service) and the searchPosts fallback.</summary>
internal static class BlueskyPlatform
{
    public static readonly Platform Id = new("bluesky");

    public static readonly PlatformDefinition Definition = new(Id, "Bluesky");

    /// <summary>
    /// Registers Bluesky's options, the search client against <c>SearchBaseUrl</c> with the one
    /// signed-in session every search shares, the Jetstream client and its consumer, and the search
    /// poll when <c>Mode</c> asks for it.
    /// </summary>
    public static IServiceCollection AddBlueskyPlatform(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenCache<BlueskySearchClient>>();
        services.AddSingleton<IJetstreamClient, JetstreamClient>();
        services.AddHostedService<JetstreamConsumer>();
        return services
            .AddPlatform<BlueskyOptions, BlueskyOptionsValidator>(Definition)
            .Client<BlueskySearchClient>(o => o.RequestTimeout, (o, http) => http.BaseAddress = new Uri(o.SearchBaseUrl.TrimEnd('/') + "/"))
            .Poll<BlueskySearchJob>("bluesky-search", o => o.SearchSchedule, when: o => o.Mode is not BlueskyMode.Jetstream)
            .Services;
    }
}
