using System.Text.Json;
using System.Text.Json.Serialization;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>One platform's figures over a range of buckets.</summary>
/// <param name="Volume">Its volume, summed as the series sums it (<see cref="PlatformBucket.Volume"/>).</param>
/// <param name="Reported">The platform's own count summed over the buckets that have one; null when none has.</param>
/// <param name="Counter">Posts of the campaign's counter group (<c>CounterHashtags</c>).</param>
/// <param name="Authors">Estimated distinct authors (HyperLogLog union of the buckets' sketches).</param>
public readonly record struct PlatformTotals(long Volume, long? Reported, long Counter, long PollsOk, long PollsFailed, long Authors);

/// <summary>A top post as stored: what a person sees of it, its rank and where it came from.</summary>
public sealed record RankedPost(string Platform, string Id, string? Url, string Author, string Text, string? Language, DateTimeOffset CreatedAt, long Engagement);

/// <summary>A campaign's figures over whole buckets of one resolution, from <see cref="From"/> up to <see cref="To"/>.</summary>
/// <param name="Hashtags">Posts per followed hashtag (comparison key), own and counter, over every platform.</param>
/// <param name="Languages">Posts of the campaign per language code, over every platform.</param>
/// <param name="Authors">Distinct authors over every platform (one author on two platforms is one).</param>
/// <param name="CoHashtags">Other hashtags carried by the campaign's new posts, most frequent first (<c>*</c>: those past a bucket's 200).</param>
public sealed record CampaignTotals(
    Resolution Resolution,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyDictionary<Platform, PlatformTotals> Platforms,
    IReadOnlyDictionary<string, long> Hashtags,
    IReadOnlyDictionary<string, long> Languages,
    long Authors,
    IReadOnlyList<RankedPost> TopPosts,
    IReadOnlyList<KeyValuePair<string, long>> CoHashtags);

/// <summary>The details of a top post as the commit stores them (platform, id and engagement are in the ranking).</summary>
internal sealed record TopPostDetails(string? Url, string Author, string Text, string? Language, DateTimeOffset CreatedAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TopPostDetails))]
internal sealed partial class TopPostJson : JsonSerializerContext
{
    public static string Serialize(TopPost post) =>
        JsonSerializer.Serialize(new TopPostDetails(post.Url, post.Author, post.Text, post.Language, post.CreatedAt), Default.TopPostDetails);

