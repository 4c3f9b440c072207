using Quartz;

namespace HazaraMonitor.Worker.Platforms;

/// <summary>What every platform's options have: <c>Platforms:&lt;P&gt;:Enabled</c>.</summary>
public abstract class PlatformOptions
{
    /// <summary>
    /// Whether campaigns follow this platform at all. Default true. False skips it for every campaign (no
    /// polls, no stream, no credentials required, not counted in series, detection or health), e.g.
    /// <c>HazaraMonitor__Platforms__Reddit__Enabled=false</c> for a deployment without its credentials.
    /// </summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>What the options of a platform read by newest-first sweeps (<see cref="Polling.SweepJob{TOptions}"/>) say of them.</summary>
public interface ISweepOptions
{
    /// <summary>Most pages one poll reads; the rest continue at the next poll.</summary>
    int MaxPagesPerPoll { get; }

    /// <summary>How far back the first sweep reaches.</summary>
    TimeSpan InitialLookback { get; }
}

/// <summary>A platform as its folder declares it: its name and its configuration section, <c>HazaraMonitor:Platforms:{Section}</c>.</summary>
/// <param name="NamesAuthors">
/// False for a platform whose answers carry no author (Instagram's hashtag search): its unique
/// authors are "not available", in the API and the metrics, never a count of 0.
/// </param>
internal sealed record PlatformDefinition(Platform Id, string Section, bool NamesAuthors = true)
{
    public string Key => $"{ValidatedOptions.Root}:Platforms:{Section}";

    public string EnabledKey => Key + ":" + nameof(PlatformOptions.Enabled);
}

/// <summary>
/// One poll a platform registers: the scheduler adds a job of <paramref name="Job"/> per campaign
/// following <paramref name="Platform"/> and per target, named <c>{Name}[.{target}].{campaign}</c>,
/// on the cron its <paramref name="Plan"/> reads from the platform's options.
/// </summary>
internal sealed record PollRegistration(Platform Platform, string Name, Type Job, Func<IServiceProvider, PollPlan?> Plan);

/// <summary>
/// When a poll runs, and what it reads within its platform (a Mastodon instance): per target its
/// name and the job data the job finds it by; null targets for one job per campaign.
/// </summary>
internal sealed record PollPlan(string Schedule, IReadOnlyList<(string Name, string Data)>? Targets = null);

/// <summary>
/// Checks a platform's section only when the platform is on and some campaign lists it: a platform
/// nothing reads needs no credentials and no valid settings. The campaigns are read as configured
/// (their own validator reports their problems), so one bad campaign does not hide these.
/// </summary>
internal abstract class PlatformOptionsValidator<TOptions>(IConfiguration configuration) : IValidateOptions<TOptions>
    where TOptions : PlatformOptions
{
    protected abstract PlatformDefinition Platform { get; }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var campaigns = configuration.GetSection(CampaignsOptions.Key).Get<CampaignsOptions>() ?? new();
        var following = campaigns.Listing(Platform.Id);
        var problems = new OptionProblems(Platform.Key);
        if (options.Enabled && following.Count > 0)
        {
            Check(options, following, problems);
        }

        return problems.Result();
    }

    /// <summary>Adds every problem with <paramref name="options"/>; <paramref name="following"/> are the campaigns that list the platform, with their index.</summary>
    protected abstract void Check(TOptions options, IReadOnlyList<(int Index, CampaignOptions Campaign)> following, OptionProblems problems);

    /// <summary>Each campaign's <paramref name="query"/> (see <see cref="CampaignQueries"/>) must fit the platform's <paramref name="limit"/>.</summary>
    /// <param name="name">The platform as a sentence names it: "an X query of 600 characters; X allows 512".</param>
    protected static void QueryFits(
        IReadOnlyList<(int Index, CampaignOptions Campaign)> following, Func<IEnumerable<string>, string> query, int limit, (string Article, string Name) name, OptionProblems problems)
    {
        foreach (var (index, campaign) in following)
        {
            var length = query(campaign.Hashtags.Concat(campaign.CounterHashtags)).Length;
            if (length > limit)
            {
                problems.AddRange([$"{CampaignsOptions.Key}:Campaigns:{index}:Hashtags make {name.Article} {name.Name} query of {length} characters{(campaign.CounterHashtags.Count > 0 ? " with its CounterHashtags" : string.Empty)}; {name.Name} allows {limit}. Split the campaign."]);
            }
        }
    }
}

/// <summary>What a platform's folder adds to the worker, in one <c>Add&lt;P&gt;Platform()</c>: its options, client, polls and their schedules.</summary>
internal sealed class PlatformBuilder<TOptions>(IServiceCollection services, PlatformDefinition platform)
    where TOptions : PlatformOptions
{
    public IServiceCollection Services => services;

    /// <summary>A typed HTTP client for the platform: see <see cref="PlatformResilience.AddPlatformClient{TClient, TOptions}"/>.</summary>
    public PlatformBuilder<TOptions> Client<TClient>(Func<TOptions, TimeSpan> requestTimeout, Action<TOptions, HttpClient>? configure = null)
        where TClient : class
    {
        services.AddPlatformClient<TClient, TOptions>(requestTimeout, configure);
        return this;
    }

    /// <summary>Makes the platform metered: what it bills, and the limits its budget sets (the ledger, <c>/api/spend</c>, health and metrics read them).</summary>
    public PlatformBuilder<TOptions> Metered(Tariff tariff, Func<IServiceProvider, SpendLimits> limits)
    {
        services.AddSingleton(new MeteredPlatform(platform.Id, tariff, limits));
        return this;
    }

    /// <summary>A poll job, scheduled per campaign (and per target) by <see cref="Hosting.JobScheduler"/>; <paramref name="when"/> false: not at all.</summary>
    public PlatformBuilder<TOptions> Poll<TJob>(
        string name, Func<TOptions, string> schedule, Func<TOptions, IReadOnlyList<(string Name, string Data)>>? targets = null, Func<TOptions, bool>? when = null)
        where TJob : class, IJob
    {
        services.AddTransient<TJob>();
        services.AddSingleton(new PollRegistration(platform.Id, name, typeof(TJob), sp =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>().Value;
            return when?.Invoke(options) ?? true ? new PollPlan(schedule(options), targets?.Invoke(options)) : null;
        }));
        return this;
    }
}

internal static class PlatformRegistrationExtensions
{
    /// <summary>Registers a platform: its definition, and its options bound from its section and checked by <typeparamref name="TValidator"/> at start-up.</summary>
    public static PlatformBuilder<TOptions> AddPlatform<TOptions, TValidator>(this IServiceCollection services, PlatformDefinition platform)
        where TOptions : PlatformOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton(platform);
        services.AddValidatedOptions<TOptions, TValidator>(platform.Key);
        return new PlatformBuilder<TOptions>(services, platform);
    }

    /// <summary>
    /// The registered platforms and which are turned off, read from configuration as bound (the value
    /// was checked to be true or false before binding).
    /// </summary>
    public static PlatformCatalog PlatformCatalog(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        return new PlatformCatalog(services.GetServices<PlatformDefinition>().Select(p =>
            new PlatformStatus(p.Id, p.EnabledKey, configuration.GetValue(p.EnabledKey, defaultValue: true))));
    }
}
