/*
 * `embargo serve`: a yente-compatible HTTP API over one snapshot, on libmicrohttpd.
 *
 * The pieces: snap.c holds the serving snapshot behind a reference count so a reload can swap
 * it while requests finish on the old one; request.c turns a yente match body into queries
 * (pure, fuzzed); routes.c answers each route with JSON; metrics.c counts for /metrics;
 * page.c is the analyst's web page; serve.c parses options and runs the daemon; fresh.c judges
 * the lists' age on every request (--require-fresh); record.c appends each /match to the audit
 * trail (--audit) and replays such records.
 */
#ifndef EMB_SERVER_H
#define EMB_SERVER_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <embargo/embargo.h>

/* ---------------------------------------------------------------- limits */

#define SRV_MAX_BATCH       100        /* queries in one /match body (yente's MAX_BATCH) */
#define SRV_MAX_LIMIT       500        /* results per query (yente's MAX_MATCHES / MAX_PAGE) */
#define SRV_MAX_OFFSET      9500       /* /search offset (yente's MAX_OFFSET) */
#define SRV_MAX_NAME_BYTES  1024       /* one name in a query; real names stay under 300 bytes */
#define SRV_MAX_VALUES      64         /* values of one property in a query */
#define SRV_MAX_EXCLUDE_IDS 100000     /* exclude_entity_ids: decided false positives */
#define SRV_DEFAULT_BODY    (1u << 20) /* request body bytes unless --max-body */
#define SRV_PATH_MAX        4200       /* a store or snapshot path */

/* ---------------------------------------------------------------- snapshots (snap.c) */

/* A loaded snapshot and what the server derived from it once, at load. */
typedef struct srv_snap {
    emb_index *idx;
    atomic_int refs;
    char path[1024];
    size_t n_entities;
    uint16_t *entity_dataset; /* per entity: its dataset's number in datasets[] */
    uint8_t *entity_schema;   /* per entity: its emb_schema */
    size_t n_datasets;
    char (*datasets)[64]; /* distinct dataset names, in source order */
    uint64_t *dataset_entities;
    char (*dataset_published)[32];
    int64_t built_epoch; /* built_at as seconds since 1970, 0 when unreadable */
    /* JSON text, made once at load and spliced into answers: jansson values are not shared
       between threads (their reference counts would be) */
    char *info;                  /* {"hash","built_at","entities","sources":[...]}: every file */
    char *summary;               /* the same with one source per dataset, for every answer */
    char fresh_db[SRV_PATH_MAX]; /* the store that knows the lists' fetch times; "" when none */
    struct cli_fresh *fresh;     /* max ages: --max-age, then the sources config's */
} srv_snap;

/* Take a reference to the serving snapshot (NULL when none is loaded). Thread-safe. */
srv_snap *srv_snap_acquire(void);
void srv_snap_release(srv_snap *s);
/* Dataset number of `name` in s, or -1. */
int srv_snap_dataset(const srv_snap *s, const char *name, size_t len);

/*
 * Open the snapshot at path (NULL: the path last loaded) aside, validate it and swap it in.
 * A failure leaves the serving snapshot as it was and writes why into err. Serialised: one
 * reload at a time. Thread-safe.
 */
emb_status srv_reload(const char *path, emb_error *err);
/* Set the path used when none is given; before the first reload. */
void srv_snap_set_path(const char *path);
/* "2026-03-16" or "2026-03-16T10:00:00Z" to seconds since 1970 (UTC); 0 when unreadable. */
int64_t srv_parse_time(const char *s, size_t len);
/* Close the serving snapshot at shutdown (after the daemon stopped). */
void srv_snap_shutdown(void);

/* Reload state for /readyz and /catalog: {"in_progress","last_ok","last_error","reloads",...} */
json_t *srv_reload_json(void);

/* ---------------------------------------------------------------- freshness (fresh.c) */

struct cli_fresh;
/* Take the serve options --require-fresh, --max-age, --db (copied). Before the first load. */
void srv_fresh_configure(const struct cli_fresh *f);
int srv_fresh_required(void);
/* At load: find the store and the max ages for s. -1 when out of memory. */
int srv_fresh_prepare(srv_snap *s);
void srv_fresh_shutdown(void);

/* The age of every list of a snapshot now. */
typedef struct srv_fresh {
    json_t *lists; /* one object per source: dataset, published, sha256, basis, as_of,
                      age_days, max_age_days, stale */
    int any_stale;
    char detail[2048]; /* the stale lists and why, "" when none */
} srv_fresh;

/* 0, or -1 when out of memory. A failure to read the ages counts as stale (fails closed).
 * Free with srv_fresh_free. Thread-safe. */
int srv_fresh_eval(const srv_snap *s, srv_fresh *out);
void srv_fresh_free(srv_fresh *f);
/* The 503 detail of a refused request. */
void srv_fresh_refusal(const srv_fresh *f, char *msg, size_t cap);
/* 1 when a source of `dataset` is stale. */
int srv_fresh_dataset_stale(const srv_fresh *f, const char *dataset);
/* raw (a JSON object's text) with a "lists" member added; NULL when out of memory. */
char *srv_snap_json_with_lists(const char *raw, const json_t *lists);

