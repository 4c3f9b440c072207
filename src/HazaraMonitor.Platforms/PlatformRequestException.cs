using HazaraMonitor.Core.Polling;
using System.Net;

namespace HazaraMonitor.Platforms;

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

/// <summary>Turns an unsuccessful status into the failure every connector reports the same way.</summary>
public static class PlatformFailures
{
    /// <param name="who">How the message names the platform: "X", an instance's host.</param>
    /// <param name="detail">What the error body said, if anything (never a credential).</param>
    /// <param name="retryAt">When a 429 allows the next call: the reported reset, or the connector's default backoff.</param>
    /// <param name="authHint">What to check when credentials are refused, naming the configuration key.</param>
    public static PlatformRequestException FromStatus(HttpStatusCode status, string who, string? detail, DateTimeOffset retryAt, string authHint)
    {
        var code = (int)status;
        var suffix = string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + (detail.Length > 200 ? detail[..200] : detail).Trim();
        return status switch
        {
            HttpStatusCode.TooManyRequests => new PlatformRequestException(PollOutcome.RateLimited, $"{who} rate limit reached (429{suffix}).", retryAt, code),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PlatformRequestException(PollOutcome.AuthFailed, $"{who} refused the request ({code}{suffix}). {authHint}", statusCode: code),
            _ => new PlatformRequestException(PollOutcome.HttpError, $"{who} answered {code}{suffix}.", statusCode: code),
        };
    }
}
