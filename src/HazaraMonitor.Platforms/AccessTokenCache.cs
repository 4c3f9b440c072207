using System.Net;
using System.Net.Http.Headers;

namespace HazaraMonitor.Platforms;

/// <summary>
/// The access token one platform client signs requests with (Reddit's app-only token, a Bluesky
/// session), shared by every instance of the typed client (those are created per use), fetched
/// once at a time and renewed a minute before it expires.
/// </summary>
/// <typeparam name="TClient">The client it belongs to: one cache per platform.</typeparam>
public sealed class AccessTokenCache<TClient>(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RenewEarly = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset Expires)? _current;

    /// <summary>The cached token, or a new one from <paramref name="fetch"/> (token and lifetime).</summary>
    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken)
    {
        if (Valid() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Valid() is { } raced)
            {
                return raced;
            }

            var (token, lifetime) = await fetch(cancellationToken);
            _current = (token, time.GetUtcNow() + lifetime - RenewEarly);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends a GET to <paramref name="url"/> with the token under <paramref name="scheme"/> (as the
    /// platform's documentation spells it: Reddit's "bearer", Bluesky's "Bearer"). When the platform
    /// answers 401 (the token expired early or was revoked) it forgets the token and sends once
    /// more with a new one; the second answer is returned whatever it is.
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(HttpClient http, string url, string scheme, Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, string who, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, await GetAsync(fetch, cancellationToken));
            var response = await PlatformHttp.SendAsync(http, request, who, time, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt == 2)
            {
                return response;
            }

            response.Dispose();
            _current = null;
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Valid() => _current is { } current && current.Expires > time.GetUtcNow() ? current.Token : null;
}
