using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.X;

public static class XServiceCollectionExtensions
{
    /// <summary>Registers <see cref="XApiClient"/> with its base address, bearer token and the shared resilience.</summary>
    public static IServiceCollection AddXClient(this IServiceCollection services)
    {
        services.AddPlatformClient<XApiClient>(o => o.Platforms.X.RequestTimeout, (o, http) =>
        {
            http.BaseAddress = new Uri(o.Platforms.X.BaseUrl.TrimEnd('/') + "/");
            if (!string.IsNullOrEmpty(o.Platforms.X.BearerToken))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Platforms.X.BearerToken);
            }
        });
        return services;
    }
}
