/*
 * `monitor run`: screen what can have changed since a portfolio's last run.
 *
 *  - New or changed customers (pending: screened_fp differs from fp) go against the whole
 *    snapshot, in parallel.
 *  - New or changed entities (their fingerprint differs from the one kept for the portfolio)
 *    go against the known customers: the changed entities alone are built into a small
 *    snapshot, every known customer's name is screened against it at a lower threshold
 *    (a fraction of a full screening), and only the customers that meet one are screened
 *    again, against the full snapshot restricted to the changed entities, so that scores
 *    are exactly those of a full screening. Screening runs from the customer's side, as a
 *    full screening does: looking customers up by the entities' names instead would miss
 *    the many matches whose scores are not symmetric.
 *
 * Everything is computed first, then written in one transaction with the run's audit record,
 * so a kill at any moment leaves the previous state or the new one.
 */
/* realpath */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "monitor.h"

#define CHUNK       4096
#define MAX_THREADS 64
#define PROBE_CANDIDATES 64 /* names scored per customer against the changed entities */

/* ---------------------------------------------------------------- fingerprints */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void hash_field(emb__sha256 *h, const char *s, size_t n)
{
    char len[24];
    int k = snprintf(len, sizeof(len), "%zu:", n);
    emb__sha256_update(h, len, (size_t)k);
    emb__sha256_update(h, s, n);
}

typedef struct fp_scratch {
    emb__arena arena;
    const char **items;
    size_t cap;
} fp_scratch;

/* Hash of sorted strings, so a publisher reordering names does not count as a change. */
static emb_status hash_sorted(fp_scratch *fs, size_t n, emb__sha256 *h)
{
    qsort(fs->items, n, sizeof(*fs->items), cmp_str);
    for (size_t i = 0; i < n; i++)
        hash_field(h, fs->items[i], strlen(fs->items[i]));
    return EMB_OK;
}

static char *joined(fp_scratch *fs, const char *a, emb_str b, emb_str c)
{
    size_t la = strlen(a);
    char *p = emb__arena_alloc(&fs->arena, la + b.len + c.len + 3);
    if (p == NULL)
        return NULL;
    memcpy(p, a, la);
    p[la] = '\x1f';
    if (b.len)
        memcpy(p + la + 1, b.ptr, b.len);
    p[la + 1 + b.len] = '\x1f';
    if (c.len)
        memcpy(p + la + 2 + b.len, c.ptr, c.len);
    p[la + 2 + b.len + c.len] = '\0';
    return p;
}

/* fp: schema, names with kinds, attributes; names_fp: the name values alone. */
static emb_status entity_fps(fp_scratch *fs, const emb_entity *e, char fp[EMB__FP_LEN + 1],
                             char names_fp[EMB__FP_LEN + 1])
{
    size_t need = e->n_names + e->n_values;
    if (emb__grow((void **)&fs->items, &fs->cap, sizeof(*fs->items), need + 1, SIZE_MAX) != EMB_OK)
        return EMB_ENOMEM;
    emb__arena_reset(&fs->arena);
    emb__sha256 h, hn;
    emb__sha256_init(&h);
    emb__sha256_init(&hn);
    const char *schema = emb_schema_name(e->schema);
    hash_field(&h, schema, strlen(schema));
    for (size_t i = 0; i < e->n_names; i++) {
        fs->items[i] = emb__arena_strndup(&fs->arena, e->names[i].value.ptr, e->names[i].value.len);
        if (fs->items[i] == NULL)
            return EMB_ENOMEM;
    }
    hash_sorted(fs, e->n_names, &hn);
    for (size_t i = 0; i < e->n_names; i++) {
        fs->items[i] =
            joined(fs, emb_name_kind_name(e->names[i].kind), e->names[i].value, emb__str("", 0));
        if (fs->items[i] == NULL)
            return EMB_ENOMEM;
    }
    hash_sorted(fs, e->n_names, &h);
    emb__sha256_update(&h, "|", 1);
    for (size_t i = 0; i < e->n_values; i++) {
        const emb_value *v = &e->values[i];
        fs->items[i] = joined(fs, emb_prop_name(v->prop), v->qualifier, v->value);
        if (fs->items[i] == NULL)
            return EMB_ENOMEM;
    }
    hash_sorted(fs, e->n_values, &h);
    char hex[65];
    emb__sha256_hex(&h, hex);
    memcpy(fp, hex, EMB__FP_LEN);
    fp[EMB__FP_LEN] = '\0';
    emb__sha256_hex(&hn, hex);
    memcpy(names_fp, hex, EMB__FP_LEN);
    names_fp[EMB__FP_LEN] = '\0';
    return EMB_OK;
}

/* ---------------------------------------------------------------- state of one run */

typedef struct ent_fp {
    char fp[EMB__FP_LEN + 1];
    char names_fp[EMB__FP_LEN + 1];
} ent_fp;

typedef struct stored_fp {
    char fp[EMB__FP_LEN + 1];
    int seen;
} stored_fp;

typedef struct match {
    const char *cust_id;
    const char *cust_fp;
    size_t entity;
    double score;
    const char *matched_name;
    const char *explanations;
} match;

typedef struct cust {
    const char *id, *name, *schema, *fp;
    char *lists[3]; /* birth dates, countries, identifiers: stored form, split when screened */
} cust;

