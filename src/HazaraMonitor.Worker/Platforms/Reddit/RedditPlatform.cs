
namespace HazaraMonitor.Worker.Platforms.Reddit;

/// <summary>Reddit search with an app-only OAuth token.</summary>
internal static class RedditPlatform
{
    public static readonly Platform Id = new("reddit");

    public static readonly PlatformDefinition Definition = new(Id, "Reddit");

    /// <summary>
    /// Registers Reddit's options, its client against <c>BaseUrl</c> with Reddit's own User-Agent and
    /// the one app-only token every poll shares, and its search poll.
    /// </summary>
    public static IServiceCollection AddRedditPlatform(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokenCache<RedditClient>>();
        return services
            .AddPlatform<RedditOptions, RedditOptionsValidator>(Definition)
            .Client<RedditClient>(o => o.RequestTimeout, (o, http) =>
            {
                http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
                // Reddit throttles generic agents; its format (platform:appid:version (by /u/name)) is not a product token.
                http.DefaultRequestHeaders.UserAgent.Clear();
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", o.UserAgent);
            })
            .Poll<RedditSearchJob>("reddit-search", o => o.Schedule)
            .Services;
    }
}
