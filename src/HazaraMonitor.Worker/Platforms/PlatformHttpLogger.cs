using HazaraMonitor.Worker.Telemetry;
using Microsoft.Extensions.Http.Logging;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>
/// Logs each attempt of a platform request (Debug): method, the URL without its query, the status and
/// the time. It replaces HttpClientFactory's default loggers, whose header records carry every header
/// value raw in their structured state (the text says "*", the state does not): at Trace a structured
/// sink (OTLP, JSON console) would export X's bearer token, Reddit's, Bluesky's, TikTok's,
/// Instagram's and Threads' access tokens and YouTube's API key. Nothing here reads a header, and
/// queries (search terms, cursors) are left out.
/// </summary>
internal sealed class PlatformHttpLogger(ILogger<PlatformHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Log.PlatformRequest(logger, request.Method.Method, WithoutQuery(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Log.PlatformRequestFailed(logger, request.Method.Method, WithoutQuery(request.RequestUri), exception.GetType().Name, elapsed.TotalMilliseconds);

    private static string WithoutQuery(Uri? uri) =>
        uri is null ? string.Empty : uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString.Split('?')[0];
}
