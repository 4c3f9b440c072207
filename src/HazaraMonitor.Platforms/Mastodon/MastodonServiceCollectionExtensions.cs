using System.Net.Http.Headers;
using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Platforms.Mastodon;

public static class MastodonServiceCollectionExtensions
{
    /// <summary>Registers <see cref="MastodonClient"/> (one client for every instance) with the shared resilience.</summary>
    public static IServiceCollection AddMastodonClient(this IServiceCollection services)
    {
        services.AddHttpClient<MastodonClient>(http =>
            {
                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HazaraMonitor", "1.0"));
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddPlatformResilience(sp => sp.GetRequiredService<IOptions<HazaraMonitorOptions>>().Value.Platforms.Mastodon.RequestTimeout);
        return services;
    }
}
