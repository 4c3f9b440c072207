using System.Net.Http.Headers;

namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>X API v2: recent search for the posts, recent counts for exact volume.</summary>
internal static class XPlatform
{
    public static readonly Platform Id = new("x");

    public static readonly PlatformDefinition Definition = new(Id, "X");

    /// <summary>Registers X's options, its spending plan, its client with the bearer token, and its polls as <c>Mode</c> and <c>Budget</c> ask: counts, and search (every post) or, under a budget, a sample.</summary>
    public static IServiceCollection AddXPlatform(this IServiceCollection services) => services
        .AddSingleton<XSpend>()
        .AddPlatform<XOptions, XOptionsValidator>(Definition)
        .Client<XApiClient>(o => o.RequestTimeout, (o, http) =>
        {
            http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
            if (!string.IsNullOrEmpty(o.BearerToken))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.BearerToken);
            }
        })
        .Metered(XSpend.Tariff, sp => sp.GetRequiredService<XSpend>().CountsLimits)
        .Poll<XSearchJob>("x-search", o => o.Schedule, when: o => o.Mode is XMode.Search or XMode.Both && !o.Budget.IsSet)
        .Poll<XSampleJob>("x-sample", o => o.Schedule, when: o => o.Mode is XMode.Both && o.Budget.IsSet)
        .Poll<XCountsJob>("x-counts", o => o.Schedule, when: o => o.Mode is XMode.Counts or XMode.Both)
        .Services;
}
