using HazaraMonitor.Storage.Redis;
using HazaraMonitor.Tests.Configuration;
using HazaraMonitor.Worker.Polling;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HazaraMonitor.Tests.Polling;

public sealed class PollHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 9, 30, 8, 0, 0, TimeSpan.Zero));

    private static async Task<HealthCheckResult> CheckAsync(PollStatusBoard board, params string[] disabled)
    {
        var settings = ConfiguredWorker.OnX();
        foreach (var platform in disabled)
        {
            settings[$"HazaraMonitor:Platforms:{platform}:Enabled"] = "false";
        }

        using var worker = new ConfiguredWorker(settings);
        // No Redis here: every failure stands, as when Redis cannot say whether another instance's poll superseded it.
        return await new PollHealthCheck(board, worker.Services.GetRequiredService<PlatformCatalog>(), worker.Services.GetRequiredService<RedisCountStore>()).CheckHealthAsync(new HealthCheckContext());
    }

    [Fact]
    public async Task ShowsATurnedOffPlatformWithItsKeyAndStaysHealthy()
    {
        var board = new PollStatusBoard(_time);
        board.Record(XPlatform.Id, "search", "stop-hazara-genocide", PollOutcome.Ok, null);

        var result = await CheckAsync(board, "Reddit", "Mastodon");

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("Every last poll succeeded. Disabled by configuration: mastodon, reddit.", result.Description);
        var disabled = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Data["disabled"]);
        Assert.Equal(
            [
                new("mastodon", "HazaraMonitor:Platforms:Mastodon:Enabled=false"),
                new KeyValuePair<string, object?>("reddit", "HazaraMonitor:Platforms:Reddit:Enabled=false"),
            ],
            disabled.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaysNothingOfDisabledPlatformsWhenAllAreOn()
    {
        var board = new PollStatusBoard(_time);
        board.Record(XPlatform.Id, "search", "stop-hazara-genocide", PollOutcome.RateLimited, "rate-limited");

        var result = await CheckAsync(board);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("Last poll failed on x.", result.Description);
        Assert.False(result.Data.ContainsKey("disabled"));
    }
}
