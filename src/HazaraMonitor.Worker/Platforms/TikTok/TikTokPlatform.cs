
namespace HazaraMonitor.Worker.Platforms.TikTok;

/// <summary>TikTok's Research API video query, for approved research projects.</summary>
internal static class TikTokPlatform
{
    public static readonly Platform Id = new("tiktok");

    public static readonly PlatformDefinition Definition = new(Id, "TikTok");

    /// <summary>
    /// Registers TikTok's options, its client against <c>BaseUrl</c> with the one client access token
    /// every poll shares, the daily quota every instance shares and its health check, and the query poll.
    /// </summary>
    public static IServiceCollection AddTikTokPlatform(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenCache<TikTokClient>>();
        services.AddSingleton<TikTokQuota>();
        services.AddHealthChecks().AddCheck<TikTokQuotaHealthCheck>(TikTokQuotaHealthCheck.Name);
        return services
            .AddPlatform<TikTokOptions, TikTokOptionsValidator>(Definition)
            .Client<TikTokClient>(o => o.RequestTimeout, (o, http) => http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/"))
            .Poll<TikTokQueryJob>("tiktok-query", o => o.Schedule)
            .Services;
    }
}
