using HazaraMonitor.Worker.Detection;
using HazaraMonitor.Worker.Hosting;

// `hazaramonitor detect ...` backtests the detector on CSV files; anything else runs the service.
if (args is [DetectCommand.Name, .. var detect])
{
    return await DetectCommand.RunAsync(detect, Console.Out, Console.Error);
}

var exitCode = await WorkerApp.Create(args).RunReportingConfigurationErrorsAsync();
// The host has stopped. Quartz runs some of its work on dedicated foreground threads, which never
// end while a clustered store's PostgreSQL is unreachable and would hold the process after a stop
// (SIGTERM) that gave up on the scheduler: end the process here rather than wait for them.
Environment.Exit(exitCode);
return exitCode;

/// <summary>Entry point; named so user secrets can find the assembly.</summary>
public partial class Program;
