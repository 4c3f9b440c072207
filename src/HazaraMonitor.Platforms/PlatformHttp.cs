using HazaraMonitor.Core.Polling;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HazaraMonitor.Platforms;

/// <summary>Sends a platform request and turns transport failures into <see cref="PlatformRequestException"/>s.</summary>
public static class PlatformHttp
{
    /// <param name="who">How the message names the platform: "X", an instance's host.</param>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string who, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutRejectedException or TaskCanceledException)
        {
            throw new PlatformRequestException(PollOutcome.Timeout, $"{who} did not answer in time.", inner: e);
        }
        catch (BrokenCircuitException e)
        {
            throw new PlatformRequestException(PollOutcome.HttpError, $"Calls to {who} are paused after repeated failures (circuit open).", e.RetryAfter is { } after ? time.GetUtcNow() + after : null, inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new PlatformRequestException(PollOutcome.HttpError, $"{who} could not be reached: {e.HttpRequestError}.", inner: e);
        }
    }
}
