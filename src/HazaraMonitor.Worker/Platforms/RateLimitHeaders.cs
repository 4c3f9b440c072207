using System.Net.Http.Headers;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>Reads the rate-limit headers platforms send; each names its own headers and reset format.</summary>
public static class RateLimitHeaders
{
    /// <summary>X: <c>x-rate-limit-limit</c>, <c>-remaining</c>, <c>-reset</c> in Unix epoch seconds.</summary>
    public static RateLimitInfo ReadEpochSeconds(HttpResponseHeaders headers, string prefix) =>
        new(Int(headers, prefix + "limit"), Int(headers, prefix + "remaining"),
            Long(headers, prefix + "reset") is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null);

    /// <summary>Mastodon: <c>X-RateLimit-Limit</c>, <c>-Remaining</c>, <c>-Reset</c> as an ISO-8601 time (with microseconds), not epoch seconds.</summary>
    public static RateLimitInfo ReadIsoReset(HttpResponseHeaders headers, string prefix) =>
        new(Int(headers, prefix + "Limit"), Int(headers, prefix + "Remaining"),
            headers.TryGetValues(prefix + "Reset", out var values)
                && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset)
                ? reset : null);

    /// <summary>
    /// Reddit: <c>X-Ratelimit-Used</c>, <c>-Remaining</c> (often a decimal, "598.0") and <c>-Reset</c>
    /// in seconds until the window ends, not an epoch.
    /// </summary>
    public static RateLimitInfo ReadSecondsUntilReset(HttpResponseHeaders headers, string prefix, DateTimeOffset now)
    {
        var used = Number(headers, prefix + "Used");
        var remaining = Number(headers, prefix + "Remaining");
        var reset = Number(headers, prefix + "Reset");
        return new(used is { } u && remaining is { } r ? (int)(u + r) : null, remaining is { } left ? (int)Math.Floor(left) : null,
            reset is { } seconds ? now.AddSeconds(seconds) : null);
    }

    private static double? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
