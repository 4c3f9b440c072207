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

    /// <summary>The platform's spending budget (or its own read cap) leaves nothing for this poll: it did not call.</summary>
    BudgetSpent,

    /// <summary>
    /// The platform answered nothing for a hashtag that had posts within the last day: Meta returns an
    /// empty answer for keywords it deems sensitive (Threads), so the hashtag's volume may be withheld, not zero.
    /// </summary>
    PossiblyWithheld,
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
        PollOutcome.BudgetSpent => "budget_spent",
        PollOutcome.PossiblyWithheld => "possibly_withheld",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
