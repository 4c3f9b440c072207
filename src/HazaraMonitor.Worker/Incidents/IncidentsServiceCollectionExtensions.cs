namespace HazaraMonitor.Worker.Incidents;

internal static class IncidentsServiceCollectionExtensions
{
    /// <summary>
    /// The campaigns' incidents: their files, read and checked at start-up (a bad file is a
    /// configuration problem naming <c>Campaigns:N:IncidentsFile</c>), and those posted through the API.
    /// </summary>
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FileIncidents>();
        builder.Services.AddSingleton<IValidateOptions<CampaignsOptions>, IncidentFilesValidator>();
        builder.Services.AddSingleton<IncidentCatalog>();
        return builder;
    }
}
