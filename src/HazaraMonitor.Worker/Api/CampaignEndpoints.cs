using HazaraMonitor.Core.Ingest;
using HazaraMonitor.Worker.Platforms;


namespace HazaraMonitor.Worker.Api;

/// <summary>The read API advocacy teams and dashboards use: campaigns and their volume series.</summary>
internal static class CampaignEndpoints
{
    /// <summary>Longest series one request may ask for: 7 days of minutes.</summary>
    public const int MaxPoints = 7 * 24 * 60;

    /// <summary>Buckets shown when the request gives no <c>from</c>.</summary>
    public const int DefaultPoints = 60;

    /// <summary>Alerts answered when the request gives no <c>limit</c>, and the most one request may ask for.</summary>
    public const int DefaultAlerts = 50, MaxAlerts = 1000;

    /// <summary>
    /// The earliest and latest times <c>from</c> and <c>to</c> may name. The latest leaves a day of
    /// room below <see cref="DateTimeOffset.MaxValue"/>, so stepping past the last bucket of any
    /// resolution stays representable (year 9999 otherwise overflowed into a 500).
    /// </summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch, Latest = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    public static IServiceCollection AddCampaignApi(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

    public static IEndpointRouteBuilder MapCampaignApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns");
        api.MapGet("/", (CampaignCatalog catalog, IEnumerable<PlatformDefinition> definitions, IEnumerable<IHashtagCoverage> coverage) =>
            Results.Ok<IReadOnlyList<CampaignView>>([.. catalog.All.Select(c => View(c, definitions, coverage))]));
        api.MapGet("/{id}/series", GetSeriesAsync);
        api.MapGet("/{id}/summary", GetSummaryAsync);
        api.MapGet("/{id}/alerts", GetAlertsAsync);
        app.MapGet("/api/spend", async (IEnumerable<MeteredPlatform> metered, RedisSpendLedger ledger, IServiceProvider services, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var views = new List<SpendView>();
            foreach (var platform in metered)
            {
                views.Add(await platform.ReadAsync(services, ledger, time.GetUtcNow(), cancellationToken));
            }

            return Results.Ok<IReadOnlyList<SpendView>>(views);
        });
        return app;
    }

    /// <summary>What the unique-authors figure of a platform that names no author is.</summary>
    public const string AuthorsNotAvailable = "not available: the platform's answers name no author";

    private static CampaignView View(Campaign c, IEnumerable<PlatformDefinition> definitions, IEnumerable<IHashtagCoverage> coverage) => new(
        c.Id, c.Name, c.Canonical.Display, [.. c.Hashtags.Select(h => h.Display)], [.. c.CounterHashtags.Select(h => h.Display)], [.. c.Platforms.Select(p => p.Name)],
        c.Platforms.ToDictionary(p => p.Name, p => new PlatformCoverageView(
            definitions.FirstOrDefault(d => d.Id == p)?.NamesAuthors == false ? AuthorsNotAvailable : "available",
            coverage.FirstOrDefault(h => h.Platform == p)?.NotFollowed(c) ?? new Dictionary<string, string>()), StringComparer.Ordinal));

    private static async Task<IResult> GetSeriesAsync(
        string id, string? hashtag, string? language, string? group, string? platform, string? resolution, string? from, string? to, string? format,
        HttpContext http, CampaignCatalog catalog, PlatformCatalog platforms, RedisCountStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is not { } campaign)
        {
            return NotFound(id);
        }

        var res = Resolution.Minute;
        if (resolution is not null && !Buckets.TryParse(resolution, out res))
        {
            return BadRequest($"resolution must be one of 1m, 1h, 1d (got '{resolution}').");
        }

        if (!TryFormat(format, http, out var csv, out var error))
        {
            return BadRequest(error);
        }

        var counter = false;
        if (!string.IsNullOrEmpty(group))
        {
            if (group is not ("own" or "counter"))
            {
                return BadRequest($"group must be 'own' (the campaign's hashtags) or 'counter' (its counter-hashtags) (got '{group}').");
            }

            counter = group == "counter";
            if (counter && campaign.CounterHashtags.Count == 0)
            {
                return BadRequest("group 'counter' needs counter-hashtags, and this campaign lists none (Campaigns:N:CounterHashtags).");
            }
        }

        if (new[] { hashtag, language, counter ? group : null }.Count(p => !string.IsNullOrEmpty(p)) > 1)
        {
            return BadRequest("hashtag, language and group=counter each choose a part of the campaign: give at most one of them.");
        }

        CampaignHashtag? tag = null;
        if (!string.IsNullOrEmpty(hashtag) && (tag = campaign.Find(hashtag)) is null)
        {
            return BadRequest($"hashtag '{hashtag}' is not one of the campaign's hashtags: {string.Join(", ", campaign.Followed.Select(h => h.Display))}.");
        }

        string? lang = null;
        if (!string.IsNullOrEmpty(language))
        {
            lang = BatchAggregator.NormalizeLanguage(language);
            if (!lang.Equals(language, StringComparison.OrdinalIgnoreCase))
            {
                return BadRequest($"language must be a language code of 2-3 letters such as fa, en or prs, or 'und' for unknown (got '{language}').");
            }
        }

        if (!TryPlatform(campaign, platforms, platform, out var only, out error))
        {
            return BadRequest(error);
        }

        if (!TryRange(from, to, res, res.Width() * DefaultPoints, time, out var since, out var until, out error))
        {
            return BadRequest(error);
        }

        // Without a platform, the campaign's enabled platforms: a platform turned off keeps its old buckets, which are not summed.
        var part = tag?.Key ?? (lang is not null ? RedisKeySchema.LanguagePrefix + lang : counter ? RedisKeySchema.CounterSuffix : null);
        var points = await store.GetSeriesAsync(campaign.Id, res, since, until, only is { } one ? [one] : campaign.Platforms, part, cancellationToken);
        var view = new SeriesView(
            campaign.Id, counter ? "counter" : "own", tag?.Display, lang, only?.Name, res.Label(), res.Start(since).UtcDateTime, until.UtcDateTime,
            [.. points.Select(p => new SeriesPointView(
                p.Start.UtcDateTime, p.Count, p.Reported, p.Sample?.Read, Round(p.Sample?.Share), Round(p.Completeness), p.Authors))]);
        return csv ? Results.Text(SeriesCsv.Write(view), SeriesCsv.ContentType) : Results.Ok(view);
    }

    /// <summary>A campaign's figures over a range, for its page: see README "HTTP API".</summary>
    private static async Task<IResult> GetSummaryAsync(
        string id, string? resolution, string? from, string? to,
        CampaignCatalog catalog, IEnumerable<PlatformDefinition> definitions, RedisCountStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is not { } campaign)
        {
            return NotFound(id);
        }

        if (!TryRange(from, to, Resolution.Day, TimeSpan.FromDays(1), time, out var since, out var until, out var error))
        {
            return BadRequest(error);
        }

        // Hours up to a week (the page's 7 days), days beyond: both within their retention.
        var buckets = until - since <= TimeSpan.FromDays(7) ? Resolution.Hour : Resolution.Day;
        if (resolution is not null && (!Buckets.TryParse(resolution, out buckets) || buckets == Resolution.Minute))
        {
            return BadRequest($"resolution must be 1h or 1d: a summary sums hour or day buckets (got '{resolution}').");
        }

        if (buckets.Count(since, until) > MaxPoints)
        {
            return BadRequest($"The range holds {buckets.Count(since, until)} buckets of {buckets.Label()}; at most {MaxPoints} per request. Narrow from/to or use resolution=1d.");
        }

        var totals = await store.GetTotalsAsync(campaign.Id, buckets, since, until, [.. campaign.Platforms], cancellationToken);
        return Results.Ok(CampaignSummary.View(campaign, totals, definitions));
    }

    private static bool TryPlatform(Campaign campaign, PlatformCatalog platforms, string? platform, out Platform? only, out string error)
    {
        only = null;
        error = string.Empty;
        if (string.IsNullOrEmpty(platform))
        {
            return true;
        }

        var followed = string.Join(", ", campaign.Platforms.Select(x => x.Name));
        var known = platforms.Find(platform);
        if (known is { Enabled: false })
        {
            error = $"platform '{platform}' is turned off in this deployment ({known.EnabledKey}=false); this campaign follows: {followed}.";
            return false;
        }

        if (known is null || !campaign.Platforms.Contains(known.Id))
        {
            error = $"platform '{platform}' is not followed by this campaign: {followed}.";
            return false;
        }

        only = known.Id;
        return true;
    }

    /// <summary>Reads <c>from</c> and <c>to</c>: <c>to</c> defaults to now, <c>from</c> to <paramref name="span"/> before it; at most <see cref="MaxPoints"/> buckets of <paramref name="resolution"/>.</summary>
    private static bool TryRange(
        string? from, string? to, Resolution resolution, TimeSpan span, TimeProvider time, out DateTimeOffset since, out DateTimeOffset until, out string error)
    {
        since = until = default;
        if (!TryParseTime(to, "to", out var end, out var problem) || !TryParseTime(from, "from", out var start, out problem))
        {
            error = problem!;
            return false;
        }

        until = end ?? time.GetUtcNow();
        since = start ?? until - span;
        if (since >= until)
        {
            error = $"from ({since:O}) must be before to ({until:O}).";
            return false;
        }

        var count = resolution.Count(since, until);
        error = count > MaxPoints
            ? $"The range holds {count} buckets of {resolution.Label()}; at most {MaxPoints} per request. Narrow from/to or use a coarser resolution."
            : string.Empty;
        return count <= MaxPoints;
    }

    /// <summary>CSV when <c>format=csv</c>, or without <c>format</c> when the request accepts <c>text/csv</c>; JSON otherwise.</summary>
    private static bool TryFormat(string? format, HttpContext http, out bool csv, out string error)
    {
        error = string.Empty;
        csv = format is null
            ? http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(SeriesCsv.ContentType, StringComparison.OrdinalIgnoreCase))
            : format.Equals("csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            error = $"format must be json or csv (got '{format}').";
            return false;
        }

        return true;
    }

    private static double? Round(double? share) => share is { } value ? Math.Round(value, 4) : null;

    private static IResult NotFound(string id) =>
        Results.Problem($"No campaign '{id}'. See /api/campaigns.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The campaign's newest alerts, newest first, as stored (and as sent to JSON webhooks).</summary>
    /// <remarks>
    /// <c>limit</c> is bound as text and parsed here: bound as a number, a value that is not one
    /// (<c>abc</c>, <c>1.5</c>, more than an int holds) was refused by the framework with an empty 400.
    /// </remarks>
    private static async Task<IResult> GetAlertsAsync(string id, string? limit, CampaignCatalog catalog, RedisAlertStore store, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is null)
        {
            return NotFound(id);
        }

        var count = DefaultAlerts;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxAlerts))
        {
            return BadRequest($"limit must be a whole number from 1 to {MaxAlerts} (got '{limit}').");
        }

        var alerts = await store.GetAlertsAsync(id, count, cancellationToken);
        return Results.Text("[" + string.Join(",", alerts) + "]", "application/json; charset=utf-8");
    }

    internal static bool TryParseTime(string? text, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            error = $"{name} must be an ISO-8601 time such as 2022-10-01T00:00:00Z (got '{text}').";
            return false;
        }

        if (parsed < Earliest || parsed > Latest)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{name} must be between {Earliest.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} and {Latest.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (got '{text}').");
            return false;
        }

        value = parsed;
        return true;
    }

    internal static IResult BadRequest(string message) =>
        Results.Problem(message, statusCode: StatusCodes.Status400BadRequest);
}
