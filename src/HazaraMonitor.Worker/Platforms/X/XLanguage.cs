namespace HazaraMonitor.Worker.Platforms.X;

/// <summary>
/// X's <c>lang</c> field as a BCP 47 tag. X still sends some ISO 639 codes that were withdrawn
/// decades ago (<c>in</c> for Indonesian, <c>iw</c> for Hebrew), so Indonesian from X would be
/// counted apart from <c>id</c> on every other platform; and it marks posts it could not classify
/// with its own private-use codes (<c>qht</c>: hashtags only, <c>qme</c>: media links only,
/// <c>qam</c>: mentions only, <c>qct</c>: cashtags only, <c>qst</c>: very short text), which say no
/// more than <c>und</c> and would otherwise show as languages.
/// </summary>
internal static class XLanguage
{
    public static string? ToBcp47(string? lang)
    {
        if (string.IsNullOrEmpty(lang))
        {
            return lang;
        }

        var dash = lang.IndexOf('-', StringComparison.Ordinal);
        var primary = dash < 0 ? lang : lang[..dash];
        var mapped = primary.ToLowerInvariant() switch
        {
            // ISO 639 codes withdrawn in 1989 (in, iw, ji) and 2001 (jw), and Moldavian (mo, 2008).
            "in" => "id",
            "iw" => "he",
            "ji" => "yi",
            "jw" => "jv",
            "mo" => "ro",
            "qam" or "qct" or "qht" or "qme" or "qst" => "und",
            _ => null,
        };
        return mapped is null ? lang : mapped + (dash < 0 || mapped == "und" ? string.Empty : lang[dash..]);
    }
}
