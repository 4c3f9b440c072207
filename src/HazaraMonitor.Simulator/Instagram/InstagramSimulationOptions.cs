namespace HazaraMonitor.Simulator.Instagram;

/// <summary>What only the simulated Instagram takes, under <c>Instagram:</c> (<c>--Instagram:CallsPerHour 100000</c>).</summary>
public sealed class InstagramSimulationOptions
{
    public const string Section = "Instagram";

    /// <summary>The Instagram Business account id the endpoints accept as <c>user_id</c>.</summary>
    public string UserId { get; set; } = "17841405309211844";

    /// <summary>The user access token the endpoints accept.</summary>
    public string AccessToken { get; set; } = "sim-instagram-token";

    /// <summary>
    /// Calls the app may make in an hour before Meta throttles it: usage headers report the share used,
    /// and past it calls fail with code 4. Default 200, the Graph API's platform limit for an app with one user.
    /// </summary>
    public int CallsPerHour { get; set; } = 200;

    /// <summary>Distinct hashtags the account may query per rolling 7 days. Default 30, Instagram's limit.</summary>
    public int HashtagsPerWeek { get; set; } = 30;

    /// <summary>Hashtags Instagram deems sensitive: searching one gets a generic error.</summary>
    public List<string> SensitiveHashtags { get; set; } = [];
}
