using System.Globalization;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A redis-server of one test's own, to kill, freeze and restart: append-only with an fsync every
/// second, as deployed, in a temporary directory, on a free loopback port. Deleted with its files
/// when disposed.
/// </summary>
public sealed class OwnRedis : IAsyncDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hm-own-redis-");
    private Process _process;

    private readonly string[] _extra;

    private OwnRedis(string[] extra)
    {
        _extra = extra;
        _process = Launch();
    }

    public int Port { get; } = Ports.Free();

    /// <summary>How a worker reaches it, with short timeouts so a test meets a dead Redis in seconds.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Starts it (with <paramref name="extra"/> arguments, e.g. <c>--replicaof</c>); it answers before this returns. Needs the shared test Redis's redis-server (skips, or fails in CI, without).</summary>
    public static OwnRedis Start(params string[] extra)
    {
        RedisServer.Connect();
        return new OwnRedis(extra);
    }

    /// <summary>SIGKILL: no shutdown, no final fsync.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts it again on the same port and files (its append-only file).</summary>
    public void Restart()
    {
        _process.Dispose();
        _process = Launch();
    }

    /// <summary>Sends a signal by name (STOP freezes it with its connections open, CONT wakes it).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} failed with exit code {kill.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            await KillAsync();
        }

        _process.Dispose();
        _dir.Delete(recursive: true);
    }

    private Process Launch()
    {
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", $"{Port}", "--bind", "127.0.0.1", "--dir", _dir.FullName, "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", .. _extra])
        {
            RedirectStandardOutput = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = ConnectionMultiplexer.Connect($"127.0.0.1:{Port},connectTimeout=500");
                probe.GetDatabase().Ping();
                return process;
            }
            catch (RedisConnectionException) when (clock.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }
}
