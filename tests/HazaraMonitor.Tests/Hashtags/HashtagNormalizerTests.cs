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
        // Vietnamese: Việt (e with circumflex and dot below) -> viet
        Assert.Equal("viet", HashtagNormalizer.Normalize("Vi\u1EC7t"));
    }

    [Fact]
    public void KeepsTheDakutenThatMakeDifferentKana()
    {
        // アジアンポップ ("Asian pop", with dakuten U+3099 on ji and handakuten U+309A on po and pu)
        // and アシアンホッフ (the same kana without them) are different words.
        var asianPop = "\u30A2\u30B8\u30A2\u30F3\u30DD\u30C3\u30D7";
        var withoutMarks = "\u30A2\u30B7\u30A2\u30F3\u30DB\u30C3\u30D5";

        Assert.Equal(asianPop, HashtagNormalizer.Normalize(asianPop));
        Assert.NotEqual(HashtagNormalizer.Normalize(withoutMarks), HashtagNormalizer.Normalize(asianPop));
        // Half-width katakana ｱｼﾞｱﾝﾎﾟｯﾌﾟ, voicing marks as separate characters, fold to the same word (width).
        Assert.Equal(asianPop, HashtagNormalizer.Normalize("\uFF71\uFF7C\uFF9E\uFF71\uFF9D\uFF8E\uFF9F\uFF6F\uFF8C\uFF9F"));
        Assert.Equal(2, HashtagNormalizer.Extract("#" + asianPop + " #" + withoutMarks).Count);
    }

    [Fact]
    public void KeepsTheMarksOfDevanagariAndCyrillicLetters()
    {
        // हिंदी (anusvara U+0902 on hi) vs हिदी; й (short i, U+0439 = и + breve) vs и
        Assert.NotEqual(HashtagNormalizer.Normalize("\u0939\u093F\u0926\u0940"), HashtagNormalizer.Normalize("\u0939\u093F\u0902\u0926\u0940"));
        Assert.Equal("\u0439", HashtagNormalizer.Normalize("\u0419"));
    }

    [Fact]
    public void FoldsHarakatZwnjTatweelAndLetterFormsOfOnePersianTagTogether()
    {
        // نسل‌کُشی‌هزاره typed four ways: Persian letters with ZWNJ and a damma (U+064F) on kaf;
        // Arabic kaf and yeh with a tatweel (U+0640) and a sukun (U+0652); Arabic presentation forms
        // (ﻧﺴﻞ U+FEE7 U+FEB4 U+FEDE, NFKC); and plain, without any of them.
        var plain = "\u0646\u0633\u0644\u06A9\u0634\u06CC\u0647\u0632\u0627\u0631\u0647";
        var persian = "\u0646\u0633\u0644\u200C\u06A9\u064F\u0634\u06CC\u200C\u0647\u0632\u0627\u0631\u0647";
        var arabic = "\u0646\u0633\u0652\u0644\u0640\u0643\u0634\u064A\u0647\u0632\u0627\u0631\u0647";
        var presentation = "\uFEE7\uFEB4\uFEDE\u06A9\u0634\u06CC\u0647\u0632\u0627\u0631\u0647";

        var key = HashtagNormalizer.Normalize(plain);
        Assert.Equal(plain, key);
        Assert.Equal(key, HashtagNormalizer.Normalize(persian));
        Assert.Equal(key, HashtagNormalizer.Normalize(arabic));
        Assert.Equal(key, HashtagNormalizer.Normalize(presentation));
        // آ (alef with madda, U+0622) and أ (alef with hamza above, U+0623) fold to alef.
        Assert.Equal("\u0627\u0628", HashtagNormalizer.Normalize("\u0622\u0628"));
        Assert.Equal("\u0627\u0628", HashtagNormalizer.Normalize("\u0623\u0628"));
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
