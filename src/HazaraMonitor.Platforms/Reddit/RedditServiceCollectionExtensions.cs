using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.Platforms.Reddit;

public static class RedditServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedditClient"/> against <c>BaseUrl</c> with Reddit's own User-Agent, the
    /// shared resilience and the one app-only token every poll shares.
    /// </summary>
    public static IServiceCollection AddRedditClient(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenCache<RedditClient>>();
        services.AddPlatformClient<RedditClient, RedditOptions>(o => o.Platforms.Reddit, o => o.RequestTimeout, (o, http) =>
        {
            http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
            // Reddit throttles generic agents; its format (platform:appid:version (by /u/name)) is not a product token.
            http.DefaultRequestHeaders.UserAgent.Clear();
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", o.UserAgent);
        });
        return services;
    }
}
