using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Core.Posts;
using HazaraMonitor.Core.Time;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>
/// Turns an <see cref="IngestBatch"/> into the KEYS and ARGV of <c>Scripts/commit.lua</c>.
/// The layout is documented at the top of the script.
/// </summary>
internal static class RedisIngestCommand
{
    public static (RedisKey[] Keys, RedisValue[] Args) Build(
        IngestBatch batch, RedisKeySchema keys, RedisOptions retention, RedisKey cursorKey, string? cursor)
    {
        var campaign = batch.Campaign.Id;
        var platform = batch.Platform;

        // Bucket keys, in first-use order, with the (bucket index, field) pairs of every shape.
        var bucketIndex = new Dictionary<(Resolution, DateTimeOffset), int>();
        var bucketKeys = new List<RedisKey>();
        var bucketExpiry = new List<RedisValue>();
        var shapeArgs = new List<RedisValue>();
        foreach (var shape in batch.Shapes)
        {
            var fields = new List<(int, string)>();
            foreach (var resolution in Buckets.All)
            {
                var start = resolution.Start(shape.Minute);
                if (!bucketIndex.TryGetValue((resolution, start), out var b))
                {
                    b = bucketKeys.Count + 1;
                    bucketIndex[(resolution, start)] = b;
                    bucketKeys.Add(keys.Bucket(campaign, resolution, start));
                    bucketExpiry.Add(RedisKeySchema.UnixSeconds(start + resolution.Width() + retention.RetentionOf(resolution)));
                }

                fields.Add((b, RedisKeySchema.TotalField(platform)));
                fields.Add((b, RedisKeySchema.LanguageField(platform, shape.Language)));
                foreach (var tag in shape.Hashtags)
                {
                    fields.Add((b, RedisKeySchema.CountField(platform, tag)));
                }
            }

            shapeArgs.Add(fields.Count);
            foreach (var (b, field) in fields)
            {
                shapeArgs.Add(b);
                shapeArgs.Add(field);
            }
        }

        // Dedupe sets: one per UTC day of the posts.
        var byDay = batch.Posts.GroupBy(p => p.Day).ToList();
        var seenKeys = new List<RedisKey>(byDay.Count);
        var seenArgs = new List<RedisValue>(2 + (batch.Posts.Count * 2) + (byDay.Count * 2));
        foreach (var day in byDay)
        {
            seenKeys.Add(keys.Seen(campaign, platform, day.Key));
            seenArgs.Add(RedisKeySchema.UnixSeconds(day.Key + TimeSpan.FromDays(1) + retention.DedupeWindow));
            seenArgs.Add(day.Count());
            foreach (var post in day)
            {
                seenArgs.Add(post.Id);
                seenArgs.Add(post.Shape + 1);
            }
        }

        // Unique-author sketches: per platform, and across platforms with platform-qualified ids.
        var hllKeys = new List<RedisKey>();
        var hllArgs = new List<RedisValue>();
        foreach (var ((resolution, start), authors) in batch.Authors)
        {
            var expireAt = RedisKeySchema.UnixSeconds(start + resolution.Width() + retention.RetentionOf(resolution));
            hllKeys.Add(keys.Authors(campaign, resolution, start, platform.Name()));
            hllArgs.Add(expireAt);
            hllArgs.Add(authors.Count);
            foreach (var author in authors)
            {
                hllArgs.Add(author);
            }

            hllKeys.Add(keys.Authors(campaign, resolution, start, RedisKeySchema.AllPlatforms));
            hllArgs.Add(expireAt);
            hllArgs.Add(authors.Count);
            var qualifier = platform.Name() + ":";
            foreach (var author in authors)
            {
                hllArgs.Add(qualifier + author);
            }
        }

        var allKeys = new RedisKey[1 + seenKeys.Count + bucketKeys.Count + hllKeys.Count];
        allKeys[0] = cursorKey;
        seenKeys.CopyTo(allKeys, 1);
        bucketKeys.CopyTo(allKeys, 1 + seenKeys.Count);
        hllKeys.CopyTo(allKeys, 1 + seenKeys.Count + bucketKeys.Count);

        var args = new List<RedisValue>(6 + bucketExpiry.Count + shapeArgs.Count + seenArgs.Count + hllArgs.Count)
        {
            cursor is null ? "0" : "1",
            cursor ?? string.Empty,
            seenKeys.Count,
            bucketKeys.Count,
            hllKeys.Count,
            batch.Shapes.Count,
        };
        args.AddRange(bucketExpiry);
        args.AddRange(shapeArgs);
        args.AddRange(seenArgs);
        args.AddRange(hllArgs);
        return (allKeys, [.. args]);
    }
}