/* ---------------------------------------------------------------- audit (record.c) */

/* --audit, --audit-queries and the store (NULL: the default store). */
void srv_audit_configure(int on, int keep_queries, const char *db);
int srv_audit_enabled(void);
/* Whether the audit store can be written; 0 with a message when not. Thread-safe. */
int srv_audit_ready(char *msg, size_t cap);
void srv_audit_shutdown(void);

struct srv_call;
struct srv_request;
/* What one /match screened and found. */
typedef struct srv_audit_match {
    const srv_snap *s;
    const struct srv_call *call;
    const char *dataset;
    const struct srv_request *req;
    const json_t *responses; /* {key: {"results": [...]}} as answered */
    long limit;
    double threshold, cutoff;
    const char *algorithm;
    const json_t *lists; /* the lists' freshness, may be NULL */
} srv_audit_match;

/* Append the "screening" record of one /match. 0, or -1 with why in msg (logged). */
int srv_audit_append_match(const srv_audit_match *m, char *msg, size_t cap);

/* `embargo audit replay` of a server record: prints the outcome, returns an exit code. */
int srv_audit_replay(const json_t *payload, const char *index_override);

/* ---------------------------------------------------------------- match requests (request.c) */

/* One query of a /match body, resolved into what emb_screen takes. */
typedef struct srv_query {
    const char *key; /* the caller's key in "queries" (borrowed from the body) */
    emb_schema schema;
    const char **names; /* borrowed from the body, or owned in owned_names */
    size_t n_names;
    const char **dates;
    size_t n_dates;
    const char **countries; /* ISO codes (static strings) or the raw text when unknown */
    size_t n_countries;
    const char **identifiers;
    size_t n_identifiers;
    char *composed_name; /* firstName + lastName when no name was given; owned */
    json_t *echo;        /* the query normalised, as yente echoes it */
} srv_query;

typedef struct srv_request {
    json_t *body;
    srv_query *queries;
    size_t n_queries;
} srv_request;

/*
 * Parse and validate a /match body. On failure returns the HTTP status (400/422) and writes
 * a message into detail; on success 0 and *req holds the queries (free with
 * srv_request_free, also after a failure).
 */
int srv_request_parse(const char *body, size_t len, srv_request *req, char *detail,
                      size_t detail_cap);
void srv_request_free(srv_request *req);

/* ---------------------------------------------------------------- metrics (metrics.c) */

typedef enum srv_route {
    ROUTE_MATCH = 0,
    ROUTE_SEARCH,
    ROUTE_ENTITY,
    ROUTE_CATALOG,
    ROUTE_ALGORITHMS,
    ROUTE_HEALTHZ,
    ROUTE_READYZ,
    ROUTE_METRICS,
    ROUTE_UPDATEZ,
    ROUTE_PAGE,
    ROUTE_OTHER,
    ROUTE_MAX_
} srv_route;

void srv_metrics_request(srv_route route, unsigned status, double seconds);
void srv_metrics_match(uint64_t queries, uint64_t alerts);
void srv_metrics_reload(int ok);
/* The Prometheus text exposition; caller frees. */
char *srv_metrics_text(size_t *len);

/* ---------------------------------------------------------------- routes (routes.c) */

/* What a handler answers: status, content type, body (malloc'd, owned by the response). */
typedef struct srv_reply {
    unsigned status;
    const char *content_type;
    char *body;
    size_t len;
    int is_static; /* body points at a constant: do not free */
} srv_reply;

/* Everything a route needs from the HTTP layer. */
typedef struct srv_call {
    const char *method;
    const char *path;
    const char *body;
    size_t body_len;
    /* query string arguments, in order, repeated keys kept */
    const char **arg_keys;
    const char **arg_values;
    size_t n_args;
    int authorised; /* an API key was given and is valid, or none are configured */
    int keys_configured;
    int log_queries; /* collect the screened names into logged (personal data) */
    int key_no;      /* which API key (1-based line order) authorised it; 0: none */
    srv_route route; /* set by the router for metrics and the access log */
    uint64_t n_queries, n_alerts;
    json_t *logged; /* names screened, when log_queries */
} srv_call;

void srv_handle(srv_call *call, srv_reply *reply);
/* {"detail": msg} with status; never fails (falls back to a constant body). */
void srv_reply_error(srv_reply *reply, unsigned status, const char *msg);

/* Per-thread screening context, created on first use and freed when the thread ends. */
emb_ctx *srv_thread_ctx(void);
int srv_thread_ctx_init(void);
/* Free the calling thread's context now (the main thread's is not freed at exit). */
void srv_thread_ctx_release(void);

/* ---------------------------------------------------------------- the page (page.c) */

extern const char srv_page_html[];
extern const char srv_page_js[];
extern const char srv_page_css[];
extern const char srv_page_csp[];

#endif
