using HazaraMonitor.Worker.Api;
using HazaraMonitor.Worker.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json is copied beside the executable from the repository root.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddUserSecrets<Program>(optional: true);

builder.AddServiceDefaults();
builder.AddHazaraMonitorOptions();
builder.AddRedisStorage();
builder.AddPolling();
builder.Services.AddCampaignApi();

var app = builder.Build();
app.MapServiceDefaults();
app.MapCampaignApi();
return await app.RunReportingConfigurationErrorsAsync();

/// <summary>Entry point; public so user secrets and tests can name the assembly.</summary>
public partial class Program;
