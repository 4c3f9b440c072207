using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Tests.Hashtags;

public sealed class HashtagNormalizerTests
{
    [Theory]
    [InlineData("#StopHazaraGenocide", "stophazaragenocide")]
    [InlineData("STOPHAZARAGENOCIDE", "stophazaragenocide")]
    [InlineData("\uFF03StopHazaraGenocide", "stophazaragenocide")] // full-width number sign ＃
    [InlineData("\uFF33top\uFF28azara", "stophazara")] // full-width Latin letters ＳtopＨazara (NFKC)
    [InlineData("  #Hazara  ", "hazara")]
    public void FoldsCaseWidthAndTheLeadingSign(string input, string expected) =>
        Assert.Equal(expected, HashtagNormalizer.Normalize(input));

    [Fact]
    public void UnifiesArabicAndPersianYehAndKaf()
    {
        // نسل_كشي_هزاره (Arabic kaf U+0643, Arabic yeh U+064A) and نسل_کشی_هزاره (Persian keheh U+06A9, Persian yeh U+06CC)
        var arabicForms = "\u0646\u0633\u0644_\u0643\u0634\u064A_\u0647\u0632\u0627\u0631\u0647";
        var persianForms = "\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647";

        Assert.Equal(HashtagNormalizer.Normalize(persianForms), HashtagNormalizer.Normalize(arabicForms));
    }

    [Fact]
    public void UnifiesAlefMaksuraWithYeh()
    {
        // ى (alef maksura U+0649) and ی (Persian yeh U+06CC) at the end of هزاری
        Assert.Equal(HashtagNormalizer.Normalize("\u0647\u0632\u0627\u0631\u06CC"), HashtagNormalizer.Normalize("\u0647\u0632\u0627\u0631\u0649"));
    }

    [Fact]
    public void IgnoresZeroWidthNonJoinerAndTatweel()
    {
        // نسل‌کشی (with ZWNJ U+200C) vs نسلکشی vs نسلـکشی (tatweel U+0640)
        var withZwnj = "\u0646\u0633\u0644\u200C\u06A9\u0634\u06CC";
        var without = "\u0646\u0633\u0644\u06A9\u0634\u06CC";
        var withTatweel = "\u0646\u0633\u0644\u0640\u06A9\u0634\u06CC";

        Assert.Equal(HashtagNormalizer.Normalize(without), HashtagNormalizer.Normalize(withZwnj));
        Assert.Equal(HashtagNormalizer.Normalize(without), HashtagNormalizer.Normalize(withTatweel));
    }

    [Fact]
    public void DropsDiacritics()
    {
        // هَزارَه with fatha (U+064E) vs هزاره; "Hazára" vs "hazara"
        Assert.Equal(HashtagNormalizer.Normalize("\u0647\u0632\u0627\u0631\u0647"), HashtagNormalizer.Normalize("\u0647\u064E\u0632\u0627\u0631\u064E\u0647"));
        Assert.Equal("hazara", HashtagNormalizer.Normalize("Haz\u00E1ra"));
    }

    [Fact]
    public void MapsArabicIndicAndPersianDigitsToAscii()
    {
        // ۱۴۰۱ (Extended Arabic-Indic) and ١٤٠١ (Arabic-Indic) -> 1401
        Assert.Equal("kaaj1401", HashtagNormalizer.Normalize("Kaaj\u06F1\u06F4\u06F0\u06F1"));
        Assert.Equal("kaaj1401", HashtagNormalizer.Normalize("Kaaj\u0661\u0664\u0660\u0661"));
    }

    [Fact]
    public void EndsAHashtagAtTheArabicComma()
    {
        // "#هزاره،#کابل" — Arabic comma U+060C between two tags
        var text = "#\u0647\u0632\u0627\u0631\u0647\u060C#\u06A9\u0627\u0628\u0644";

        var tags = HashtagNormalizer.Extract(text);

        Assert.Equal(["\u0647\u0632\u0627\u0631\u0647", "\u06A9\u0627\u0628\u0644"], tags);
    }

    [Fact]
    public void ExtractsEachTagOnceInOrderAndSkipsNonTags()
    {
        var tags = HashtagNormalizer.Extract("Justice #StopHazaraGenocide now! #2022 a#b #stophazaragenocide, #Kabul_Attack.");

        Assert.Equal(["stophazaragenocide", "kabul_attack"], tags);
    }

    [Fact]
    public void KeepsTheZeroWidthNonJoinerInsideATagWhileExtracting()
    {
        // "#نسل‌کشی" must stay one tag across its ZWNJ, not end at it
        var tags = HashtagNormalizer.Extract("#\u0646\u0633\u0644\u200C\u06A9\u0634\u06CC end");

        Assert.Equal(["\u0646\u0633\u0644\u06A9\u0634\u06CC"], tags);
    }

    [Theory]
    [InlineData("StopHazaraGenocide", true)]
    [InlineData("Kabul_2022", true)]
    [InlineData("2022", false)]
    [InlineData("#", false)]
    [InlineData("two words", false)]
    [InlineData("a|b", false)]
    public void KnowsWhatIsAHashtag(string candidate, bool valid) =>
        Assert.Equal(valid, HashtagNormalizer.IsValid(candidate));
}
