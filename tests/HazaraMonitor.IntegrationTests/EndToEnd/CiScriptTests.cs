
namespace HazaraMonitor.IntegrationTests.EndToEnd;

/// <summary>
/// <c>.ci/run</c> installs only what is missing: it runs in a scratch copy of its layout whose PATH
/// holds only stand-ins (the commands that are "installed", <c>apt-get</c> and <c>id</c> that record
/// and answer, and a <c>scripts/test.sh</c> that only says it ran), so nothing is installed for real.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CiScriptTests : IDisposable
{
    private static readonly string[] Linked = ["bash", "dirname"];

    private static readonly string[] BinaryDirectories = ["/usr/bin", "/bin"];

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _root = Directory.CreateTempSubdirectory("hm-ci-").FullName;

    private string AptLog => Path.Combine(_root, "apt.log");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void Script(string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, Executable);
    }

    /// <summary>Runs .ci/run as user <paramref name="uid"/> with only <paramref name="installed"/> on the PATH.</summary>
    private async Task<(int ExitCode, string Output, string[] Apt)> RunAsync(int uid, params string[] installed)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, ".ci"));
        File.Copy(Path.Combine(Repository.Root, ".ci", "run"), Path.Combine(_root, ".ci", "run"));
        Script(Path.Combine(_root, "scripts", "test.sh"), "echo 'test.sh ran'");
        foreach (var tool in Linked)
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));
        }

        Script(Path.Combine(bin, "id"), $"echo {uid}");
        Script(Path.Combine(bin, "apt-get"), $"echo \"$*\" >> '{AptLog}'");
        foreach (var command in installed)
        {
            Script(Path.Combine(bin, command), "exit 0");
        }

        var start = new ProcessStartInfo(Which("bash")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(_root, ".ci", "run"));
        start.Environment["PATH"] = bin;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors, File.Exists(AptLog) ? File.ReadAllLines(AptLog) : []);
    }

    private static string Which(string tool) =>
        BinaryDirectories.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} not found in /usr/bin or /bin");

    [Fact]
    public async Task InstallsNothingAndUpdatesNothingWhenEverythingIsThere()
    {
        var (exitCode, output, apt) = await RunAsync(0, "redis-server", "redis-cli", "prometheus", "promtool", "curl", "python3", "initdb", "npm", "chromium");

        Assert.Equal(0, exitCode);
        Assert.Contains("test.sh ran", output, StringComparison.Ordinal);
        Assert.Empty(apt);
    }

    [Fact]
    public async Task UpdatesOnceAndInstallsOnlyTheMissingPackagesWithoutUpgrading()
    {
        var (exitCode, output, apt) = await RunAsync(0, "redis-server", "redis-cli", "curl", "initdb", "npm");

        Assert.Equal(0, exitCode);
        Assert.Contains("test.sh ran", output, StringComparison.Ordinal);
        // prometheus provides both prometheus and promtool: asked for once.
        Assert.Equal(["update -qq", "install -y -qq --no-upgrade prometheus python3 chromium"], apt);
    }

    [Fact]
    public async Task WithoutRootInstallsNothingAndStillRunsTheTests()
    {
        var (exitCode, output, apt) = await RunAsync(1000, "redis-server", "redis-cli", "prometheus", "promtool", "python3", "initdb", "npm", "chromium");

        Assert.Equal(0, exitCode);
        Assert.Contains("missing curl; not root", output, StringComparison.Ordinal);
        Assert.Contains("test.sh ran", output, StringComparison.Ordinal);
        Assert.Empty(apt);
    }
}
