using HazaraMonitor.Worker.Polling;

namespace HazaraMonitor.Worker.Platforms.Mastodon;

/// <summary>
/// What the Mastodon jobs share: their target is an instance's index in configuration; each
/// instance has its own rate limits and, where set, its own token, so a refused token pauses only
/// the polls of that instance.
/// </summary>
internal abstract class MastodonJob(
    IOptions<MastodonOptions> options,
    PollContext context,
    ILogger logger) : PollJob(context, logger)
{
    protected override Platform Platform => MastodonPlatform.Id;

    protected MastodonOptions Settings => options.Value;

    protected override string Credential(string? target) => Instance(target).Name;

    protected MastodonInstanceOptions Instance(string? target) => MastodonInstanceOptions.ForTarget(Settings, target);
}
