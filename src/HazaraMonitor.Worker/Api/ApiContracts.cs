using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Api;

/// <param name="Coverage">Per platform followed: what its figures can hold.</param>
internal sealed record CampaignView(
    string Id,
    string Name,
    string CanonicalHashtag,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> Platforms,
    IReadOnlyDictionary<string, PlatformCoverageView> Coverage);

/// <summary>What one platform's figures for a campaign can hold.</summary>
/// <param name="UniqueAuthors"><c>available</c>, or <c>not available</c> and why (Instagram's hashtag search names no author): never a count of 0.</param>
/// <param name="NotFollowed">The campaign's hashtags (as configured) the platform does not follow now, each with the reason; empty when it follows them all.</param>
internal sealed record PlatformCoverageView(string UniqueAuthors, IReadOnlyDictionary<string, string> NotFollowed);

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
