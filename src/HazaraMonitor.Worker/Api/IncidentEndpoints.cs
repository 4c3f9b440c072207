using System.Text.Json;
using System.Text.Json.Serialization;
using HazaraMonitor.Core.Incidents;
using HazaraMonitor.Worker.Incidents;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.Worker.Api;

/// <summary>
/// A campaign's incidents: read by anyone, written (posted, deleted) only with the write key in the
/// <c>X-Api-Key</c> header. Those of the campaign's file are read-only here.
/// </summary>
internal static class IncidentEndpoints
{
    /// <summary>Largest body a post may have: an incident's fields at their longest fit in a tenth of it.</summary>
    public const int MaxBody = 16 * 1024;

    private const string Example = """{"time": "2022-09-30T08:15:00Z", "title": "...", "place": "...", "link": "https://..."}""";

    private static readonly string[] Fields = ["time", "title", "place", "link"];

    public static IServiceCollection AddIncidentApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions, ApiOptionsValidator>(ApiOptions.Key);
        services.AddSingleton<WriteKeyCheck>();
        return services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, IncidentApiJsonContext.Default));
    }

    public static IEndpointRouteBuilder MapIncidentApi(this IEndpointRouteBuilder app)
    {
        var incidents = app.MapGroup("/api/campaigns/{id}/incidents");
        incidents.MapGet("/", GetAsync);
        incidents.MapPost("/", PostAsync);
        incidents.MapDelete("/{incidentId}", DeleteAsync);
        return app;
    }

    /// <summary>The campaign's incidents from <c>from</c> (inclusive) to <c>to</c> (exclusive), oldest first; all of them without a range.</summary>
    private static async Task<IResult> GetAsync(string id, string? from, string? to, CampaignCatalog catalog, IncidentCatalog incidents, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is null)
        {
            return NoCampaign(id);
        }

        if (!CampaignEndpoints.TryParseTime(from, "from", out var since, out var error) || !CampaignEndpoints.TryParseTime(to, "to", out var until, out error))
        {
            return CampaignEndpoints.BadRequest(error!);
        }

        if (since >= until)
        {
            return CampaignEndpoints.BadRequest($"from ({since:O}) must be before to ({until:O}).");
        }

        var timeline = await incidents.TimelineAsync(id, cancellationToken);
        return Results.Ok<IReadOnlyList<IncidentView>>([.. timeline.Between(since, until).Select(IncidentView.Of)]);
    }

    /// <summary>Adds an incident: <c>{time, title, place, link}</c>; 201 with it, or a problem saying what to fix.</summary>
    private static async Task<IResult> PostAsync(
        string id, HttpRequest request, CampaignCatalog catalog, IncidentCatalog incidents, WriteKeyCheck key, ILogger<IncidentCatalog> logger, CancellationToken cancellationToken)
    {
        if (key.Refuse(request) is { } refused)
        {
            return refused;
        }

        if (catalog.Find(id) is null)
        {
            return NoCampaign(id);
        }

        if (await ReadBodyAsync(request, cancellationToken) is not { } body)
        {
            return Results.Problem($"The body is larger than {MaxBody / 1024} KB; an incident is {Example}.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (Parse(body, out var fields) is { } malformed)
        {
            return CampaignEndpoints.BadRequest(malformed);
        }

        var problems = new List<string>();
        if (!IncidentRules.TryParseTime(fields.GetValueOrDefault("time"), "time", out var time, out var precision, out var timeError))
        {
            problems.Add(timeError!);
        }

        problems.AddRange(new[]
        {
            IncidentRules.CheckText("title", fields.GetValueOrDefault("title"), IncidentRules.MaxTitle, required: true),
            IncidentRules.CheckText("place", fields.GetValueOrDefault("place"), IncidentRules.MaxPlace, required: false),
            IncidentRules.CheckLink("link", fields.GetValueOrDefault("link")),
        }.OfType<string>());
        if (problems.Count > 0)
        {
            return CampaignEndpoints.BadRequest(string.Join(" ", problems));
        }

        static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var added = await incidents.AddAsync(id, time, precision, fields["title"]!.Trim(), Trimmed(fields.GetValueOrDefault("place")), Trimmed(fields.GetValueOrDefault("link")), cancellationToken);
        if (added is null)
        {
            return Results.Problem(
                $"Campaign '{id}' holds {IncidentRules.MaxPerSource} incidents posted through the API, the most it keeps; delete some first (DELETE /api/campaigns/{id}/incidents/{{incidentId}}).",
                statusCode: StatusCodes.Status409Conflict);
        }

        Log.IncidentAdded(logger, id, added.Id, added.When);
        return Results.Created($"/api/campaigns/{id}/incidents/{added.Id}", IncidentView.Of(added));
    }

    /// <summary>Deletes an incident posted through the API; a file's incidents are changed in the file.</summary>
    private static async Task<IResult> DeleteAsync(
        string id, string incidentId, HttpRequest request, CampaignCatalog catalog, IncidentCatalog incidents, WriteKeyCheck key, ILogger<IncidentCatalog> logger, CancellationToken cancellationToken)
    {
        if (key.Refuse(request) is { } refused)
        {
            return refused;
        }

        if (catalog.Find(id) is null)
        {
            return NoCampaign(id);
        }

        if (incidents.FromFile(id).Any(i => i.Id == incidentId))
        {
            return Results.Problem(
                $"Incident '{incidentId}' comes from the campaign's incidents file ({incidents.FileKey(id)}), which the API does not change: remove it from the file and restart the worker.",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (!await incidents.DeleteAsync(id, incidentId, cancellationToken))
        {
            return Results.Problem($"Campaign '{id}' has no incident '{incidentId}'. See /api/campaigns/{id}/incidents.", statusCode: StatusCodes.Status404NotFound);
        }

        Log.IncidentDeleted(logger, id, incidentId);
        return Results.NoContent();
    }

    private static IResult NoCampaign(string id) =>
        Results.Problem($"No campaign '{id}'. See /api/campaigns.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The body, or null when it is larger than <see cref="MaxBody"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBody)
        {
            return null;
        }

        using var body = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBody)
            {
                return null;
            }

            body.Write(chunk, 0, read);
        }

        return body.ToArray();
    }

    /// <summary>The body's fields, each a string or absent; the problem with it when it is not such an object.</summary>
    private static string? Parse(byte[] body, out Dictionary<string, string?> fields)
    {
        fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return $"The body must be a JSON object such as {Example} ({e.Message})";
        }

        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return $"The body must be a JSON object such as {Example}.";
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                return $"Unknown field '{property.Name}'; an incident has {string.Join(", ", Fields)}.";
            }

            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return $"{property.Name} must be a string (got {property.Value.ValueKind.ToString().ToLowerInvariant()}).";
            }

            fields[property.Name] = property.Value.GetString();
        }

        return null;
    }
}

/// <summary>An incident as the API answers it; <c>time</c> is UTC, the start of its day or month when <c>precision</c> is <c>day</c> or <c>month</c>.</summary>
/// <param name="Source"><c>file</c> (the campaign's incidents file: read-only here) or <c>api</c>.</param>
internal sealed record IncidentView(string Id, DateTime Time, string Precision, string Title, string? Place, string? Link, string? Kind, string Source)
{
    public static IncidentView Of(Incident i) => new(
        i.Id, i.Time.UtcDateTime, i.Precision.ToString().ToLowerInvariant(), i.Title, i.Place, i.Link, i.Kind, i.Source.ToString().ToLowerInvariant());
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IncidentView))]
[JsonSerializable(typeof(IReadOnlyList<IncidentView>))]
internal sealed partial class IncidentApiJsonContext : JsonSerializerContext;
