using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>The retry policy every platform client shares.</summary>
public static class PlatformResilience
{
    /// <summary>
    /// Registers a typed platform client: our User-Agent, the client's own settings from
    /// <paramref name="configure"/>, the shared resilience with the platform's request timeout, all
    /// read from the platform's own validated <c>IOptions&lt;TOptions&gt;</c>, and
    /// <see cref="PlatformHttpLogger"/> instead of the default loggers (they would log credentials).
    /// </summary>
    public static IHttpClientBuilder AddPlatformClient<TClient, TOptions>(
        this IServiceCollection services, Func<TOptions, TimeSpan> requestTimeout, Action<TOptions, HttpClient>? configure = null)
        where TClient : class
        where TOptions : class
    {
        services.TryAddSingleton<PlatformHttpLogger>();
        return services.AddHttpClient<TClient>((sp, http) =>
            {
                http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HazaraMonitor", "1.0"));
                // The resilience pipeline owns timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
                configure?.Invoke(sp.GetRequiredService<IOptions<TOptions>>().Value, http);
            })
            .RemoveAllLoggers()
            .AddLogger<PlatformHttpLogger>()
            .AddPlatformResilience(sp => requestTimeout(sp.GetRequiredService<IOptions<TOptions>>().Value));
    }

    /// <summary>
    /// 5xx, 408, timeouts and connection failures are retried with exponential backoff and jitter;
    /// 429 is not retried here (the poll job waits for the reported reset instead), nor are 401/403.
    /// </summary>
    private static IHttpClientBuilder AddPlatformResilience(this IHttpClientBuilder builder, Func<IServiceProvider, TimeSpan> requestTimeout)
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
