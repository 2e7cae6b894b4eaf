/*
 * embargo store: the deployment's SQLite database (one file, WAL, STRICT tables) holding list
 * versions, monitored portfolios, alerts, decisions and the hash-chained audit trail.
 *
 * A store handle is for one thread at a time; open one per thread or process. Readers are
 * never blocked by a writer (WAL). Every write that changes state appends its audit record in
 * the same transaction, so the two commit or vanish together.
 */
#ifndef EMBARGO_STORE_H
#define EMBARGO_STORE_H

#include <embargo/embargo.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emb_store emb_store;

/* $EMBARGO_HOME/embargo.db, else ~/.local/share/embargo/embargo.db. Never NULL. */
EMB_API const char *emb_store_default_path(void);

/* Open (creating if needed) the database at path and bring its tables up to date. */
EMB_API emb_status emb_store_open(const char *path, emb_store **out, emb_error *err);
EMB_API void emb_store_close(emb_store *st);

/* The directory beside the database where list versions and snapshots are kept. */
EMB_API const char *emb_store_dir(const emb_store *st);

/*
 * Append one record to the audit chain: kind ("screening", "list_version", "decision", ...),
 * actor (who or what did it), payload (a JSON object as text). The row stores the SHA-256 of
 * the previous row, so any later edit, deletion or reordering is detectable. seq receives the
 * record's sequence number (may be NULL).
 */
EMB_API emb_status emb_store_audit_append(emb_store *st, const char *kind, const char *actor,
                                          const char *payload_json, int64_t *seq,
                                          emb_error *err);

/*
 * Append n records of one kind in ONE transaction, chained in order (record i's prev_hash is
 * the hash of record i-1): all of them or none. actors[i] and payloads[i] as for
 * emb_store_audit_append. first_seq receives the first record's sequence number (may be
 * NULL; 0 when n is 0); the others follow it one by one. One commit (one fsync) for all, so
 * a writer that batches its records (`embargo serve --audit`) is not bound by the disk.
 */
EMB_API emb_status emb_store_audit_append_many(emb_store *st, const char *kind, size_t n,
                                               const char *const *actors,
                                               const char *const *payloads, int64_t *first_seq,
                                               emb_error *err);

/* ---------------------------------------------------------------- list versions */

/* One recorded version of a source. Times are ISO 8601 UTC ("2026-08-20T06:00:00.000Z"). */
typedef struct emb_list_version {
    int64_t version;      /* 1, 2, ... per source */
    char source[64];      /* the configured source name ("us_ofac_sdn") */
    char dataset[64];
    char format[32];      /* emb_format_name */
    char url[2048];
    char name[256];       /* file name as published ("SDN_ENHANCED.XML") */
    char path[4096];      /* the zstd-compressed copy in the store */
    char sha256[65];      /* of the file as published */
    char published[32];   /* publication date the list states; "" when it says none */
    char fetched_at[32];  /* when it was downloaded */
    char checked_at[32];  /* last time the publisher confirmed it is still current */
    char etag[256];
    char last_modified[64];
    uint64_t bytes, stored_bytes, entities, names;
} emb_list_version;

/* Return 0 to go on, non-zero to stop (the call then returns EMB_ESTOPPED). */
typedef int (*emb_version_fn)(void *ud, const emb_list_version *v);

/* Every version (of `source`, or of all when NULL), by source then version. */
EMB_API emb_status emb_versions_list(emb_store *st, const char *source, emb_version_fn fn,
                                     void *ud, emb_error *err);

/* Version n of source (n <= 0: the latest). EMB_ENOTFOUND when there is none. */
EMB_API emb_status emb_version_get(emb_store *st, const char *source, int64_t n,
                                   emb_list_version *out, emb_error *err);

/*
 * The version of every source in force at `date` ("YYYY-MM-DD" meaning the end of that day
 * UTC, or a full ISO 8601 UTC time): the latest fetched at or before it. Sources without a
 * version by then are left out.
 */
EMB_API emb_status emb_versions_as_of(emb_store *st, const char *date, emb_version_fn fn,
                                      void *ud, emb_error *err);

/* Decompress a version to out_path (created or truncated; NULL: only check), checking its
 * SHA-256: EMB_ECORRUPT when the stored file does not match the recorded hash. */
EMB_API emb_status emb_version_extract(const emb_list_version *v, const char *out_path,
                                       emb_error *err);

