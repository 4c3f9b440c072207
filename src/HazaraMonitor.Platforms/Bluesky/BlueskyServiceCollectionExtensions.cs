using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.Bluesky;

public static class BlueskyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BlueskySearchClient"/> against <c>SearchBaseUrl</c> with the shared
    /// resilience, the one signed-in session every search shares, and the Jetstream client the
    /// consumer reads the firehose with.
    /// </summary>
    public static IServiceCollection AddBlueskyClient(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenCache<BlueskySearchClient>>();
        services.AddPlatformClient<BlueskySearchClient, BlueskyOptions>(
            o => o.Platforms.Bluesky,
            o => o.RequestTimeout,
            (o, http) => http.BaseAddress = new Uri(o.SearchBaseUrl.TrimEnd('/') + "/"));
        services.AddSingleton<IJetstreamClient, JetstreamClient>();
        return services;
    }
}
