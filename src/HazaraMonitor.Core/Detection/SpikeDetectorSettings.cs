using HazaraMonitor.Core.Configuration;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Core.Detection;

/// <summary>
/// Every parameter of <see cref="SpikeDetector"/>, with its default. Durations, not row counts, so
/// the same settings serve 1-minute buckets live and 5-minute buckets in a backtest. Bound from
/// <c>HazaraMonitor:Detection</c>, and from <c>detect --settings</c>.
/// </summary>
public sealed class SpikeDetectorSettings
{
    /// <summary>Recent level: the median of this much history before the bucket. Default 2 hours.</summary>
    public TimeSpan LevelWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Daily seasonality: the median of the same time of day on this many previous days. Default 7.</summary>
    public int SeasonalDays { get; set; } = 7;

    /// <summary>How far either side of the same time of day the seasonal median reaches. Default 30 minutes.</summary>
    public TimeSpan SeasonalHalfWidth { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Noise scale: the robust spread (MAD) of this much history, in square-root units. Default 3 days.</summary>
    public TimeSpan ScaleWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Smallest noise scale, in square-root units. 0.5 is the spread of the square root of a Poisson
    /// count, so a sparse series (mostly zeros) is not judged against a scale of zero. Default 0.5.
    /// </summary>
    public double ScaleFloor { get; set; } = 0.5;

    /// <summary>The block whose largest surprise is recorded for the tail model. Default 1 day.</summary>
    public TimeSpan Block { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many past blocks' largest surprises the tail model is fitted to. Default 21 (three weeks).</summary>
    public int HistoryBlocks { get; set; } = 21;

    /// <summary>Warm-up: no score until this many blocks have been seen. Default 4.</summary>
    public int WarmupBlocks { get; set; } = 4;

    /// <summary>After a spike (or dip), only a larger one scores again within this time. Default 1 day.</summary>
    public TimeSpan Refractory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Within <see cref="Refractory"/>, a growing surge scores again only when its rarity (-log10 of
    /// its tail probability) is at least this many times the rarity it already scored: 2 means its
    /// return period has at least squared. Default 2.
    /// </summary>
    public double EscalationFactor { get; set; } = 2;

    /// <summary>
    /// A series' budget of surge alerts over its history (<see cref="HistoryBlocks"/> blocks): once
    /// its detector has raised this many (sent to sinks or not), a new surge alerts only when it is
    /// rarer than the least rare of the most rare ones raised, so a series that keeps surging is held
    /// to about this many alerts per history (3 in 21 days: one a week, the rate responders can live
    /// with) while what outranks its own recent alerts still gets through. The rate is calibrated on each series' own alerts,
    /// not on any constant of its level. 0 turns the budget off. Default 3.
    /// </summary>
    public int AlertBudget { get; set; } = 3;

    /// <summary>
    /// Surges alert when a surprise this large is expected less than once in this time (its return
    /// period, from the tail model). The knob for the false-alert rate: noise alone reaches it about
    /// once in this time, and the novelty rule and one alert per <see cref="Refractory"/> bring the
    /// false alerts measured on real series to about one per series-week (docs/detection.md).
    /// Default 1.5 days.
    /// </summary>
    public TimeSpan AlertReturnPeriod { get; set; } = TimeSpan.FromDays(1.5);

    /// <summary>
    /// Fades alert when a dip this deep is expected less than once in this time. Stricter than
    /// surges: a fade is slow by nature, so waiting for certainty costs little, while a false fade
    /// (a collection gap, a holiday) sends people chasing nothing. Default 90 days.
    /// </summary>
    public TimeSpan DipAlertReturnPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Surges are also judged on sums over this window, so a rise sustained over an hour alerts
    /// although no single bucket stands out. Default 1 hour.
    /// </summary>
    public TimeSpan SurgeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Dips are judged on sums over this window (a single empty bucket is no news). Default 1 hour.</summary>
    public TimeSpan DipWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Dips are judged only where at least this many posts were expected in <see cref="DipWindow"/>. Default 30.</summary>
    public double DipMinimumExpected { get; set; } = 30;

    /// <summary>Every problem with these settings, each naming its key under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Validate(string prefix, TimeSpan bucket)
    {
        var errors = new List<string>();
        void AtLeastBuckets(TimeSpan value, string name, int buckets = 1)
        {
            if (value < bucket * buckets)
            {
                errors.Add($"{prefix}:{name} must be at least {buckets} bucket(s) of {bucket} (got {value}).");
            }
        }

        AtLeastBuckets(LevelWindow, nameof(LevelWindow));
        AtLeastBuckets(ScaleWindow, nameof(ScaleWindow), 2);
        AtLeastBuckets(Block, nameof(Block));
        AtLeastBuckets(DipWindow, nameof(DipWindow));
        AtLeastBuckets(SurgeWindow, nameof(SurgeWindow));
        if (SeasonalHalfWidth < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:{nameof(SeasonalHalfWidth)} must not be negative (got {SeasonalHalfWidth}).");
        }

        if (Refractory < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:{nameof(Refractory)} must not be negative (got {Refractory}).");
        }

        if (SeasonalDays is < 0 or > 28)
        {
            errors.Add($"{prefix}:{nameof(SeasonalDays)} must be between 0 and 28 (got {SeasonalDays}).");
        }

        if (ScaleFloor <= 0 || double.IsNaN(ScaleFloor))
        {
            errors.Add($"{prefix}:{nameof(ScaleFloor)} must be positive (got {ScaleFloor}).");
        }

        if (HistoryBlocks < 3)
        {
            errors.Add($"{prefix}:{nameof(HistoryBlocks)} must be at least 3: the tail model needs a spread (got {HistoryBlocks}).");
        }

        if (WarmupBlocks < 2 || WarmupBlocks > HistoryBlocks)
        {
            errors.Add($"{prefix}:{nameof(WarmupBlocks)} must be between 2 and {nameof(HistoryBlocks)} ({HistoryBlocks}) (got {WarmupBlocks}).");
        }

        if (AlertReturnPeriod < Block)
        {
            errors.Add($"{prefix}:{nameof(AlertReturnPeriod)} must be at least one {nameof(Block)} ({Block}) (got {AlertReturnPeriod}).");
        }

        if (DipAlertReturnPeriod < Block)
        {
            errors.Add($"{prefix}:{nameof(DipAlertReturnPeriod)} must be at least one {nameof(Block)} ({Block}) (got {DipAlertReturnPeriod}).");
        }

        if (AlertBudget < 0)
        {
            errors.Add($"{prefix}:{nameof(AlertBudget)} must not be negative (got {AlertBudget}); 0 turns the budget off.");
        }

        if (EscalationFactor < 1 || double.IsNaN(EscalationFactor))
        {
            errors.Add($"{prefix}:{nameof(EscalationFactor)} must be at least 1 (got {EscalationFactor}).");
        }

        if (DipMinimumExpected < 0 || double.IsNaN(DipMinimumExpected))
        {
            errors.Add($"{prefix}:{nameof(DipMinimumExpected)} must not be negative (got {DipMinimumExpected}).");
        }

        return errors;
    }
}

/// <summary>Checks <c>HazaraMonitor:Detection</c> for live detection, which runs on 1-minute buckets.</summary>
public sealed class LiveDetectionSettingsValidator : IValidateOptions<SpikeDetectorSettings>
{
    public const string Key = ValidatedOptions.Root + ":Detection";

    public ValidateOptionsResult Validate(string? name, SpikeDetectorSettings options) =>
        options.Validate(Key, TimeSpan.FromMinutes(1)) is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}
