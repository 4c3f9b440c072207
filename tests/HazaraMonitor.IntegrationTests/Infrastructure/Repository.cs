namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The worker's own build output (its appsettings.json and runtimeconfig beside it).</summary>
    public static string WorkerDll => Path.Combine(Root, "src", "HazaraMonitor.Worker", "bin", Configuration, "net10.0", "hazaramonitor.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HazaraMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HazaraMonitor.sln not found above " + AppContext.BaseDirectory);
    }
}
