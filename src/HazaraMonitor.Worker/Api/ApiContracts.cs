using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Api;

/// <param name="Coverage">Per platform followed: what its figures can hold.</param>
/// <param name="CounterHashtags">Opposing or hijacking hashtags counted beside the campaign as its counter group.</param>
internal sealed record CampaignView(
    string Id,
    string Name,
    string CanonicalHashtag,
    IReadOnlyList<string> Hashtags,
    IReadOnlyList<string> CounterHashtags,
    IReadOnlyList<string> Platforms,
    IReadOnlyDictionary<string, PlatformCoverageView> Coverage);

/// <summary>What one platform's figures for a campaign can hold.</summary>
/// <param name="UniqueAuthors"><c>available</c>, or <c>not available</c> and why (Instagram's hashtag search names no author): never a count of 0.</param>
/// <param name="NotFollowed">The campaign's hashtags (as configured) the platform does not follow now, each with the reason; empty when it follows them all.</param>
internal sealed record PlatformCoverageView(string UniqueAuthors, IReadOnlyDictionary<string, string> NotFollowed);

/// <param name="Sampled">Posts read by sampling, where a platform in the point was sampled (a budget); else null.</param>
/// <param name="SampleShare">Their share of the platform's volume; figures from posts (languages, authors) are estimates from it.</param>
/// <param name="Completeness">Share of the bucket's polls that succeeded (4 decimals); null where no poll was recorded.</param>
/// <param name="Authors">Estimated distinct authors in the bucket (hour and day buckets); null in minute buckets.</param>
internal sealed record SeriesPointView(
    [property: JsonPropertyName("t")] DateTime T,
    long Count,
    long? Reported,
    long? Sampled,
    double? SampleShare,
    double? Completeness,
    long? Authors);

/// <summary>A series; times are UTC <see cref="DateTime"/>s so they serialize as <c>2022-10-01T00:00:00Z</c>.</summary>
/// <param name="Group"><c>own</c> (the campaign's hashtags) or <c>counter</c> (its counter-hashtags).</param>
internal sealed record SeriesView(
    string Campaign,
    string Group,
    string? Hashtag,
    string? Language,
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

/// <summary>A campaign's figures over a range: what its page shows.</summary>
internal sealed record SummaryView(
    string Campaign,
    string Name,
    string Resolution,
    DateTime From,
    DateTime To,
    long Total,
    long? Reported,
    long? Authors,
    double? Completeness,
    long PollsOk,
    long PollsFailed,
    IReadOnlyList<PlatformSummaryView> Platforms,
    IReadOnlyList<LanguageCountView> Languages,
    IReadOnlyList<HashtagCountView> Hashtags,
    IReadOnlyList<TopPostView> TopPosts,
    IReadOnlyList<HashtagCountView> CoHashtags,
    CounterView Counter);

/// <param name="Authors">Null where the platform names no author (see the campaign's coverage).</param>
internal sealed record PlatformSummaryView(string Platform, long Count, long? Reported, long? Authors, double? Completeness, long PollsOk, long PollsFailed);

internal sealed record LanguageCountView(string Language, long Count);

internal sealed record HashtagCountView(string Hashtag, long Count);

internal sealed record TopPostView(string Platform, string Id, string? Url, string Author, string Text, string? Language, DateTime CreatedAt, long Engagement);

/// <param name="ShareOfVoice">The campaign's posts over its and the counter group's together (4 decimals); null when both are 0.</param>
internal sealed record CounterView(
    IReadOnlyList<string> Hashtags,
    long Total,
    IReadOnlyList<PlatformCountView> Platforms,
    IReadOnlyList<HashtagCountView> PerHashtag,
    double? ShareOfVoice);

internal sealed record PlatformCountView(string Platform, long Count);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<CampaignView>))]
[JsonSerializable(typeof(SeriesView))]
[JsonSerializable(typeof(SummaryView))]
[JsonSerializable(typeof(IReadOnlyList<SpendView>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
