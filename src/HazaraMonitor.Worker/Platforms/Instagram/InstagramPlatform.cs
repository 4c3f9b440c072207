using System.Net.Http.Headers;

namespace HazaraMonitor.Worker.Platforms.Instagram;

/// <summary>Instagram's Graph API hashtag search: <c>ig_hashtag_search</c> and <c>recent_media</c>.</summary>
internal static class InstagramPlatform
{
    public static readonly Platform Id = new("instagram");

    /// <summary>Hashtag search gives no author, so Instagram's unique authors are not available.</summary>
    public static readonly PlatformDefinition Definition = new(Id, "Instagram", NamesAuthors: false);

    /// <summary>
    /// Registers Instagram's options, its client against <c>BaseUrl</c> with the access token as a
    /// bearer header, the week's hashtag places every poll shares, its health check, and its poll.
    /// </summary>
    public static IServiceCollection AddInstagramPlatform(this IServiceCollection services)
    {
        services.AddSingleton<InstagramHashtags>();
        services.AddSingleton<IHashtagCoverage>(sp => sp.GetRequiredService<InstagramHashtags>());
        services.AddHealthChecks().AddCheck<InstagramHealthCheck>(Id.Name);
        return services
            .AddPlatform<InstagramOptions, InstagramOptionsValidator>(Definition)
            .Client<InstagramClient>(o => o.RequestTimeout, (o, http) =>
            {
                http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
                if (!string.IsNullOrEmpty(o.AccessToken))
                {
                    // A header, never the access_token parameter: URLs reach logs and traces.
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
                }
            })
            .Poll<InstagramHashtagJob>("instagram-hashtags", o => o.Schedule)
            .Services;
    }
}
