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

        // Per shape: its minute, hour and day bucket and the field names it increments in each.
        var shapeArgs = new List<RedisValue>(batch.Shapes.Count * 8);
        foreach (var shape in batch.Shapes)
        {
            foreach (var resolution in Buckets.All)
            {
                var start = resolution.Start(shape.Minute);
                shapeArgs.Add(bucketKeys.IndexOf(keys.Bucket(campaign, resolution, start), retention.ExpiresAt(resolution, start)));
            }

            shapeArgs.Add(2 + shape.Hashtags.Count);
            shapeArgs.Add(RedisKeySchema.TotalField(platform));
            shapeArgs.Add(RedisKeySchema.LanguageField(platform, shape.Language));
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

        var allKeys = new List<RedisKey>(1 + seenKeys.Count + bucketKeys.Count + hllKeys.Count) { cursorKey };
        var args = new List<RedisValue>(7 + allKeys.Capacity + shapeArgs.Count + seenArgs.Count + authorArgs.Count)
        {
            cursor is null ? "0" : fence is { } token ? "f" + token.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1",
            cursor ?? string.Empty,
            seenKeys.Count,
            bucketKeys.Count,
            hllKeys.Count,
            batch.Shapes.Count,
            batch.AuthorsByHour.Count,
        };
        foreach (var list in (ReadOnlySpan<KeyList>)[seenKeys, bucketKeys, hllKeys])
        {
            allKeys.AddRange(list.Keys);
            args.AddRange(list.ExpireAt);
        }

        args.AddRange(shapeArgs);
        args.AddRange(seenArgs);
        args.AddRange(authorArgs);
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
