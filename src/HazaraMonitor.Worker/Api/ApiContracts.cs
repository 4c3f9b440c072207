using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Api;

internal sealed record CampaignView(
    string Id,
    string Name,
    string CanonicalHashtag,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> Platforms);

internal sealed record SeriesPointView(
    [property: JsonPropertyName("t")] DateTimeOffset T,
    long Count,
    long? Reported);

internal sealed record SeriesView(
    string Campaign,
    string? Hashtag,
    string? Platform,
    string Resolution,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<SeriesPointView> Points);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<CampaignView>))]
[JsonSerializable(typeof(SeriesView))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
