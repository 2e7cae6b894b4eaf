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
#define EMB__SNAP_VERSION 2u
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
    EMB__SEC_COUNT_ = EMB__SEC_TOKENS
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
    char hash[17];
};

static inline emb_str emb__snap_str(const emb_index *idx, emb__sref r)
{
    return emb__str(idx->strings + r.off, r.len);
}

/* Names holding a token (its document frequency), 0 when the token is unknown. */
uint32_t emb__token_df(const emb_index *idx, emb_str token);

/* Validate a snapshot image in memory and point idx's sections into it (idx zeroed by the
 * caller; nothing is copied or freed). Returns NULL when valid, else why not. */
const char *emb__index_attach(emb_index *idx, const void *data, size_t len);

/* Per-thread scratch (emb_ctx): decoded entity arrays, query folding, results. */
struct emb_ctx {
    emb_name *names;
    size_t cap_names;
    emb_value *values;
    size_t cap_values;
    emb__buf fold;
    emb__buf tmp;
    struct emb_match *results;
    size_t cap_results;
    /* name analysis (created on first use: the ICU transliterator is costly to open) */
    emb__normalizer *nz;
    emb__nname name;
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
};

/* The context's normalizer, created on first use. */
emb_status emb__ctx_normalizer(emb_ctx *ctx, emb__normalizer **out);

#endif
