/*
 * Script detection and transliteration of non-Latin runs to lower-case ASCII words.
 *
 * Han goes through a pinyin table generated from Unihan (scripts/gen-pinyin.py), Hangul
 * through the Revised Romanization of each syllable block, everything else through one ICU
 * rule chain (DESIGN.md section 4) behind a bounded cache, because ICU serialises
 * transliteration internally and opening the chain takes milliseconds.
 */
#ifndef EMB_UNICODE_TRANSLIT_H
#define EMB_UNICODE_TRANSLIT_H

#include "unicode.h"

typedef enum emb__script {
    EMB__SCRIPT_COMMON = 0, /* digits, punctuation, spaces, marks: belong to any run */
    EMB__SCRIPT_LATIN,
    EMB__SCRIPT_CYRILLIC,
    EMB__SCRIPT_GREEK,
    EMB__SCRIPT_ARMENIAN,
    EMB__SCRIPT_GEORGIAN,
    EMB__SCRIPT_ARABIC,
    EMB__SCRIPT_HEBREW,
    EMB__SCRIPT_HAN,
    EMB__SCRIPT_KANA, /* Hiragana and Katakana, with the prolonged sound mark U+30FC */
    EMB__SCRIPT_HANGUL,
    EMB__SCRIPT_THAI,
    EMB__SCRIPT_DEVANAGARI,
    EMB__SCRIPT_OTHER, /* any other script, unassigned and private-use code points */
    EMB__SCRIPT_MAX_
} emb__script;

/* Script of one code point (Unicode Scripts.txt through ICU; Inherited counts as Common).
 * ASCII, Latin-1 and the Latin extensions are answered without a table lookup. */
emb__script emb__script_of(uint32_t cp);

/* "Common", "Latin", "Cyrillic", "Greek", ..., "Other"; "Unknown" for a value out of range. */
const char *emb__script_name(emb__script s);

/* Longest run emb__translit_run accepts (EMB_ELIMIT above it). */
#define EMB__TRANSLIT_MAX_RUN (256u * 1024u)

/* Most cache entries emb__translit_new accepts; each entry takes EMB__TRANSLIT_SLOT_BYTES. */
#define EMB__TRANSLIT_MAX_CACHE  (1u << 20)
#define EMB__TRANSLIT_SLOT_BYTES 400u

/* One per thread; not shareable. Owns the ICU transliterators, the cache and scratch space. */
typedef struct emb__translit emb__translit;

/*
 * New transliterator with a cache of cache_entries recent ICU results (0 disables the cache;
 * a run whose input and output together exceed about 380 bytes is never cached). Memory is
 * cache_entries * EMB__TRANSLIT_SLOT_BYTES plus scratch. ICU is opened on first use.
 */
emb_status emb__translit_new(size_t cache_entries, emb__translit **out);
void emb__translit_free(emb__translit *t);

/*
 * Transliterate `text` (valid UTF-8), a run of one non-Latin script that may contain Common
 * characters, appending lower-case ASCII words ([a-z0-9]) separated by single spaces to out.
 * A space is put before the first word when out is non-empty and does not end in a space;
 * nothing is appended when the run yields no word (only punctuation, say).
 *   Han: one pinyin syllable per character, no tones, u-umlaut as "u" (Unihan kMandarin,
 *        name readings for a few surnames and place names; others through ICU Han-Latin).
 *   Hangul: one Revised Romanization word per syllable block (gim jeong eun).
 *   Kana: one Hepburn word per run, long-vowel marks dropped (ICU Hiragana-Latin).
 *   Cyrillic: BGN/PCGN Russian; Ukrainian BGN when the run has i/yi/ye/ghe-with-upturn and
 *        no letter Ukrainian lacks; Serbian BGN when it has a Serbian-only letter.
 *   Others: ICU's Any-Latin (Greek by UNGEGN); Arabic and Hebrew come out as consonants.
 * Apostrophes and primes vanish, other punctuation separates words, any non-ASCII left by
 * ICU is dropped. EMB_EUTF8 on invalid UTF-8, EMB_ELIMIT over EMB__TRANSLIT_MAX_RUN,
 * EMB_EFORMAT when ICU cannot open the rule chain, EMB_ENOMEM.
 */
emb_status emb__translit_run(emb__translit *t, emb__script script, emb_str text, emb__buf *out);

/* ICU cache hits and misses since creation (Han table and Hangul lookups are not counted). */
void emb__translit_stats(const emb__translit *t, uint64_t *hits, uint64_t *misses);

#endif
