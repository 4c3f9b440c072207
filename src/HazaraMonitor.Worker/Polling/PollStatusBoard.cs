using System.Collections.Concurrent;

namespace HazaraMonitor.Worker.Polling;

/// <summary>The last poll of one platform endpoint for one campaign.</summary>
/// <param name="At">When the poll ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">What went wrong, for operators; never contains secrets.</param>
internal sealed record PollStatus(DateTimeOffset At, PollOutcome Outcome, string? Message);

/// <summary>
/// What the polls know about each platform: the last outcome per endpoint and campaign (for health),
/// when a rate-limited endpoint may be called again, and which credentials a platform refused
/// (polls using them do not run again until a restart: retrying a bad token only burns quota).
/// </summary>
internal sealed class PollStatusBoard(TimeProvider time)
{
    private readonly ConcurrentDictionary<(Platform, string Endpoint, string Campaign), PollStatus> _last = new();
    private readonly ConcurrentDictionary<(Platform, string Endpoint), DateTimeOffset> _waitUntil = new();
    private readonly ConcurrentDictionary<(Platform, string Credential), string> _authFailed = new();

    public IReadOnlyDictionary<(Platform Platform, string Endpoint, string Campaign), PollStatus> Last => _last;

    public IReadOnlyDictionary<(Platform Platform, string Credential), string> AuthFailures => _authFailed;

    public void Record(Platform platform, string endpoint, string campaign, PollOutcome outcome, string? message) =>
        _last[(platform, endpoint, campaign)] = new PollStatus(time.GetUtcNow(), outcome, message);

    /// <summary>Drops an endpoint's last outcomes: this instance no longer reads it (another holds its lease).</summary>
    public void Forget(Platform platform, string endpoint)
    {
        foreach (var key in _last.Keys.Where(k => k.Item1 == platform && k.Endpoint == endpoint))
        {
            _last.TryRemove(key, out _);
        }
    }

    public void WaitUntil(Platform platform, string endpoint, DateTimeOffset until) =>
        _waitUntil.AddOrUpdate((platform, endpoint), until, (_, current) => until > current ? until : current);

    public void AuthFailed(Platform platform, string credential, string message) => _authFailed[(platform, credential)] = message;

    /// <summary>Why a poll must not call the platform now, or null when it may.</summary>
    public (PollOutcome Outcome, string Reason)? Blocked(Platform platform, string endpoint, string credential)
    {
        if (_authFailed.TryGetValue((platform, credential), out var auth))
        {
            return (PollOutcome.AuthFailed, auth);
        }

        if (_waitUntil.TryGetValue((platform, endpoint), out var until) && until > time.GetUtcNow())
        {
            return (PollOutcome.RateLimited, $"rate-limited until {until:O}");
        }

        return null;
    }
}
