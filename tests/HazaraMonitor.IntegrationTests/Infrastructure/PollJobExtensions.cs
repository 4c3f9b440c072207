
namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>What the connector tests check of a poll job that meets a refusal or a rate limit.</summary>
internal static class PollJobExtensions
{
    /// <summary>
    /// Polls <paramref name="campaign"/> twice: the first poll must fail with <paramref name="outcome"/>
    /// (that failure is returned), the second must report no failure (it waits, as the failure asks).
    /// </summary>
    public static async Task<PlatformRequestException> FailsOnceThenWaitsAsync(this PollJob job, string campaign, PollOutcome outcome, string? target = null)
    {
        var failure = Assert.IsType<PlatformRequestException>(await job.RunAsync(campaign, target, CancellationToken.None));
        Assert.Null(await job.RunAsync(campaign, target, CancellationToken.None));
        Assert.Equal(outcome, failure.Outcome);
        return failure;
    }
}
