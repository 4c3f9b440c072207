using System.Collections.Concurrent;

namespace HazaraMonitor.Simulator.Timeline;

/// <summary>
/// The simulated campaign: a quiet baseline with a daily cycle, then an event-driven surge that
/// decays (as in the days after the 30 Sept 2022 Kaaj attack), posts in English and Dari/Persian
/// typed every way people type them, and some unrelated posts. Each minute is generated from the
/// seed and its own index, so any minute can be produced on demand and is always the same.
/// </summary>
public sealed class CampaignTimeline(SimulatorOptions options, SimClock clock)
{
    // English spellings in the case people use, and Dari/Persian ones with the Arabic yeh/kaf and
    // with and without the zero-width non-joiner (U+200C).
    private static readonly string[] English = ["StopHazaraGenocide", "stophazaragenocide", "STOPHAZARAGENOCIDE", "HazaraGenocide", "StopHazaraKilling", "StopKillingHazaras"];

    private static readonly string[] Persian =
    [
        "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647", // نسل_کشی_هزاره
        "\u0646\u0633\u0644_\u0643\u0634\u064A_\u0647\u0632\u0627\u0631\u0647", // نسل_كشي_هزاره (Arabic kaf and yeh)
        "\u0647\u0632\u0627\u0631\u0647_\u0631\u0627_\u0646\u06A9\u0634\u06CC\u062F", // هزاره_را_نکشید
        "\u0646\u0633\u0644\u200C\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647\u200C\u0647\u0627_\u0631\u0627_\u0645\u062A\u0648\u0642\u0641_\u06A9\u0646\u06CC\u062F", // with ZWNJ
        "\u0646\u0633\u0644\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647\u0647\u0627_\u0631\u0627_\u0645\u062A\u0648\u0642\u0641_\u06A9\u0646\u06CC\u062F", // the same without ZWNJ
    ];

    private static readonly string[] Unrelated = ["Kabul", "Afghanistan", "news", "\u06A9\u0627\u0628\u0644"];

    /// <summary>A synthetic counter-campaign's hashtag (the demo lists it in <c>Campaigns:0:CounterHashtags</c>).</summary>
    public const string CounterTag = "CounterNarrative";

    /// <summary>The comparison key of every hashtag the timeline's posts carry.</summary>
    public static IReadOnlyList<string> HashtagKeys { get; } =
        [.. English.Concat(Persian).Concat(Unrelated).Append(CounterTag).Select(t => HashtagNormalizer.Normalize(t)).Distinct(StringComparer.Ordinal)];

    private static readonly string[] EnglishText =
    [
        "Hazara students were killed at the Kaaj education centre. The world must act.",
        "Protest today in solidarity with the Hazara people.",
        "Education is not a crime. Justice for the Kaaj victims.",
        "Thousands marched this weekend to demand protection for Hazaras.",
    ];

    private static readonly string[] PersianText =
    [
        "\u0622\u0645\u0648\u0632\u0634 \u062C\u0631\u0645 \u0646\u06CC\u0633\u062A\u060C \u0639\u062F\u0627\u0644\u062A \u0628\u0631\u0627\u06CC \u0642\u0631\u0628\u0627\u0646\u06CC\u0627\u0646 \u06A9\u0627\u062C", // آموزش جرم نیست، عدالت برای قربانیان کاج
        "\u0647\u0632\u0627\u0631\u0647 \u0647\u0627 \u0631\u0627 \u0646\u06A9\u0634\u06CC\u062F\u060C \u062C\u0647\u0627\u0646 \u0633\u06A9\u0648\u062A \u0646\u06A9\u0646\u062F", // هزاره ها را نکشید، جهان سکوت نکند
    ];

    private readonly ConcurrentDictionary<long, IReadOnlyList<SimPost>> _minutes = new();

    /// <summary>Posts created in [from, to), oldest first, limited to the timeline.</summary>
    public IEnumerable<SimPost> Between(DateTimeOffset from, DateTimeOffset to)
    {
        var start = clock.TimelineStart;
        if (from < start)
        {
            from = start;
        }

        if (clock.TimelineEnd is { } end && to > end)
        {
            to = end;
        }

        for (var minute = (long)Math.Floor((from - start).TotalMinutes); start.AddMinutes(minute) < to; minute++)
        {
            foreach (var post in Minute(minute))
            {
                if (post.CreatedAt >= from && post.CreatedAt < to)
                {
                    yield return post;
                }
            }
        }
    }

