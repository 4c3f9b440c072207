using HazaraMonitor.Worker.Api;
using HazaraMonitor.Worker.Incidents;
using HazaraMonitor.Worker.Page;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>The composition root: Program runs it, integration tests build it in-process.</summary>
internal static class WorkerApp
{
    /// <param name="replace">Services to register over the defaults before the app is built: tests give a fake clock here.</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json is copied beside the executable from the repository root.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddUserSecrets<Program>(optional: true);

        builder.AddServiceDefaults();
        builder.AddHazaraMonitor();
        replace?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapCampaignApi();
        app.MapIncidentApi();
        app.MapCampaignPages();
        return app;
    }

    /// <summary>Every component, each with its options validated at start-up (<see cref="StartupErrors.Problems"/> lists what is wrong).</summary>
    public static IHostApplicationBuilder AddHazaraMonitor(this IHostApplicationBuilder builder)
    {
        builder.AddCampaigns();
        builder.AddIncidents();
        builder.AddRedisStorage();
        builder.AddCampaignTelemetry();
        builder.AddPolling();
        builder.AddAlerting();
        builder.Services.AddCampaignApi();
        builder.Services.AddIncidentApi();
        return builder;
    }
}
