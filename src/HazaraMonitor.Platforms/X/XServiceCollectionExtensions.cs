using System.Net.Http.Headers;
using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Platforms.X;

public static class XServiceCollectionExtensions
{
    /// <summary>Registers <see cref="XApiClient"/> with its base address, bearer token and the shared resilience.</summary>
    public static IServiceCollection AddXClient(this IServiceCollection services)
    {
        services.AddHttpClient<XApiClient>((sp, http) =>
            {
                var x = sp.GetRequiredService<IOptions<HazaraMonitorOptions>>().Value.Platforms.X;
                http.BaseAddress = new Uri(x.BaseUrl.TrimEnd('/') + "/");
                if (!string.IsNullOrEmpty(x.BearerToken))
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", x.BearerToken);
                }

                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HazaraMonitor", "1.0"));
                // The resilience pipeline owns timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddPlatformResilience(sp => sp.GetRequiredService<IOptions<HazaraMonitorOptions>>().Value.Platforms.X.RequestTimeout);
        return services;
    }
}
