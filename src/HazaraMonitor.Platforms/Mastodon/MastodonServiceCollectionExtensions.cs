using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.Mastodon;

public static class MastodonServiceCollectionExtensions
{
    /// <summary>Registers <see cref="MastodonClient"/> (one client for every instance: requests carry absolute URLs) with the shared resilience.</summary>
    public static IServiceCollection AddMastodonClient(this IServiceCollection services)
    {
        services.AddPlatformClient<MastodonClient>(o => o.Platforms.Mastodon.RequestTimeout);
        return services;
    }
}
