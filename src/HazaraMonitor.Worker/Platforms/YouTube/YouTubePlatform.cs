namespace HazaraMonitor.Worker.Platforms.YouTube;

/// <summary>YouTube Data API v3 search with an API key.</summary>
internal static class YouTubePlatform
{
    public static readonly Platform Id = new("youtube");

    public static readonly PlatformDefinition Definition = new(Id, "YouTube");

    /// <summary>
    /// Header Google reads an API key from (https://cloud.google.com/docs/authentication/api-keys-use):
    /// unlike the <c>key=</c> query parameter, it keeps the key out of every URL that is logged or traced.
    /// </summary>
    public const string ApiKeyHeader = "X-Goog-Api-Key";

    /// <summary>Registers YouTube's options (the schedule checked against the daily quota), its client with the API key header, and its search poll.</summary>
    public static IServiceCollection AddYouTubePlatform(this IServiceCollection services) => services
        .AddPlatform<YouTubeOptions, YouTubeOptionsValidator>(Definition)
        .Client<YouTubeClient>(o => o.RequestTimeout, (o, http) =>
        {
            http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
            if (!string.IsNullOrEmpty(o.ApiKey))
            {
                http.DefaultRequestHeaders.Add(ApiKeyHeader, o.ApiKey);
            }
        })
        .Poll<YouTubeSearchJob>("youtube-search", o => o.Schedule)
        .Services;
}
