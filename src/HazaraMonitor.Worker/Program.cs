using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Hosting;

// `hazaramonitor detect ...` backtests the detector on CSV files; anything else runs the service.
if (args is [DetectCommand.Name, .. var detect])
{
    return await DetectCommand.RunAsync(detect, Console.Out, Console.Error);
}

return await WorkerApp.Create(args).RunReportingConfigurationErrorsAsync();

/// <summary>Entry point; named so user secrets can find the assembly.</summary>
public partial class Program;
