using System.Net;
using System.Net.Http.Headers;
using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HazaraMonitor.Platforms.X;

public static class XServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="XApiClient"/> with its base address, bearer token and resilience:
    /// 5xx, 408, timeouts and connection failures are retried with exponential backoff and jitter;
    /// 429 is not retried here (the poll job waits for the reported reset instead), nor are 401/403.
    /// </summary>
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
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var x = sp.GetRequiredService<IOptions<HazaraMonitorOptions>>().Value.Platforms.X;
                resilience.AttemptTimeout.Timeout = x.RequestTimeout;
                resilience.TotalRequestTimeout.Timeout = x.RequestTimeout * 4;
                resilience.CircuitBreaker.SamplingDuration = x.RequestTimeout * 2;
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
            });
        return services;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500,
        _ => false,
    };
}
