
namespace HazaraMonitor.Simulator;

/// <summary>What every simulated platform writes the same way: a JSON answer (optionally cut off mid-document) and its times.</summary>
internal static class WireJson
{
    /// <summary>Writes a JSON answer; <paramref name="truncate"/> cuts it off halfway, as a dropped connection behind a proxy delivers it.</summary>
    internal static async Task WriteJsonAsync(HttpContext http, Action<Utf8JsonWriter> write, bool truncate, int status = 200)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        var bytes = buffer.ToArray();
        if (truncate)
        {
            bytes = bytes[..Math.Max(1, bytes.Length / 2)];
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = status >= 400 && status != 429 ? "application/problem+json" : "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(bytes);
    }

    /// <summary>A time a client sent, read as UTC; null when it is not one.</summary>
    internal static DateTimeOffset? TryTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>A time as the platforms write it: UTC, ISO 8601, milliseconds.</summary>
    internal static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