typedef struct worker {
    struct run *r;
    emb_ctx *ctx;
    emb__arena arena; /* the matches' strings */
    match *matches;
    size_t n_matches, cap_matches;
    size_t first, step;
    const cust *custs;
    size_t n_custs;
    const unsigned char *only; /* screen against these entities alone (NULL: all) */
    emb_status status;
    emb_error err;
    /* probing: screen names against a small snapshot of the changed entities and keep the
       customers that meet one as candidates (copied into the arena) */
    const emb_index *probe;
    emb_ctx *pctx;
    emb_screen_opts probe_opts;
    cust *cands;
    size_t n_cands, cap_cands;
    uint64_t refused; /* customers emb_screen refuses (a name with no letters or digits) */
    char refused_first[EMB_ERROR_MSG_MAX];
    pthread_t thread;
} worker;

typedef struct run {
    emb_store *st;
    const emb_index *idx;
    emb_screen_opts opts;
    double threshold;
    int n_threads;
    worker *workers;
} run;

/* ---------------------------------------------------------------- screening one customer */

static json_t *expl_json(const emb_explanation *ex, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < n; i++) {
        if (json_object_get(o, ex[i].feature) != NULL)
            continue;
        json_t *f =
            json_pack("{s:f, s:s, s:s%, s:s%}", "score", floor(ex[i].score * 1000.0 + 0.5) / 1000.0,
                      "detail", ex[i].detail != NULL ? ex[i].detail : "", "query",
                      ex[i].query.ptr != NULL ? ex[i].query.ptr : "", ex[i].query.len, "candidate",
                      ex[i].candidate.ptr != NULL ? ex[i].candidate.ptr : "", ex[i].candidate.len);
        if (f == NULL || json_object_set_new(o, ex[i].feature, f) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int only_filter(void *ud, const emb_index *idx, size_t entity)
{
    (void)idx;
    const unsigned char *only = ud;
    return only[entity] != 0;
}

static emb_status copy_cust(emb__arena *a, const cust *from, cust *to)
{
    const char *const *f[4] = {&from->id, &from->name, &from->schema, &from->fp};
    const char **t[4] = {&to->id, &to->name, &to->schema, &to->fp};
    for (int k = 0; k < 4; k++) {
        *t[k] = emb__arena_strndup(a, *f[k], strlen(*f[k]));
        if (*t[k] == NULL)
            return EMB_ENOMEM;
    }
    for (int k = 0; k < 3; k++) {
        to->lists[k] = emb__arena_strndup(a, from->lists[k], strlen(from->lists[k]));
        if (to->lists[k] == NULL)
            return EMB_ENOMEM;
    }
    return EMB_OK;
}

/* Name and schema only, as the small snapshot holds names only: a candidate or not. */
static emb_status probe_cust(worker *w, const cust *c)
{
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = c->name;
    q.schema = emb_schema_from_name(c->schema, strlen(c->schema));
    const emb_match *res = NULL;
    size_t n_res = 0;
    emb_error err;
    emb_status s = emb_screen(w->probe, w->pctx, &q, &w->probe_opts, &res, &n_res, &err);
    if (s == EMB_EINVAL || s == EMB_EUTF8 || s == EMB_ELIMIT || n_res == 0)
        return EMB_OK; /* refused customers were counted when screened against everything */
    if (s != EMB_OK)
        return emb__err(&w->err, s, "customer '%.80s': %s", c->id, err.msg);
    if (emb__grow((void **)&w->cands, &w->cap_cands, sizeof(cust), w->n_cands + 1, SIZE_MAX) !=
            EMB_OK ||
        copy_cust(&w->arena, c, &w->cands[w->n_cands]) != EMB_OK)
        return emb__err(&w->err, EMB_ENOMEM, "out of memory");
    w->n_cands++;
    return EMB_OK;
}

static emb_status screen_cust(worker *w, const cust *c)
{
    if (w->probe != NULL)
        return probe_cust(w, c);
    const char **vals[3] = {NULL, NULL, NULL};
    size_t n[3] = {0, 0, 0};
    emb_status s = EMB_OK;
    for (int k = 0; k < 3 && s == EMB_OK; k++) {
        size_t cap = emb__mon_count(c->lists[k]);
        if (cap == 0)
            continue;
        vals[k] = emb__arena_alloc(&w->arena, cap * sizeof(*vals[k]));
        if (vals[k] == NULL)
            s = emb__err(&w->err, EMB_ENOMEM, "out of memory");
        else
            n[k] = emb__mon_split(c->lists[k], vals[k], cap);
    }
    if (s != EMB_OK)
        return s;
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = c->name;
    q.schema = emb_schema_from_name(c->schema, strlen(c->schema));
    q.birth_dates = vals[0];
    q.n_birth_dates = n[0];
    q.countries = vals[1];
    q.n_countries = n[1];
    q.identifiers = vals[2];
    q.n_identifiers = n[2];
    emb_screen_opts opts = w->r->opts;
    if (w->only != NULL) {
        opts.filter = only_filter;
        opts.filter_ud = (void *)(uintptr_t)w->only;
    }
    const emb_match *res = NULL;
    size_t n_res = 0;
    s = emb_screen(w->r->idx, w->ctx, &q, &opts, &res, &n_res, &w->err);
    if (s == EMB_EINVAL || s == EMB_EUTF8 || s == EMB_ELIMIT) {
        /* the customer's own data: counted and named, never a reason to stop monitoring */
        if (w->refused++ == 0)
            snprintf(w->refused_first, sizeof(w->refused_first), "customer '%.60s': %.160s", c->id,
                     w->err.msg);
        return EMB_OK;
    }
    if (s != EMB_OK) {
        char msg[EMB_ERROR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", w->err.msg);
        emb__err(&w->err, s, "customer '%.80s': %s", c->id, msg);
        emb__err_record(&w->err, c->id, strlen(c->id));
        return s;
    }
    for (size_t i = 0; i < n_res; i++) {
        if (res[i].score < w->r->threshold)
            continue;
        if (emb__grow((void **)&w->matches, &w->cap_matches, sizeof(match), w->n_matches + 1,
                      SIZE_MAX) != EMB_OK)
            return emb__err(&w->err, EMB_ENOMEM, "out of memory");
        match *m = &w->matches[w->n_matches];
        json_t *ej = expl_json(res[i].explanations, res[i].n_explanations);
        char *et = ej != NULL
                       ? json_dumps(ej, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
                       : NULL;
        json_decref(ej);
        m->cust_id = emb__arena_strndup(&w->arena, c->id, strlen(c->id));
        m->cust_fp = emb__arena_strndup(&w->arena, c->fp, strlen(c->fp));
        m->matched_name =
            emb__arena_strndup(&w->arena, res[i].matched_name.ptr, res[i].matched_name.len);
        m->explanations = et != NULL ? emb__arena_strndup(&w->arena, et, strlen(et)) : NULL;
        free(et);
        if (m->cust_id == NULL || m->cust_fp == NULL || m->matched_name == NULL ||
            m->explanations == NULL)
            return emb__err(&w->err, EMB_ENOMEM, "out of memory");
        m->entity = res[i].entity;
        m->score = floor(res[i].score * 1000.0 + 0.5) / 1000.0;
        w->n_matches++;
    }
    return EMB_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    for (size_t i = w->first; i < w->n_custs && w->status == EMB_OK; i += w->step)
        w->status = screen_cust(w, &w->custs[i]);
    return NULL;
}

/* Screen custs with every worker; the first failure wins. */
static emb_status screen_all(run *r, const cust *custs, size_t n, const unsigned char *only,
                             emb_error *err)
{
    int t_used = n < (size_t)r->n_threads ? (int)(n ? n : 1) : r->n_threads;
    int started = 0;
    for (int t = 0; t < t_used; t++) {
        worker *w = &r->workers[t];
        w->first = (size_t)t;
        w->step = (size_t)t_used;
        w->custs = custs;
        w->n_custs = n;
        w->only = only;
        if (t_used == 1) {
            worker_main(w);
            continue;
        }
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            w->status = emb__err(&w->err, EMB_ENOMEM, "cannot start a screening thread");
            break;
        }
        started++;
    }
    for (int t = 0; t < started; t++)
        pthread_join(r->workers[t].thread, NULL);
    for (int t = 0; t < t_used; t++) {
        if (r->workers[t].status != EMB_OK) {
            if (err != NULL)
                *err = r->workers[t].err;
            return r->workers[t].status;
        }
    }
    return EMB_OK;
}

/* ---------------------------------------------------------------- reading customers */

#define CUST_COLS "cust_id, name, schema, birth_dates, countries, identifiers, fp"

static emb_status read_cust(emb__arena *a, sqlite3_stmt *q, cust *c)
{
    const char **f[4] = {&c->id, &c->name, &c->schema, &c->fp};
    int col[4] = {0, 1, 2, 6};
    for (int k = 0; k < 4; k++) {
        *f[k] = emb__arena_strndup(a, (const char *)sqlite3_column_text(q, col[k]),
                                   (size_t)sqlite3_column_bytes(q, col[k]));
        if (*f[k] == NULL)
            return EMB_ENOMEM;
    }
    for (int k = 0; k < 3; k++) {
        c->lists[k] = emb__arena_strndup(a, (const char *)sqlite3_column_text(q, 3 + k),
                                         (size_t)sqlite3_column_bytes(q, 3 + k));
        if (c->lists[k] == NULL)
            return EMB_ENOMEM;
    }
    return EMB_OK;
}

/* ---------------------------------------------------------------- the run */

typedef struct ctx_all {
    run r;
    emb_index *idx;
    emb_ctx *ctx;
    size_t n_entities;
    ent_fp *fps;
    unsigned char *changed;
    emb__map stored; /* entity id -> 1 + index into stored_fps */
    stored_fp *stored_fps;
    size_t n_stored, cap_stored;
    char **stored_ids; /* parallel to stored_fps */
    emb__map screened; /* customer ids screened against everything in this run */
    emb__arena arena;
    fp_scratch fs;
} ctx_all;

static void ctx_all_free(ctx_all *c)
{
    for (int t = 0; c->r.workers != NULL && t < c->r.n_threads; t++) {
        emb_ctx_free(c->r.workers[t].ctx);
        emb_ctx_free(c->r.workers[t].pctx);
        emb__free(c->r.workers[t].cands);
        emb__arena_free(&c->r.workers[t].arena);
        emb__free(c->r.workers[t].matches);
    }
    emb__free(c->r.workers);
    emb_ctx_free(c->ctx);
    emb_index_close(c->idx);
    emb__free(c->fps);
    emb__free(c->changed);
    emb__free(c->stored_fps);
    emb__free(c->stored_ids);
    emb__map_free(&c->stored);
    emb__map_free(&c->screened);
    emb__arena_free(&c->arena);
    emb__arena_free(&c->fs.arena);
    emb__free(c->fs.items);
}

static emb_status load_stored_fps(ctx_all *c, int64_t portfolio, emb_error *err)
{
    emb_store *st = c->r.st;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT entity_id, fp FROM monitor_entity WHERE portfolio = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read entity fingerprints");
    sqlite3_bind_int64(q, 1, portfolio);
    int rc;
    emb_status s = EMB_OK;
    while (s == EMB_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        size_t len = (size_t)sqlite3_column_bytes(q, 0);
        const char *fp = (const char *)sqlite3_column_text(q, 1);
        size_t cap_ids = c->cap_stored;
        if (emb__grow((void **)&c->stored_fps, &c->cap_stored, sizeof(stored_fp), c->n_stored + 1,
                      SIZE_MAX) != EMB_OK ||
            emb__grow((void **)&c->stored_ids, &cap_ids, sizeof(char *), c->cap_stored, SIZE_MAX) !=
                EMB_OK) {
            s = emb__err(err, EMB_ENOMEM, "out of memory");
            break;
        }
        uint64_t *v;
        int is_new;
        char *idc = emb__arena_strndup(&c->arena, id, len);
        if (idc == NULL || emb__map_put(&c->stored, id, len, &v, &is_new) != EMB_OK) {
            s = emb__err(err, EMB_ENOMEM, "out of memory");
            break;
        }
        stored_fp *sf = &c->stored_fps[c->n_stored];
        snprintf(sf->fp, sizeof(sf->fp), "%s", fp != NULL ? fp : "");
        sf->seen = 0;
        c->stored_ids[c->n_stored] = idc;
        *v = ++c->n_stored;
    }
    if (s == EMB_OK && rc != SQLITE_DONE)
        s = emb__store_sqlerr(st, err, "read entity fingerprints");
    sqlite3_finalize(q);
    return s;
}

static emb_status compute_fps(ctx_all *c, emb_monitor_stats *stats, emb_error *err)
{
    c->n_entities = emb_index_entity_count(c->idx);
    c->fps = emb__calloc(c->n_entities + 1, sizeof(*c->fps));
    c->changed = emb__calloc(c->n_entities + 1, 1);
    if (c->fps == NULL || c->changed == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_entities; i++) {
        emb_entity e;
        emb_status s = emb_index_entity(c->idx, c->ctx, i, &e);
        if (s != EMB_OK)
            return emb__err(err, s, "cannot read entity %zu of the snapshot", i);
        if (entity_fps(&c->fs, &e, c->fps[i].fp, c->fps[i].names_fp) != EMB_OK)
            return emb__err(err, EMB_ENOMEM, "out of memory");
        uint64_t *v = emb__map_get(&c->stored, e.id.ptr, e.id.len);
        if (v == NULL || strcmp(c->stored_fps[*v - 1].fp, c->fps[i].fp) != 0) {
            c->changed[i] = 1;
            stats->changed_entities++;
        }
        if (v != NULL)
            c->stored_fps[*v - 1].seen = 1;
    }
    for (size_t i = 0; i < c->n_stored; i++)
        stats->removed_entities += !c->stored_fps[i].seen;
    stats->entities = c->n_entities;
    return EMB_OK;
}

enum { SCREEN_PENDING, SCREEN_ALL, SCREEN_KNOWN };

/*
 * Customers, CHUNK at a time: pending ones (or all, for a full run) against everything, or
 * the known ones (screened before, unchanged) against the changed entities alone.
 */
static emb_status screen_stream(ctx_all *c, int64_t portfolio, int64_t gen, int which,
                                emb_monitor_stats *stats, emb_error *err)
{
    emb_store *st = c->r.st;
    sqlite3_stmt *q = NULL;
    const char *sql = which == SCREEN_ALL       ? "SELECT " CUST_COLS " FROM customer"
                                                  " WHERE portfolio = ?1 AND gen <= ?2"
                      : which == SCREEN_PENDING ? "SELECT " CUST_COLS " FROM customer"
                                                  " WHERE portfolio = ?1 AND gen <= ?2"
                                                  " AND screened_fp IS NOT fp"
                                                : "SELECT " CUST_COLS " FROM customer"
                                                  " WHERE portfolio = ?1 AND gen <= ?2"
                                                  " AND screened_fp IS fp";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read customers");
    sqlite3_bind_int64(q, 1, portfolio);
    sqlite3_bind_int64(q, 2, gen);
    cust *chunk = emb__calloc(CHUNK, sizeof(*chunk));
    emb__arena a;
    memset(&a, 0, sizeof(a));
    emb_status s = chunk == NULL ? emb__err(err, EMB_ENOMEM, "out of memory") : EMB_OK;
    int rc = SQLITE_ROW;
    while (s == EMB_OK && rc == SQLITE_ROW) {
        size_t n = 0;
        emb__arena_reset(&a);
        while (n < CHUNK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (read_cust(&a, q, &chunk[n]) != EMB_OK) {
                s = emb__err(err, EMB_ENOMEM, "out of memory");
                break;
            }
            uint64_t *v;
            int is_new;
            if (which != SCREEN_KNOWN && emb__map_put(&c->screened, chunk[n].id,
                                                      strlen(chunk[n].id), &v, &is_new) != EMB_OK) {
                s = emb__err(err, EMB_ENOMEM, "out of memory");
                break;
            }
            n++;
        }
        if (s == EMB_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
            s = emb__store_sqlerr(st, err, "read customers");
        if (s == EMB_OK && n > 0)
            s = screen_all(&c->r, chunk, n, NULL, err);
        if (which != SCREEN_KNOWN)
            stats->screened += n;
    }
    sqlite3_finalize(q);
    emb__arena_free(&a);
    emb__free(chunk);
    return s;
}

/* FtM JSON of one entity's schema and names, as the small snapshot needs them. */
static json_t *entity_ftm(const emb_entity *e, size_t i)
{
    static const char *const kinds[EMB_NAME_KIND_MAX_] = {"name", "alias", "weakAlias",
                                                          "previousName", "alias"};
    char id[32];
    snprintf(id, sizeof(id), "%zu", i);
    const char *schema = emb_schema_name(e->schema);
    json_t *props = json_object();
    json_t *o = json_pack("{s:s, s:s, s:s%, s:o}", "id", id, "schema",
                          schema[0] != '\0' ? schema : "LegalEntity", "caption",
                          e->caption.ptr != NULL ? e->caption.ptr : "", e->caption.len,
                          "properties", props);
    for (size_t k = 0; o != NULL && k < e->n_names; k++) {
        emb_name_kind kind =
            e->names[k].kind < EMB_NAME_KIND_MAX_ ? e->names[k].kind : EMB_NAME_ALIAS;
        json_t *arr = json_object_get(props, kinds[kind]);
        if (arr == NULL) {
            arr = json_array();
            if (arr == NULL || json_object_set_new(props, kinds[kind], arr) != 0) {
                json_decref(o);
                return NULL;
            }
        }
        if (json_array_append_new(
                arr, json_stringn(e->names[k].value.ptr, e->names[k].value.len)) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/*
 * Changed entities against the known customers. The changed entities alone are built into
 * a small snapshot; every known customer's name is screened against it at a lower threshold
 * (far less work than the whole lists), and the customers that meet one are screened again
 * against the full snapshot, restricted to the changed entities, so their scores are the
 * real ones.
 */
static emb_status screen_known(ctx_all *c, const emb__portfolio *p, double cand_threshold,
                               emb_monitor_stats *stats, emb_error *err)
{
    char dir[4096], jsonl[4400], mini[4400];
    int n = snprintf(dir, sizeof(dir), "%s/monitor", emb_store_dir(c->r.st));
    if (n < 0 || (size_t)n >= sizeof(dir))
        return emb__err(err, EMB_ELIMIT, "store directory path too long");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        emb__err(err, EMB_EIO, "cannot create directory: %s", strerror(errno));
        emb__err_at(err, dir, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    snprintf(jsonl, sizeof(jsonl), "%s/changed-%ld.jsonl.tmp", dir, (long)getpid());
    snprintf(mini, sizeof(mini), "%s/changed-%ld.emb.tmp", dir, (long)getpid());
    FILE *f = fopen(jsonl, "wb");
    if (f == NULL) {
        emb__err(err, EMB_EIO, "cannot create: %s", strerror(errno));
        emb__err_at(err, jsonl, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    emb_status s = EMB_OK;
    int bad = 0;
    for (size_t i = 0; i < c->n_entities && s == EMB_OK && !bad; i++) {
        if (!c->changed[i])
            continue;
        emb_entity e;
        s = emb_index_entity(c->idx, c->ctx, i, &e);
        json_t *o = s == EMB_OK ? entity_ftm(&e, i) : NULL;
        if (s == EMB_OK && o == NULL)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
        else if (o != NULL)
            bad = json_dumpf(o, f, JSON_COMPACT) != 0 || putc('\n', f) == EOF;
        json_decref(o);
    }
    if (fclose(f) != 0)
        bad = 1;
    if (s == EMB_OK && bad) {
        s = emb__err(err, EMB_EIO, "cannot write: %s", strerror(errno));
        emb__err_at(err, jsonl, 0, 0, UINT64_MAX);
    }
    emb_index *probe = NULL;
    if (s == EMB_OK) {
        emb_build_source src = {jsonl, "changed"};
        emb_build_opts bo = {1, NULL, NULL};
        s = emb_index_build(mini, &src, 1, &bo, NULL, err);
    }
    remove(jsonl);
    if (s == EMB_OK)
        s = emb_index_open(mini, &probe, err);
    remove(mini); /* mapped: the file stays readable until closed */
    for (int t = 0; s == EMB_OK && t < c->r.n_threads; t++) {
        worker *w = &c->r.workers[t];
        w->probe = probe;
        w->probe_opts.limit = 1;
        w->probe_opts.threshold = cand_threshold;
        /* the probe snapshot holds only the changed entities: a customer that can meet one
         * has it among its few best candidates (same alerts, a third of the time) */
        w->probe_opts.candidates = PROBE_CANDIDATES;
        if (w->pctx == NULL && emb_ctx_new(&w->pctx) != EMB_OK)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
    }
    if (s == EMB_OK)
        s = screen_stream(c, p->id, p->generation, SCREEN_KNOWN, stats, err);
    /* the candidates, against the changed entities of the full snapshot */
    cust *cands = NULL;
    size_t n_cands = 0;
    for (int t = 0; t < c->r.n_threads; t++)
        n_cands += c->r.workers[t].n_cands;
    if (s == EMB_OK && n_cands > 0) {
        cands = emb__calloc(n_cands, sizeof(*cands));
        if (cands == NULL)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
    }
    size_t at = 0;
    for (int t = 0; s == EMB_OK && t < c->r.n_threads; t++) {
        worker *w = &c->r.workers[t];
        if (w->n_cands > 0)
            memcpy(cands + at, w->cands, w->n_cands * sizeof(*cands));
        at += w->n_cands;
    }
    for (int t = 0; t < c->r.n_threads; t++)
        c->r.workers[t].probe = NULL;
    stats->candidates = n_cands;
    if (s == EMB_OK && n_cands > 0)
        s = screen_all(&c->r, cands, n_cands, c->changed, err);
    emb__free(cands);
    emb_index_close(probe);
    return s;
}

/* The probe's threshold: given, else 0.20 under the alert threshold (0.50 for 0.70). */
static double cand_threshold(const emb_monitor_opts *o, double threshold)
{
    if (o->candidate_threshold >= 0)
        return o->candidate_threshold;
    return threshold > 0.2 ? threshold - 0.2 : 0.0;
}

/* ---------------------------------------------------------------- writing the run */

typedef struct writer {
    sqlite3_stmt *latest, *decided, *insert;
    json_t *alerts; /* [alert id, customer id, entity id, score, customer fp] for the audit */
} writer;

static void writer_free(writer *w)
{
    sqlite3_finalize(w->latest);
    sqlite3_finalize(w->decided);
    sqlite3_finalize(w->insert);
    json_decref(w->alerts);
}

/* Apply the alert rules to one match: new pair, already alerted, or standing decision. */
static emb_status record_match(ctx_all *c, writer *w, const emb__portfolio *p, int64_t run_id,
                               const match *m, const char *hash, const char *now,
                               emb_monitor_stats *stats, emb_error *err)
{
    emb_store *st = c->r.st;
    emb_entity e;
    emb_status s = emb_index_entity(c->idx, c->ctx, m->entity, &e);
    if (s != EMB_OK)
        return emb__err(err, s, "cannot read entity %zu of the snapshot", m->entity);
    const char *names_fp = c->fps[m->entity].names_fp;
    sqlite3_reset(w->latest);
    sqlite3_bind_int64(w->latest, 1, p->id);
    sqlite3_bind_text(w->latest, 2, m->cust_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->latest, 3, e.id.ptr, (int)e.id.len, SQLITE_STATIC);
    int rc = sqlite3_step(w->latest);
    int64_t previous = 0;
    if (rc == SQLITE_ROW) {
        int64_t last = sqlite3_column_int64(w->latest, 0);
        sqlite3_reset(w->decided);
        sqlite3_bind_int64(w->decided, 1, last);
        int drc = sqlite3_step(w->decided);
        if (drc == SQLITE_DONE) {
            stats->known++; /* open: reported once already */
            return EMB_OK;
        }
        if (drc != SQLITE_ROW)
            return emb__store_sqlerr(st, err, "read decisions");
        const char *dec = (const char *)sqlite3_column_text(w->decided, 0);
        const char *cfp = (const char *)sqlite3_column_text(w->decided, 1);
        const char *nfp = (const char *)sqlite3_column_text(w->decided, 2);
        if (strcmp(dec, "false_positive") != 0) {
            stats->known++;
            return EMB_OK;
        }
        if (strcmp(cfp, m->cust_fp) == 0 && strcmp(nfp, names_fp) == 0) {
            stats->suppressed++;
            return EMB_OK;
        }
        previous = last; /* decided, but the customer or the names changed since */
    } else if (rc != SQLITE_DONE) {
        return emb__store_sqlerr(st, err, "read alerts");
    }
    sqlite3_stmt *q = w->insert;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, p->id);
    sqlite3_bind_int64(q, 2, run_id);
    sqlite3_bind_text(q, 3, m->cust_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, e.id.ptr, (int)e.id.len, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, e.caption.ptr != NULL ? e.caption.ptr : "", (int)e.caption.len,
                      SQLITE_STATIC);
    sqlite3_bind_double(q, 6, m->score);
    sqlite3_bind_text(q, 7, m->matched_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, m->explanations, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, m->cust_fp, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 12, names_fp, -1, SQLITE_STATIC);
    if (previous > 0)
        sqlite3_bind_int64(q, 13, previous);
    else
        sqlite3_bind_null(q, 13);
    if (sqlite3_step(q) != SQLITE_DONE)
        return emb__store_sqlerr(st, err, "record alert");
    int64_t id = sqlite3_last_insert_rowid(st->db);
    stats->new_alerts++;
    json_t *row = json_pack("[I, s, s%, f, s]", (json_int_t)id, m->cust_id, e.id.ptr, e.id.len,
                            m->score, m->cust_fp);
    if (row == NULL || json_array_append_new(w->alerts, row) != 0)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

static emb_status exec1(emb_store *st, const char *sql, int64_t a, int64_t b, emb_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "record run");
    sqlite3_bind_int64(q, 1, a);
    sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? EMB_OK : emb__store_sqlerr(st, err, "record run");
}

static emb_status write_fps(ctx_all *c, int64_t portfolio, emb_error *err)
{
    emb_store *st = c->r.st;
    sqlite3_stmt *put = NULL, *del = NULL;
    emb_status s = EMB_OK;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO monitor_entity(portfolio, entity_id, fp,"
                           " names_fp) VALUES (?1, ?2, ?3, ?4)",
                           -1, &put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "DELETE FROM monitor_entity WHERE portfolio = ?1 AND entity_id = ?2", -1,
                           &del, NULL) != SQLITE_OK)
        s = emb__store_sqlerr(st, err, "record entity fingerprints");
    for (size_t i = 0; s == EMB_OK && i < c->n_entities; i++) {
        if (!c->changed[i])
            continue;
        emb_entity e;
        s = emb_index_entity(c->idx, c->ctx, i, &e);
        if (s != EMB_OK)
            break;
        sqlite3_reset(put);
        sqlite3_bind_int64(put, 1, portfolio);
        sqlite3_bind_text(put, 2, e.id.ptr, (int)e.id.len, SQLITE_STATIC);
        sqlite3_bind_text(put, 3, c->fps[i].fp, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 4, c->fps[i].names_fp, -1, SQLITE_STATIC);
        if (sqlite3_step(put) != SQLITE_DONE)
            s = emb__store_sqlerr(st, err, "record entity fingerprints");
    }
    for (size_t i = 0; s == EMB_OK && i < c->n_stored; i++) {
        if (c->stored_fps[i].seen)
            continue;
        sqlite3_reset(del);
        sqlite3_bind_int64(del, 1, portfolio);
        sqlite3_bind_text(del, 2, c->stored_ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE)
            s = emb__store_sqlerr(st, err, "record entity fingerprints");
    }
    sqlite3_finalize(put);
    sqlite3_finalize(del);
    return s;
}

static emb_status write_run(ctx_all *c, const emb_monitor_opts *o, const char *portfolio_name,
                            const emb__portfolio *read, const char *started, const char *path,
                            emb_monitor_stats *stats, emb_error *err)
{
    emb_store *st = c->r.st;
    emb_status s = emb__store_begin(st, err);
    if (s != EMB_OK)
        return s;
    writer w;
    memset(&w, 0, sizeof(w));
    emb__portfolio now_p;
    s = emb__portfolio_get(st, portfolio_name, &now_p, err);
    if (s == EMB_OK && now_p.last_run != read->last_run)
        s = emb__err(err, EMB_EIO, "another run of portfolio '%.80s' finished meanwhile; run again",
                     portfolio_name);
    char now[32];
    emb__store_now(now);
    emb_str hash = emb_index_hash(c->idx);
    char hash_z[65];
    snprintf(hash_z, sizeof(hash_z), "%.*s", (int)hash.len, hash.ptr);
    int64_t run_id = 0;
    sqlite3_stmt *q = NULL;
    if (s == EMB_OK) {
        if (sqlite3_prepare_v2(st->db,
                               "INSERT INTO monitor_run(portfolio, started_at, finished_at,"
                               " snapshot_hash, snapshot_path, engine, full, screened,"
                               " changed_entities, candidates, new_alerts, suppressed,"
                               " audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                               " 0, 0, 0)",
                               -1, &q, NULL) != SQLITE_OK) {
            s = emb__store_sqlerr(st, err, "record run");
        } else {
            sqlite3_bind_int64(q, 1, read->id);
            sqlite3_bind_text(q, 2, started, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 4, hash_z, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, path, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 6, emb_version(), -1, SQLITE_STATIC);
            sqlite3_bind_int(q, 7, stats->full);
            sqlite3_bind_int64(q, 8, (sqlite3_int64)stats->screened);
            sqlite3_bind_int64(q, 9, (sqlite3_int64)stats->changed_entities);
            sqlite3_bind_int64(q, 10, (sqlite3_int64)stats->candidates);
            if (sqlite3_step(q) != SQLITE_DONE)
                s = emb__store_sqlerr(st, err, "record run");
            run_id = sqlite3_last_insert_rowid(st->db);
        }
        sqlite3_finalize(q);
    }
    if (s == EMB_OK) {
        w.alerts = json_array();
        if (w.alerts == NULL ||
            sqlite3_prepare_v2(st->db,
                               "SELECT id FROM alert WHERE portfolio = ?1 AND customer_id = ?2"
                               " AND entity_id = ?3 ORDER BY id DESC LIMIT 1",
                               -1, &w.latest, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(st->db,
                               "SELECT decision, customer_fp, names_fp FROM decision"
                               " WHERE alert = ?1 ORDER BY id DESC LIMIT 1",
                               -1, &w.decided, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(st->db,
                               "INSERT INTO alert(portfolio, run, customer_id, entity_id,"
                               " caption, score, matched_name, explanations, snapshot_hash,"
                               " first_seen, customer_fp, names_fp, previous) VALUES (?1, ?2,"
                               " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                               -1, &w.insert, NULL) != SQLITE_OK)
            s = w.alerts == NULL ? emb__err(err, EMB_ENOMEM, "out of memory")
                                 : emb__store_sqlerr(st, err, "record alerts");
    }
    for (int t = 0; t < c->r.n_threads; t++) {
        worker *wk = &c->r.workers[t];
        if (wk->refused > 0 && stats->refused == 0)
            memcpy(stats->refused_first, wk->refused_first, sizeof(stats->refused_first));
        stats->refused += wk->refused;
    }
    for (int t = 0; s == EMB_OK && t < c->r.n_threads; t++) {
        worker *wk = &c->r.workers[t];
        for (size_t i = 0; s == EMB_OK && i < wk->n_matches; i++)
            s = record_match(c, &w, read, run_id, &wk->matches[i], hash_z, now, stats, err);
    }
    if (s == EMB_OK)
        s = exec1(st,
                  "UPDATE customer SET screened_fp = fp WHERE portfolio = ?1 AND gen <= ?2"
                  " AND screened_fp IS NOT fp",
                  read->id, read->generation, err);
    if (s == EMB_OK)
        s = write_fps(c, read->id, err);
    if (s == EMB_OK)
        s = exec1(st, "UPDATE portfolio SET last_run = ?2 WHERE id = ?1", read->id, run_id, err);
    char *payload = NULL;
    if (s == EMB_OK) {
        emb_str built = emb_index_built_at(c->idx);
        json_t *pl = json_pack(
            "{s:s, s:I, s:{s:s, s:s, s:s%}, s:s, s:{s:f, s:I, s:f, s:b}, s:s, s:I,"
            " s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:O}",
            "portfolio", portfolio_name, "run", (json_int_t)run_id, "snapshot", "hash", hash_z,
            "path", path, "built_at", built.ptr != NULL ? built.ptr : "", built.len, "engine",
            emb_version(), "options", "threshold", c->r.threshold, "limit",
            (json_int_t)c->r.opts.limit, "candidate_threshold", cand_threshold(o, c->r.threshold),
            "full", stats->full, "portfolio_hash", read->content_hash, "generation",
            (json_int_t)read->generation, "counts", "customers", (json_int_t)stats->customers,
            "screened", (json_int_t)stats->screened, "entities", (json_int_t)stats->entities,
            "changed_entities", (json_int_t)stats->changed_entities, "removed_entities",
            (json_int_t)stats->removed_entities, "candidates", (json_int_t)stats->candidates,
            "new_alerts", (json_int_t)stats->new_alerts, "suppressed",
            (json_int_t)stats->suppressed, "known", (json_int_t)stats->known, "refused",
            (json_int_t)stats->refused, "alerts", w.alerts);
        payload = pl != NULL
                      ? json_dumps(pl, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
                      : NULL;
        json_decref(pl);
        if (payload == NULL)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
    }
    if (s == EMB_OK)
        s = emb__audit_append_tx(st, "monitor_run", o->actor ? o->actor : "embargo", payload,
                                 &stats->audit_seq, err);
    free(payload);
    if (s == EMB_OK) {
        if (sqlite3_prepare_v2(st->db,
                               "UPDATE monitor_run SET new_alerts = ?2, suppressed = ?3,"
                               " audit_seq = ?4 WHERE id = ?1",
                               -1, &q, NULL) != SQLITE_OK) {
            s = emb__store_sqlerr(st, err, "record run");
        } else {
            sqlite3_bind_int64(q, 1, run_id);
            sqlite3_bind_int64(q, 2, (sqlite3_int64)stats->new_alerts);
            sqlite3_bind_int64(q, 3, (sqlite3_int64)stats->suppressed);
            sqlite3_bind_int64(q, 4, stats->audit_seq);
            if (sqlite3_step(q) != SQLITE_DONE)
                s = emb__store_sqlerr(st, err, "record run");
            sqlite3_finalize(q);
        }
    }
    writer_free(&w);
    if (s != EMB_OK) {
        emb__store_rollback(st);
        return s;
    }
    s = emb__store_commit(st, err);
    if (s == EMB_OK)
        stats->run = run_id;
    return s;
}

emb_status emb_monitor_run(emb_store *st, const emb_monitor_opts *o, emb_alert_fn on_alert,
                           void *ud, emb_monitor_stats *stats_out, emb_error *err)
{
    emb__err_clear(err);
    if (st == NULL || o == NULL || o->index_path == NULL)
        return emb__err(err, EMB_EINVAL, "monitor run: no store or no snapshot");
    const char *name = o->portfolio != NULL && o->portfolio[0] ? o->portfolio : "default";
    emb_monitor_stats stats;
    memset(&stats, 0, sizeof(stats));
    ctx_all c;
    memset(&c, 0, sizeof(c));
    emb__map_init(&c.stored);
    emb__map_init(&c.screened);
    c.r.st = st;
    c.r.threshold = o->threshold >= 0 ? o->threshold : 0.70;
    c.r.opts.threshold = c.r.threshold;
    c.r.opts.limit = o->limit ? o->limit : 10;
    c.r.n_threads = o->threads < 1 ? 1 : o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
    char started[32];
    emb__store_now(started);
    /* the snapshot path as recorded: absolute, so a replay finds it from anywhere */
    char path[4096];
    if (realpath(o->index_path, path) == NULL)
        snprintf(path, sizeof(path), "%s", o->index_path);
    emb_status s = emb_index_open(o->index_path, &c.idx, err);
    if (s == EMB_OK)
        s = emb_ctx_new(&c.ctx);

    c.r.idx = c.idx;
    c.r.workers = s == EMB_OK ? emb__calloc((size_t)c.r.n_threads, sizeof(worker)) : NULL;
    if (s == EMB_OK && c.r.workers == NULL)
        s = emb__err(err, EMB_ENOMEM, "out of memory");
    for (int t = 0; s == EMB_OK && t < c.r.n_threads; t++) {
        c.r.workers[t].r = &c.r;
        if (emb_ctx_new(&c.r.workers[t].ctx) != EMB_OK)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
    }
    json_object_seed(0); /* before there are threads */
    if (s == EMB_OK) {
        emb_str h = emb_index_hash(c.idx);
        snprintf(stats.snapshot_hash, sizeof(stats.snapshot_hash), "%.*s", (int)h.len, h.ptr);
    }
    /* read phase: one read transaction, so customers and fingerprints agree */
    int in_read = 0;
    if (s == EMB_OK) {
        if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
            s = emb__store_sqlerr(st, err, "begin transaction");
        else
            in_read = 1;
    }
    emb__portfolio p;
    memset(&p, 0, sizeof(p));
    if (s == EMB_OK)
        s = emb__portfolio_get(st, name, &p, err);
    if (s == EMB_OK) {
        stats.customers = (uint64_t)p.customers;
        s = load_stored_fps(&c, p.id, err);
    }
    if (s == EMB_OK)
        s = compute_fps(&c, &stats, err);
    /* a first run, or --full, screens everyone against everything */
    stats.full = o->full || p.last_run == 0;
    if (s == EMB_OK)
        s = screen_stream(&c, p.id, p.generation, stats.full ? SCREEN_ALL : SCREEN_PENDING, &stats,
                          err);
    if (s == EMB_OK && !stats.full && stats.changed_entities > 0 &&
        stats.screened < stats.customers) {
        s = screen_known(&c, &p, cand_threshold(o, c.r.threshold), &stats, err);
    }
    if (in_read)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (s == EMB_OK) {
        s = write_run(&c, o, name, &p, started, path, &stats, err);
    }
    ctx_all_free(&c);
    if (s != EMB_OK)
        return s;
    if (stats_out != NULL)
        *stats_out = stats;
    if (on_alert != NULL)
        return emb__alerts_query(st, name, 0, stats.run, on_alert, ud, err);
    return EMB_OK;
}
