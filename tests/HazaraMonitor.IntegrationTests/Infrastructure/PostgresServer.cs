using System.Globalization;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL cluster of one test's own (Debian's <c>postgresql</c> package:
/// <c>initdb</c> and <c>pg_ctl</c>, run as the <c>postgres</c> user when the tests run as root) on a
/// free loopback port, in a temporary directory removed when disposed. Skipped locally when
/// PostgreSQL is not installed, a failure in CI.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly DirectoryInfo _dir;
    private readonly string _bin;

    private PostgresServer(string bin, DirectoryInfo dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Trust authentication on loopback: no password to keep.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            if (RedisServer.InCi)
            {
                throw new InvalidOperationException("CI=true and PostgreSQL is not installed (Debian package postgresql).");
            }

            throw new SkipException("Skipped: PostgreSQL is not installed (apt-get install postgresql).");
        }

        var dir = Directory.CreateTempSubdirectory("hm-postgres-");
        var server = new PostgresServer(bin, dir, Ports.Free());
        try
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dir.FullName], asPostgres: false, optional: true);
            var data = Path.Combine(dir.FullName, "data");
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
            await RunAsync(Path.Combine(bin, "pg_ctl"),
            [
                "-D", data, "-w", "-l", Path.Combine(dir.FullName, "log"), "start",
                "-o", $"-p {server.Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {dir.FullName} -c fsync=off",
            ]);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops it at once (immediate mode: connections cut, no checkpoint), as a crash or an outage would.</summary>
    public async Task StopAsync()
    {
        var data = Path.Combine(_dir.FullName, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], optional: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Delete(recursive: true);
    }

    /// <summary>Runs a PostgreSQL tool, as <c>postgres</c> when this process is root (initdb refuses root).</summary>
    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, bool asPostgres = true, bool optional = false)
    {
        var root = Environment.UserName == "root";
        var start = asPostgres && root ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", tool, .. arguments]) : new ProcessStartInfo(tool, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !optional)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} failed ({process.ExitCode}):\n{output}\n{error}");
        }
    }
}
