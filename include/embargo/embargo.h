/*
 * embargo: sanctions screening engine. This is the one public header: programs (the CLI, the
 * server, workers) and users' code see the library only through it.
 *
 * Conventions
 *  - Every fallible call returns emb_status (EMB_OK == 0) and, where it parses outside input,
 *    fills an optional emb_error * with the place of the failure (file, line, column, byte
 *    offset, record id). Out-parameters are written only on success.
 *  - Text is emb_str {ptr, len}: never assumed NUL-terminated, always valid UTF-8 once it has
 *    crossed the ingest boundary.
 *  - The library never prints, exits or aborts on bad input or on allocation failure.
 *  - Thread safety is stated per function.
 */
#ifndef EMBARGO_H
#define EMBARGO_H

#include <stddef.h>
#include <stdint.h>

#include <embargo/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EMB_BUILDING) && defined(__GNUC__)
#define EMB_API __attribute__((visibility("default")))
#else
#define EMB_API
#endif

/* ---------------------------------------------------------------- status and errors */

typedef enum emb_status {
    EMB_OK = 0,
    EMB_ENOMEM,   /* allocation failed */
    EMB_EINVAL,   /* invalid argument (a programming error of the caller) */
    EMB_EIO,      /* a file could not be opened, read or written */
    EMB_EPARSE,   /* input is malformed; emb_error says where */
    EMB_EUTF8,    /* input text is not valid UTF-8; emb_error has the byte offset */
    EMB_ELIMIT,   /* an input dimension is over its limit (src/core/limits.h); message names it */
    EMB_EFORMAT,  /* the input's format is unknown or not the one required */
    EMB_ENOTFOUND,/* a named thing (file, entity, sibling file) does not exist */
    EMB_ECORRUPT, /* a snapshot or archive failed validation */
    EMB_ESTOPPED, /* a callback asked to stop */
    EMB_STATUS_MAX_
} emb_status;

/* Constant English text for a status. Never NULL. Thread-safe. */
EMB_API const char *emb_strerror(emb_status status);

#define EMB_ERROR_MSG_MAX 256
#define EMB_ERROR_SOURCE_MAX 512
#define EMB_ERROR_RECORD_MAX 96

/*
 * Where and why something failed. line and column are 1-based, 0 when unknown; byte_offset is
 * the offset in the (decompressed) input, UINT64_MAX when unknown. record_id is the
 * publisher's identifier of the record being read, empty when unknown.
 */
typedef struct emb_error {
    emb_status code;
    char msg[EMB_ERROR_MSG_MAX];
    char source[EMB_ERROR_SOURCE_MAX];
    uint64_t line;
    uint64_t column;
    uint64_t byte_offset;
    char record_id[EMB_ERROR_RECORD_MAX];
} emb_error;

/* ---------------------------------------------------------------- library set-up */

/* Allocator used for every allocation the library makes itself (yyjson's yyjson_alc). */
typedef struct emb_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} emb_allocator;

/*
 * Replace the allocator (NULL restores the libc one). Call before any other library call;
 * not thread-safe. Third-party libraries (libxml2, jansson, libarchive) keep their own.
 */
EMB_API void emb_set_allocator(const emb_allocator *alc);

typedef enum emb_log_level {
    EMB_LOG_DEBUG = 0,
    EMB_LOG_INFO,
    EMB_LOG_WARNING,
    EMB_LOG_ERROR
} emb_log_level;

typedef void (*emb_log_fn)(void *ud, emb_log_level level, const char *component, const char *msg);

/* Route the library's log lines to fn (NULL: silent, the default). Not thread-safe. */
EMB_API void emb_set_log(emb_log_fn fn, void *ud);

/* "0.1.0" */
EMB_API const char *emb_version(void);

/* ---------------------------------------------------------------- entity model */

typedef struct emb_str {
    const char *ptr;
    size_t len;
} emb_str;

