/*
 * Counters for GET /metrics (Prometheus text format 0.0.4). Plain atomics: every worker thread
 * adds to them without a lock; a scrape reads them one by one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

static const char *const route_names[ROUTE_MAX_] = {
    "match",  "search",  "entities", "catalog", "algorithms", "healthz",
    "readyz", "metrics", "updatez",  "page",    "other",
};

/* Latency buckets in seconds: a single query takes about a millisecond. */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* Status classes 2xx..5xx per route. */
static atomic_uint_fast64_t requests[ROUTE_MAX_][4];
static atomic_uint_fast64_t hist[ROUTE_MAX_][N_BUCKETS];
static atomic_uint_fast64_t hist_count[ROUTE_MAX_];
static atomic_uint_fast64_t hist_sum_us[ROUTE_MAX_];
static atomic_uint_fast64_t match_queries, match_alerts, reloads_ok, reloads_failed;

void srv_metrics_request(srv_route route, unsigned status, double seconds)
{
    if ((unsigned)route >= ROUTE_MAX_)
        route = ROUTE_OTHER;
    unsigned cls = status / 100;
    if (cls >= 2 && cls <= 5)
        atomic_fetch_add(&requests[route][cls - 2], 1);
    for (size_t i = 0; i < N_BUCKETS; i++) {
        if (seconds <= buckets[i])
            atomic_fetch_add(&hist[route][i], 1);
    }
    atomic_fetch_add(&hist_count[route], 1);
    atomic_fetch_add(&hist_sum_us[route], (uint_fast64_t)(seconds * 1e6));
}

void srv_metrics_match(uint64_t queries, uint64_t alerts)
{
    atomic_fetch_add(&match_queries, queries);
    atomic_fetch_add(&match_alerts, alerts);
}

void srv_metrics_reload(int ok)
{
    atomic_fetch_add(ok ? &reloads_ok : &reloads_failed, 1);
}

typedef struct out {
    char *p;
    size_t len, cap;
    int failed;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->failed = 1;
        return;
    }
    if ((size_t)n >= o->cap - o->len) {
        /* grow once to fit, and format again */
        size_t cap = o->cap * 2 + (size_t)n;
        char *p = realloc(o->p, cap);
        if (p == NULL) {
            o->failed = 1;
            return;
        }
        o->p = p;
        o->cap = cap;
        va_start(ap, fmt);
        n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= o->cap - o->len) {
            o->failed = 1;
            return;
        }
    }
    o->len += (size_t)n;
}

/* Label values come from dataset names; escape what the text format requires. */
static void put_label(out *o, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            put(o, "\\%c", *s);
        else if (*s == '\n')
            put(o, "\\n");
        else
            put(o, "%c", *s);
    }
}

/* Per list, as the freshness rule judges it now (a list of several files: its oldest). */
static void metrics_freshness(out *o, const srv_snap *s)
{
    srv_fresh fr;
    if (srv_fresh_eval(s, &fr) != 0) {
        o->failed = 1;
        return;
    }
    put(o, "# HELP embargo_list_stale 1 when a list is older than its maximum age, superseded "
           "or of unknown age.\n# TYPE embargo_list_stale gauge\n");
    for (size_t i = 0; i < s->n_datasets; i++) {
        put(o, "embargo_list_stale{dataset=\"");
        put_label(o, s->datasets[i]);
        put(o, "\"} %d\n", srv_fresh_dataset_stale(&fr, s->datasets[i]));
    }
    double *age = calloc(s->n_datasets ? s->n_datasets * 2 : 1, sizeof(double));
    if (age == NULL) {
        srv_fresh_free(&fr);
        o->failed = 1;
        return;
    }
    double *max_age = age + s->n_datasets;
    for (size_t i = 0; i < s->n_datasets; i++) {
        age[i] = max_age[i] = -1;
        size_t k;
        json_t *e;
        json_array_foreach(fr.lists, k, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "dataset")), s->datasets[i]) != 0)
                continue;
            json_t *a = json_object_get(e, "age_days");
            double m = json_number_value(json_object_get(e, "max_age_days"));
            if (json_is_number(a) && json_number_value(a) > age[i])
                age[i] = json_number_value(a);
            if (max_age[i] < 0 || m < max_age[i])
                max_age[i] = m;
        }
    }
    put(o, "# HELP embargo_list_freshness_age_seconds Age of each list as the freshness rule "
           "measures it (last download or confirmation, else publication date).\n"
           "# TYPE embargo_list_freshness_age_seconds gauge\n");
    for (size_t i = 0; i < s->n_datasets; i++) {
        if (age[i] < 0)
            continue;
        put(o, "embargo_list_freshness_age_seconds{dataset=\"");
        put_label(o, s->datasets[i]);
        put(o, "\"} %.0f\n", age[i] * 86400.0);
    }
    put(o, "# HELP embargo_list_max_age_seconds Age beyond which a list is stale.\n"
           "# TYPE embargo_list_max_age_seconds gauge\n");
    for (size_t i = 0; i < s->n_datasets; i++) {
        if (max_age[i] <= 0)
            continue;
        put(o, "embargo_list_max_age_seconds{dataset=\"");
        put_label(o, s->datasets[i]);
        put(o, "\"} %.0f\n", max_age[i] * 86400.0);
    }
    free(age);
    srv_fresh_free(&fr);
}

