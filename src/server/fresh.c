/*
 * List freshness in the server: the same rule as `screen --require-fresh` (emb_store_freshness
 * when a store knows the snapshot's files, else emb_index_freshness), judged on every request
 * against the current time, so a list goes stale while the server runs and a reload that brings
 * fresh lists takes effect at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <embargo/store.h>

#include "../cli/cli.h"
#include "server.h"

static cli_fresh opts; /* --require-fresh, --max-age, --db as given */

/* One store handle for every worker, used under the lock (a handle is for one thread at a
 * time); reopened when a reload points at another store. */
static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;
static emb_store *store;
static char store_path[SRV_PATH_MAX];

static void fix_rules(cli_fresh *f)
{
    for (size_t i = 0; i < f->n_rules; i++)
        f->rules[i].dataset = f->names[i];
}

void srv_fresh_configure(const cli_fresh *f)
{
    memcpy(&opts, f, sizeof(opts));
    fix_rules(&opts);
}

int srv_fresh_required(void)
{
    return opts.require;
}

/* The store consulted: --db, else embargo.db beside the snapshot, else the default store,
 * whichever exists (as screen does). */
static void find_store(const char *index_path, char *out, size_t cap)
{
    char beside[SRV_PATH_MAX];
    const char *cands[3] = {opts.db, NULL, NULL};
    out[0] = '\0';
    if (opts.db == NULL) {
        const char *slash = strrchr(index_path, '/');
        int n = slash ? (int)(slash - index_path) : 1;
        int w = snprintf(beside, sizeof(beside), "%.*s/embargo.db", n, slash ? index_path : ".");
        if (w > 0 && (size_t)w < sizeof(beside))
            cands[1] = beside;
        cands[2] = emb_store_default_path();
    }
    for (int i = 0; i < 3; i++) {
        struct stat sb;
        if (cands[i] != NULL && stat(cands[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            int w = snprintf(out, cap, "%s", cands[i]);
            if (w < 0 || (size_t)w >= cap)
                out[0] = '\0';
            return;
        }
    }
}

int srv_fresh_prepare(srv_snap *s)
{
    cli_fresh *p = malloc(sizeof(*p));
    if (p == NULL)
        return -1;
    memcpy(p, &opts, sizeof(*p));
    fix_rules(p);
    find_store(s->path, s->fresh_db, sizeof(s->fresh_db));
    /* the sources config's max ages come after the --max-age ones (first match wins) */
    char buf[SRV_PATH_MAX];
    const char *path = cli_lists_config(s->fresh_db[0] ? s->fresh_db : opts.db, buf, sizeof(buf));
    emb_lists_config *cfg = path != NULL ? malloc(sizeof(*cfg)) : NULL;
    emb_error err;
    if (cfg != NULL && emb_lists_config_load(cfg, path, &err) != EMB_OK) {
        cli_print_error(stderr, path, &err);
    } else if (cfg != NULL) {
        for (size_t i = 0; i < cfg->n_sources && p->n_rules < CLI_FRESH_MAX_RULES; i++) {
            const emb_list_source *src = &cfg->sources[i];
            snprintf(p->names[p->n_rules], sizeof(p->names[0]), "%s",
                     src->dataset[0] ? src->dataset : src->name);
            p->rules[p->n_rules].dataset = p->names[p->n_rules];
            p->rules[p->n_rules].max_age_days = src->max_age_days;
            p->n_rules++;
        }
    }
    free(cfg);
    s->fresh = p;
    return 0;
}

void srv_fresh_shutdown(void)
{
    pthread_mutex_lock(&store_mu);
    emb_store_close(store);
    store = NULL;
    store_path[0] = '\0';
    pthread_mutex_unlock(&store_mu);
}

static emb_status store_freshness(const srv_snap *s, int64_t now, const emb_freshness_policy *pol,
                                  emb_source_freshness *fr, size_t cap, size_t *n, int *stale,
                                  emb_error *err)
{
    pthread_mutex_lock(&store_mu);
    emb_status rc = EMB_OK;
    if (store == NULL || strcmp(store_path, s->fresh_db) != 0) {
        emb_store_close(store);
        store = NULL;
        rc = emb_store_open(s->fresh_db, &store, err);
        if (rc == EMB_OK)
            snprintf(store_path, sizeof(store_path), "%s", s->fresh_db);
        else
            store = NULL;
    }
    if (rc == EMB_OK) {
        rc = emb_store_freshness(store, s->idx, now, pol, fr, cap, n, stale, err);
        if (rc != EMB_OK) { /* start afresh next time rather than reuse a handle in doubt */
            emb_store_close(store);
            store = NULL;
        }
    }
    pthread_mutex_unlock(&store_mu);
    return rc;
}

/* Append to out (NUL-terminated, cap bytes) what fits. */
static void addf(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void addf(char *out, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(out);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, cap - n, fmt, ap);
    va_end(ap);
}

int srv_fresh_eval(const srv_snap *s, srv_fresh *out)
{
    memset(out, 0, sizeof(*out));
    size_t cap = emb_index_source_count(s->idx), n = 0;
    emb_source_freshness *fr = calloc(cap ? cap : 1, sizeof(*fr));
    out->lists = json_array();
    if (fr == NULL || out->lists == NULL) {
        free(fr);
        json_decref(out->lists);
        out->lists = NULL;
        return -1;
    }
    const cli_fresh *p = s->fresh != NULL ? s->fresh : &opts;
    emb_freshness_policy pol = {p->rules, p->n_rules, 0};
    int64_t now = (int64_t)time(NULL);
    emb_error err;
    memset(&err, 0, sizeof(err));
    emb_status rc = s->fresh_db[0]
                        ? store_freshness(s, now, &pol, fr, cap, &n, &out->any_stale, &err)
                        : emb_index_freshness(s->idx, now, &pol, fr, cap, &n, &out->any_stale);
    if (rc != EMB_OK) {
        /* fails closed: an age that cannot be told is a stale one */
        out->any_stale = 1;
        snprintf(out->detail, sizeof(out->detail), "cannot tell the age of the lists: %.1200s%s%s",
                 s->fresh_db[0] ? s->fresh_db : "", s->fresh_db[0] ? ": " : "",
                 err.msg[0] ? err.msg : emb_strerror(rc));
        free(fr);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = cli_source_freshness_json(&fr[i]);
        if (o == NULL || json_array_append_new(out->lists, o) != 0) {
            free(fr);
            srv_fresh_free(out);
            return -1;
        }
        if (!fr[i].stale)
            continue;
        const char *ds = json_string_value(json_object_get(o, "dataset"));
        if (out->detail[0] != '\0')
            addf(out->detail, sizeof(out->detail), "; ");
        if (strcmp(fr[i].basis, "unknown") == 0)
            addf(out->detail, sizeof(out->detail),
                 "%s: age unknown (the list states no publication date and no store records it)",
                 ds);
        else if (strcmp(fr[i].basis, "superseded") == 0)
            addf(out->detail, sizeof(out->detail),
                 "%s: a newer version is recorded (reload a snapshot built from it)", ds);
        else
            addf(out->detail, sizeof(out->detail),
                 "%s: %s %s, %.1f days ago; the maximum is %.1f days", ds, fr[i].basis, fr[i].as_of,
                 fr[i].age_days, fr[i].max_age_days);
    }
    free(fr);
    return 0;
}

void srv_fresh_free(srv_fresh *f)
{
    json_decref(f->lists);
    f->lists = NULL;
}

void srv_fresh_refusal(const srv_fresh *f, char *msg, size_t cap)
{
    snprintf(msg, cap, "Refused: the snapshot uses stale lists (--require-fresh): %s", f->detail);
}

int srv_fresh_dataset_stale(const srv_fresh *f, const char *dataset)
{
    size_t i;
    json_t *o;
    if (f->lists == NULL || json_array_size(f->lists) == 0)
        return f->any_stale; /* unknown ages: every list is in doubt */
    json_array_foreach(f->lists, i, o)
    {
        if (json_is_true(json_object_get(o, "stale")) &&
            strcmp(json_string_value(json_object_get(o, "dataset")), dataset) == 0)
            return 1;
    }
    return 0;
}

char *srv_snap_json_with_lists(const char *raw, const json_t *lists)
{
    char *l = lists != NULL ? json_dumps(lists, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    size_t rl = raw != NULL ? strlen(raw) : 0;
    if (l == NULL || rl < 2 || raw[rl - 1] != '}') {
        free(l);
        return NULL;
    }
    static const char key[] = ",\"lists\":";
    size_t ll = strlen(l);
    char *out = malloc(rl - 1 + sizeof(key) - 1 + ll + 2);
    if (out != NULL) {
        size_t at = rl - 1;
        memcpy(out, raw, at);
        memcpy(out + at, key, sizeof(key) - 1);
        at += sizeof(key) - 1;
        memcpy(out + at, l, ll);
        at += ll;
        out[at++] = '}';
        out[at] = '\0';
    }
    free(l);
    return out;
}