/* What recording a version needs besides the file. Strings may be NULL. */
typedef struct emb_version_meta {
    const char *source;     /* required: [a-z0-9_-]{1,63} */
    const char *dataset;    /* NULL: the format's default */
    const char *url;        /* where it came from ("file://..." for a local file) */
    const char *name;       /* file name as published; NULL: from path */
    const char *fetched_at; /* NULL: now */
    const char *etag;
    const char *last_modified;
    double max_shrink;      /* refuse a list with fewer than (1 - max_shrink) x the previous
                               version's entities; 0: 0.5; >= 1: no check */
} emb_version_meta;

typedef enum emb_record_outcome {
    EMB_RECORD_PUBLISHED = 0, /* a new version was recorded */
    EMB_RECORD_SAME,          /* identical to the latest version: only checked_at moved */
    EMB_RECORD_HELD_BACK      /* implausible (shrank too much): not recorded; err says why */
} emb_record_outcome;

/*
 * Record the list file at `path` as the next version of meta->source: parse it completely
 * (no record skipped), check its entity count against the latest version, keep a compressed
 * copy under <store dir>/versions/ (written aside, fsynced, renamed), then add the version and
 * its audit record ("list_version") in one transaction. Either all of it happens or nothing
 * does. *outcome says which; a held-back list returns EMB_ELIMIT with the counts in err.
 * out (may be NULL) receives the recorded (or identical latest) version.
 */
EMB_API emb_status emb_version_record(emb_store *st, const char *path,
                                      const emb_version_meta *meta, emb_record_outcome *outcome,
                                      emb_list_version *out, emb_error *err);

/* The publisher confirmed (HTTP 304) that the latest version of source is current. */
EMB_API emb_status emb_version_checked(emb_store *st, const char *source, emb_error *err);

/*
 * Build a snapshot at out_path from the latest version of every source (as_of NULL) or from
 * the versions in force at as_of (see emb_versions_as_of). Versions are decompressed to
 * temporary files under the store dir, removed afterwards; the snapshot is written aside and
 * renamed (emb_index_build). EMB_ENOTFOUND when no version is in force.
 */
EMB_API emb_status emb_store_build_snapshot(emb_store *st, const char *as_of,
                                            const char *out_path, emb_build_stats *stats,
                                            emb_error *err);

/* Write <store dir>/current.emb, the snapshot `embargo update` publishes, into buf. */
EMB_API emb_status emb_store_current_path(const emb_store *st, char *buf, size_t cap);


/* ---------------------------------------------------------------- list sources and update */

#define EMB_LISTS_MAX_SOURCES 64

/* One list to download. Limits of 0 take the defaults given in brackets. */
typedef struct emb_list_source {
    char name[64];        /* [a-z0-9_-]: names the versions in the store */
    char url[2048];       /* https://...; file:// and http://127.0.0.1 or localhost for tests */
    char dataset[64];     /* "" : the format's default dataset */
    char note[256];       /* shown by `embargo update --list` (licence, what it is) */
    int enabled;
    double max_age_days;  /* freshness: older is stale [OFAC, UK 3; EU, UN, others 7] */
    double max_shrink;    /* hold back a list with this fraction fewer entities [0.5] */
    uint64_t max_bytes;   /* download size cap [512 MiB] */
    long connect_timeout; /* seconds [30] */
    long timeout;         /* whole transfer, seconds [900] */
    long low_speed_limit; /* bytes/s below which ... [1024] */
    long low_speed_time;  /* ... for this many seconds the transfer is abandoned [60] */
} emb_list_source;

typedef struct emb_lists_config {
    emb_list_source sources[EMB_LISTS_MAX_SOURCES];
    size_t n_sources;
} emb_lists_config;

/* The built-in sources: the official publishers' files (OFAC SDN and consolidated enhanced
 * XML, UK Sanctions List XML, EU Financial Sanctions File, UN consolidated XML) enabled, and
 * OpenSanctions' consolidated export disabled (its data is CC BY-NC 4.0). */
EMB_API void emb_lists_config_defaults(emb_lists_config *cfg);

/*
 * Apply an INI text on top of cfg (docs/LISTS.md): "[defaults]" sets limits for every
 * source, "[source NAME]" changes a built-in source or adds one; keys url, dataset, note,
 * enabled, max_age_days, max_shrink, max_bytes, connect_timeout, timeout, low_speed_limit,
 * low_speed_time. An unknown section or key, or a bad value, is EMB_EPARSE naming the line.
 * `name` is used in errors.
 */
EMB_API emb_status emb_lists_config_parse(emb_lists_config *cfg, const char *text, size_t len,
                                          const char *name, emb_error *err);
/* emb_lists_config_defaults, then the file at path (EMB_EIO when unreadable). */
EMB_API emb_status emb_lists_config_load(emb_lists_config *cfg, const char *path,
                                         emb_error *err);
