using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator.Hooks;

/// <summary>
/// Incoming webhooks for the offline demo: <c>POST /sim/hooks/{name}</c> accepts what a Slack,
/// Discord, Teams or JSON webhook would, and <c>GET /sim/hooks</c> shows what each received.
/// </summary>
public static class HookEndpoints
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> Received = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sim/hooks/{name}", async (string name, HttpRequest request, ILoggerFactory loggers) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            Received.GetOrAdd(name, _ => new ConcurrentQueue<JsonElement>()).Enqueue(body);
            loggers.CreateLogger("HazaraMonitor.Simulator.Hooks").LogWarning("Webhook {Name} received an alert: {Body}", name, body.GetRawText());
            return Results.Ok();
        });
        app.MapGet("/sim/hooks", () => Results.Json(Received.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray())));
        return app;
    }
}
