
namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for what another process or a background service does on its own time (the simulator's
/// timeline, a worker reading it): the condition is polled on the wall clock until it holds.
/// </summary>
public static class Eventually
{
    /// <param name="clock">Counts towards <paramref name="limit"/>; several waits may share one, so a test has one overall limit.</param>
    /// <param name="detail">Added to the timeout's message (e.g. the worker's output).</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Stopwatch clock, TimeSpan limit, TimeSpan pause, Func<string>? detail = null)
    {
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"condition not reached within {limit}{(detail is null ? string.Empty : ":\n" + detail())}");
            }

            await Task.Delay(pause);
        }
    }
}
