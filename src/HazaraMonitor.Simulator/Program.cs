using HazaraMonitor.Simulator;

await SimulatorApp.Create(args).RunAsync();
