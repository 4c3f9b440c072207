using System.Text.RegularExpressions;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Time;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HazaraMonitor.Storage.Redis;

/// <summary>Redis connection and retention.</summary>
public sealed class RedisOptions
{
    public const string Key = ValidatedOptions.Root + ":Redis";

    /// <summary>StackExchange.Redis configuration string. Default <c>localhost:6379</c>.</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>First segment of every key, so several deployments can share one Redis. Default <c>hm</c>.</summary>
    public string KeyPrefix { get; set; } = "hm";

    /// <summary>
    /// How long 1-minute buckets are kept. Default 22 days: live detection learns from three weeks of
    /// minutes (the tail model's <c>HistoryBlocks</c>) and one day more; a shorter retention gives it less.
    /// </summary>
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(22);

    /// <summary>How long 1-hour buckets are kept. Default 90 days.</summary>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long 1-day buckets are kept. Default 3 years.</summary>
    public TimeSpan DayRetention { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>
    /// How long a post id is remembered for de-duplication, counted from the end of the post's UTC day.
    /// Posts older than this are refused (and counted as such) rather than risk counting them twice.
    /// Default 8 days.
    /// </summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(8);

    public TimeSpan RetentionOf(Resolution resolution) => resolution switch
    {
        Resolution.Minute => MinuteRetention,
        Resolution.Hour => HourRetention,
        Resolution.Day => DayRetention,
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };

    /// <summary>When the bucket of <paramref name="resolution"/> that starts at <paramref name="start"/> expires: its retention after its end.</summary>
    public DateTimeOffset ExpiresAt(Resolution resolution, DateTimeOffset start) => start + Buckets.Width(resolution) + RetentionOf(resolution);
}

/// <summary>Checks <c>HazaraMonitor:Redis</c>, parsing the configuration string as StackExchange.Redis will.</summary>
public sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var problems = new OptionProblems(RedisOptions.Key);
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            problems.Add(nameof(options.Configuration), "must be a StackExchange.Redis configuration string, e.g. 'localhost:6379'.");
        }
        else
        {
            try
            {
                ConfigurationOptions.Parse(options.Configuration);
            }
            catch (ArgumentException e)
            {
                problems.Add(nameof(options.Configuration), $"is not a StackExchange.Redis configuration string: {e.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || !KeyPrefixPattern().IsMatch(options.KeyPrefix))
        {
            problems.Add(nameof(options.KeyPrefix), $"must be 1-32 characters of a-z, 0-9, '-' or '_' (got '{options.KeyPrefix}').");
        }

        problems.Positive(options.MinuteRetention, nameof(options.MinuteRetention));
        problems.Positive(options.HourRetention, nameof(options.HourRetention));
        problems.Positive(options.DayRetention, nameof(options.DayRetention));
        problems.Positive(options.DedupeWindow, nameof(options.DedupeWindow));
        return problems.Result();
    }

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex KeyPrefixPattern();
}
