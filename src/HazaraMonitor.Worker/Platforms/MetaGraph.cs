using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>
/// How much of Meta's rate limits an app has used, from the usage headers of a Graph API answer
/// (https://developers.facebook.com/docs/graph-api/overview/rate-limiting): <c>X-App-Usage</c>
/// (<c>{"call_count":28,"total_cputime":25,"total_time":25}</c>, percentages of the app's rolling-hour
/// limits) and <c>X-Business-Use-Case-Usage</c> (per business object, a list of
/// <c>{"type":"instagram","call_count":..,"total_cputime":..,"total_time":..,"estimated_time_to_regain_access":minutes}</c>).
/// </summary>
/// <param name="Percent">The highest of every percentage given (100: throttled).</param>
/// <param name="Which">Which header and figure that was, for messages: "X-App-Usage call_count".</param>
/// <param name="RegainAccessIn">The longest <c>estimated_time_to_regain_access</c> given (minutes on the wire); zero when none.</param>
public sealed record GraphUsage(int Percent, string Which, TimeSpan RegainAccessIn)
{
    public const string AppHeader = "X-App-Usage";
    public const string BusinessHeader = "X-Business-Use-Case-Usage";

    /// <summary>True when Meta says to stop: a figure at 100%, or a wait before access returns.</summary>
    public bool Throttled => Percent >= 100 || RegainAccessIn > TimeSpan.Zero;

    /// <summary>The usage an answer reported, or null when it carried neither header (or only ones that do not parse: they are advice, not the answer).</summary>
    public static GraphUsage? Read(HttpResponseHeaders headers)
    {
        GraphUsage? usage = null;
        if (headers.TryGetValues(AppHeader, out var app))
        {
            usage = Max(usage, Figures(app.FirstOrDefault(), AppHeader));
        }

        if (headers.TryGetValues(BusinessHeader, out var business))
        {
            try
            {
                using var document = JsonDocument.Parse(business.FirstOrDefault() ?? string.Empty);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in document.RootElement.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Array))
                    {
                        foreach (var item in entry.Value.EnumerateArray())
                        {
                            usage = Max(usage, Figures(item, BusinessHeader));
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Advice that does not parse is ignored, like a header that is absent.
            }
        }

        return usage;
    }

    /// <summary>The usage as the shared rate-limit shape: a window of 100 (percent), what is left of it, and when access returns where Meta said.</summary>
    public RateLimitInfo AsRateLimit(DateTimeOffset now) =>
        new(100, Math.Max(0, 100 - Percent), RegainAccessIn > TimeSpan.Zero ? now + RegainAccessIn : null);

    private static GraphUsage? Figures(string? json, string header)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? string.Empty);
            return Figures(document.RootElement, header);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GraphUsage? Figures(JsonElement item, string header)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        GraphUsage? usage = null;
        var regain = TimeSpan.Zero;
        foreach (var property in item.EnumerateObject())
        {
            var value = 0.0;
            var number = property.Value.ValueKind switch
            {
                JsonValueKind.Number => property.Value.TryGetDouble(out value),
                JsonValueKind.String => double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
                _ => false,
            };
            if (!number)
            {
                continue;
            }

            if (property.Name == "estimated_time_to_regain_access")
            {
                regain = TimeSpan.FromMinutes(Math.Max(0, value));
            }
            else if (property.Name is "call_count" or "total_cputime" or "total_time")
            {
                usage = Max(usage, new GraphUsage((int)Math.Ceiling(value), $"{header} {property.Name}", TimeSpan.Zero));
            }
        }

        return usage is null && regain == TimeSpan.Zero ? null : (usage ?? new GraphUsage(0, header, TimeSpan.Zero)) with { RegainAccessIn = regain };
    }

    private static GraphUsage? Max(GraphUsage? a, GraphUsage? b) =>
        a is null ? b : b is null ? a : (b.Percent > a.Percent ? b : a) with { RegainAccessIn = a.RegainAccessIn > b.RegainAccessIn ? a.RegainAccessIn : b.RegainAccessIn };
}

/// <summary>
/// What Meta's Graph APIs (Instagram, Threads) share: the error body
/// <c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>, sent with 400 for most
/// failures whatever they are, so the code, not the status, says what happened
/// (https://developers.facebook.com/docs/graph-api/guides/error-handling).
/// </summary>
internal static class MetaGraph
{
    /// <summary>
    /// Throttling codes: 4 (app), 17 (user), 32 (page), 613 (a custom rate limit), and 80001/80002,
    /// the business-use-case throttles of Pages and Instagram.
    /// </summary>
    private static readonly HashSet<int> RateLimitCodes = [4, 17, 32, 613, 80001, 80002];

    /// <summary>
    /// A reader for a Graph API: usage headers as the rate limit, the error's message as detail, and
    /// errors read by their code. 190 (an access token that is invalid, expired or revoked), 102 (a
    /// session that is no longer valid), 10 and 200-299 (a permission the app lacks: App Review) are
    /// refused credentials; the throttling codes a rate limit until the access Meta estimates, or for
    /// <paramref name="backoff"/> when it estimates none.
    /// </summary>
    public static PlatformReader Reader(string who, TimeProvider time, TimeSpan backoff, string authHint) => new(
        who,
        time,
        (headers, now) => GraphUsage.Read(headers)?.AsRateLimit(now) ?? RateLimitInfo.None,
        content => Error(content)?.Message,
        backoff,
        authHint,
        (status, content, limit) => Error(content) is { Code: { } code } error ? Classify(who, authHint, code, error.Message, status, limit, time.GetUtcNow() + backoff) : null);

    /// <summary>The error a body carries, or null when it is not a Graph error body.</summary>
    public static GraphErrorDetail? Error(ReadOnlySpan<byte> content)
    {
        try
        {
            return JsonSerializer.Deserialize(content, MetaGraphJsonContext.Default.GraphErrorBody)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static PlatformRequestException? Classify(string who, string authHint, int code, string? message, HttpStatusCode status, RateLimitInfo limit, DateTimeOffset fallback)
    {
        var said = string.IsNullOrWhiteSpace(message) ? $"code {code}" : $"code {code}: {(message.Length > 200 ? message[..200] : message).Trim()}";
        if (code is 190 or 102 or 10 || code is >= 200 and < 300)
        {
            return new PlatformRequestException(PollOutcome.AuthFailed, $"{who} refused the request ({(int)status}, {said}). {authHint}", statusCode: (int)status);
        }

        return RateLimitCodes.Contains(code)
            ? new PlatformRequestException(PollOutcome.RateLimited, $"{who} rate limit reached ({(int)status}, {said}).", limit.Reset ?? fallback, (int)status)
            : null;
    }
}

internal sealed class GraphErrorBody
{
    [JsonPropertyName("error")] public GraphErrorDetail? Error { get; init; }
}

internal sealed class GraphErrorDetail
{
    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("code")] public int? Code { get; init; }

    [JsonPropertyName("error_subcode")] public int? Subcode { get; init; }
}

/// <summary>The wire-format of a Graph timestamp: ISO 8601 with a colon-less offset, <c>2017-08-31T18:10:00+0000</c>, which the round-trip parser refuses.</summary>
internal static class GraphTime
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null)
        {
            return false;
        }

        // "+0000" → "+00:00": the form .NET's offset specifiers read.
        var normalized = text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit) ? text[..^2] + ":" + text[^2..] : text;
        return DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}

[JsonSerializable(typeof(GraphErrorBody))]
internal sealed partial class MetaGraphJsonContext : JsonSerializerContext;
