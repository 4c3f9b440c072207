using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace HazaraMonitor.Core.Hashtags;

/// <summary>
/// Turns the many ways people type a hashtag into one comparison key, and finds hashtags in free text.
/// </summary>
/// <remarks>
/// The campaign is written in English and in Dari/Persian, often on keyboards that emit Arabic
/// code points: the same word arrives with Arabic yeh (U+064A) or Persian yeh (U+06CC), with or
/// without a zero-width non-joiner (U+200C) between word parts, with short-vowel marks, with
/// Arabic-Indic or Extended Arabic-Indic digits. All of those must count as one hashtag.
/// Marks are dropped only where they are optional for the campaign's readers: Arabic-script harakat
/// and Latin accents. In other scripts a mark is part of the letter (Japanese dakuten: U+30B8 "ji" is
/// U+30B7 "shi" plus U+3099; Devanagari vowel signs and anusvara), so it stays, or different tags
/// would collide.
/// </remarks>
public static class HashtagNormalizer
{
    private const char ZeroWidthNonJoiner = '\u200C';
    private const char ZeroWidthJoiner = '\u200D';
    private const char Tatweel = '\u0640';

    /// <summary>
    /// A campaign's posts repeat a few dozen spellings millions of times; Unicode normalization costs
    /// about a microsecond each, so keys of non-ASCII tags are remembered. Bounded: past this many
    /// distinct spellings new ones are computed every time rather than grow memory.
    /// </summary>
    private const int CacheLimit = 10_000;

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The comparison key of a hashtag: no leading '#', NFKC, case-folded, Arabic letter forms
    /// folded to their Persian forms, digits to ASCII, joiners, tatweel, Arabic-script harakat and
    /// Latin accents removed; the marks of other scripts kept.
    /// Returns an empty string when nothing of the tag is left.
    /// </summary>
    public static string Normalize(ReadOnlySpan<char> hashtag)
    {
        hashtag = hashtag.Trim();
        while (!hashtag.IsEmpty && (hashtag[0] == '#' || hashtag[0] == '\uFF03'))
        {
            hashtag = hashtag[1..];
        }

        if (hashtag.IsEmpty)
        {
            return string.Empty;
        }

        // ASCII letters, digits and '_' are already in normal form: only the case folds.
        if (IsPlainAscii(hashtag))
        {
            return string.Create(hashtag.Length, hashtag, static (span, source) => source.ToLowerInvariant(span));
        }

        var raw = hashtag.ToString();
        if (Cache.TryGetValue(raw, out var cached))
        {
            return cached;
        }

        var key = NormalizeUnicode(raw);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(raw, key);
        }

        return key;
    }

    private static bool IsPlainAscii(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeUnicode(string hashtag)
    {
        // Decompose first so that diacritics (Latin accents, Arabic harakat, madda and hamza above)
        // become separate combining marks that can be dropped; the marks that are kept compose
        // again under NFKC at the end.
        var decomposed = hashtag.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var afterLatin = false;
        foreach (var c in decomposed)
        {
            if (c is ZeroWidthNonJoiner or ZeroWidthJoiner or Tatweel)
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark)
            {
                if (afterLatin || IsArabicScript(c))
                {
                    continue;
                }
            }
            else if (category is UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }
            else
            {
                afterLatin = IsLatinLetter(c);
            }

            builder.Append(FoldLetter(c));
        }

        return builder.ToString().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }

    /// <summary>
    /// The Arabic blocks (Arabic, Arabic Supplement, Arabic Extended-A): their nonspacing marks are
    /// harakat, tanwin, shadda, sukun, superscript alef (U+0670), madda and hamza above or below and
    /// Quranic annotation signs, all optional in Dari/Persian, Arabic and Urdu writing.
    /// </summary>
    private static bool IsArabicScript(char c) => c is (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') or (>= '\u08A0' and <= '\u08FF');

    /// <summary>Latin letters after NFKD (ASCII and the Latin blocks up to IPA, Latin Extended Additional): their accents are dropped.</summary>
    private static bool IsLatinLetter(char c) => char.IsLetter(c) && (c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF');

    /// <summary>True when <paramref name="hashtag"/> is something a platform would accept as a hashtag.</summary>
    public static bool IsValid(ReadOnlySpan<char> hashtag) => IsValidKey(Normalize(hashtag));

    /// <summary>True when a comparison key (already normalized) is a hashtag: tag characters only, not all digits.</summary>
    private static bool IsValidKey(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        var hasNonDigit = false;
        foreach (var c in key)
        {
            if (!IsTagChar(c))
            {
                return false;
            }

            hasNonDigit |= !char.IsAsciiDigit(c);
        }

        // "#2022" is not a hashtag on any platform we read.
        return hasNonDigit;
    }

    /// <summary>
    /// Finds the hashtags in <paramref name="text"/> and returns their comparison keys, each once,
    /// in order of first appearance. A tag starts at '#' (or full-width '＃') that does not follow a
    /// letter or digit and runs while letters, marks, digits, '_' or joiners follow; punctuation,
    /// including the Arabic comma '،' and semicolon '؛', ends it.
    /// </summary>
    public static IReadOnlyList<string> Extract(ReadOnlySpan<char> text)
    {
        List<string>? found = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('#' or '\uFF03'))
            {
                continue;
            }

            if (i > 0 && (IsTagChar(text[i - 1]) || text[i - 1] is '&'))
            {
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsTagChar(text[end]))
            {
                end++;
            }

            var key = Normalize(text[(i + 1)..end]);
            if (IsValidKey(key))
            {
                found ??= [];
                if (!found.Contains(key))
                {
                    found.Add(key);
                }
            }

            i = end - 1;
        }

        return found ?? (IReadOnlyList<string>)[];
    }

    private static bool IsTagChar(char c)
    {
        if (c is '_' or ZeroWidthNonJoiner or ZeroWidthJoiner or Tatweel)
        {
            return true;
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.DecimalDigitNumber => true,
            _ => false,
        };
    }

    private static char FoldLetter(char c) => c switch
    {
        // Arabic yeh and alef maksura -> Persian yeh; Arabic kaf -> Persian keheh.
        '\u064A' or '\u0649' => '\u06CC',
        '\u0643' => '\u06A9',
        // Heh goal and heh with yeh above (after its hamza was dropped) -> heh.
        '\u06C1' or '\u06C0' or '\u06D5' => '\u0647',
        // Arabic-Indic (U+0660..0669) and Extended Arabic-Indic (U+06F0..06F9) digits -> ASCII.
        >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
        >= '\u06F0' and <= '\u06F9' => (char)('0' + (c - '\u06F0')),
        _ => c,
    };
}
