/*
 * The serving snapshot. Requests take a reference for their whole duration; a reload opens and
 * validates the new file aside, then swaps the pointer under a short lock. The old snapshot is
 * closed by whoever drops its last reference, so requests in flight finish on the data they
 * started with and no request ever sees a half-loaded index.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../cli/cli.h"
#include "server.h"

static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static srv_snap *cur;

/* One reload at a time; the state below is read by /readyz and /catalog. */
static pthread_mutex_t reload_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int reload_running;
static char default_path[1024];
static char last_error[EMB_ERROR_MSG_MAX + EMB_ERROR_SOURCE_MAX + 16];
static char last_ok_at[32];
static char last_attempt_at[32];
static uint64_t n_reload_ok, n_reload_failed;

/* Written under both locks (inside srv_reload), so either lock suffices to read it. */
void srv_snap_set_path(const char *path)
{
    pthread_mutex_lock(&state_mu);
    snprintf(default_path, sizeof(default_path), "%s", path);
    pthread_mutex_unlock(&state_mu);
}

static void now_iso(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, size_t n, int64_t *out)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int64_t srv_parse_time(const char *s, size_t len)
{
    int64_t y, m, d, hh = 0, mm = 0, ss = 0;
    if (len < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    if (len >= 19 && (s[10] == 'T' || s[10] == ' ') &&
        !(digits(s + 11, 2, &hh) && digits(s + 14, 2, &mm) && digits(s + 17, 2, &ss)))
        hh = mm = ss = 0;
    return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static void snap_free(srv_snap *s)
{
    if (s == NULL)
        return;
    emb_index_close(s->idx);
    free(s->entity_dataset);
    free(s->entity_schema);
    free(s->datasets);
    free(s->dataset_entities);
    free(s->dataset_published);
    free(s->info);
    free(s->summary);
    free(s->fresh);
    free(s);
}

int srv_snap_dataset(const srv_snap *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n_datasets; i++) {
        if (strlen(s->datasets[i]) == len && memcmp(s->datasets[i], name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* What every answer carries: the snapshot's identity and, per list, its publication date
 * and size (an EU journal build has dozens of files for one list; /catalog lists them all). */
static int summarise(srv_snap *s, json_t *info)
{
    json_t *o = json_object(), *arr = json_array();
    if (o == NULL || arr == NULL) {
        json_decref(o);
        json_decref(arr);
        return -1;
    }
    json_object_set(o, "hash", json_object_get(info, "hash"));
    json_object_set(o, "built_at", json_object_get(info, "built_at"));
    json_object_set(o, "entities", json_object_get(info, "entities"));
    for (size_t i = 0; i < s->n_datasets; i++) {
        json_t *d = json_object();
        if (d == NULL)
            break;
        json_object_set_new(d, "dataset", json_string(s->datasets[i]));
        json_object_set_new(d, "published",
                            s->dataset_published[i][0] ? json_string(s->dataset_published[i])
                                                       : json_null());
        json_object_set_new(d, "entities", json_integer((json_int_t)s->dataset_entities[i]));
        json_array_append_new(arr, d);
    }
    json_object_set_new(o, "sources", arr);
    s->summary = json_dumps(o, JSON_COMPACT);
    s->info = json_dumps(info, JSON_COMPACT);
    json_decref(o);
    return s->summary != NULL && s->info != NULL ? 0 : -1;
}

/* The per-entity dataset numbers the filters use, built in one pass over the entities. */
static emb_status derive(srv_snap *s, emb_error *err)
{
    size_t n = emb_index_entity_count(s->idx);
    s->n_entities = n;
    s->entity_dataset = calloc(n ? n : 1, sizeof(uint16_t));
    s->entity_schema = calloc(n ? n : 1, 1);
    size_t cap = 16;
    s->datasets = calloc(cap, sizeof(*s->datasets));
    s->dataset_entities = calloc(cap, sizeof(uint64_t));
    s->dataset_published = calloc(cap, sizeof(*s->dataset_published));
    emb_ctx *ctx = NULL;
    if (s->entity_dataset == NULL || s->entity_schema == NULL || s->datasets == NULL ||
        s->dataset_entities == NULL || s->dataset_published == NULL || emb_ctx_new(&ctx) != EMB_OK)
        goto nomem;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        emb_entity e;
        if (emb_index_entity(s->idx, ctx, i, &e) != EMB_OK)
            goto nomem;
        size_t k = last;
        if (k >= s->n_datasets || strlen(s->datasets[k]) != e.dataset.len ||
            memcmp(s->datasets[k], e.dataset.ptr, e.dataset.len) != 0) {
            int found = srv_snap_dataset(s, e.dataset.ptr, e.dataset.len);
            if (found < 0) {
                if (s->n_datasets >= UINT16_MAX || e.dataset.len >= sizeof(s->datasets[0])) {
                    emb_ctx_free(ctx);
                    snprintf(err->msg, sizeof(err->msg),
                             "snapshot has too many datasets or too long a dataset name");
                    err->code = EMB_ELIMIT;
                    return EMB_ELIMIT;
                }
                if (s->n_datasets == cap) {
                    cap *= 2;
                    void *a = realloc(s->datasets, cap * sizeof(*s->datasets));
                    if (a != NULL)
                        s->datasets = a;
                    void *b = realloc(s->dataset_entities, cap * sizeof(uint64_t));
                    if (b != NULL)
                        s->dataset_entities = b;
                    void *c = realloc(s->dataset_published, cap * sizeof(*s->dataset_published));
                    if (c != NULL)
                        s->dataset_published = c;
                    if (a == NULL || b == NULL || c == NULL)
                        goto nomem;
                }
                found = (int)s->n_datasets++;
                memcpy(s->datasets[found], e.dataset.ptr, e.dataset.len);
                s->datasets[found][e.dataset.len] = '\0';
                s->dataset_entities[found] = 0;
                s->dataset_published[found][0] = '\0';
            }
            k = (size_t)found;
            last = k;
        }
        s->entity_dataset[i] = (uint16_t)k;
        s->entity_schema[i] = (uint8_t)e.schema;
        s->dataset_entities[k]++;
    }
    emb_ctx_free(ctx);
    /* a dataset's publication date: the latest its sources state */
    for (size_t i = 0; i < emb_index_source_count(s->idx); i++) {
        emb_source_meta m;
        if (emb_index_source(s->idx, i, &m) != EMB_OK)
            continue;
        int d = srv_snap_dataset(s, m.dataset.ptr, m.dataset.len);
        if (d < 0 || m.published.len == 0 || m.published.len >= sizeof(s->dataset_published[0]))
            continue;
        char *p = s->dataset_published[d];
        if (strlen(p) < m.published.len || memcmp(p, m.published.ptr, m.published.len) < 0) {
            memcpy(p, m.published.ptr, m.published.len);
            p[m.published.len] = '\0';
        }
    }
    emb_str b = emb_index_built_at(s->idx);
    s->built_epoch = srv_parse_time(b.ptr, b.len);
    json_t *info = cli_index_json(s->idx);
    int bad = info == NULL || summarise(s, info) != 0 || srv_fresh_prepare(s) != 0;
    json_decref(info);
    if (bad)
        goto nomem;
    return EMB_OK;
nomem:
    emb_ctx_free(ctx);
    err->code = EMB_ENOMEM;
    snprintf(err->msg, sizeof(err->msg), "out of memory while loading the snapshot");
    return EMB_ENOMEM;
}

srv_snap *srv_snap_acquire(void)
{
    pthread_mutex_lock(&cur_mu);
    srv_snap *s = cur;
    if (s != NULL)
        atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&cur_mu);
    return s;
}

void srv_snap_release(srv_snap *s)
{
    if (s != NULL && atomic_fetch_sub(&s->refs, 1) == 1)
        snap_free(s);
}

emb_status srv_reload(const char *path, emb_error *err)
{
    pthread_mutex_lock(&reload_mu);
    atomic_store(&reload_running, 1);
    char when[32];
    now_iso(when, sizeof(when));
    pthread_mutex_lock(&state_mu);
    memcpy(last_attempt_at, when, sizeof(when));
    pthread_mutex_unlock(&state_mu);
    if (path == NULL || path[0] == '\0')
        path = default_path;
    memset(err, 0, sizeof(*err));
    emb_status rc = EMB_ENOMEM;
    srv_snap *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        goto out;
    }
    snprintf(s->path, sizeof(s->path), "%s", path);
    atomic_init(&s->refs, 1);
    rc = emb_index_open(path, &s->idx, err);
    if (rc == EMB_OK)
        rc = derive(s, err);
    if (rc != EMB_OK) {
        snap_free(s);
        goto out;
    }
    pthread_mutex_lock(&cur_mu);
    srv_snap *old = cur;
    cur = s;
    pthread_mutex_unlock(&cur_mu);
    /* the last request holding the old snapshot closes it */
    srv_snap_release(old);
    if (path != default_path)
        srv_snap_set_path(path);
out:
    pthread_mutex_lock(&state_mu);
    if (rc == EMB_OK) {
        n_reload_ok++;
        memcpy(last_ok_at, when, sizeof(when));
        last_error[0] = '\0';
    } else {
        n_reload_failed++;
        snprintf(last_error, sizeof(last_error), "%.500s: %.255s",
                 err->source[0] ? err->source : path, err->msg[0] ? err->msg : emb_strerror(rc));
    }
    pthread_mutex_unlock(&state_mu);
    srv_metrics_reload(rc == EMB_OK);
    atomic_store(&reload_running, 0);
    pthread_mutex_unlock(&reload_mu);
    return rc;
}

void srv_snap_shutdown(void)
{
    pthread_mutex_lock(&cur_mu);
    srv_snap *old = cur;
    cur = NULL;
    pthread_mutex_unlock(&cur_mu);
    srv_snap_release(old);
}

json_t *srv_reload_json(void)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    pthread_mutex_lock(&state_mu);
    json_object_set_new(o, "in_progress", json_boolean(atomic_load(&reload_running)));
    json_object_set_new(o, "path", json_string(default_path));
    json_object_set_new(o, "last_attempt_at",
                        last_attempt_at[0] ? json_string(last_attempt_at) : json_null());
    json_object_set_new(o, "last_ok_at", last_ok_at[0] ? json_string(last_ok_at) : json_null());
    json_object_set_new(o, "last_error", last_error[0] ? json_string(last_error) : json_null());
    json_object_set_new(o, "succeeded", json_integer((json_int_t)n_reload_ok));
    json_object_set_new(o, "failed", json_integer((json_int_t)n_reload_failed));
    pthread_mutex_unlock(&state_mu);
    return o;
}