/* FollowTheMoney schemata that a listed party can have (a subset, with FtM's `extends`). */
typedef enum emb_schema {
    EMB_SCHEMA_UNKNOWN = 0,
    EMB_SCHEMA_THING,
    EMB_SCHEMA_LEGAL_ENTITY,
    EMB_SCHEMA_PERSON,
    EMB_SCHEMA_ORGANIZATION,
    EMB_SCHEMA_COMPANY,
    EMB_SCHEMA_PUBLIC_BODY,
    EMB_SCHEMA_VEHICLE,
    EMB_SCHEMA_VESSEL,
    EMB_SCHEMA_AIRPLANE,
    EMB_SCHEMA_MAX_
} emb_schema;

/* FtM name ("Person"), or "" for EMB_SCHEMA_UNKNOWN. Thread-safe. */
EMB_API const char *emb_schema_name(emb_schema schema);
/* Case-sensitive FtM name to schema; EMB_SCHEMA_UNKNOWN when not one of ours. */
EMB_API emb_schema emb_schema_from_name(const char *name, size_t len);
/* 1 when `schema` is `ancestor` or extends it (Company is_a LegalEntity), else 0. */
EMB_API int emb_schema_is_a(emb_schema schema, emb_schema ancestor);

typedef enum emb_name_kind {
    EMB_NAME_PRIMARY = 0,     /* FtM `name`: the name as designated */
    EMB_NAME_ALIAS,           /* strong a.k.a. */
    EMB_NAME_WEAK_ALIAS,      /* low-quality a.k.a.: matched, scored lower */
    EMB_NAME_PREVIOUS,        /* f.k.a. / former name */
    EMB_NAME_ORIGINAL_SCRIPT, /* the name as written in its own (non-Latin) script */
    EMB_NAME_KIND_MAX_
} emb_name_kind;

/* "name", "alias", "weakAlias", "previousName", "originalScript". Thread-safe. */
EMB_API const char *emb_name_kind_name(emb_name_kind kind);

typedef struct emb_name {
    emb_str value;
    emb_name_kind kind;
    emb_str lang; /* ISO 639 code when the publisher gives one, else empty */
} emb_name;

/*
 * Attributes other than names. Values are normalised where the property says so:
 *  - dates (birthDate, deathDate, listingDate, incorporationDate): ISO 8601, partial allowed
 *    ("1975", "1975-04", "1975-04-12");
 *  - countries (country, nationality, citizenship, jurisdiction, flag, birthCountry): ISO 3166
 *    alpha-2 in lower case as FtM writes them ("ru"), plus FtM's "suhh" (USSR) etc.;
 *  - identifiers: as published, with the publisher's label or issuing country in `qualifier`.
 * A value that should have been normalised but could not be (an unknown country name, an
 * unreadable date) is kept, never dropped: as EMB_PROP_UNRESOLVED with the intended property's
 * name in `qualifier` and the raw text in `value`.
 */
typedef enum emb_prop {
    EMB_PROP_BIRTH_DATE = 0,
    EMB_PROP_DEATH_DATE,
    EMB_PROP_BIRTH_PLACE,
    EMB_PROP_BIRTH_COUNTRY,
    EMB_PROP_NATIONALITY,
    EMB_PROP_CITIZENSHIP,
    EMB_PROP_COUNTRY,
    EMB_PROP_JURISDICTION,
    EMB_PROP_GENDER,
    EMB_PROP_TITLE,
    EMB_PROP_POSITION,
    EMB_PROP_FATHER_NAME,
    EMB_PROP_MOTHER_NAME,
    EMB_PROP_PASSPORT_NUMBER,
    EMB_PROP_ID_NUMBER,
    EMB_PROP_REGISTRATION_NUMBER,
    EMB_PROP_TAX_NUMBER,
    EMB_PROP_INN_CODE,
    EMB_PROP_OGRN_CODE,
    EMB_PROP_KPP_CODE,
    EMB_PROP_OKPO_CODE,
    EMB_PROP_LEI_CODE,
    EMB_PROP_SWIFT_BIC,
    EMB_PROP_IMO_NUMBER,
    EMB_PROP_MMSI,
    EMB_PROP_CALL_SIGN,
    EMB_PROP_FLAG,
    EMB_PROP_VESSEL_TYPE,
    EMB_PROP_BUILD_DATE,
    EMB_PROP_REGISTRATION_COUNTRY,
    EMB_PROP_CRYPTO_WALLET,
    EMB_PROP_EMAIL,
    EMB_PROP_PHONE,
    EMB_PROP_WEBSITE,
    EMB_PROP_ADDRESS,
    EMB_PROP_INCORPORATION_DATE,
    EMB_PROP_LEGAL_FORM,
    EMB_PROP_SECTOR,
    EMB_PROP_PROGRAM,
    EMB_PROP_AUTHORITY,
    EMB_PROP_LISTING_DATE,
    EMB_PROP_REASON,
    EMB_PROP_NOTES,
    EMB_PROP_SOURCE_URL,
    EMB_PROP_TOPICS,
    EMB_PROP_UNRESOLVED,
    EMB_PROP_MAX_
} emb_prop;

