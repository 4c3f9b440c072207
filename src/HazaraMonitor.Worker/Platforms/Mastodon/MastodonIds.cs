
namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>
/// Mastodon status ids (since 2.0) are snowflakes: milliseconds since the Unix epoch shifted left
/// by 16 bits, plus a sequence. So an id can stand for a time: the first poll of an instance asks
/// for statuses after the id of "now minus the initial lookback".
/// </summary>
public static class MastodonIds
{
    public static string At(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() << 16).ToString(CultureInfo.InvariantCulture);
}
