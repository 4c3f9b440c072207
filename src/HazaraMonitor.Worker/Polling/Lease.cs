using HazaraMonitor.Worker.Telemetry;
using StackExchange.Redis;

namespace HazaraMonitor.Worker.Polling;

/// <summary>This worker process among the instances sharing a Redis: the owner name its leases carry.</summary>
internal sealed class InstanceIdentity
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}

/// <summary>Thrown when this instance finds it no longer holds a lease it was working under.</summary>
internal sealed class LeaseLostException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One lease (<see cref="RedisLeaseStore"/>) as a long-running part of this instance holds it: wait
/// until this instance is the owner, then keep renewing it (every third of its time to live, on the
/// wall clock: a lease is about real time) until the work ends or the lease is lost.
/// </summary>
internal sealed class Lease(RedisLeaseStore store, InstanceIdentity instance, string name, TimeSpan timeToLive, ILogger logger)
{
    private TimeSpan Renewal => timeToLive / 3;

    /// <summary>Waits until this instance holds the lease; returns its fencing token.</summary>
    public async Task<long> AcquireAsync(CancellationToken cancellationToken)
    {
        var waiting = false;
        while (true)
        {
            try
            {
                if (await store.AcquireAsync(name, instance.Name, timeToLive, cancellationToken) is { } token)
                {
                    Log.LeaseTaken(logger, name, token);
                    return token;
                }

                if (!waiting)
                {
                    Log.LeaseStandby(logger, name, (await store.HolderAsync(name, cancellationToken))?.Owner ?? "another instance");
                    waiting = true;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis down: nobody can commit; try again.
            }

            await Task.Delay(Renewal, cancellationToken);
        }
    }

    /// <summary>Renews the lease held with <paramref name="token"/> until <paramref name="held"/> is cancelled; cancels it when the lease is lost (taken over, or not renewed within its time to live).</summary>
    public async Task KeepAsync(long token, CancellationTokenSource held)
    {
        var renewed = Environment.TickCount64;
        try
        {
            while (!held.IsCancellationRequested)
            {
                await Task.Delay(Renewal, held.Token);
                try
                {
                    if (await store.AcquireAsync(name, instance.Name, timeToLive, held.Token) != token)
                    {
                        break;
                    }

                    renewed = Environment.TickCount64;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    if (Environment.TickCount64 - renewed > timeToLive.TotalMilliseconds)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
            return;
        }

        Log.LeaseLost(logger, name, token);
        await held.CancelAsync();
    }

    /// <summary>Gives the lease up (at a clean stop), so another instance takes over at once.</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            await store.ReleaseAsync(name, instance.Name, CancellationToken.None);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // It expires on its own.
        }
    }
}
