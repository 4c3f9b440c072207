using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using HazaraMonitor.Core.Incidents;

namespace HazaraMonitor.Worker.Incidents;

/// <summary>
/// Each campaign's incidents: those of its file, read once at start-up, and those posted through the
/// API, kept in Redis so every instance sees the same.
/// </summary>
internal sealed class IncidentCatalog(IOptions<CampaignsOptions> options, FileIncidents files, RedisIncidentStore store)
{
    private readonly Lazy<Dictionary<string, (string Key, IReadOnlyList<Incident> Incidents)>> _files = new(() =>
        options.Value.Campaigns.Index()
            .Where(c => !string.IsNullOrWhiteSpace(c.Item.IncidentsFile))
            .ToDictionary(
                c => c.Item.Id,
                c => ($"{CampaignsOptions.Key}:Campaigns:{c.Index}:{nameof(CampaignOptions.IncidentsFile)}", files.Load(c.Item.IncidentsFile!).Incidents),
                StringComparer.Ordinal));

    /// <summary>The incidents of the campaign's file; empty when it names none.</summary>
    public IReadOnlyList<Incident> FromFile(string campaignId) =>
        _files.Value.TryGetValue(campaignId, out var file) ? file.Incidents : [];

    /// <summary>The configuration key that names the campaign's file, for messages; null when it names none.</summary>
    public string? FileKey(string campaignId) => _files.Value.TryGetValue(campaignId, out var file) ? file.Key : null;

    /// <summary>The campaign's incidents from both sources, oldest first.</summary>
    public async Task<IncidentTimeline> TimelineAsync(string campaignId, CancellationToken cancellationToken)
    {
        var posted = await store.GetAllAsync(campaignId, cancellationToken);
        return new IncidentTimeline(FromFile(campaignId).Concat(posted.Select(json =>
            JsonSerializer.Deserialize(json, IncidentJsonContext.Default.Incident) ?? throw new InvalidDataException($"A stored incident of '{campaignId}' is not an incident: {json}"))));
    }

    /// <summary>Adds an incident posted through the API; null when the campaign holds <see cref="IncidentRules.MaxPerSource"/> already.</summary>
    public async Task<Incident?> AddAsync(string campaignId, DateTimeOffset time, IncidentPrecision precision, string title, string? place, string? link, CancellationToken cancellationToken)
    {
        var incident = new Incident("a-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), time, precision, title, place, link, null, IncidentSource.Api);
        var json = JsonSerializer.Serialize(incident, IncidentJsonContext.Default.Incident);
        return await store.TryAddAsync(campaignId, incident.Id, json, IncidentRules.MaxPerSource, cancellationToken) ? incident : null;
    }

    /// <summary>Deletes an incident posted through the API; false when there is none with that id.</summary>
    public Task<bool> DeleteAsync(string campaignId, string incidentId, CancellationToken cancellationToken) =>
        store.DeleteAsync(campaignId, incidentId, cancellationToken);
}

/// <summary>How an incident is stored in Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Incident))]
internal sealed partial class IncidentJsonContext : JsonSerializerContext;