/* FtM property name ("birthDate"). Thread-safe. */
EMB_API const char *emb_prop_name(emb_prop prop);
/* FtM property name to prop; returns EMB_PROP_MAX_ when unknown. */
EMB_API emb_prop emb_prop_from_name(const char *name, size_t len);
/* 1 for the properties that identify (passport, registration, IMO, LEI, BIC... numbers):
 * those screening compares as identifiers. */
EMB_API int emb_prop_is_identifier(emb_prop prop);

typedef struct emb_value {
    emb_prop prop;
    emb_str value;
    emb_str qualifier; /* identifier label / issuing country, or intended property; may be empty */
} emb_value;

/*
 * One listed party, as delivered by a parser. A read-only view: every pointer in it is
 * borrowed and valid only during the callback that receives it; copy what you keep.
 * `id` is "<dataset>-<source_id>". Names are deduplicated per (kind, value); the first
 * primary name is the caption. `line` is where the record starts in its file (0 if unknown).
 */
typedef struct emb_entity {
    emb_str id;
    emb_str dataset;
    emb_str source_id;
    emb_str caption;
    emb_schema schema;
    const emb_name *names;
    size_t n_names;
    const emb_value *values;
    size_t n_values;
    uint64_t line;
} emb_entity;

/* ---------------------------------------------------------------- list formats and parsing */

typedef enum emb_format {
    EMB_FORMAT_UNKNOWN = 0,
    EMB_FORMAT_OFAC_CSV,          /* OFAC legacy SDN.CSV/CONS_PRIM.CSV + ADD, ALT, COMMENTS */
    EMB_FORMAT_OFAC_XML,          /* OFAC legacy sdnList XML (sdn.xml, consolidated.xml) */
    EMB_FORMAT_OFAC_ENHANCED_XML, /* OFAC Sanctions List Service enhanced XML */
    EMB_FORMAT_UN_XML,            /* UN Security Council consolidated list */
    EMB_FORMAT_UK_XML,            /* UK Sanctions List (FCDO) XML */
    EMB_FORMAT_UK_OFSI_CSV,       /* OFSI ConList.csv (older UK consolidated list) */
    EMB_FORMAT_EU_FSF_XML,        /* EU Financial Sanctions File XML */
    EMB_FORMAT_EU_JOURNAL_CSV,    /* EU journal annex CSV (celex, recordId, FtM columns) */
    EMB_FORMAT_FTM_JSON,          /* OpenSanctions FollowTheMoney JSON lines */
    EMB_FORMAT_OS_SIMPLE_CSV,     /* OpenSanctions targets.simple.csv */
    EMB_FORMAT_US_CSL_CSV,        /* US Consolidated Screening List CSV */
    EMB_FORMAT_GENERIC_CSV,       /* a user's own list: FtM property names or synonyms */
    EMB_FORMAT_MAX_
} emb_format;

/* Short stable name ("ofac_csv"); "unknown" for EMB_FORMAT_UNKNOWN. Thread-safe. */
EMB_API const char *emb_format_name(emb_format format);

/* Called once per entity; return 0 to go on, non-zero to stop (the parse then returns
 * EMB_ESTOPPED). */
typedef int (*emb_entity_fn)(void *ud, const emb_entity *entity);
/* Called once per record skipped under skip_bad, with the reason and place. */
typedef void (*emb_skip_fn)(void *ud, const emb_error *why);

typedef struct emb_parse_opts {
    const char *dataset; /* dataset name for a generic CSV (else from the file name); may
                            override the default dataset of an official format; may be NULL */
    emb_format format;   /* EMB_FORMAT_UNKNOWN: sniff from content */
    int skip_bad;        /* 0: the first bad record fails the parse; 1: skip and report it */
    emb_skip_fn on_skip; /* reports each skipped record when skip_bad; may be NULL */
    void *skip_ud;
} emb_parse_opts;

