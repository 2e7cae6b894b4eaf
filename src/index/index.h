/*
 * index: the snapshot file (.emb) and its builder. One file, little-endian, offsets instead of
 * pointers (LMDB, yyjson's immutable document), so it is mmapped and shared read-only by every
 * thread and process. Layout:
 *
 *   header (64 bytes)  magic "EMBSNAP\1", version, section count, file size, table hash
 *   section table      {id, offset, length, xxh3} per section, 8-byte aligned sections:
 *   STRINGS  all text, referenced as {offset, length}
 *   ENTITIES fixed records: id, dataset, source id, caption, schema, name and value ranges
 *   NAMES    {value, lang, comparison form, alternatives, kind, entity}, grouped by entity
 *   TOKENS   every token and joined form with the number of names that hold it (IDF),
 *            sorted by text
 *   VALUES   {value, qualifier, prop}, grouped by entity
 *   SOURCES  {file, dataset, published, sha256, format, entity count}
 *   META     build time, library version
 *   ID_ORDER entity indices sorted by id, for lookup by id
 *   KEYS     match keys of every name, kind-prefixed ("t:maduro" token or joined form,
 *            "p:MTR" phonetic, "s:mdr" skeleton, "v:mhmd" skeleton of a word without vowels,
 *            "o:..." original script, "g:^ma" trigram),
 *            sorted by text, each with its name count and where its postings start
 *   POSTINGS per key, the names holding it: ascending name indices as LEB128 varints, the
 *            first absolute, then gaps (> 0); a list ends where the next key's begins
 *   SIDES    per name, where its scoring layout starts in OPTS and how many tokens it has
 *   OPTS     every name's tokens as the scorer sees them (kind, rarity weight, letters) and
 *            its alternative spellings with the run of tokens each stands for: work done once
 *            at build instead of for every candidate of every query
 */
#ifndef EMB_INDEX_H
#define EMB_INDEX_H

#include "../core/core.h"
#include "../model/model.h"
#include "../unicode/names.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the snapshot format is little-endian; big-endian hosts are not supported"
#endif

#define EMB__SNAP_MAGIC "EMBSNAP\x01"
#define EMB__SNAP_VERSION 4u
#define EMB__SNAP_MAX_SECTIONS 32u

enum {
    EMB__SEC_STRINGS = 1,
    EMB__SEC_ENTITIES,
    EMB__SEC_NAMES,
    EMB__SEC_VALUES,
    EMB__SEC_SOURCES,
    EMB__SEC_META,
    EMB__SEC_ID_ORDER,
    EMB__SEC_TOKENS,
    EMB__SEC_KEYS,
    EMB__SEC_POSTINGS,
    EMB__SEC_SIDES,
    EMB__SEC_OPTS,
    EMB__SEC_COUNT_ = EMB__SEC_OPTS
};

typedef struct emb__snap_header {
    char magic[8];
    uint32_t version;
    uint32_t n_sections;
    uint64_t file_size;
    uint64_t table_hash;
    uint8_t reserved[32];
} emb__snap_header;

typedef struct emb__snap_section {
    uint32_t id;
    uint32_t flags;
    uint64_t offset;
    uint64_t length;
    uint64_t hash;
} emb__snap_section;

typedef struct emb__sref {
    uint32_t off;
    uint32_t len;
} emb__sref;

typedef struct emb__snap_entity {
    emb__sref id, dataset, source_id, caption;
    uint32_t schema;
    uint32_t first_name, n_names;
    uint32_t first_value, n_values;
    uint32_t reserved;
    uint64_t line;
} emb__snap_entity;

typedef struct emb__snap_name {
    emb__sref value, lang;
    emb__sref folded; /* the comparison form (emb__nname.compare) */
    emb__sref alt;    /* alternative spellings (joined syllables, variants), space-separated */
    uint32_t kind;
    uint32_t entity;
} emb__snap_name;

typedef struct emb__snap_token {
    emb__sref text;
    uint32_t df; /* names holding the token */
    uint32_t reserved;
} emb__snap_token;

typedef struct emb__snap_key {
    emb__sref text;    /* kind prefix, ':', key */
    uint32_t df;       /* names in its postings */
    uint32_t post_off; /* into POSTINGS */
} emb__snap_key;