    /// <summary>Expected posts per minute at <paramref name="minute"/> minutes into the timeline.</summary>
    public double Rate(double minute)
    {
        var hourOfDay = clock.TimelineStart.AddMinutes(minute).UtcDateTime.TimeOfDay.TotalHours;
        // Kabul is UTC+4:30; activity peaks in its evening and in European and American daytime.
        var daily = 1 + (0.5 * Math.Sin(2 * Math.PI * (hourOfDay - 10) / 24));
        var surge = minute < options.SurgeAtMinute
            ? 0
            : options.SurgePeakPerMinute * Math.Pow(0.5, (minute - options.SurgeAtMinute) / options.SurgeHalfLifeMinutes);
        return (options.BaselinePerMinute * daily) + surge;
    }

    private readonly ConcurrentDictionary<(long Minute, string Keys), int> _matching = new();

    private IReadOnlyList<SimPost> Minute(long minute) => _minutes.GetOrAdd(minute, Generate);

    /// <summary>
    /// Posts in [<paramref name="minute"/>, <paramref name="to"/>), within one minute, carrying any of
    /// <paramref name="keys"/>. A whole minute that has passed is counted once and remembered: counts
    /// requests ask for every minute since yesterday each time.
    /// </summary>
    public int CountMatching(DateTimeOffset minute, DateTimeOffset to, IReadOnlyCollection<string> keys)
    {
        var end = minute.AddMinutes(1);
        var whole = to >= end && clock.Now >= end;
        int Count() => Between(minute, whole ? end : to).Count(p => p.HashtagKeys.Any(keys.Contains));
        return whole ? _matching.GetOrAdd((minute.UtcTicks, string.Join(',', keys.Order(StringComparer.Ordinal))), _ => Count()) : Count();
    }

    private IReadOnlyList<SimPost> Generate(long minute)
    {
        var random = SeededRandom.For(options.Seed, minute);
        var minuteStart = clock.TimelineStart.AddMinutes(minute);
        var count = Poisson(random, Rate(minute + 0.5));
        var offsets = Enumerable.Range(0, count).Select(_ => random.Next(60_000)).Order().ToList();
        var posts = new List<SimPost>(count);
        for (var i = 0; i < count; i++)
        {
            var createdAt = minuteStart.AddMilliseconds(offsets[i]);
            var persian = random.NextDouble() < 0.4;
            var tags = new List<string>();
            if (random.NextDouble() < 0.9)
            {
                var pool = persian ? Persian : English;
                tags.Add(pool[random.Next(pool.Length)]);
                if (random.NextDouble() < 0.25)
                {
                    // A second campaign tag, sometimes in the other script.
                    var other = random.NextDouble() < 0.5 ? English : Persian;
                    tags.Add(other[random.Next(other.Length)]);
                }
            }

            // Half of the posts without a campaign tag carry the counter-campaign's (from the draws
            // already made, so the timeline's other posts stay as they were).
            if (tags.Count == 0 && offsets[i] % 2 == 0)
            {
                tags.Add(CounterTag);
            }

            if (tags.Count == 0 || tags[0] == CounterTag || random.NextDouble() < 0.3)
            {
                tags.Add(Unrelated[random.Next(Unrelated.Length)]);
            }

            var body = persian ? PersianText[random.Next(PersianText.Length)] : EnglishText[random.Next(EnglishText.Length)];
            // A few authors post a lot, most post once or twice.
            var author = (int)(5000 * Math.Pow(random.NextDouble(), 2.5));
            posts.Add(new SimPost(
                Snowflake.Create(createdAt, i),
                createdAt,
                (100_000 + author).ToString(System.Globalization.CultureInfo.InvariantCulture),
                persian ? "fa" : "en",
                body + " " + string.Join(' ', tags.Select(t => "#" + t)),
                tags,
                [.. tags.Select(t => HashtagNormalizer.Normalize(t)).Distinct()],
                random.Next(200),
                random.Next(50),
                random.Next(20),
                random.Next(5)));
        }

        return posts;
    }

    private static int Poisson(Random random, double mean)
    {
        if (mean > 50)
        {
            // Normal approximation: Knuth's method underflows for large means.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * normal)));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
