using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// The incidents posted through the API, per campaign, as JSON: shared by every instance, kept
/// until deleted, at most a given number per campaign.
/// </summary>
public sealed class RedisIncidentStore(IConnectionMultiplexer redis, RedisOptions options)
{
    private readonly RedisKeySchema _keys = new(options.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Adds an incident; false, with nothing written, when the campaign already holds <paramref name="max"/>.</summary>
    public async Task<bool> TryAddAsync(string campaignId, string incidentId, string json, int max, CancellationToken cancellationToken) =>
        (long)await Db.ScriptEvaluateAsync(RedisScripts.IncidentAdd, [_keys.Incidents(campaignId)], [incidentId, json, max]).WaitAsync(cancellationToken) == 1;

    /// <summary>Every incident of the campaign (JSON), in no order.</summary>
    public async Task<IReadOnlyList<string>> GetAllAsync(string campaignId, CancellationToken cancellationToken) =>
        [.. (await Db.HashValuesAsync(_keys.Incidents(campaignId)).WaitAsync(cancellationToken)).Select(v => v.ToString())];

    /// <summary>Deletes an incident; false when the campaign holds none with that id.</summary>
    public Task<bool> DeleteAsync(string campaignId, string incidentId, CancellationToken cancellationToken) =>
        Db.HashDeleteAsync(_keys.Incidents(campaignId), incidentId).WaitAsync(cancellationToken);
}
