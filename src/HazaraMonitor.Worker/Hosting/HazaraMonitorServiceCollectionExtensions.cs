using HazaraMonitor.Core.Detection;
using HazaraMonitor.Worker.Alerts;
using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Ingest;
using HazaraMonitor.Worker.Platforms;
using HazaraMonitor.Worker.Platforms.Bluesky;
using HazaraMonitor.Worker.Platforms.Instagram;
using HazaraMonitor.Worker.Platforms.Mastodon;
using HazaraMonitor.Worker.Platforms.Reddit;
using HazaraMonitor.Worker.Platforms.Threads;
using HazaraMonitor.Worker.Platforms.TikTok;
using HazaraMonitor.Worker.Platforms.X;
using HazaraMonitor.Worker.Platforms.YouTube;
using HazaraMonitor.Worker.Polling;
using HazaraMonitor.Worker.Telemetry;
using Quartz;

namespace HazaraMonitor.Worker.Hosting;

internal static class HazaraMonitorServiceCollectionExtensions
{
    /// <summary>
    /// The campaigns (validated at start-up against the registered platforms) and the catalog every
    /// consumer reads them from, each following only its enabled platforms.
    /// </summary>
    public static IHostApplicationBuilder AddCampaigns(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CampaignsOptions, CampaignsOptionsValidator>(CampaignsOptions.Key);
        builder.Services.AddSingleton(PlatformRegistrationExtensions.PlatformCatalog);
        builder.Services.AddSingleton(sp => CampaignCatalog.FromOptions(sp.GetRequiredService<IOptions<CampaignsOptions>>().Value, sp.GetRequiredService<PlatformCatalog>()));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Redis and its stores (Storage's AddRedisStorage), and the Redis health check. The connection does not abort when Redis is down at start: the
    /// worker comes up, /healthz says Redis is unreachable, and polls fail (and are retried) until it is back.
    /// </summary>
    public static IHostApplicationBuilder AddRedisStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRedisStorage();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    /// <summary>The ingest pipeline, the platforms (one line each: options, client, polls and their schedules), and Quartz.</summary>
    public static IHostApplicationBuilder AddPolling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<PollStatusBoard>();
        builder.Services.AddSingleton<PollContext>();
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddHostedService<SharedPauseReset>();
        builder.Services.AddXPlatform();
        builder.Services.AddMastodonPlatform();
        builder.Services.AddBlueskyPlatform();
        builder.Services.AddRedditPlatform();
        builder.Services.AddYouTubePlatform();
        builder.Services.AddTikTokPlatform();
        builder.Services.AddInstagramPlatform();
        builder.Services.AddThreadsPlatform();
        builder.Services.AddValidatedOptions<SchedulerOptions, SchedulerOptionsValidator>(SchedulerOptions.Key);
        var postgres = builder.Configuration[SchedulerOptions.Key + ":" + nameof(SchedulerOptions.PostgreSql)];
        builder.Services.AddQuartz(q =>
        {
            if (string.IsNullOrWhiteSpace(postgres))
            {
                return;
            }

            // One cluster per shared database: each trigger fires on one instance, and an instance
            // silent for twice the check-in interval has its triggers taken over. Quartz creates its
            // tables on first start when they are missing (safe when instances start together).
            q.ConfigureScheduler(s => s.InstanceName = SchedulerOptions.SchedulerName);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(postgres);
                store.ProvisionSchema();
                store.UseClustering(c =>
                {
                    c.CheckinInterval = SchedulerOptions.CheckinInterval;
                    c.CheckinMisfireThreshold = SchedulerOptions.CheckinInterval * 2;
                });
            });
        });
        builder.Services.AddHostedService<JobScheduler>();
        builder.Services.AddHealthChecks().AddCheck<PollHealthCheck>("platforms").AddCheck<SpendHealthCheck>("spend").AddCheck<SchedulerHealthCheck>("scheduler");
        return builder;
    }

    /// <summary>Live detection, the alert sinks and their HTTP client (5xx and timeouts retried).</summary>
    public static IHostApplicationBuilder AddAlerting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SpikeDetectorSettings, LiveDetectionSettingsValidator>(LiveDetectionSettingsValidator.Key);
        builder.Services.AddValidatedOptions<AlertsOptions, AlertsOptionsValidator>(AlertsOptions.Key);
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddSingleton<AlertOutbox>();
        builder.Services.AddSingleton<OpsNotices>();
        builder.Services.AddSingleton<LiveDetectors>();
        builder.Services.AddSingleton<LiveEvaluator>();
        builder.Services.AddTransient<DetectionJob>();
        builder.Services.AddTransient<DailyDigestJob>();
        builder.Services.AddHttpClient(AlertDispatcher.HttpClientName)
            // The client's request logs would print webhook URLs, which are secrets.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.Delay = TimeSpan.FromSeconds(1);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(1);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(20);
            });
        return builder;
    }

    /// <summary>The worker's instruments, the Redis-backed gauges and their refresh job, and its trace source.</summary>
    public static IHostApplicationBuilder AddCampaignTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.Key);
        builder.Services.AddSingleton<CampaignGauges>();
        builder.Services.AddSingleton<HazaraMonitorMetrics>();
        builder.Services.AddSingleton<GaugeRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GaugeRefresher>());
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(HazaraMonitorMetrics.MeterName))
            .WithTracing(tracing => tracing.AddSource(WorkerActivities.SourceName));
        return builder;
    }
}
