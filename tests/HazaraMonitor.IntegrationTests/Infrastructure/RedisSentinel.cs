namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A primary, its replica and one Sentinel watching them as service <see cref="Service"/> (quorum
/// 1, a primary silent for a second is failed over), each a redis-server of its own on a free
/// loopback port. Stopped and deleted when disposed.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    public const string Service = "hm";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hm-sentinel-");
    private readonly Process _sentinel;

    private RedisSentinel(OwnRedis primary, OwnRedis replica)
    {
        Primary = primary;
        Replica = replica;
        var config = Path.Combine(_dir.FullName, "sentinel.conf");
        File.WriteAllLines(config,
        [
            $"port {Port}",
            "bind 127.0.0.1",
            $"dir {_dir.FullName}",
            $"sentinel monitor {Service} 127.0.0.1 {primary.Port} 1",
            $"sentinel down-after-milliseconds {Service} 1000",
            $"sentinel failover-timeout {Service} 5000",
        ]);
        _sentinel = Process.Start(new ProcessStartInfo("redis-server", [config, "--sentinel"]) { RedirectStandardOutput = true })!;
        _sentinel.OutputDataReceived += (_, _) => { };
        _sentinel.BeginOutputReadLine();
    }

    public OwnRedis Primary { get; }

    public OwnRedis Replica { get; }

    public int Port { get; } = Ports.Free();

    /// <summary>How a worker reaches the service: the Sentinel's address and the service name.</summary>
    public string Configuration => $"127.0.0.1:{Port},serviceName={Service},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public static async Task<RedisSentinel> StartAsync()
    {
        // The replica's first full sync starts at once (not after the default 5 s diskless-sync delay).
        var primary = OwnRedis.Start("--repl-diskless-sync-delay", "0");
        var replica = OwnRedis.Start("--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sentinel = new RedisSentinel(primary, replica);
        try
        {
            await sentinel.WaitForPrimaryAsync(primary.Port, TimeSpan.FromSeconds(20));
            return sentinel;
        }
        catch
        {
            await sentinel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the Sentinel names the primary on <paramref name="port"/> and knows a replica of it.</summary>
    public async Task WaitForPrimaryAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var sentinel = new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "sentinel" };
        while (true)
        {
            var (_, primary) = await ExternalTool.RunAsync("redis-cli", [.. sentinel, "get-master-addr-by-name", Service]);
            var (_, replicas) = await ExternalTool.RunAsync("redis-cli", [.. sentinel, "replicas", Service]);
            if (primary.Split('\n', StringSplitOptions.TrimEntries).Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                && replicas.Contains("slave", StringComparison.Ordinal))
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Sentinel did not name 127.0.0.1:{port} the primary of {Service} within {timeout}: {primary} {replicas}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_sentinel.HasExited)
        {
            _sentinel.Kill();
            await _sentinel.WaitForExitAsync();
        }

        _sentinel.Dispose();
        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
