namespace HazaraMonitor.Core.Polling;

/// <summary>How one poll of one platform ended. A closed set: it is a metric tag and a health field.</summary>
public enum PollOutcome
{
    Ok,
    RateLimited,
    AuthFailed,
    HttpError,
    Timeout,
    Malformed,
}

public static class PollOutcomeNames
{
    public static string Name(this PollOutcome outcome) => outcome switch
    {
        PollOutcome.Ok => "ok",
        PollOutcome.RateLimited => "rate_limited",
        PollOutcome.AuthFailed => "auth_failed",
        PollOutcome.HttpError => "http_error",
        PollOutcome.Timeout => "timeout",
        PollOutcome.Malformed => "malformed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
