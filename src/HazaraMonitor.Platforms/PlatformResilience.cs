using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HazaraMonitor.Platforms;

/// <summary>The retry policy every platform client shares.</summary>
public static class PlatformResilience
{
    /// <summary>
    /// 5xx, 408, timeouts and connection failures are retried with exponential backoff and jitter;
    /// 429 is not retried here (the poll job waits for the reported reset instead), nor are 401/403.
    /// </summary>
    public static IHttpClientBuilder AddPlatformResilience(this IHttpClientBuilder builder, Func<IServiceProvider, TimeSpan> requestTimeout)
    {
        builder.AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var timeout = requestTimeout(sp);
                resilience.AttemptTimeout.Timeout = timeout;
                resilience.TotalRequestTimeout.Timeout = timeout * 4;
                resilience.CircuitBreaker.SamplingDuration = timeout * 2;
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
            });
        return builder;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500,
        _ => false,
    };
}
