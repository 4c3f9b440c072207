using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Api;

internal sealed record CampaignView(
    string Id,
    string Name,
    string CanonicalHashtag,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> Platforms);

/// <param name="Sampled">Posts read by sampling, where a platform in the point was sampled (a budget); else null.</param>
/// <param name="SampleShare">Their share of the platform's volume; figures from posts (languages, authors) are estimates from it.</param>
internal sealed record SeriesPointView(
    [property: JsonPropertyName("t")] DateTime T,
    long Count,
    long? Reported,
    long? Sampled,
    double? SampleShare);

/// <summary>A series; times are UTC <see cref="DateTime"/>s so they serialize as <c>2022-10-01T00:00:00Z</c>.</summary>
internal sealed record SeriesView(
    string Campaign,
    string? Hashtag,
    string? Platform,
    string Resolution,
    DateTime From,
    DateTime To,
    IReadOnlyList<SeriesPointView> Points);

/// <summary>A metered platform's spending, as the shared ledger holds it, and its limits (null: none).</summary>
internal sealed record SpendView(
    string Platform,
    decimal DayUsd,
    long DayPostReads,
    long DayRequests,
    decimal MonthUsd,
    long MonthPostReads,
    long MonthRequests,
    decimal? DailyBudgetUsd,
    decimal? MonthlyBudgetUsd,
    long? MonthlyPostReadCap);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<CampaignView>))]
[JsonSerializable(typeof(SeriesView))]
[JsonSerializable(typeof(IReadOnlyList<SpendView>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