/* What a parse found out about its source. */
typedef struct emb_source_info {
    emb_format format;
    char dataset[64];
    char published[32]; /* publication date as ISO 8601 when the file says, else "" */
    uint64_t entities;  /* entities delivered */
    uint64_t names;     /* names delivered (all kinds) */
    uint64_t skipped;   /* records skipped under skip_bad */
    uint64_t bytes;     /* bytes of content read (after decompression) */
    uint64_t schemas[EMB_SCHEMA_MAX_]; /* entities per schema */
} emb_source_info;

/*
 * Decide the format of a file from its content (not its name). Compressed inputs (.zip, .gz)
 * are looked into. Writes EMB_FORMAT_UNKNOWN and returns EMB_EFORMAT when nothing fits.
 * Thread-safe.
 */
EMB_API emb_status emb_sniff_file(const char *path, emb_format *format, emb_error *err);

/*
 * Parse a list file and deliver every entity to on_entity, streaming: memory stays bounded by
 * the largest record (formats whose records refer to each other, such as FtM JSON and the
 * OFAC CSV set, keep an index of the referring part). `path` may be a directory holding an
 * OFAC CSV set. On failure, err says where; entities delivered before a failure must be
 * treated as void by the caller (a build takes every record or fails). info may be NULL.
 * Thread-safe (each call has its own state).
 */
EMB_API emb_status emb_parse_file(const char *path, const emb_parse_opts *opts,
                                  emb_entity_fn on_entity, void *ud, emb_source_info *info,
                                  emb_error *err);

/* As emb_parse_file, for content in memory (no sibling files, no archives). `name` is used
 * in errors and to derive a dataset name for a generic CSV. */
EMB_API emb_status emb_parse_buffer(const void *data, size_t len, const char *name,
                                    const emb_parse_opts *opts, emb_entity_fn on_entity,
                                    void *ud, emb_source_info *info, emb_error *err);

/* ---------------------------------------------------------------- snapshots */

/* An immutable, mmapped snapshot (.emb file). All functions taking `const emb_index *` are
 * thread-safe without locks. */
typedef struct emb_index emb_index;
/* Per-thread scratch state for reading entities and screening; not shareable. */
typedef struct emb_ctx emb_ctx;

/* One input of a build: a list file (or OFAC CSV folder) and an optional dataset name. */
typedef struct emb_build_source {
    const char *path;
    const char *dataset; /* NULL: the format's default, or the file name for a user's list */
} emb_build_source;

typedef struct emb_build_opts {
    int skip_bad;        /* skip malformed records (reported to on_skip) instead of failing */
    emb_skip_fn on_skip;
    void *skip_ud;
} emb_build_opts;

typedef struct emb_build_stats {
    uint64_t sources;
    uint64_t entities; /* distinct entities written */
    uint64_t names;
    uint64_t merged;   /* records that repeated an entity id and were merged into it */
    uint64_t skipped;
    uint64_t bytes;    /* size of the snapshot file */
} emb_build_stats;

/*
 * Build a snapshot from list files into out_path. Every record of every source is taken, or
 * the build fails and out_path is left untouched: the file is written to a temporary name
 * beside it, fsynced and renamed. Records that share an entity id (one entity listed under
 * several programmes) are merged. err names the file, line and record of a failure.
 */
EMB_API emb_status emb_index_build(const char *out_path, const emb_build_source *sources,
                                   size_t n_sources, const emb_build_opts *opts,
                                   emb_build_stats *stats, emb_error *err);

/* Open (mmap) and validate a snapshot: header, section table, checksums and every internal
 * reference are checked, so a corrupt or truncated file is refused (EMB_ECORRUPT) and never
 * read past its end. Caller closes with emb_index_close. */
EMB_API emb_status emb_index_open(const char *path, emb_index **out, emb_error *err);
EMB_API void emb_index_close(emb_index *idx);

EMB_API size_t emb_index_entity_count(const emb_index *idx);

