
namespace HazaraMonitor.Worker.Platforms;

/// <summary>
/// A platform that may not follow every hashtag of a campaign (Instagram's 30 hashtags a week): which
/// it does not follow and why, for <c>/api/campaigns</c>. A platform that follows them all registers none.
/// </summary>
internal interface IHashtagCoverage
{
    Platform Platform { get; }

    /// <summary>The campaign's hashtags (as configured) this platform does not follow now, each with the reason.</summary>
    IReadOnlyDictionary<string, string> NotFollowed(Campaign campaign);
}
