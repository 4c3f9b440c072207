using System.Net.Sockets;
using StackExchange.Redis;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// The real redis-server the integration tests use: probed once on 127.0.0.1:16379 and started from
/// the repository's tests/redis/redis-test.conf when nothing answers. Without a redis-server binary
/// the tests skip locally and fail in CI (CI=true). Every test writes under its own key prefix;
/// nothing calls FLUSHDB.
/// </summary>
public static class RedisServer
{
    public const int Port = 16379;
    public const string Configuration = "127.0.0.1:16379";

    private static readonly Lazy<(ConnectionMultiplexer? Connection, string? Problem)> Instance = new(Start);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The shared connection; skips the test (fails it in CI) when Redis cannot be had.</summary>
    public static ConnectionMultiplexer Connect()
    {
        var (connection, problem) = Instance.Value;
        if (connection is not null)
        {
            return connection;
        }

        if (InCi)
        {
            throw new InvalidOperationException($"CI=true and the test Redis is unavailable: {problem}");
        }

        throw new SkipException($"Skipped: the test Redis is unavailable ({problem}). Install redis-server to run it.");
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix(string test) => $"t{Guid.NewGuid():N}"[..12] + "-" + test.ToLowerInvariant()[..Math.Min(test.Length, 12)];

    private static (ConnectionMultiplexer?, string?) Start()
    {
        if (!Answers())
        {
            var config = Path.Combine(Repository.Root, "tests", "redis", "redis-test.conf");
            try
            {
                var process = Process.Start(new ProcessStartInfo("redis-server", config) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                        // Already gone.
                    }
                };
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (null, $"redis-server could not be started: {e.Message}");
            }

            var deadline = Stopwatch.StartNew();
            while (!Answers())
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(10))
                {
                    return (null, $"redis-server did not answer on port {Port} within 10 s");
                }

                Thread.Sleep(50);
            }
        }

        return (ConnectionMultiplexer.Connect(Configuration), null);
    }

    private static bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