/* The source called name, or NULL. */
EMB_API emb_list_source *emb_lists_config_find(emb_lists_config *cfg, const char *name);

typedef enum emb_update_outcome {
    EMB_UPDATE_PUBLISHED = 0, /* a new version was recorded */
    EMB_UPDATE_NOT_MODIFIED,  /* the publisher answered 304: the latest version is current */
    EMB_UPDATE_SAME,          /* downloaded, identical to the latest version */
    EMB_UPDATE_HELD_BACK,     /* implausible (shrank too much): kept out; err says why */
    EMB_UPDATE_FAILED         /* download or parse failed: err says why */
} emb_update_outcome;

/* "published", "not_modified", "same", "held_back", "failed". */
EMB_API const char *emb_update_outcome_name(emb_update_outcome o);

typedef struct emb_update_result {
    emb_update_outcome outcome;
    long http_status;         /* 0 for file:// */
    uint64_t downloaded;      /* bytes received */
    uint64_t prev_entities;   /* latest version's entities before the update, 0 if none */
    emb_list_version version; /* PUBLISHED, SAME: the version now in force */
} emb_update_result;

/*
 * Download one source and record it as a new version when it changed (emb_version_record).
 * The request is conditional (If-None-Match / If-Modified-Since from the latest version).
 * Only https is accepted, plus file:// and http to 127.0.0.1 or localhost (tests); redirects
 * only to https. The body goes to a temporary file under the store dir, capped at
 * max_bytes; a failed, truncated, oversized or unparsable download changes nothing.
 * Returns EMB_OK for PUBLISHED, NOT_MODIFIED and SAME; otherwise the error (err names the
 * source and URL) with res->outcome HELD_BACK or FAILED.
 */
EMB_API emb_status emb_update_fetch(emb_store *st, const emb_list_source *src,
                                    emb_update_result *res, emb_error *err);

/*
 * Rebuild <store dir>/current.emb from the latest version of every source unless it already
 * holds exactly those versions (*rebuilt tells; may be NULL). Atomic: readers see the old
 * or the new snapshot, never a part.
 */
EMB_API emb_status emb_store_publish(emb_store *st, int *rebuilt, emb_build_stats *stats,
                                     emb_error *err);

/*
 * Take the store's update lock (<store dir>/update.lock, advisory, released on exit even
 * after kill -9). EMB_ELIMIT when another update holds it. Also removes temporary files
 * that an interrupted update left behind. Release with emb_store_unlock_update.
 */
EMB_API emb_status emb_store_lock_update(emb_store *st, int *lock_fd, emb_error *err);
EMB_API void emb_store_unlock_update(int lock_fd);


/*
 * As emb_index_freshness, measured from the store where it knows a source's file (same
 * SHA-256): from the last time that version was downloaded or confirmed current by its
 * publisher (basis "checked"), and stale at once when a newer version of the source is
 * recorded ("superseded"). Sources the store does not know fall back to their publication
 * date.
 */
EMB_API emb_status emb_store_freshness(emb_store *st, const emb_index *idx, int64_t now,
                                       const emb_freshness_policy *policy,
                                       emb_source_freshness *out, size_t cap, size_t *n_out,
                                       int *any_stale, emb_error *err);

/* ---------------------------------------------------------------- list diff */

typedef enum emb_diff_kind {
    EMB_DIFF_ADDED = 0, /* only in NEW */
    EMB_DIFF_REMOVED,   /* only in OLD */
    EMB_DIFF_CHANGED    /* in both, with different names or attributes */
} emb_diff_kind;

/* One value present on one side only. `field` is a name kind ("name", "alias", "weakAlias",
 * "previousName", "originalScript"), "schema", or a property name ("birthDate", "program",
 * "passportNumber", "nationality"...). */
typedef struct emb_diff_field {
    const char *field;
    emb_str value;
    emb_str qualifier; /* identifier label or issuing country; may be empty */
    int added;         /* 1: only in NEW; 0: only in OLD */
} emb_diff_field;

/* One entity that differs, keyed by the publisher's source_id. The entities are views valid
 * during the callback only (see emb_entity); the one absent from a side is NULL. */
typedef struct emb_diff_change {
    emb_diff_kind kind;
    emb_str source_id;
    const emb_entity *old_entity;
    const emb_entity *new_entity;
    const emb_diff_field *fields; /* EMB_DIFF_CHANGED: what differs; else NULL */
    size_t n_fields;
} emb_diff_change;

