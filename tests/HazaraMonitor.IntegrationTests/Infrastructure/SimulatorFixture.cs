namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A class fixture that needs the test Redis and a simulator on the finished surge: it starts the
/// simulator and then what the subclass adds. Without Redis, its tests skip (and fail in CI)
/// through <see cref="Require"/>.
/// </summary>
public abstract class SimulatorFixture : IAsyncLifetime
{
    protected SimulatorHost Simulator { get; private set; } = null!;

    public string? Problem { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            RedisServer.Connect();
        }
        catch (Exception e) when (e is SkipException or InvalidOperationException)
        {
            Problem = e.Message;
            return;
        }

        Simulator = await SimulatorHost.StartAsync(Scenarios.FinishedSurge);
        await StartAsync();
    }

    /// <summary>What the fixture runs beside the simulator.</summary>
    protected abstract Task StartAsync();

    /// <summary>Stops what <see cref="StartAsync"/> started.</summary>
    protected abstract ValueTask StopAsync();

    /// <summary>Skips the test (fails it in CI) when the fixture could not start.</summary>
    public void Require()
    {
        if (Problem is null)
        {
            return;
        }

        if (RedisServer.InCi)
        {
            throw new InvalidOperationException(Problem);
        }

        throw new SkipException(Problem);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }
}
