using HazaraMonitor.Worker.Hosting;

return await WorkerApp.Create(args).RunReportingConfigurationErrorsAsync();

/// <summary>Entry point; named so user secrets can find the assembly.</summary>
public partial class Program;