/* One token or alternative of a name's scoring layout; text is a byte range of the name's
 * comparison form (base tokens) or of its alternatives (alt = 1). */
typedef struct emb__snap_opt {
    uint16_t off, len;
    uint8_t kind, first, count, alt;
    float weight;
    uint32_t letters;
} emb__snap_opt;

typedef struct emb__snap_side {
    uint32_t first_opt;
    uint8_t n_base, n_opts;
    uint16_t reserved;
} emb__snap_side;

typedef struct emb__snap_value {
    emb__sref value, qualifier;
    uint32_t prop;
    uint32_t reserved;
} emb__snap_value;

typedef struct emb__snap_source {
    emb__sref file, dataset, published, sha256;
    uint32_t format;
    uint32_t reserved;
    uint64_t entities;
} emb__snap_source;

typedef struct emb__snap_meta {
    emb__sref built_at;
    emb__sref version;
} emb__snap_meta;

/* The opened snapshot: pointers into the mapping, all validated at open. */
struct emb_index {
    void *map;        /* the mapping, NULL when attached to caller memory */
    const void *base; /* start of the snapshot bytes */
    size_t map_len;
    const char *strings;
    size_t strings_len;
    const emb__snap_entity *entities;
    size_t n_entities;
    const emb__snap_name *names;
    size_t n_names;
    const emb__snap_value *values;
    size_t n_values;
    const emb__snap_source *sources;
    size_t n_sources;
    const emb__snap_meta *meta;
    const uint32_t *id_order;
    const emb__snap_token *tokens;
    size_t n_tokens;
    const emb__snap_key *keys;
    size_t n_keys;
    const uint8_t *postings;
    size_t postings_len;
    const emb__snap_side *sides; /* one per name */
    const emb__snap_opt *opts;
    size_t n_opts;
    char hash[17];
};

static inline emb_str emb__snap_str(const emb_index *idx, emb__sref r)
{
    return emb__str(idx->strings + r.off, r.len);
}

/* The one-letter namespace a key kind is stored under in the KEYS dictionary ("t:maduro");
 * 0 for kinds that are not indexed. Builder and candidate search must agree on it. */
char emb__key_prefix(emb__key_kind kind);

/* Names holding a token (its document frequency), 0 when the token is unknown. */
uint32_t emb__token_df(const emb_index *idx, emb_str token);

/* Longest key the builder indexes (prefix included): longer original-script forms are left
 * to the other keys. */
#define EMB__KEY_MAX_LEN 256

/* Keys of adjacent words written together (runs of 2 or 3 words or initials: "vladimirputin",
 * "mirrahman"), as TOKEN, PHONETIC and SKELETON keys, since the scorer compares such joins
 * with single words. The builder indexes them and queries look them up. */
emb_status emb__join_keys(const emb__nname *n, emb__key_fn fn, void *ud);

/* No a, e, i, o or u: how Arabic and Hebrew transliterate ("mhmd"). */
static inline int emb__vowelless(emb_str t)
{
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u')
            return 0;
    }
    return t.len > 0;
}

/* Index of a key (kind-prefixed text) in idx->keys, or SIZE_MAX when absent. */
size_t emb__key_find(const emb_index *idx, emb_str key);

/* One LEB128 value of at most 32 bits from [p, end); NULL when truncated or too long. */
static inline const uint8_t *emb__varint_get(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
    uint32_t x = 0;
    for (unsigned shift = 0; shift < 35 && p < end; shift += 7) {
        uint8_t c = *p++;
        if (shift == 28 && c > 0x0f)
            return NULL;
        x |= (uint32_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return p;
        }
    }
    return NULL;
}

/* The byte range of key k's postings (validated at open). */
static inline void emb__key_postings(const emb_index *idx, size_t k, const uint8_t **p,
                                     const uint8_t **end)
{
    size_t to = k + 1 < idx->n_keys ? idx->keys[k + 1].post_off : idx->postings_len;
    *p = idx->postings + idx->keys[k].post_off;
    *end = idx->postings + to;
}

/* ------------------------------------------------------------ sides (side.c) */

#define EMB__SIDE_MAX 48

