
namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// At start, forgets the credentials other instances recorded as refused: this instance's
/// configuration may hold new ones (an operator fixes a token by restarting with it). A refusal
/// that still holds is recorded again by the first poll that meets it.
/// </summary>
internal sealed class SharedPauseReset(RedisPauseStore pauses, ILogger<SharedPauseReset> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pauses.ClearAuthFailuresAsync(cancellationToken);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            Telemetry.Log.PauseNotShared(logger, "all platforms", "refused credentials", e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