char *srv_metrics_text(size_t *len)
{
    out o = {malloc(4096), 0, 4096, 0};
    if (o.p == NULL)
        return NULL;
    static const char *const cls[] = {"2xx", "3xx", "4xx", "5xx"};
    put(&o, "# HELP embargo_http_requests_total HTTP requests answered, by route and status "
            "class.\n# TYPE embargo_http_requests_total counter\n");
    for (int r = 0; r < ROUTE_MAX_; r++) {
        for (int c = 0; c < 4; c++)
            put(&o, "embargo_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                route_names[r], cls[c], (unsigned long long)atomic_load(&requests[r][c]));
    }
    put(&o, "# HELP embargo_http_request_duration_seconds Time from request to response.\n"
            "# TYPE embargo_http_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_MAX_; r++) {
        for (size_t b = 0; b < N_BUCKETS; b++)
            put(&o, "embargo_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                route_names[r], buckets[b], (unsigned long long)atomic_load(&hist[r][b]));
        unsigned long long n = (unsigned long long)atomic_load(&hist_count[r]);
        put(&o, "embargo_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
            route_names[r], n);
        put(&o, "embargo_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
            (double)atomic_load(&hist_sum_us[r]) / 1e6);
        put(&o, "embargo_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_names[r],
            n);
    }
    put(&o,
        "# HELP embargo_match_queries_total Queries screened by /match.\n"
        "# TYPE embargo_match_queries_total counter\n"
        "embargo_match_queries_total %llu\n",
        (unsigned long long)atomic_load(&match_queries));
    put(&o,
        "# HELP embargo_match_alerts_total Results at or above the threshold (match: true).\n"
        "# TYPE embargo_match_alerts_total counter\n"
        "embargo_match_alerts_total %llu\n",
        (unsigned long long)atomic_load(&match_alerts));
    put(&o,
        "# HELP embargo_reloads_total Snapshot reloads, by result.\n"
        "# TYPE embargo_reloads_total counter\n"
        "embargo_reloads_total{result=\"ok\"} %llu\n"
        "embargo_reloads_total{result=\"failed\"} %llu\n",
        (unsigned long long)atomic_load(&reloads_ok),
        (unsigned long long)atomic_load(&reloads_failed));

    srv_snap *s = srv_snap_acquire();
    put(&o,
        "# HELP embargo_snapshot_loaded 1 when a snapshot is serving.\n"
        "# TYPE embargo_snapshot_loaded gauge\nembargo_snapshot_loaded %d\n",
        s != NULL);
    if (s != NULL) {
        time_t now = time(NULL);
        emb_str h = emb_index_hash(s->idx);
        put(&o,
            "# HELP embargo_snapshot_info The serving snapshot.\n"
            "# TYPE embargo_snapshot_info gauge\nembargo_snapshot_info{hash=\"%.*s\"} 1\n",
            (int)h.len, h.ptr);
        put(&o,
            "# HELP embargo_snapshot_entities Entities in the serving snapshot.\n"
            "# TYPE embargo_snapshot_entities gauge\nembargo_snapshot_entities %zu\n",
            s->n_entities);
        if (s->built_epoch > 0)
            put(&o,
                "# HELP embargo_snapshot_age_seconds Time since the snapshot was built.\n"
                "# TYPE embargo_snapshot_age_seconds gauge\n"
                "embargo_snapshot_age_seconds %lld\n",
                (long long)(now - s->built_epoch));
        put(&o, "# HELP embargo_list_age_seconds Time since each list was published (lists "
                "that state a date).\n# TYPE embargo_list_age_seconds gauge\n");
        for (size_t i = 0; i < s->n_datasets; i++) {
            int64_t pub = srv_parse_time(s->dataset_published[i], strlen(s->dataset_published[i]));
            if (pub <= 0)
                continue;
            put(&o, "embargo_list_age_seconds{dataset=\"");
            put_label(&o, s->datasets[i]);
            put(&o, "\"} %lld\n", (long long)(now - pub));
        }
        metrics_freshness(&o, s);
        put(&o, "# HELP embargo_list_entities Entities of each list in the serving snapshot.\n"
                "# TYPE embargo_list_entities gauge\n");
        for (size_t i = 0; i < s->n_datasets; i++) {
            put(&o, "embargo_list_entities{dataset=\"");
            put_label(&o, s->datasets[i]);
            put(&o, "\"} %llu\n", (unsigned long long)s->dataset_entities[i]);
        }
    }
    srv_snap_release(s);
    if (o.failed) {
        free(o.p);
        return NULL;
    }
    *len = o.len;
    return o.p;
}
