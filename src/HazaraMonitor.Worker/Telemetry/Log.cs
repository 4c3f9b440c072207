namespace HazaraMonitor.Worker.Telemetry;

/// <summary>Generated log messages with stable event ids (1xxx polling, 2xxx ingest, 3xxx alerts, 4xxx API, 9xxx host).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "{Platform} {Endpoint} poll for {Campaign} ended {Outcome}: {Message}")]
    public static partial void PollFailed(ILogger logger, string platform, string endpoint, string campaign, string outcome, string message);

    [LoggerMessage(1002, LogLevel.Error, "{Platform} refused our credentials: {Message} Polling of {Platform} is paused until the worker restarts with a working token.")]
    public static partial void AuthFailed(ILogger logger, string platform, string message);

    [LoggerMessage(1003, LogLevel.Information, "{Platform} {Endpoint} is rate-limited until {RetryAt:O}; polls wait until then.")]
    public static partial void RateLimited(ILogger logger, string platform, string endpoint, DateTimeOffset retryAt);

    [LoggerMessage(1004, LogLevel.Debug, "{Platform} {Endpoint} poll for {Campaign} skipped: {Reason}")]
    public static partial void PollSkipped(ILogger logger, string platform, string endpoint, string campaign, string reason);

    [LoggerMessage(1005, LogLevel.Information, "Scheduled {Job} with cron '{Cron}'")]
    public static partial void Scheduled(ILogger logger, string job, string cron);

    [LoggerMessage(1006, LogLevel.Information, "Platforms turned off by configuration, skipped by every campaign (no polls, no stream, no credentials needed): {Platforms}")]
    public static partial void PlatformsDisabled(ILogger logger, string platforms);

    [LoggerMessage(1007, LogLevel.Warning, "{Platform} {Endpoint}: the pause could not be shared with the other instances ({Reason}); this instance keeps it")]
    public static partial void PauseNotShared(ILogger logger, string platform, string endpoint, string reason);

    [LoggerMessage(1008, LogLevel.Debug, "{Method} {Url} answered {Status} in {ElapsedMs:0} ms")]
    public static partial void PlatformRequest(ILogger logger, string method, string url, int status, double elapsedMs);

    [LoggerMessage(1009, LogLevel.Debug, "{Method} {Url} failed after {ElapsedMs:0} ms: {Error}")]
    public static partial void PlatformRequestFailed(ILogger logger, string method, string url, string error, double elapsedMs);

    [LoggerMessage(1301, LogLevel.Warning, "TikTok search {SearchId} of {Campaign} could not be resumed ({Message}); its window is read again from the first page")]
    public static partial void TikTokSearchRestarted(ILogger logger, string campaign, string searchId, string message);

    [LoggerMessage(1201, LogLevel.Warning, "{Platform} does not follow #{Hashtag}: {Reason}")]
    public static partial void HashtagNotFollowed(ILogger logger, string platform, string hashtag, string reason);

    [LoggerMessage(1202, LogLevel.Information, "Instagram #{Hashtag} takes a place in the account's week: {Held} of the {Limit} hashtags it may search in 7 days are held")]
    public static partial void InstagramHashtagSpent(ILogger logger, string hashtag, int held, int limit);

    [LoggerMessage(1203, LogLevel.Warning, "Instagram #{Hashtag}: its last 24 hours hold more than {Pages} pages (HazaraMonitor:Platforms:Instagram:MaxPagesPerPoll); each poll reads part of them, in Instagram's order")]
    public static partial void InstagramSweepCut(ILogger logger, string hashtag, int pages);

    [LoggerMessage(1204, LogLevel.Information, "{Platform} usage is at {Percent}% ({Which}); polls slow down and wait until {Until:O}")]
    public static partial void SlowingDown(ILogger logger, string platform, int percent, string which, DateTimeOffset until);

    [LoggerMessage(1101, LogLevel.Information, "{Platform} stream connecting to {Url} from cursor {Cursor}")]
    public static partial void StreamConnecting(ILogger logger, string platform, string url, long? cursor);

    [LoggerMessage(1102, LogLevel.Information, "{Platform} stream reconnects in {Delay}")]
    public static partial void StreamReconnecting(ILogger logger, string platform, TimeSpan delay);

    [LoggerMessage(1103, LogLevel.Error, "{Platform} stream sent a malformed frame after cursor {Cursor} on every replay; skipped it: {Message}")]
    public static partial void StreamFrameSkipped(ILogger logger, string platform, long cursor, string message);

    [LoggerMessage(1104, LogLevel.Warning, "{Platform} stream for {Campaigns} ended {Outcome}: {Message}")]
    public static partial void StreamFailed(ILogger logger, string platform, string campaigns, string outcome, string message);

    [LoggerMessage(3001, LogLevel.Warning, "Alert {AlertId}: {Title}")]
    public static partial void AlertRaised(ILogger logger, string alertId, string title);

    [LoggerMessage(3002, LogLevel.Information, "Alert {AlertId} sent to {Sink}")]
    public static partial void AlertSent(ILogger logger, string sink, string alertId);

    [LoggerMessage(3003, LogLevel.Error, "Alert {AlertId} not sent to {Sink}: {Reason}")]
    public static partial void AlertNotSent(ILogger logger, string sink, string alertId, string reason);

    [LoggerMessage(3004, LogLevel.Debug, "{Campaign} {Series}: minute {Minute:O} is incomplete ({Completeness:P0} of polls succeeded); its evaluation waits")]
    public static partial void DetectionWaits(ILogger logger, string campaign, string series, DateTimeOffset minute, double completeness);

    [LoggerMessage(3005, LogLevel.Warning, "{Campaign} {Series}: minute {Minute:O} judged on incomplete data ({Completeness:P0} of polls succeeded) without an alert; a surge in it may be hidden")]
    public static partial void JudgedIncomplete(ILogger logger, string campaign, string series, DateTimeOffset minute, double completeness);

    [LoggerMessage(3008, LogLevel.Error, "Alert {AlertId}, raised at {RaisedAt:O}, given up: still not taken by {Sinks} after a day of resending")]
    public static partial void AlertGivenUp(ILogger logger, string alertId, DateTimeOffset raisedAt, string sinks);

    [LoggerMessage(3006, LogLevel.Warning, "Alert {AlertId}, raised at {RaisedAt:O}, was not taken by every sink (a sink down, or a crash or stop while sending); sending it again to the others")]
    public static partial void AlertResent(ILogger logger, string alertId, DateTimeOffset raisedAt);

    [LoggerMessage(1031, LogLevel.Warning, "{Platform} refused the stored page token of {Campaign}'s sweep ({Reason}); the sweep is read again from its newest page")]
    public static partial void SweepRestarted(ILogger logger, string platform, string campaign, string reason);

    [LoggerMessage(1030, LogLevel.Warning, "The scheduler did not stop within the shutdown timeout (its store may be unreachable); the worker exits without it. A poll cut short had not committed and is read again.")]
    public static partial void SchedulerStopAbandoned(ILogger logger);

    [LoggerMessage(1020, LogLevel.Information, "Lease {Lease} taken (fencing token {Token}): this instance runs it now")]
    public static partial void LeaseTaken(ILogger logger, string lease, long token);

    [LoggerMessage(1021, LogLevel.Information, "Lease {Lease} is held by {Owner}: this instance stands by and takes over if it stops renewing")]
    public static partial void LeaseStandby(ILogger logger, string lease, string owner);

    [LoggerMessage(1022, LogLevel.Warning, "Lease {Lease} (token {Token}) lost: another instance holds it now, or it could not be renewed in time; this instance stops and stands by")]
    public static partial void LeaseLost(ILogger logger, string lease, long token);

    [LoggerMessage(3009, LogLevel.Warning, "Notice {NoticeId} sent to {Sinks} sink(s)")]
    public static partial void NoticeSent(ILogger logger, string noticeId, int sinks);

    [LoggerMessage(3010, LogLevel.Error, "{Campaign}: the daily digest of {Day} was not sent: {Reason}")]
    public static partial void DigestFailed(ILogger logger, string campaign, string day, string reason);

    [LoggerMessage(3007, LogLevel.Information, "{Campaign}: building the live detectors from {Minutes} stored minutes ({Reason})")]
    public static partial void DetectorsBuilt(ILogger logger, string campaign, int minutes, string reason);

    [LoggerMessage(2001, LogLevel.Debug, "Committed {Platform} batch for {Campaign}: {New} new, {Duplicates} duplicates, {Unmatched} unmatched, {TooOld} too old")]
    public static partial void Committed(ILogger logger, string platform, string campaign, long @new, long duplicates, int unmatched, int tooOld);

    [LoggerMessage(2003, LogLevel.Warning, "{Refused} {Platform} posts for {Campaign} were refused as unreadable and not counted (the rest of their page was): {Problem}")]
    public static partial void PostsRefused(ILogger logger, int refused, string platform, string campaign, string problem);

    [LoggerMessage(2002, LogLevel.Warning, "{TooOld} {Platform} posts for {Campaign} are older than the dedupe window and were not counted; raise HazaraMonitor:Redis:DedupeWindow to count them.")]
    public static partial void TooOld(ILogger logger, int tooOld, string platform, string campaign);

    [LoggerMessage(4001, LogLevel.Information, "{Campaign}: incident {IncidentId} ({When}) added through the API")]
    public static partial void IncidentAdded(ILogger logger, string campaign, string incidentId, string when);

    [LoggerMessage(4002, LogLevel.Information, "{Campaign}: incident {IncidentId} deleted through the API")]
    public static partial void IncidentDeleted(ILogger logger, string campaign, string incidentId);
}
