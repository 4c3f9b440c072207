using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Posts;

namespace HazaraMonitor.Worker.Polling;

/// <summary>
/// What the Mastodon jobs share: their target is an instance's index in configuration; each
/// instance has its own rate limits and, where set, its own token, so a refused token pauses only
/// the polls of that instance.
/// </summary>
internal abstract class MastodonJob(
    PollContext context,
    ILogger logger) : PollJob(context, logger)
{
    protected override Platform Platform => Platform.Mastodon;

    protected MastodonOptions Settings => Options.Platforms.Mastodon;

    protected override string Credential(string? target) => Instance(target).Name;

    protected MastodonInstanceOptions Instance(string? target) => MastodonInstanceOptions.ForTarget(Settings, target);
}
