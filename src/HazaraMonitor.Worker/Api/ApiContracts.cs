using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Api;

internal sealed record CampaignView(
    string Id,
    string Name,
    string CanonicalHashtag,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> Platforms);

internal sealed record SeriesPointView(
    [property: JsonPropertyName("t")] DateTime T,
    long Count,
    long? Reported);

/// <summary>A series; times are UTC <see cref="DateTime"/>s so they serialize as <c>2022-10-01T00:00:00Z</c>.</summary>
internal sealed record SeriesView(
    string Campaign,
    string? Hashtag,
    string? Platform,
    string Resolution,
    DateTime From,
    DateTime To,
    IReadOnlyList<SeriesPointView> Points);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<CampaignView>))]
[JsonSerializable(typeof(SeriesView))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
