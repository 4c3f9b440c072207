
namespace HazaraMonitor.Worker.Platforms;

/// <summary>
/// A platform call that did not give a usable page. The message never contains credentials or
/// full request URLs with secrets; <see cref="RetryAt"/> says when the platform allows the next call.
/// </summary>
public sealed class PlatformRequestException : Exception
{
    public PlatformRequestException(PollOutcome outcome, string message, DateTimeOffset? retryAt = null, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Outcome = outcome;
        RetryAt = retryAt;
        StatusCode = statusCode;
    }

    public PollOutcome Outcome { get; }

    /// <summary>The platform refused the sweep's stored page token (expired or unknown): the sweep is read again from its newest page.</summary>
    public bool PageTokenRefused { get; init; }

    public DateTimeOffset? RetryAt { get; }

    public int? StatusCode { get; }
}

/// <summary>The rate-limit window a response reported.</summary>
/// <param name="Limit">Requests allowed in the window.</param>
/// <param name="Remaining">Requests left in the window.</param>
/// <param name="Reset">When the window resets.</param>
public readonly record struct RateLimitInfo(int? Limit, int? Remaining, DateTimeOffset? Reset)
{
    public static RateLimitInfo None => default;
}
