using System.Net.Http.Headers;

namespace HazaraMonitor.Worker.Platforms.Threads;

/// <summary>Threads keyword search, tag mode.</summary>
internal static class ThreadsPlatform
{
    public static readonly Platform Id = new("threads");

    public static readonly PlatformDefinition Definition = new(Id, "Threads");

    /// <summary>
    /// Registers Threads' options (its schedule checked against the day's keyword searches), its client
    /// against <c>BaseUrl</c> with the access token as a bearer header, the shared count of the day's
    /// searches, its health check, and its poll.
    /// </summary>
    public static IServiceCollection AddThreadsPlatform(this IServiceCollection services)
    {
        services.AddSingleton<ThreadsSearches>();
        services.AddHealthChecks().AddCheck<ThreadsHealthCheck>(Id.Name);
        return services
            .AddPlatform<ThreadsOptions, ThreadsOptionsValidator>(Definition)
            .Client<ThreadsClient>(o => o.RequestTimeout, (o, http) =>
            {
                http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
                if (!string.IsNullOrEmpty(o.AccessToken))
                {
                    // A header, never the access_token parameter: URLs reach logs and traces.
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
                }
            })
            .Poll<ThreadsSearchJob>("threads-search", o => o.Schedule)
            .Services;
    }
}