/* What a snapshot was built from. Strings are borrowed until the index closes. */
typedef struct emb_source_meta {
    emb_str file;
    emb_str dataset;
    emb_str published; /* "" when the list does not say */
    emb_str sha256;    /* of the file's bytes as read (the archive itself for .zip/.gz) */
    emb_format format;
    uint64_t entities;
} emb_source_meta;

EMB_API size_t emb_index_source_count(const emb_index *idx);
EMB_API emb_status emb_index_source(const emb_index *idx, size_t i, emb_source_meta *out);
/* Build time (ISO 8601, UTC) and content hash (hex) of the snapshot; borrowed. */
EMB_API emb_str emb_index_built_at(const emb_index *idx);
EMB_API emb_str emb_index_hash(const emb_index *idx);

EMB_API emb_status emb_ctx_new(emb_ctx **out);
EMB_API void emb_ctx_free(emb_ctx *ctx);

/* Entity i (0 <= i < count) as a view valid until the next call with the same ctx. */
EMB_API emb_status emb_index_entity(const emb_index *idx, emb_ctx *ctx, size_t i,
                                    emb_entity *out);
/* Find an entity by its id; EMB_ENOTFOUND when absent. */
EMB_API emb_status emb_index_find(const emb_index *idx, const char *id, size_t len, size_t *i);

/* ---------------------------------------------------------------- names */

/* One token of a normalised name. */
typedef struct emb_name_token {
    emb_str text;
    const char *kind;   /* "word", "number", "initial", "legal", "org" */
    const char *script; /* script it came from: "Latin", "Cyrillic", "Han", ... */
    int transliterated; /* 1 when it came from a non-Latin script */
    int joined;         /* 1 for an alternative spelling: joined syllables or parts */
} emb_name_token;

/* One match key of a normalised name. */
typedef struct emb_name_key {
    const char *kind; /* "token", "joined", "ngram", "phonetic", "skeleton", "initials",
                         "original", "script" */
    emb_str value;
} emb_name_key;

/* Every form and key of one name, as screening compares it. */
typedef struct emb_name_analysis {
    emb_str compare;  /* the comparison form: base tokens joined by spaces */
    emb_str original; /* the folded name in its own script; empty for Latin-only names */
    const emb_name_token *tokens;
    size_t n_tokens;
    const emb_name_key *keys;
    size_t n_keys;
} emb_name_analysis;

/*
 * Normalise a name (any script) and list its forms and keys, so a user can see why two names
 * did or did not meet. The result lives in ctx until its next use. Errors: EMB_EUTF8 (with
 * err->byte_offset), EMB_ELIMIT (over 4096 bytes or 128 tokens).
 */
EMB_API emb_status emb_name_analyze(emb_ctx *ctx, const char *text, size_t len,
                                    emb_name_analysis *out, emb_error *err);

/* Transliteration cache counters of a context (hits, misses), for monitoring. */
EMB_API void emb_ctx_translit_stats(const emb_ctx *ctx, uint64_t *hits, uint64_t *misses);

/* ---------------------------------------------------------------- screening */

/*
 * One reason behind a score, keyed by feature. Feature names follow OpenSanctions' logic-v2
 * where one fits: "name_match", "name_literal_match", "weak_alias_match",
 * "name_token_missing", "legal_form_mismatch", "identifier_match", "country_match",
 * "country_mismatch", "dob_match", "dob_year_disjoint", "dob_day_disjoint".
 */
typedef struct emb_explanation {
    const char *feature;
    double score;      /* the feature's value, 0..1 */
    emb_str query;     /* the query value it compared */
    emb_str candidate; /* the list value it met */
    const char *detail;/* one line for a human: what it did to the score */
} emb_explanation;

typedef struct emb_query {
    const char *name;  /* required, UTF-8 */
    emb_schema schema; /* EMB_SCHEMA_UNKNOWN: any */
    const char *const *birth_dates; /* any readable form: "1952-10-07", "7 Oct 1952", "1952" */
    size_t n_birth_dates;
    const char *const *countries;   /* names, demonyms or codes: "Russia", "RU", "Russian" */
    size_t n_countries;
    const char *const *identifiers; /* passport, IMO, registration, LEI, BIC... as written */
    size_t n_identifiers;
} emb_query;

