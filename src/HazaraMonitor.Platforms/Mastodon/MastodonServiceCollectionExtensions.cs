using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.Mastodon;

public static class MastodonServiceCollectionExtensions
{
    /// <summary>Registers <see cref="MastodonClient"/> (one client for every instance: requests carry absolute URLs) with the shared resilience.</summary>
    public static IServiceCollection AddMastodonClient(this IServiceCollection services)
    {
        services.AddPlatformClient<MastodonClient, MastodonOptions>(o => o.Platforms.Mastodon, o => o.RequestTimeout);
        return services;
    }
}
