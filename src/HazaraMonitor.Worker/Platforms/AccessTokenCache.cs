using System.Net;
using System.Net.Http.Headers;

namespace HazaraMonitor.Worker.Platforms;

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
    /// <summary>Replaced whole, never changed in place: a reader without the gate sees one token and its own expiry.</summary>
    private volatile CachedToken? _current;

    /// <summary>The cached token, or a new one from <paramref name="fetch"/> (token and lifetime).</summary>
    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken) =>
        (await GetEntryAsync(fetch, cancellationToken)).Token;

    private async Task<CachedToken> GetEntryAsync(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken)
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
            var entry = new CachedToken(token, time.GetUtcNow() + lifetime - RenewEarly);
            _current = entry;
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/> through <paramref name="reader"/> with the token under
    /// <paramref name="scheme"/> (as the platform's documentation spells it: Reddit's "bearer",
    /// Bluesky's "Bearer"); see <see cref="SendAsync"/>.
    /// </summary>
    public Task<PlatformResponse> GetAsync(PlatformReader reader, HttpClient http, string url, string scheme, Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken) =>
        SendAsync(reader, http, () => new HttpRequestMessage(HttpMethod.Get, url), scheme, fetch, cancellationToken);

    /// <summary>
    /// Sends the request <paramref name="request"/> makes (a GET, TikTok's POSTed query) through
    /// <paramref name="reader"/> with the token under <paramref name="scheme"/>. When the platform
    /// answers 401 (the token expired early or was revoked) it forgets the token and sends a new
    /// request once more with a new one; that answer is read like any other, so a second 401 is
    /// refused credentials.
    /// </summary>
    public async Task<PlatformResponse> SendAsync(
        PlatformReader reader, HttpClient http, Func<HttpRequestMessage> request, string scheme, Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken cancellationToken)
    {
        var used = await GetEntryAsync(fetch, cancellationToken);
        using (var message = Signed(request, scheme, used.Token))
        {
            var first = await reader.SendAsync(http, message, HttpStatusCode.Unauthorized, cancellationToken);
            if (first.Status != HttpStatusCode.Unauthorized)
            {
                return first;
            }
        }

        // Forget only the token that was refused: another caller may have fetched a new one already.
        Interlocked.CompareExchange(ref _current, null, used);
        using var again = Signed(request, scheme, await GetAsync(fetch, cancellationToken));
        return await reader.SendAsync(http, again, null, cancellationToken);
    }

    private static HttpRequestMessage Signed(Func<HttpRequestMessage> request, string scheme, string token)
    {
        var message = request();
        message.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        return message;
    }

    public void Dispose() => _gate.Dispose();

    private CachedToken? Valid() => _current is { } current && current.Expires > time.GetUtcNow() ? current : null;

    private sealed record CachedToken(string Token, DateTimeOffset Expires);
}
