/*
 * The name pipeline: one raw name in any script to the forms and keys screening compares.
 *
 *   raw ──validate──▶ NFKC + case fold ──script runs──▶ Latin: marks stripped, special letters
 *   mapped; Han/Kana: legal forms and business words matched in the original script, the
 *   rest transliterated syllable by syllable; other scripts: transliterated (ICU, cached)
 *   ──▶ tokens (numbers, initials, hyphenated parts kept; apostrophes joined) ──▶ legal forms
 *   and organisation words to one canonical token per family ──▶ keys (tokens, joined
 *   syllables, character n-grams, Double Metaphone, consonant skeletons, initials, the
 *   original-script form).
 *
 * A normalizer holds per-thread state (the ICU transliterator and its cache, scratch
 * buffers): one per thread, never shared. A normalised name (emb__nname) is reused across
 * calls without allocating once its buffers have grown.
 */
#ifndef EMB_NAMES_H
#define EMB_NAMES_H

#include "../core/core.h"
#include "translit.h"

#define EMB__NAME_MAX_TOKENS 128

typedef enum emb__tok_kind {
    EMB__TOK_WORD = 0,
    EMB__TOK_NUMBER,  /* holds a digit: "11420", "a320", "1" */
    EMB__TOK_INITIAL, /* one letter */
    EMB__TOK_LEGAL,   /* canonical legal form: "ltd", "llc", "jsc" */
    EMB__TOK_ORG,     /* canonical organisation word: "group", "technology" */
    EMB__TOK_KIND_MAX_
} emb__tok_kind;

#define EMB__TOKF_TRANSLIT 0x01u /* transliterated from a non-Latin script */
#define EMB__TOKF_SYLLABLE 0x02u /* one Han or Hangul syllable */
#define EMB__TOKF_JOINED   0x04u /* an alternative spelling: syllables or hyphenated parts joined */

typedef struct emb__tok {
    uint32_t off; /* into emb__nname.text */
    uint16_t len;
    uint8_t kind;
    uint8_t script;
    uint8_t flags;
} emb__tok;

typedef struct emb__nname {
    emb__buf text;     /* token bytes, each followed by a NUL */
    emb__tok *toks;
    size_t n_toks, cap_toks;
    emb__buf original; /* the folded name in its own script; empty for Latin-only names */
    emb__buf compare;  /* the comparison string: base tokens joined by single spaces */
    uint32_t scripts;  /* bit (1u << emb__script) for every script in the name */
} emb__nname;

void emb__nname_init(emb__nname *n);
void emb__nname_free(emb__nname *n);
static inline emb_str emb__nname_tok(const emb__nname *n, size_t i)
{
    return emb__str(n->text.ptr + n->toks[i].off, n->toks[i].len);
}
const char *emb__tok_kind_name(emb__tok_kind k);

typedef struct emb__normalizer emb__normalizer;

/* cache_entries: transliteration cache size (0: none). */
emb_status emb__normalizer_new(size_t cache_entries, emb__normalizer **out);
void emb__normalizer_free(emb__normalizer *nz);
/* Transliteration cache counters. */
void emb__normalizer_stats(const emb__normalizer *nz, uint64_t *hits, uint64_t *misses);

/*
 * Normalise one name into out (reset first). Invalid UTF-8 is EMB_EUTF8 with the offset in
 * err->byte_offset; a name over EMB_LIMIT_NAME_BYTES is EMB_ELIMIT. Control characters
 * (NUL included) count as spaces. A name of only punctuation gives no tokens: a valid result
 * that means "nothing to match".
 */
emb_status emb__normalize(emb__normalizer *nz, emb_str raw, emb__nname *out, emb_error *err);

/* ------------------------------------------------------------ match keys */

typedef enum emb__key_kind {
    EMB__KEY_TOKEN = 0, /* a base token */
    EMB__KEY_JOINED,    /* joined syllables or hyphenated parts */
    EMB__KEY_NGRAM,     /* character trigram of a word, with ^ and $ marking its ends */
    EMB__KEY_PHONETIC,  /* Double Metaphone key of a word (primary, and alternate if any) */
    EMB__KEY_SKELETON,  /* consonant skeleton of a word: what Arabic script and its Latin
                           spellings share (mohammed, muhammad, محمد -> mhmd) */
    EMB__KEY_INITIALS,  /* first letters of the words, in order */
    EMB__KEY_ORIGINAL,  /* the name in its own script */
    EMB__KEY_SCRIPT,    /* the name of a script present in the name */
    EMB__KEY_KIND_MAX_
} emb__key_kind;

const char *emb__key_kind_name(emb__key_kind k);

typedef emb_status (*emb__key_fn)(void *ud, emb__key_kind kind, emb_str key);

/* Every key of a normalised name, deduplicated per kind. */
emb_status emb__name_keys(const emb__nname *n, emb__key_fn fn, void *ud);

/* Consonant skeleton of one lower-case ASCII word into out (at most cap-1 bytes + NUL). */
size_t emb__skeleton(emb_str word, char *out, size_t cap);

#endif