/* Return 0 to go on, non-zero to stop (emb_diff_files then returns EMB_ESTOPPED). */
typedef int (*emb_diff_fn)(void *ud, const emb_diff_change *change);

typedef struct emb_diff_stats {
    uint64_t old_entities, new_entities; /* distinct source ids on each side */
    uint64_t added, removed, changed, unchanged;
    emb_source_info old_info, new_info;
} emb_diff_stats;

/*
 * Compare two versions of a list (files of any supported format, parsed completely: a bad
 * record fails the diff). Entities are keyed by source_id (records repeating one are merged);
 * the dataset is not compared, so a file may be diffed against another format of the same
 * list. Changes are delivered in source_id order (numeric ids by value). Memory holds both
 * lists. stats may be NULL. Thread-safe (each call has its own state).
 */
EMB_API emb_status emb_diff_files(const emb_build_source *old_src,
                                  const emb_build_source *new_src, emb_diff_fn on_change,
                                  void *ud, emb_diff_stats *stats, emb_error *err);


/* ---------------------------------------------------------------- digests */

/* SHA-256 for callers that record what they screened (input files, output lines). */
typedef struct emb_digest emb_digest;
EMB_API emb_status emb_digest_new(emb_digest **out);
EMB_API void emb_digest_update(emb_digest *d, const void *data, size_t len);
/* Write 64 lower-case hex digits plus NUL into hex and free d. */
EMB_API void emb_digest_finish(emb_digest *d, char hex[65]);
/* SHA-256 of a file's bytes. */
EMB_API emb_status emb_file_sha256(const char *path, char hex[65], emb_error *err);

/* ---------------------------------------------------------------- audit trail */

/* One audit row as stored; strings borrowed for the duration of the callback. */
typedef struct emb_audit_record {
    int64_t seq;
    const char *at;      /* UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ" */
    const char *kind;
    const char *actor;
    const char *payload; /* JSON object as text, byte for byte as hashed */
    const char *prev_hash;
    const char *hash;
} emb_audit_record;

typedef int (*emb_audit_fn)(void *ud, const emb_audit_record *rec);
/* One broken link of the chain: the row's seq (or the first missing seq) and what is wrong. */
typedef void (*emb_audit_problem_fn)(void *ud, int64_t seq, const char *what);

/*
 * Walk the whole chain in seq order and check every row: its hash against its content, its
 * prev_hash against the row before, and that no seq is missing. Every problem goes to
 * on_problem (may be NULL); the result is EMB_ECORRUPT naming the first one, else EMB_OK.
 * n_records and head_hash (the last row's hash, "" when empty; may be NULL) let a caller
 * keep the head elsewhere, which is what detects removal of the newest rows.
 */
EMB_API emb_status emb_audit_verify(emb_store *st, emb_audit_problem_fn on_problem, void *ud,
                                    uint64_t *n_records, char head_hash[65], emb_error *err);

/*
 * Deliver the rows whose time falls in [from, to] (either may be NULL; a date such as
 * "2026-11-30" as `to` takes the whole day), in seq order. A non-zero return stops the walk
 * (EMB_ESTOPPED).
 */
EMB_API emb_status emb_audit_each(emb_store *st, const char *from, const char *to,
                                  emb_audit_fn fn, void *ud, emb_error *err);

/* Deliver one row by seq; EMB_ENOTFOUND when absent. */
EMB_API emb_status emb_audit_get(emb_store *st, int64_t seq, emb_audit_fn fn, void *ud,
                                 emb_error *err);

/* ---------------------------------------------------------------- monitoring */

/* One monitored customer, in the batch input's terms. Strings borrowed by the call. */
typedef struct emb_customer {
    const char *id;
    const char *name;
    emb_schema schema;
    const char *const *birth_dates;
    size_t n_birth_dates;
    const char *const *countries;
    size_t n_countries;
    const char *const *identifiers;
    size_t n_identifiers;
} emb_customer;

/* A portfolio being loaded: every customer of one `monitor add` commits or none does. */
typedef struct emb_portfolio_load emb_portfolio_load;

typedef struct emb_load_stats {
    uint64_t added;     /* new customer ids */
    uint64_t changed;   /* known ids whose data changed (screened again at the next run) */
    uint64_t unchanged;
    uint64_t total;     /* customers in the portfolio after the load */
    int64_t audit_seq;
} emb_load_stats;

/* Start loading into portfolio `name` (created when new); actor is recorded in the audit. */
EMB_API emb_status emb_monitor_load_begin(emb_store *st, const char *name, const char *actor,
                                          emb_portfolio_load **out, emb_error *err);
