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
        c.Id, c.Name, c.Canonical.Display, [.. c.Hashtags.Select(h => h.Display)], [.. c.Platforms.Select(p => p.Name)],
        c.Platforms.ToDictionary(p => p.Name, p => new PlatformCoverageView(
            definitions.FirstOrDefault(d => d.Id == p)?.NamesAuthors == false ? AuthorsNotAvailable : "available",
            coverage.FirstOrDefault(h => h.Platform == p)?.NotFollowed(c) ?? new Dictionary<string, string>()), StringComparer.Ordinal));

    private static async Task<IResult> GetSeriesAsync(
        string id, string? hashtag, string? platform, string? resolution, string? from, string? to,
        CampaignCatalog catalog, PlatformCatalog platforms, RedisCountStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is not { } campaign)
        {
            return Results.Problem($"No campaign '{id}'. See /api/campaigns.", statusCode: StatusCodes.Status404NotFound);
        }

        var res = Resolution.Minute;
        if (resolution is not null && !Buckets.TryParse(resolution, out res))
        {
            return BadRequest($"resolution must be one of 1m, 1h, 1d (got '{resolution}').");
        }

        CampaignHashtag? tag = null;
        if (!string.IsNullOrEmpty(hashtag) && (tag = campaign.Find(hashtag)) is null)
        {
            return BadRequest($"hashtag '{hashtag}' is not one of the campaign's hashtags: {string.Join(", ", campaign.Hashtags.Select(h => h.Display))}.");
        }

        Platform? only = null;
        if (!string.IsNullOrEmpty(platform))
        {
            var followed = string.Join(", ", campaign.Platforms.Select(x => x.Name));
            var known = platforms.Find(platform);
            if (known is { Enabled: false })
            {
                return BadRequest($"platform '{platform}' is turned off in this deployment ({known.EnabledKey}=false); this campaign follows: {followed}.");
            }

            if (known is null || !campaign.Platforms.Contains(known.Id))
            {
                return BadRequest($"platform '{platform}' is not followed by this campaign: {followed}.");
            }

            only = known.Id;
        }

        if (!TryParseTime(to, "to", out var end, out var error) || !TryParseTime(from, "from", out var start, out error))
        {
            return BadRequest(error!);
        }

        var until = end ?? time.GetUtcNow();
        var since = start ?? until - (res.Width() * DefaultPoints);
        if (since >= until)
        {
            return BadRequest($"from ({since:O}) must be before to ({until:O}).");
        }

        var count = res.Count(since, until);
        if (count > MaxPoints)
        {
            return BadRequest($"The range holds {count} buckets of {res.Label()}; at most {MaxPoints} per request. Narrow from/to or use a coarser resolution.");
        }

        // Without a platform, the campaign's enabled platforms: a platform turned off keeps its old buckets, which are not summed.
        var points = await store.GetSeriesAsync(campaign.Id, res, since, until, only is { } one ? [one] : campaign.Platforms, tag?.Key, cancellationToken);
        return Results.Ok(new SeriesView(
            campaign.Id, tag?.Display, only?.Name, res.Label(), res.Start(since).UtcDateTime, until.UtcDateTime,
            [.. points.Select(p => new SeriesPointView(p.Start.UtcDateTime, p.Count, p.Reported, p.Sample?.Read, p.Sample?.Share is { } share ? Math.Round(share, 4) : null))]));
    }

    /// <summary>The campaign's newest alerts, newest first, as stored (and as sent to JSON webhooks).</summary>
    /// <remarks>
    /// <c>limit</c> is bound as text and parsed here: bound as a number, a value that is not one
    /// (<c>abc</c>, <c>1.5</c>, more than an int holds) was refused by the framework with an empty 400.
    /// </remarks>
    private static async Task<IResult> GetAlertsAsync(string id, string? limit, CampaignCatalog catalog, RedisAlertStore store, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is null)
        {
            return Results.Problem($"No campaign '{id}'. See /api/campaigns.", statusCode: StatusCodes.Status404NotFound);
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