/* One side of a name comparison: base tokens with weights, and alternative spellings
 * (joined syllables, variants) each standing for a run of base tokens. */
typedef struct emb__opt {
    emb_str text;
    uint8_t first, count; /* the base tokens it stands for */
    uint8_t kind;         /* emb__tok_kind of the base token (alternatives: WORD) */
    uint8_t alt;          /* 1 for an alternative spelling */
    float weight;         /* base tokens only */
    uint32_t letters;     /* bit per letter a-z it holds: a cheap test before comparing,
                             and EMB__OPT_TRANSLIT */
    uint32_t skel;        /* hash of its consonant skeleton (emb__skeleton), and its length:
                             worked out when first needed, then kept for every pair */
    uint8_t skel_len;     /* EMB__SKEL_UNKNOWN until worked out */
} emb__opt;

#define EMB__SKEL_UNKNOWN 0xffu

/* Fill o->skel and o->skel_len from o->text. */
void emb__opt_skeleton(emb__opt *o);

/* In emb__opt.letters: the token came from a non-Latin script (so a vowelless spelling is a
 * transliteration, not an acronym). */
#define EMB__OPT_TRANSLIT 0x80000000u
/* ...and one Han or Hangul syllable (queries only: list names are read as words) */
#define EMB__OPT_SYLLABLE 0x40000000u
#define EMB__OPT_FLAGS (EMB__OPT_TRANSLIT | EMB__OPT_SYLLABLE)

typedef struct emb__side {
    char join[512]; /* text of joined adjacent tokens */
    size_t join_len;
    emb__opt opts[EMB__SIDE_MAX];
    size_t n_opts;
    size_t n_base;
    double total;       /* sum of base weights */
    double informative; /* of which word and number tokens */
} emb__side;

/* Lay out a side from a comparison form and its alternatives (both space-separated, as the
 * snapshot stores them), weighting tokens by their rarity in idx: what the snapshot stores
 * per name (adjacent-word joins are added when it is read back). */
void emb__side_layout(emb__side *s, emb_str compare, emb_str alt, const emb_index *idx);
/* Name i of idx laid out from its stored layout (SIDES/OPTS), joins added. */
void emb__side_from_snap(emb__side *s, const emb_index *idx, size_t i);
/* Build a side from a normalised name. */
void emb__side_from_name(emb__side *s, const emb__nname *n, const emb_index *idx);

/* Validate a snapshot image in memory and point idx's sections into it (idx zeroed by the
 * caller; nothing is copied or freed). Returns NULL when valid, else why not. */
const char *emb__index_attach(emb_index *idx, const void *data, size_t len);

/* Per-thread scratch (emb_ctx): decoded entity arrays, query folding, results. */
struct emb_ctx {
    emb_name *names;
    size_t cap_names;
    emb_value *values;
    size_t cap_values;
    struct emb_match *results;
    size_t cap_results;
    /* name analysis (created on first use: the ICU transliterator is costly to open) */
    emb__normalizer *nz;
    emb__nname name;
    emb__nname name2; /* the second name of emb_compare */
    struct emb_name_token *tokens;
    size_t cap_tokens;
    struct emb_name_key *keys;
    size_t n_keys, cap_keys;
    emb__buf keytext;
    /* screening: explanations of the results, and the text they point at */
    struct emb_explanation *expl;
    size_t n_expl, cap_expl;
    emb__buf expl_text;
    void *scratch; /* match module's per-query state, created on first use */
    /* candidate generation: per-name key weight (zero between queries), the names touched,
     * the query's keys and the bounded heap of the best names */
    float *acc;
    size_t cap_acc;
    uint32_t *touched;
    size_t cap_touched;
    float *gacc; /* per-name evidence within one query token, zero between tokens */
    size_t cap_gacc;
    uint32_t *gtouched;
    size_t cap_gtouched;
    struct emb__qkey *qkeys;
    size_t n_qkeys, cap_qkeys;
    struct emb__cand *heap;
    size_t cap_heap;
    uint32_t *cands;
    size_t cap_cands;
};

/* The context's normalizer, created on first use. */
emb_status emb__ctx_normalizer(emb_ctx *ctx, emb__normalizer **out);

#endif
