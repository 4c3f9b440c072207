namespace HazaraMonitor.Worker.Platforms.YouTube;

/// <summary>
/// What YouTube's daily quota charges and when it resets
/// (https://developers.google.com/youtube/v3/determine_quota_cost): a project gets 10,000 units a
/// day by default; search.list costs 100 units a call (the newer rule says 100 calls from a bucket of
/// their own: about 100 searches a day either way), videos.list 1; every page is a call; the quota
/// resets at midnight Pacific time.
/// </summary>
internal static class YouTubeQuota
{
    public const int SearchCost = 100;

    public const int VideosCost = 1;

    /// <summary>One search page and the statistics of its videos.</summary>
    public const int PageCost = SearchCost + VideosCost;

    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    /// <summary>The next midnight in Los Angeles after <paramref name="now"/> (08:00 UTC in winter, 07:00 UTC in summer).</summary>
    public static DateTimeOffset NextReset(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Pacific);
        // Daylight saving changes at 02:00, so local midnight always exists and is never repeated.
        var midnight = local.Date.AddDays(1);
        return new DateTimeOffset(midnight, Pacific.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