/* Add or update one customer (same id: replaced, marked changed when its data differ). */
EMB_API emb_status emb_monitor_load_add(emb_portfolio_load *ld, const emb_customer *c,
                                        emb_error *err);
/* Commit (with its audit record "portfolio_load") and free ld, whatever the outcome. */
EMB_API emb_status emb_monitor_load_commit(emb_portfolio_load *ld, emb_load_stats *stats,
                                           emb_error *err);
/* Roll back and free. */
EMB_API void emb_monitor_load_abort(emb_portfolio_load *ld);

typedef struct emb_monitor_opts {
    const char *portfolio;      /* NULL: "default" */
    const char *index_path;     /* snapshot to screen against (required) */
    const char *actor;          /* recorded in the audit; NULL: "embargo" */
    double threshold;           /* < 0: 0.70 */
    size_t limit;               /* matches per customer; 0: 10 */
    int threads;                /* screening threads for new customers; < 1: 1 */
    double candidate_threshold; /* known customers against a snapshot of the changed entities
                                   alone, to find whom to screen again; < 0: threshold
                                   - 0.20 (0.50) */
    int full;                   /* 1: screen every customer against everything */
} emb_monitor_opts;

/* An alert and its latest decision. Strings borrowed for the duration of the callback. */
typedef struct emb_alert {
    int64_t id;
    int64_t run;
    const char *portfolio;
    const char *customer_id;
    const char *customer_name;
    const char *entity_id;
    const char *caption;
    double score;
    const char *matched_name;
    const char *explanations; /* JSON object as text */
    const char *snapshot_hash;
    const char *first_seen;
    int64_t previous;         /* earlier alert of the same pair that was decided, else 0 */
    const char *previous_decision; /* its decision ("false_positive"), else "" */
    const char *decision;     /* "true_match", "false_positive", or "" (open) */
    const char *decided_by;
    const char *reason;
    const char *decided_at;
} emb_alert;

typedef int (*emb_alert_fn)(void *ud, const emb_alert *alert);

typedef struct emb_monitor_stats {
    int64_t run;
    int64_t audit_seq;
    int full;                   /* every customer was screened against everything */
    uint64_t customers;         /* in the portfolio */
    uint64_t screened;          /* new or changed customers screened against everything */
    uint64_t entities;          /* in the snapshot */
    uint64_t changed_entities;  /* new or changed since the portfolio's last run */
    uint64_t removed_entities;
    uint64_t candidates;        /* known customers screened again against changed entities */
    uint64_t new_alerts;
    uint64_t suppressed;        /* matches hidden by a standing false-positive decision */
    uint64_t known;             /* matches already alerted */
    uint64_t refused;           /* customers whose name cannot be screened (no letters...) */
    char refused_first[EMB_ERROR_MSG_MAX]; /* the first of them and why */
    char snapshot_hash[65];
} emb_monitor_stats;

/*
 * Screen a portfolio: new or changed customers against the whole snapshot, and new or changed
 * entities (by a fingerprint of names, schema and attributes kept per portfolio) against the
 * known customers. Records the run, its new alerts and an audit record "monitor_run" in one
 * transaction, then delivers each new alert to on_alert (may be NULL). A pair already
 * alerted is never alerted again, except after a false-positive decision once the
 * customer's data or the entity's names have changed.
 */
EMB_API emb_status emb_monitor_run(emb_store *st, const emb_monitor_opts *opts,
                                   emb_alert_fn on_alert, void *ud, emb_monitor_stats *stats,
                                   emb_error *err);

/* Alerts of a portfolio (NULL: all portfolios), oldest first; open_only: undecided ones. */
EMB_API emb_status emb_monitor_alerts(emb_store *st, const char *portfolio, int open_only,
                                      emb_alert_fn fn, void *ud, emb_error *err);

/* Customer `id` of a portfolio with its fingerprint; EMB_ENOTFOUND when absent. */
typedef int (*emb_customer_fn)(void *ud, const emb_customer *c, const char *fingerprint);
EMB_API emb_status emb_monitor_customer(emb_store *st, const char *portfolio, const char *id,
                                        emb_customer_fn fn, void *ud, emb_error *err);

/*
 * Record an analyst's decision on an alert: "true_match" or "false_positive", by whom and
 * why, with the customer's and the entity's names fingerprints as the alert saw them, and
 * its audit record "decision", in one transaction. audit_seq may be NULL.
 */
EMB_API emb_status emb_monitor_decide(emb_store *st, int64_t alert, const char *decision,
                                      const char *by, const char *reason, int64_t *audit_seq,
                                      emb_error *err);

#ifdef __cplusplus
}
#endif
#endif
