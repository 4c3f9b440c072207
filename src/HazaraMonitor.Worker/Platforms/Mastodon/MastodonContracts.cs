using System.Text.Json.Serialization;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

// Wire contracts of Mastodon's tag timeline (https://docs.joinmastodon.org/methods/timelines/#tag): only the
// fields HazaraMonitor reads. Status ids are per instance; `uri` is the same on every instance.

internal sealed class MastodonStatus
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("uri")] public string? Uri { get; init; }

    /// <summary>The status's page on its home instance, for people; absent on some servers.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("language")] public string? Language { get; init; }

    [JsonPropertyName("content")] public string? Content { get; init; }

    [JsonPropertyName("account")] public MastodonAccount? Account { get; init; }

    [JsonPropertyName("tags")] public List<MastodonTag>? Tags { get; init; }

    [JsonPropertyName("reblogs_count")] public long ReblogsCount { get; init; }

    [JsonPropertyName("favourites_count")] public long FavouritesCount { get; init; }

    [JsonPropertyName("replies_count")] public long RepliesCount { get; init; }

    [JsonPropertyName("quotes_count")] public long QuotesCount { get; init; }
}

internal sealed class MastodonAccount
{
    [JsonPropertyName("acct")] public string? Acct { get; init; }
}

internal sealed class MastodonTag
{
    [JsonPropertyName("name")] public string? Name { get; init; }
}

/// <summary>A Tag with its history; every history value is a string on the wire.</summary>
internal sealed class MastodonTagEntity
{
    [JsonPropertyName("history")] public List<MastodonTagDay>? History { get; init; }
}

internal sealed class MastodonTagDay
{
    [JsonPropertyName("day")] public string? Day { get; init; }

    [JsonPropertyName("uses")] public string? Uses { get; init; }

    [JsonPropertyName("accounts")] public string? Accounts { get; init; }
}

internal sealed class MastodonError
{
    [JsonPropertyName("error")] public string? Error { get; init; }
}

[JsonSerializable(typeof(List<MastodonStatus>))]
[JsonSerializable(typeof(MastodonError))]
[JsonSerializable(typeof(MastodonTagEntity))]
internal sealed partial class MastodonJsonContext : JsonSerializerContext;