/* A filter on candidate entities: return 1 to keep entity i, 0 to leave it out. */
typedef int (*emb_entity_filter_fn)(void *ud, const emb_index *idx, size_t entity);

typedef struct emb_screen_opts {
    size_t limit;     /* 0: 10 */
    double threshold; /* results below are not returned; < 0: 0.70 */
    /* optional: applied before scoring, so excluded entities never take a result's place
       (datasets, schemas, or thousands of decided false positives left out) */
    emb_entity_filter_fn filter;
    void *filter_ud;
    /* optional: how many candidate names are scored at most (0: 250). Fewer is faster and
       may miss weak matches; a small snapshot needs few */
    size_t candidates;
} emb_screen_opts;

typedef struct emb_match {
    size_t entity;       /* index for emb_index_entity */
    double score;        /* 0..1; >= 0.70 by default means "worth a human look" */
    emb_str matched_name;
    emb_name_kind matched_kind;
    const emb_explanation *explanations; /* owned by the ctx, like the match itself */
    size_t n_explanations;
} emb_match;

/*
 * Screen a name against every name and alias of the snapshot; writes the best matches,
 * highest score first, into *results (owned by ctx, valid until its next use).
 * Thread-safe on a shared index with one ctx per thread.
 */
EMB_API emb_status emb_screen(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                              const emb_screen_opts *opts, const emb_match **results,
                              size_t *n_results, emb_error *err);

/*
 * Compare two names directly (no snapshot): the score screening would give name2 as a list
 * name for name1 as a query, with its explanations (owned by ctx until its next use). schema
 * may be EMB_SCHEMA_UNKNOWN. Thread-safe with one ctx per thread.
 */
EMB_API emb_status emb_compare(emb_ctx *ctx, const char *name1, const char *name2,
                               emb_schema schema, double *score,
                               const emb_explanation **explanations, size_t *n_explanations,
                               emb_error *err);

/* ---------------------------------------------------------------- countries */

/*
 * ISO 3166 alpha-2 code, lower case as FtM writes it ("ru"), of a country name, demonym or
 * code in any common form ("Russia", "Russian", "RUS", "ru"); NULL when unknown. The result is
 * a constant string. Thread-safe.
 */
EMB_API const char *emb_country_code(const char *text, size_t len);

/* ---------------------------------------------------------------- list freshness */

/* A maximum age for the datasets it names: an exact dataset name, or a prefix ending in '*'
 * ("us_ofac*"). */
typedef struct emb_freshness_rule {
    const char *dataset;
    double max_age_days;
} emb_freshness_rule;

/* Rules are tried in order, first match wins, then the built-in ones (us_ofac*, gb_*, uk_*:
 * 3 days; eu_*, un_*: 7 days), then default_max_age_days (<= 0: 7). */
typedef struct emb_freshness_policy {
    const emb_freshness_rule *rules;
    size_t n_rules;
    double default_max_age_days;
} emb_freshness_policy;

/* How old one source of a snapshot is. Strings are borrowed from the index. */
typedef struct emb_source_freshness {
    emb_str dataset;
    emb_str published;
    emb_str sha256;
    const char *basis;   /* "checked": last download or publisher confirmation (store);
                            "published": the list's own publication date; "superseded": a
                            newer version is recorded (store); "unknown": no date at all */
    char as_of[32];      /* the time the age is measured from; "" when unknown */
    double age_days;     /* < 0 when unknown */
    double max_age_days;
    int stale;           /* older than max_age_days, superseded, or of unknown age */
} emb_source_freshness;

/*
 * Age of every source of a snapshot at `now` (Unix seconds), from the publication dates the
 * snapshot records. Fails closed: a source without a date is stale. out has room for cap
 * entries (emb_index_source_count(idx) are needed: EMB_ELIMIT otherwise); *n_out receives
 * the count and *any_stale (may be NULL) 1 when one is stale. policy may be NULL.
 * Thread-safe.
 */
EMB_API emb_status emb_index_freshness(const emb_index *idx, int64_t now,
                                       const emb_freshness_policy *policy,
                                       emb_source_freshness *out, size_t cap, size_t *n_out,
                                       int *any_stale);

#ifdef __cplusplus
}
#endif

#endif /* EMBARGO_H */
