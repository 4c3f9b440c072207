using System.Net.Http.Headers;
using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.X;

public static class XServiceCollectionExtensions
{
    /// <summary>Registers <see cref="XApiClient"/> with its base address, bearer token and the shared resilience.</summary>
    public static IServiceCollection AddXClient(this IServiceCollection services)
    {
        services.AddPlatformClient<XApiClient, XOptions>(o => o.Platforms.X, o => o.RequestTimeout, (o, http) =>
        {
            http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
            if (!string.IsNullOrEmpty(o.BearerToken))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.BearerToken);
            }
        });
        return services;
    }
}
