using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Turns an <see cref="IngestBatch"/> into the KEYS and ARGV of <c>Scripts/commit.lua</c>.
/// The layout is documented at the top of the script.
/// </summary>
internal static class RedisIngestCommand
{
    /// <returns>The script's keys and arguments, and the batch's posts in the order their ids are sent (the order of the returned flags).</returns>
    public static (RedisKey[] Keys, RedisValue[] Args, List<BatchPost> Order) Build(
        IngestBatch batch, RedisKeySchema keys, RedisOptions retention, RedisKey cursorKey, string? cursor, long? fence = null)
    {
        var campaign = batch.Campaign.Id;
        var platform = batch.Platform;
        var bucketKeys = new KeyList();
        var seenKeys = new KeyList();
        var hllKeys = new KeyList();
        var topKeys = new KeyList();
        var coKeys = new KeyList();

        // Per shape: its minute, hour and day bucket and the field names it increments in each.
        var shapeArgs = new List<RedisValue>(batch.Shapes.Count * 8);
        foreach (var shape in batch.Shapes)
        {
            foreach (var resolution in Buckets.All)
            {
                var start = resolution.Start(shape.Minute);
                shapeArgs.Add(bucketKeys.IndexOf(keys.Bucket(campaign, resolution, start), retention.ExpiresAt(resolution, start)));
            }

            shapeArgs.Add((shape.Own ? 2 : 0) + (shape.Counter ? 1 : 0) + shape.Hashtags.Count);
            if (shape.Own)
            {
                shapeArgs.Add(RedisKeySchema.TotalField(platform));
                shapeArgs.Add(RedisKeySchema.LanguageField(platform, shape.Language));
            }

            if (shape.Counter)
            {
                shapeArgs.Add(RedisKeySchema.CounterTotalField(platform));
            }

            foreach (var tag in shape.Hashtags)
            {
                shapeArgs.Add(RedisKeySchema.CountField(platform, tag));
            }
        }

        // Post ids by dedupe set (the shape's minute), grouped by shape inside each set.
        var seenArgs = new List<RedisValue>(batch.Posts.Count + (batch.Shapes.Count * 2) + 4);
        var order = new List<BatchPost>(batch.Posts.Count);
        foreach (var minute in batch.Posts.GroupBy(p => batch.Shapes[p.Shape].Minute))
        {
            seenKeys.IndexOf(keys.Seen(campaign, platform, minute.Key), Resolution.Day.Start(minute.Key) + TimeSpan.FromDays(1) + retention.DedupeWindow);
            var byShape = minute.GroupBy(p => p.Shape).ToList();
            seenArgs.Add(byShape.Count);
            foreach (var shape in byShape)
            {
                seenArgs.Add(shape.Key + 1);
                seenArgs.Add(shape.Count());
                foreach (var post in shape)
                {
                    seenArgs.Add(post.Id);
                    order.Add(post);
                }
            }
        }

        // Authors of each hour go into that hour's sketch and its day's.
        var authorArgs = new List<RedisValue>();
        foreach (var (hour, authors) in batch.AuthorsByHour)
        {
            var day = Resolution.Day.Start(hour);
            authorArgs.Add(2);
            authorArgs.Add(hllKeys.IndexOf(keys.Authors(campaign, Resolution.Hour, hour, platform), retention.ExpiresAt(Resolution.Hour, hour)));
            authorArgs.Add(hllKeys.IndexOf(keys.Authors(campaign, Resolution.Day, day, platform), retention.ExpiresAt(Resolution.Day, day)));
            authorArgs.Add(authors.Count);
            foreach (var author in authors)
            {
                authorArgs.Add(author);
            }
        }

        // Top post candidates go to their hour's ranking and their day's: score, member, and what the page shows.
        var topArgs = new List<RedisValue>();
        foreach (var (hour, posts) in batch.TopPostsByHour)
        {
            foreach (var (resolution, start) in (ReadOnlySpan<(Resolution, DateTimeOffset)>)[(Resolution.Hour, hour), (Resolution.Day, Resolution.Day.Start(hour))])
            {
                var expireAt = retention.ExpiresAt(resolution, start);
                topArgs.Add(topKeys.IndexOf(keys.TopPosts(campaign, resolution, start), expireAt));
                topKeys.IndexOf(keys.TopPostDetails(campaign, resolution, start), expireAt);
                topArgs.Add(posts.Count);
                foreach (var post in posts)
                {
                    topArgs.Add(post.Engagement);
                    topArgs.Add(RedisKeySchema.TopPostMember(post.Platform, post.Id));
                    topArgs.Add(TopPostJson.Serialize(post));
                }
            }
        }

        // Co-hashtags of each post, by its position in the flags: counted in its hour and day when the post is new.
        var coArgs = new List<RedisValue>();
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i].CoHashtags is not { Count: > 0 } tags)
            {
                continue;
            }

            var hour = Resolution.Hour.Start(batch.Shapes[order[i].Shape].Minute);
            var day = Resolution.Day.Start(hour);
            coArgs.Add(i + 1);
            coArgs.Add(coKeys.IndexOf(keys.CoHashtags(campaign, Resolution.Hour, hour), retention.ExpiresAt(Resolution.Hour, hour)));
            coArgs.Add(coKeys.IndexOf(keys.CoHashtags(campaign, Resolution.Day, day), retention.ExpiresAt(Resolution.Day, day)));
            coArgs.Add(tags.Count);
            foreach (var tag in tags)
            {
                coArgs.Add(tag);
            }
        }

        var allKeys = new List<RedisKey>(1 + seenKeys.Count + bucketKeys.Count + hllKeys.Count + topKeys.Count + coKeys.Count) { cursorKey };
        var args = new List<RedisValue>(11 + allKeys.Capacity + shapeArgs.Count + seenArgs.Count + authorArgs.Count + topArgs.Count + coArgs.Count)
        {
            cursor is null ? "0" : fence is { } token ? "f" + token.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1",
            cursor ?? string.Empty,
            seenKeys.Count,
            bucketKeys.Count,
            hllKeys.Count,
            batch.Shapes.Count,
            batch.AuthorsByHour.Count,
            topKeys.Count,
            coKeys.Count,
            topArgs.Count == 0 ? 0 : batch.TopPostsByHour.Count * 2,
            coArgs.Count == 0 ? 0 : order.Count(p => p.CoHashtags.Count > 0),
            BatchAggregator.TopPostsPerBucket,
            RedisKeySchema.CoHashtagsPerBucket,
        };
        foreach (var list in (ReadOnlySpan<KeyList>)[seenKeys, bucketKeys, hllKeys, topKeys, coKeys])
        {
            allKeys.AddRange(list.Keys);
            args.AddRange(list.ExpireAt);
        }

        args.AddRange(shapeArgs);
        args.AddRange(seenArgs);
        args.AddRange(authorArgs);
        args.AddRange(topArgs);
        args.AddRange(coArgs);
        return ([.. allKeys], [.. args], order);
    }

    /// <summary>Distinct keys in first-use order with their expiry; indexes are 1-based, as Lua's.</summary>
    private sealed class KeyList
    {
        private readonly Dictionary<RedisKey, int> _index = [];

        public List<RedisKey> Keys { get; } = [];

        public List<RedisValue> ExpireAt { get; } = [];

        public int Count => Keys.Count;

        public int IndexOf(RedisKey key, DateTimeOffset expireAt)
        {
            if (!_index.TryGetValue(key, out var index))
            {
                Keys.Add(key);
                ExpireAt.Add(RedisKeySchema.UnixSeconds(expireAt));
                _index[key] = index = Keys.Count;
            }

            return index;
        }
    }
}
