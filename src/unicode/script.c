/*
 * Script of a code point. Names are mostly Latin, so ASCII and the Latin blocks are answered
 * by range tests, then the big blocks of the scripts we transliterate; the rest asks ICU's
 * Scripts.txt data (uscript_getScript, a trie lookup).
 */
#include <unicode/uscript.h>

#include "translit.h"

static emb__script from_icu(uint32_t cp)
{
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)cp, &status);
    if (U_FAILURE(status))
        return EMB__SCRIPT_OTHER;
    switch (sc) {
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
        /* The prolonged sound mark is Common by Scripts.txt but only ever follows kana. */
        if (cp == 0x30FC || cp == 0xFF70)
            return EMB__SCRIPT_KANA;
        return EMB__SCRIPT_COMMON;
    case USCRIPT_LATIN:
        return EMB__SCRIPT_LATIN;
    case USCRIPT_CYRILLIC:
        return EMB__SCRIPT_CYRILLIC;
    case USCRIPT_GREEK:
        return EMB__SCRIPT_GREEK;
    case USCRIPT_ARMENIAN:
        return EMB__SCRIPT_ARMENIAN;
    case USCRIPT_GEORGIAN:
        return EMB__SCRIPT_GEORGIAN;
    case USCRIPT_ARABIC:
        return EMB__SCRIPT_ARABIC;
    case USCRIPT_HEBREW:
        return EMB__SCRIPT_HEBREW;
    case USCRIPT_HAN:
        return EMB__SCRIPT_HAN;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
        return EMB__SCRIPT_KANA;
    case USCRIPT_HANGUL:
        return EMB__SCRIPT_HANGUL;
    case USCRIPT_THAI:
        return EMB__SCRIPT_THAI;
    case USCRIPT_DEVANAGARI:
        return EMB__SCRIPT_DEVANAGARI;
    default:
        return EMB__SCRIPT_OTHER;
    }
}

emb__script emb__script_of(uint32_t cp)
{
    if (cp < 0x80) {
        uint32_t lower = cp | 0x20u;
        return lower >= 'a' && lower <= 'z' ? EMB__SCRIPT_LATIN : EMB__SCRIPT_COMMON;
    }
    if (cp < 0x0250) {
        if (cp == 0xAA || cp == 0xBA)
            return EMB__SCRIPT_LATIN; /* ordinal indicators */
        if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
            return EMB__SCRIPT_COMMON;
        return EMB__SCRIPT_LATIN;
    }
    if (cp < 0x02B0 || (cp >= 0x1E00 && cp <= 0x1EFF))
        return EMB__SCRIPT_LATIN;
    if (cp >= 0x0300 && cp <= 0x036F)
        return EMB__SCRIPT_COMMON; /* combining diacritics (Inherited) */
    if ((cp >= 0x0400 && cp <= 0x0482) || (cp >= 0x048A && cp <= 0x052F))
        return EMB__SCRIPT_CYRILLIC;
    if ((cp >= 0x0621 && cp <= 0x063F) || (cp >= 0x0641 && cp <= 0x064A))
        return EMB__SCRIPT_ARABIC; /* letters; tatweel U+0640 and the harakat are not */
    if (cp >= 0x05D0 && cp <= 0x05EA)
        return EMB__SCRIPT_HEBREW;
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return EMB__SCRIPT_HAN;
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return EMB__SCRIPT_HANGUL;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return EMB__SCRIPT_OTHER;
    return from_icu(cp);
}

const char *emb__script_name(emb__script s)
{
    static const char *const names[EMB__SCRIPT_MAX_] = {
        [EMB__SCRIPT_COMMON] = "Common",
        [EMB__SCRIPT_LATIN] = "Latin",
        [EMB__SCRIPT_CYRILLIC] = "Cyrillic",
        [EMB__SCRIPT_GREEK] = "Greek",
        [EMB__SCRIPT_ARMENIAN] = "Armenian",
        [EMB__SCRIPT_GEORGIAN] = "Georgian",
        [EMB__SCRIPT_ARABIC] = "Arabic",
        [EMB__SCRIPT_HEBREW] = "Hebrew",
        [EMB__SCRIPT_HAN] = "Han",
        [EMB__SCRIPT_KANA] = "Kana",
        [EMB__SCRIPT_HANGUL] = "Hangul",
        [EMB__SCRIPT_THAI] = "Thai",
        [EMB__SCRIPT_DEVANAGARI] = "Devanagari",
        [EMB__SCRIPT_OTHER] = "Other",
    };
    if ((unsigned)s >= EMB__SCRIPT_MAX_)
        return "Unknown";
    return names[s];
}