    public static TopPostDetails? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Default.TopPostDetails);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed partial class RedisCountStore
{
    /// <summary>Top posts and co-hashtags a summary answers.</summary>
    public const int SummaryTopPosts = BatchAggregator.TopPostsPerBucket, SummaryCoHashtags = 20;

    /// <summary>
    /// A campaign's figures over the hour or day buckets that cover [from, to), on <paramref name="platforms"/>:
    /// volumes, the counter group, languages, hashtags, distinct authors, polls, top posts and co-hashtags.
    /// Everything is read in one pipelined batch.
    /// </summary>
    public async Task<CampaignTotals> GetTotalsAsync(
        string campaignId, Resolution resolution, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<Platform> platforms, CancellationToken cancellationToken)
    {
        if (resolution == Resolution.Minute)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), "Totals are kept in hour and day buckets.");
        }

        var starts = resolution.Range(from, to).ToList();
        var batch = Db.CreateBatch();
        var buckets = starts.Select(s => batch.HashGetAllAsync(Keys.Bucket(campaignId, resolution, s))).ToList();
        var rankings = starts.Select(s => batch.SortedSetRangeByRankWithScoresAsync(Keys.TopPosts(campaignId, resolution, s), 0, -1, Order.Descending)).ToList();
        var details = starts.Select(s => batch.HashGetAllAsync(Keys.TopPostDetails(campaignId, resolution, s))).ToList();
        var co = starts.Select(s => batch.HashGetAllAsync(Keys.CoHashtags(campaignId, resolution, s))).ToList();
        var authorKeys = platforms.ToDictionary(p => p, p => starts.Select(s => Keys.Authors(campaignId, resolution, s, p)).ToArray());
        var authors = authorKeys.ToDictionary(kv => kv.Key, kv => batch.HyperLogLogLengthAsync(kv.Value));
        var allAuthors = batch.HyperLogLogLengthAsync([.. authorKeys.Values.SelectMany(k => k)]);
        batch.Execute();
        await Task.WhenAll([.. buckets, .. rankings, .. details, .. co, .. authors.Values, allAuthors]).WaitAsync(cancellationToken);

        var perPlatform = platforms.ToDictionary(p => p, p => new PlatformTotals(0, null, 0, 0, 0, authors[p].Result));
        var hashtags = new Dictionary<string, long>(StringComparer.Ordinal);
        var languages = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var bucket in buckets)
        {
            foreach (var (platform, one) in ParseBucket(bucket.Result))
            {
                if (!perPlatform.TryGetValue(platform, out var sum))
                {
                    continue;
                }

                perPlatform[platform] = sum with
                {
                    Volume = sum.Volume + one.Volume,
                    Reported = one.Reported is { } r ? (sum.Reported ?? 0) + r : sum.Reported,
                    PollsOk = sum.PollsOk + one.PollsOk,
                    PollsFailed = sum.PollsFailed + one.PollsFailed,
                };
            }

            foreach (var entry in bucket.Result)
            {
                if (!RedisKeySchema.TryParseField(entry.Name!, out var platform, out var what) || !perPlatform.TryGetValue(platform, out var sum))
                {
                    continue;
                }

                var value = (long)entry.Value;
                if (what == RedisKeySchema.CounterSuffix)
                {
                    perPlatform[platform] = sum with { Counter = sum.Counter + value };
                }
                else if (what.StartsWith(RedisKeySchema.LanguagePrefix, StringComparison.Ordinal))
                {
                    var code = what[RedisKeySchema.LanguagePrefix.Length..];
                    languages[code] = languages.GetValueOrDefault(code) + value;
                }
                else if (what.Length > 0 && !what.Contains('|', StringComparison.Ordinal) && !what.Contains(':', StringComparison.Ordinal) && what != RedisKeySchema.AllHashtags
                    && what != RedisKeySchema.SampledSuffix)
                {
                    hashtags[what] = hashtags.GetValueOrDefault(what) + value;
                }
            }
        }

        var top = new Dictionary<string, RankedPost>(StringComparer.Ordinal);
        for (var i = 0; i < starts.Count; i++)
        {
            var shown = details[i].Result.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
            foreach (var ranked in rankings[i].Result)
            {
                var member = (string)ranked.Element!;
                var colon = member.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !Platform.TryParse(member[..colon], out var platform) || !platforms.Contains(platform)
                    || !shown.TryGetValue(member, out var json) || TopPostJson.Parse(json) is not { } post)
                {
                    continue;
                }

                var engagement = (long)ranked.Score;
                if (!top.TryGetValue(member, out var known) || known.Engagement < engagement)
                {
                    top[member] = new RankedPost(platform.Name, member[(colon + 1)..], post.Url, post.Author, post.Text, post.Language, post.CreatedAt, engagement);
                }
            }
        }

        var coHashtags = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var hash in co)
        {
            foreach (var entry in hash.Result)
            {
                coHashtags[(string)entry.Name!] = coHashtags.GetValueOrDefault((string)entry.Name!) + (long)entry.Value;
            }
        }

        return new CampaignTotals(
            resolution,
            starts.Count > 0 ? starts[0] : resolution.Start(from),
            starts.Count > 0 ? starts[^1] + resolution.Width() : resolution.Start(from),
            perPlatform,
            hashtags,
            languages,
            allAuthors.Result,
            [.. top.Values.OrderByDescending(p => p.Engagement).ThenByDescending(p => p.CreatedAt).ThenBy(p => p.Platform, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).Take(SummaryTopPosts)],
            [.. coHashtags.Where(kv => kv.Key != RedisKeySchema.AllHashtags).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(SummaryCoHashtags)]);
    }
}
