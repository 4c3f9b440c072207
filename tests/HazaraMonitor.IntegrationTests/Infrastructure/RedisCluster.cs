using System.Globalization;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A three-primary Redis Cluster of one test's own (<c>redis-server --cluster-enabled yes</c>, joined
/// by <c>redis-cli --cluster create</c>) on loopback ports, in a temporary directory, removed when disposed.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hm-redis-cluster-");
    private readonly List<Process> _nodes = [];

    private RedisCluster()
    {
    }

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>The StackExchange.Redis configuration a worker would be given: every primary.</summary>
    public string Configuration => string.Join(',', Ports.Select(p => $"127.0.0.1:{p}"));

    /// <summary>Starts the nodes and forms the cluster; returns once every slot is served. Needs redis-server and redis-cli (skips, or fails in CI, without).</summary>
    public static async Task<RedisCluster> StartAsync()
    {
        RedisServer.Connect();
        ExternalTool.Require("redis-cli");
        var cluster = new RedisCluster();
        try
        {
            cluster.Ports = [.. Enumerable.Range(0, 3).Select(_ => Infrastructure.Ports.FreeWithClusterBus())];
            foreach (var port in cluster.Ports)
            {
                cluster._nodes.Add(Process.Start(new ProcessStartInfo("redis-server",
                [
                    "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", cluster._dir.FullName,
                    "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-node-timeout", "2000",
                    "--appendonly", "no", "--save", "",
                ]) { RedirectStandardOutput = true })!);
            }

            foreach (var port in cluster.Ports)
            {
                await Eventually.HoldsAsync(async () =>
                {
                    var (_, pong) = await ExternalTool.RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "ping"]);
                    return pong.Contains("PONG", StringComparison.Ordinal);
                }, Stopwatch.StartNew(), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
            }

            var (exit, output) = await ExternalTool.RunAsync("redis-cli",
                ["--cluster", "create", .. cluster.Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
            if (exit != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}):\n{output}");
            }

            await Eventually.HoldsAsync(async () =>
            {
                var (_, info) = await ExternalTool.RunAsync("redis-cli", ["-p", cluster.Ports[0].ToString(CultureInfo.InvariantCulture), "cluster", "info"]);
                return info.Contains("cluster_state:ok", StringComparison.Ordinal);
            }, Stopwatch.StartNew(), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Keys held by each primary: a cluster spreads a deployment's keys over them.</summary>
    public async Task<IReadOnlyList<long>> KeysPerNodeAsync()
    {
        var counts = new List<long>();
        foreach (var port in Ports)
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
            counts.Add(await node.GetServer("127.0.0.1", port).DatabaseSizeAsync());
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill();
                await node.WaitForExitAsync();
            }

            node.Dispose();
        }

        _dir.Delete(recursive: true);
    }
}
