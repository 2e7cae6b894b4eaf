/*
 * The routes of `embargo serve`, answering yente's contract (v5.5): POST /match/{dataset},
 * GET /search/{dataset}, GET /entities/{id}, /catalog, /algorithms, /healthz, /readyz,
 * /metrics, POST /updatez and the web page. Every JSON answer built from a snapshot names it in
 * a top-level "snapshot" field, which yente clients ignore.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "server.h"

#define ALGORITHM        "embargo-v1"
#define SEARCH_WINDOW    1000 /* candidates a /search ranks before filtering and paging */
#define SEARCH_THRESHOLD 0.5

/* ---------------------------------------------------------------- per-thread context */

static pthread_key_t ctx_key;

static void ctx_destroy(void *p)
{
    emb_ctx_free(p);
}

int srv_thread_ctx_init(void)
{
    return pthread_key_create(&ctx_key, ctx_destroy) == 0;
}

emb_ctx *srv_thread_ctx(void)
{
    emb_ctx *c = pthread_getspecific(ctx_key);
    if (c == NULL) {
        if (emb_ctx_new(&c) != EMB_OK)
            return NULL;
        if (pthread_setspecific(ctx_key, c) != 0) {
            emb_ctx_free(c);
            return NULL;
        }
    }
    return c;
}

void srv_thread_ctx_release(void)
{
    emb_ctx_free(pthread_getspecific(ctx_key));
    pthread_setspecific(ctx_key, NULL);
}

/* ---------------------------------------------------------------- replies */

static const char fallback_500[] = "{\"detail\":\"out of memory\"}";

static void reply_static(srv_reply *r, unsigned status, const char *type, const char *body)
{
    r->status = status;
    r->content_type = type;
    r->body = (char *)(uintptr_t)body;
    r->len = strlen(body);
    r->is_static = 1;
}

/* Takes the reference to o. */
static void reply_json(srv_reply *r, unsigned status, json_t *o)
{
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    if (s == NULL) {
        reply_static(r, 500, "application/json", fallback_500);
        return;
    }
    r->status = status;
    r->content_type = "application/json";
    r->body = s;
    r->len = strlen(s);
    r->is_static = 0;
}

void srv_reply_error(srv_reply *r, unsigned status, const char *msg)
{
    json_t *o = json_object();
    json_t *d = json_string(msg);
    if (d == NULL) /* a message quoting invalid UTF-8 input */
        d = json_string("invalid request");
    if (o != NULL && d != NULL && json_object_set_new(o, "detail", d) == 0) {
        reply_json(r, status, o);
        return;
    }
    json_decref(o);
    reply_static(r, status, "application/json", fallback_500);
}

static int put(json_t *o, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(o, key, v) == 0;
}

static json_t *jstr(emb_str s)
{
    json_t *v = json_stringn(s.ptr != NULL ? s.ptr : "", s.len);
    return v != NULL ? v : json_null();
}

/* ---------------------------------------------------------------- query string */

static const char *arg(const srv_call *c, const char *key)
{
    for (size_t i = 0; i < c->n_args; i++) {
        if (strcmp(c->arg_keys[i], key) == 0)
            return c->arg_values[i] != NULL ? c->arg_values[i] : "";
    }
    return NULL;
}

/* Integer parameter in lo..hi; 0 on success, else a 422 reply was written. */
static int arg_long(const srv_call *c, srv_reply *r, const char *key, long def, long lo, long hi,
                    long *out)
{
    const char *s = arg(c, key);
    *out = def;
    if (s == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    char msg[128];
    if (errno != 0 || end == s || *end != '\0') {
        snprintf(msg, sizeof(msg), "%s: must be an integer", key);
        srv_reply_error(r, 422, msg);
        return -1;
    }
    if (v < lo || v > hi) {
        snprintf(msg, sizeof(msg), "%s: must be between %ld and %ld", key, lo, hi);
        srv_reply_error(r, 422, msg);
        return -1;
    }
    *out = v;
    return 0;
}

static int arg_score(const srv_call *c, srv_reply *r, const char *key, double def, double *out)
{
    const char *s = arg(c, key);
    *out = def;
    if (s == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
        char msg[128];
        snprintf(msg, sizeof(msg), "%s: must be a number between 0 and 1", key);
        srv_reply_error(r, 422, msg);
        return -1;
    }
    *out = v;
    return 0;
}

/* yente's algorithm names are answered by our one matcher, so existing clients keep working. */
static int known_algorithm(const char *a)
{
    static const char *const names[] = {ALGORITHM,        "best",          "default",
                                        "logic-v1",       "logic-v2",      "name-based",
                                        "name-qualified", "regression-v1", "regression-v2"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(a, names[i]) == 0)
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- filters */

typedef struct filter {
    const srv_snap *s;
    uint8_t *ds_ok;       /* per dataset; NULL: every dataset */
    unsigned schema_excl; /* bit per emb_schema */
    emb_schema schema_is; /* EMB_SCHEMA_UNKNOWN: any */
    size_t *excl;         /* sorted entity numbers left out */
    size_t n_excl;
} filter;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int keep_entity(void *ud, const emb_index *idx, size_t i)
{
    (void)idx;
    const filter *f = ud;
    if (i >= f->s->n_entities)
        return 0;
    if (f->ds_ok != NULL && !f->ds_ok[f->s->entity_dataset[i]])
        return 0;
    unsigned sc = f->s->entity_schema[i];
    if (f->schema_excl & (1u << sc))
        return 0;
    if (f->schema_is != EMB_SCHEMA_UNKNOWN && !emb_schema_is_a((emb_schema)sc, f->schema_is))
        return 0;
    if (f->n_excl > 0 && bsearch(&i, f->excl, f->n_excl, sizeof(size_t), cmp_size) != NULL)
        return 0;
    return 1;
}

static void filter_free(filter *f)
{
    free(f->ds_ok);
    free(f->excl);
}

/*
 * The dataset in the path ("default" and "sanctions" mean every list), include_dataset /
 * exclude_dataset (or `datasets` for /search), exclude_schema and exclude_entity_ids.
 * 0, or -1 after writing the error reply.
 */
static int filter_build(filter *f, const srv_snap *s, const srv_call *c, const char *path_ds,
                        const char *include_key, srv_reply *r)
{
    memset(f, 0, sizeof(*f));
    f->s = s;
    int all = strcmp(path_ds, "default") == 0 || strcmp(path_ds, "sanctions") == 0;
    int path_n = all ? -1 : srv_snap_dataset(s, path_ds, strlen(path_ds));
    if (!all && path_n < 0) {
        srv_reply_error(r, 404, "No such dataset.");
        return -1;
    }
    int any_include = 0;
    for (size_t i = 0; i < c->n_args; i++)
        any_include |= strcmp(c->arg_keys[i], include_key) == 0 && c->arg_values[i] != NULL &&
                       c->arg_values[i][0] != '\0';
    int any_exclude = arg(c, "exclude_dataset") != NULL;
    if (!all || any_include || any_exclude) {
        f->ds_ok = calloc(s->n_datasets ? s->n_datasets : 1, 1);
        if (f->ds_ok == NULL)
            goto nomem;
        for (size_t d = 0; d < s->n_datasets; d++)
            f->ds_ok[d] = all || (int)d == path_n;
        if (any_include) {
            /* only the named lists (within the path's scope); unknown names match nothing,
               as in yente */
            uint8_t *inc = calloc(s->n_datasets ? s->n_datasets : 1, 1);
            if (inc == NULL)
                goto nomem;
            for (size_t i = 0; i < c->n_args; i++) {
                if (strcmp(c->arg_keys[i], include_key) != 0 || c->arg_values[i] == NULL)
                    continue;
                int d = srv_snap_dataset(s, c->arg_values[i], strlen(c->arg_values[i]));
                if (d >= 0)
                    inc[d] = 1;
            }
            for (size_t d = 0; d < s->n_datasets; d++)
                f->ds_ok[d] &= inc[d];
            free(inc);
        }
        for (size_t i = 0; i < c->n_args; i++) {
            if (strcmp(c->arg_keys[i], "exclude_dataset") != 0 || c->arg_values[i] == NULL)
                continue;
            int d = srv_snap_dataset(s, c->arg_values[i], strlen(c->arg_values[i]));
            if (d >= 0)
                f->ds_ok[d] = 0;
        }
    }
    size_t n_ids = 0;
    for (size_t i = 0; i < c->n_args; i++) {
        const char *k = c->arg_keys[i], *v = c->arg_values[i];
        if (v == NULL)
            continue;
        if (strcmp(k, "exclude_schema") == 0) {
            emb_schema sc = emb_schema_from_name(v, strlen(v));
            if (sc == EMB_SCHEMA_UNKNOWN) {
                char msg[160];
                snprintf(msg, sizeof(msg), "exclude_schema: unknown schema: %.64s", v);
                srv_reply_error(r, 400, msg);
                filter_free(f);
                return -1;
            }
            f->schema_excl |= 1u << sc;
        } else if (strcmp(k, "exclude_entity_ids") == 0) {
            n_ids++;
        }
    }
    if (n_ids > SRV_MAX_EXCLUDE_IDS) {
        srv_reply_error(r, 400, "exclude_entity_ids: too many ids");
        filter_free(f);
        return -1;
    }
    if (n_ids > 0) {
        f->excl = malloc(n_ids * sizeof(size_t));
        if (f->excl == NULL)
            goto nomem;
        for (size_t i = 0; i < c->n_args; i++) {
            const char *v = c->arg_values[i];
            size_t at;
            if (v != NULL && strcmp(c->arg_keys[i], "exclude_entity_ids") == 0 &&
                emb_index_find(s->idx, v, strlen(v), &at) == EMB_OK)
                f->excl[f->n_excl++] = at;
        }
        qsort(f->excl, f->n_excl, sizeof(size_t), cmp_size);
    }
    return 0;
nomem:
    filter_free(f);
    srv_reply_error(r, 500, "out of memory");
    return -1;
}

/*
 * exclude_entity_ids in the /match body (an extension of yente's API): a URL holds a few
 * thousand ids at most, a body holds as many as SRV_MAX_EXCLUDE_IDS. 0, or -1 after writing
 * the error reply.
 */
static int filter_add_body_ids(filter *f, const srv_snap *s, const json_t *ids, srv_reply *r)
{
    if (ids == NULL)
        return 0;
    if (!json_is_array(ids)) {
        srv_reply_error(r, 422, "exclude_entity_ids: must be a list of strings");
        return -1;
    }
    size_t n = json_array_size(ids);
    if (n + f->n_excl > SRV_MAX_EXCLUDE_IDS) {
        srv_reply_error(r, 400, "exclude_entity_ids: too many ids");
        return -1;
    }
    if (n == 0)
        return 0;
    size_t *v = realloc(f->excl, (f->n_excl + n) * sizeof(size_t));
    if (v == NULL) {
        srv_reply_error(r, 500, "out of memory");
        return -1;
    }
    f->excl = v;
    for (size_t i = 0; i < n; i++) {
        const json_t *id = json_array_get(ids, i);
        size_t at;
        if (!json_is_string(id)) {
            srv_reply_error(r, 422, "exclude_entity_ids: must be a list of strings");
            return -1;
        }
        if (emb_index_find(s->idx, json_string_value(id), json_string_length(id), &at) == EMB_OK)
            f->excl[f->n_excl++] = at;
    }
    qsort(f->excl, f->n_excl, sizeof(size_t), cmp_size);
    return 0;
}

/* ---------------------------------------------------------------- entities as FtM JSON */

static int add_value(json_t *props, const char *prop, emb_str v)
{
    json_t *arr = json_object_get(props, prop);
    if (arr == NULL) {
        arr = json_array();
        if (arr == NULL || json_object_set_new(props, prop, arr) != 0)
            return 0;
    }
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (json_string_length(x) == v.len && memcmp(json_string_value(x), v.ptr, v.len) == 0)
            return 1;
    }
    return json_array_append_new(arr, jstr(v)) == 0;
}

static const char *name_prop(emb_name_kind k)
{
    switch (k) {
    case EMB_NAME_PRIMARY:
        return "name";
    case EMB_NAME_WEAK_ALIAS:
        return "weakAlias";
    case EMB_NAME_PREVIOUS:
        return "previousName";
    default: /* FtM has no property of its own for the original-script form */
        return "alias";
    }
}

static int is_sanction_prop(emb_prop p)
{
    return p == EMB_PROP_PROGRAM || p == EMB_PROP_AUTHORITY || p == EMB_PROP_LISTING_DATE ||
           p == EMB_PROP_REASON;
}

static json_t *entity_base(const emb_entity *e, const char *schema, emb_str caption)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_t *ds = json_array();
    if (ds != NULL)
        json_array_append_new(ds, jstr(e->dataset));
    int ok = put(o, "id", jstr(e->id)) && put(o, "caption", jstr(caption)) &&
             put(o, "schema", json_string(schema)) && put(o, "properties", json_object()) &&
             put(o, "datasets", ds) && put(o, "referents", json_array()) &&
             put(o, "target", json_boolean(strcmp(schema, "Sanction") != 0)) &&
             put(o, "first_seen", json_null()) && put(o, "last_seen", json_null()) &&
             put(o, "last_change", json_null());
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * Entity i in FtM form. nested: the sanction terms (program, authority, listing date, reason)
 * also as one adjacent Sanction entity under properties.sanctions, as yente's /entities gives
 * them.
 */
static json_t *entity_json(const srv_snap *s, emb_ctx *ctx, size_t i, int nested)
{
    emb_entity e;
    if (emb_index_entity(s->idx, ctx, i, &e) != EMB_OK)
        return NULL;
    json_t *o = entity_base(&e, emb_schema_name(e.schema), e.caption);
    if (o == NULL)
        return NULL;
    json_t *props = json_object_get(o, "properties");
    int ok = 1;
    for (size_t k = 0; k < e.n_names && ok; k++)
        ok = add_value(props, name_prop(e.names[k].kind), e.names[k].value);
    json_t *sanction = NULL, *sprops = NULL;
    for (size_t k = 0; k < e.n_values && ok; k++) {
        const emb_value *v = &e.values[k];
        const char *prop = emb_prop_name(v->prop);
        char qual[64];
        if (v->prop == EMB_PROP_UNRESOLVED) {
            /* kept under the property it was meant for, as published */
            if (v->qualifier.len == 0 || v->qualifier.len >= sizeof(qual))
                prop = "notes";
            else {
                memcpy(qual, v->qualifier.ptr, v->qualifier.len);
                qual[v->qualifier.len] = '\0';
                prop = qual;
            }
        }
        ok = add_value(props, prop, v->value);
        if (ok && nested && (is_sanction_prop(v->prop) || v->prop == EMB_PROP_SOURCE_URL)) {
            if (sanction == NULL) {
                emb_str cap = {"Sanction", 8};
                sanction = entity_base(&e, "Sanction", cap);
                ok = sanction != NULL;
                if (ok) {
                    char sid[EMB_ERROR_RECORD_MAX * 4];
                    int n = snprintf(sid, sizeof(sid), "%.*s-sanction", (int)e.id.len, e.id.ptr);
                    sprops = json_object_get(sanction, "properties");
                    ok = n > 0 && (size_t)n < sizeof(sid) &&
                         put(sanction, "id", json_string(sid)) && add_value(sprops, "entity", e.id);
                }
            }
            if (ok)
                ok = add_value(sprops, prop, v->value);
        }
    }
    if (ok && sanction != NULL) {
        /* a sanction's caption is its programme, as OpenSanctions shows it */
        json_t *prog = json_object_get(sprops, "program");
        if (prog != NULL && json_array_size(prog) > 0)
            json_object_set(sanction, "caption", json_array_get(prog, 0));
        json_t *arr = json_array();
        if (arr == NULL) {
            ok = 0;
        } else if (json_array_append_new(arr, sanction) != 0) { /* releases sanction */
            sanction = NULL;
            json_decref(arr);
            ok = 0;
        } else {
            sanction = NULL;
            ok = json_object_set_new(props, "sanctions", arr) == 0;
        }
    }
    json_decref(sanction);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * Reply with o plus a top-level "snapshot" member whose JSON text is spliced in after dumping
 * (raw: the snapshot's summary or full source list, or NULL for null). Takes o.
 */
static void reply_json_snap(srv_reply *r, unsigned status, json_t *o, const char *raw)
{
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    if (s == NULL || s[0] != '{') {
        free(s);
        reply_static(r, 500, "application/json", fallback_500);
        return;
    }
    static const char key[] = "\"snapshot\":";
    if (raw == NULL)
        raw = "null";
    size_t len = strlen(s), rl = strlen(raw);
    int empty = len == 2; /* "{}" */
    char *out = realloc(s, len + 1 + sizeof(key) - 1 + rl + 1);
    if (out == NULL) {
        free(s);
        reply_static(r, 500, "application/json", fallback_500);
        return;
    }
    size_t at = len - 1; /* the closing brace */
    if (!empty)
        out[at++] = ',';
    memcpy(out + at, key, sizeof(key) - 1);
    at += sizeof(key) - 1;
    memcpy(out + at, raw, rl);
    at += rl;
    out[at++] = '}';
    out[at] = '\0';
    r->status = status;
    r->content_type = "application/json";
    r->body = out;
    r->len = at;
    r->is_static = 0;
}

/*
 * The lists' freshness at this moment, for an answer. With --require-fresh a stale list
 * refuses the request (503 naming it). 0 to go on (free fr afterwards), -1 replied.
 */
static int fresh_gate(const srv_snap *s, srv_fresh *fr, srv_reply *r)
{
    if (srv_fresh_eval(s, fr) != 0) {
        srv_reply_error(r, 500, "out of memory");
        return -1;
    }
    if (fr->any_stale && srv_fresh_required()) {
        char msg[sizeof(fr->detail) + 128];
        srv_fresh_refusal(fr, msg, sizeof(msg));
        srv_reply_error(r, 503, msg);
        srv_fresh_free(fr);
        return -1;
    }
    return 0;
}

/* The serving snapshot, its lists judged fresh enough: NULL after answering 503 (no snapshot
 * yet, or a stale list under --require-fresh) or 500. Release with srv_snap_release and
 * srv_fresh_free. */
static srv_snap *acquire_fresh(srv_fresh *fr, srv_reply *r)
{
    srv_snap *s = srv_snap_acquire();
    if (s == NULL) {
        srv_reply_error(r, 503, "Index not ready.");
        return NULL;
    }
    if (fresh_gate(s, fr, r) != 0) {
        srv_snap_release(s);
        return NULL;
    }
    return s;
}

/* reply_json_snap with the snapshot's summary and the lists' freshness. Takes o. */
static void reply_json_lists(srv_reply *r, json_t *o, const srv_snap *s, const srv_fresh *fr)
{
    char *raw = srv_snap_json_with_lists(s->summary, fr->lists);
    if (raw == NULL) {
        json_decref(o);
        srv_reply_error(r, 500, "out of memory");
        return;
    }
    reply_json_snap(r, 200, o, raw);
    free(raw);
}

/* ---------------------------------------------------------------- /match */

typedef struct hit {
    size_t entity;
    double score;
    json_t *expl;     /* explanations of the best name */
    json_t *features; /* {feature: score} */
} hit;

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->entity > y->entity) - (x->entity < y->entity);
}

static json_t *features_json(const emb_match *m)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < m->n_explanations; i++) {
        if (json_object_get(o, m->explanations[i].feature) == NULL)
            json_object_set_new(o, m->explanations[i].feature,
                                json_real(cli_round3(m->explanations[i].score)));
    }
    return o;
}

/* Screen every name of one query and keep each entity's best; writes the response object or
 * an error reply (returns its status, 0 on success). */
static int passes(const srv_call *c, const emb_entity *e, int want_countries, int want_topics);

static unsigned match_one(const srv_snap *s, emb_ctx *ctx, const srv_query *q, filter *f,
                          size_t limit, double threshold, double cutoff, srv_call *call,
                          json_t **out, srv_reply *r)
{
    hit *hits = calloc(limit * 2 + 1, sizeof(hit));
    size_t n_hits = 0;
    unsigned status = 0;
    if (hits == NULL) {
        srv_reply_error(r, 500, "out of memory");
        return 500;
    }
    int want_topics = arg(call, "topics") != NULL;
    emb_screen_opts opts = {
        .limit = limit, .threshold = cutoff, .filter = keep_entity, .filter_ud = f};
    for (size_t k = 0; k < q->n_names; k++) {
        emb_query eq = {.name = q->names[k],
                        .schema = q->schema,
                        .birth_dates = q->dates,
                        .n_birth_dates = q->n_dates,
                        .countries = q->countries,
                        .n_countries = q->n_countries,
                        .identifiers = q->identifiers,
                        .n_identifiers = q->n_identifiers};
        const emb_match *res;
        size_t n = 0;
        emb_error err;
        emb_status rc = emb_screen(s->idx, ctx, &eq, &opts, &res, &n, &err);
        if (rc != EMB_OK) {
            char msg[EMB_ERROR_MSG_MAX + 128];
            snprintf(msg, sizeof(msg), "queries.%s: %s", q->key,
                     err.msg[0] ? err.msg : emb_strerror(rc));
            status = rc == EMB_ENOMEM ? 500 : 400;
            srv_reply_error(r, status, msg);
            goto out;
        }
        if (call->logged != NULL)
            json_array_append_new(call->logged, json_string(q->names[k]));
        for (size_t j = 0; j < n; j++) {
            /* yente's topics filter: any of the given topics (an entity without topics is a
               "sanction" one); reading the entity leaves the results in ctx as they are */
            emb_entity e;
            if (want_topics && (emb_index_entity(s->idx, ctx, res[j].entity, &e) != EMB_OK ||
                                !passes(call, &e, 0, 1)))
                continue;
            size_t at = n_hits;
            for (size_t h = 0; h < n_hits; h++) {
                if (hits[h].entity == res[j].entity)
                    at = h;
            }
            if (at < n_hits && hits[at].score >= res[j].score)
                continue;
            json_t *ex = cli_explanations_json(res[j].explanations, res[j].n_explanations);
            json_t *fe = features_json(&res[j]);
            if (ex == NULL || fe == NULL) {
                json_decref(ex);
                json_decref(fe);
                srv_reply_error(r, 500, "out of memory");
                status = 500;
                goto out;
            }
            if (at == n_hits) {
                /* compact: keep the best `limit` once the buffer fills */
                if (n_hits == limit * 2) {
                    qsort(hits, n_hits, sizeof(hit), cmp_hit);
                    for (size_t h = limit; h < n_hits; h++) {
                        json_decref(hits[h].expl);
                        json_decref(hits[h].features);
                    }
                    n_hits = limit;
                    at = n_hits;
                }
                n_hits++;
            } else {
                json_decref(hits[at].expl);
                json_decref(hits[at].features);
            }
            hits[at] = (hit){res[j].entity, res[j].score, ex, fe};
        }
    }
    qsort(hits, n_hits, sizeof(hit), cmp_hit);
    json_t *results = json_array();
    json_t *resp = json_object();
    size_t matches = 0;
    int ok = results != NULL && resp != NULL;
    for (size_t h = 0; ok && h < n_hits && h < limit; h++) {
        json_t *e = entity_json(s, ctx, hits[h].entity, 0);
        int m = hits[h].score >= threshold;
        matches += (size_t)m;
        /* json_object_set takes its own reference: the hits are released below either way */
        ok = e != NULL && put(e, "score", json_real(cli_round3(hits[h].score))) &&
             json_object_set(e, "features", hits[h].features) == 0 &&
             put(e, "match", json_boolean(m)) &&
             json_object_set(e, "explanations", hits[h].expl) == 0;
        if (!ok)
            json_decref(e);
        else if (json_array_append_new(results, e) != 0) /* releases e */
            ok = 0;
    }
    json_t *total = json_object();
    ok = ok && total != NULL && put(total, "value", json_integer((json_int_t)matches)) &&
         put(total, "relation", json_string("eq"));
    ok = ok && put(resp, "status", json_integer(200)) && put(resp, "results", results);
    results = NULL;
    ok = ok && put(resp, "total", total);
    total = NULL;
    ok = ok && put(resp, "query", json_incref(q->echo));
    json_decref(results);
    json_decref(total);
    if (!ok) {
        json_decref(resp);
        srv_reply_error(r, 500, "out of memory");
        status = 500;
        goto out;
    }
    call->n_alerts += matches;
    *out = resp;
out:
    for (size_t h = 0; h < n_hits; h++) {
        json_decref(hits[h].expl);
        json_decref(hits[h].features);
    }
    free(hits);
    return status;
}

static json_t *matcher_docs(void);

static void route_match(srv_call *c, srv_reply *r, const char *dataset)
{
    long limit;
    double threshold, cutoff;
    if (arg_long(c, r, "limit", 5, 1, SRV_MAX_LIMIT, &limit) != 0 ||
        arg_score(c, r, "threshold", 0.70, &threshold) != 0 ||
        arg_score(c, r, "cutoff", threshold, &cutoff) != 0)
        return;
    /* results below the cutoff are not returned; cutoff above the threshold would hide
       matches (yente does the same) */
    if (cutoff > threshold)
        cutoff = threshold;
    const char *algo = arg(c, "algorithm");
    if (algo != NULL && !known_algorithm(algo)) {
        char msg[160];
        snprintf(msg, sizeof(msg), "Invalid algorithm: %.64s (see /algorithms)", algo);
        srv_reply_error(r, 400, msg);
        return;
    }
    srv_fresh fr;
    srv_snap *s = acquire_fresh(&fr, r);
    if (s == NULL)
        return;
    srv_request req;
    char detail[512];
    filter f = {0};
    int have_filter = 0;
    int st = srv_request_parse(c->body, c->body_len, &req, detail, sizeof(detail));
    if (st != 0) {
        srv_reply_error(r, (unsigned)st, detail);
        goto out;
    }
    if (filter_build(&f, s, c, dataset, "include_dataset", r) != 0)
        goto out;
    have_filter = 1;
    if (filter_add_body_ids(&f, s, json_object_get(req.body, "exclude_entity_ids"), r) != 0)
        goto out;
    emb_ctx *ctx = srv_thread_ctx();
    json_t *responses = json_object();
    if (ctx == NULL || responses == NULL) {
        json_decref(responses);
        srv_reply_error(r, 500, "out of memory");
        goto out;
    }
    if (c->log_queries)
        c->logged = json_array();
    for (size_t i = 0; i < req.n_queries; i++) {
        json_t *one = NULL;
        if (match_one(s, ctx, &req.queries[i], &f, (size_t)limit, threshold, cutoff, c, &one, r) !=
            0) {
            json_decref(responses);
            goto out;
        }
        json_object_set_new(responses, req.queries[i].key, one);
        c->n_queries++;
    }
    if (srv_audit_enabled()) {
        /* fails closed: a screening without its audit record is not answered */
        srv_audit_match am = {.s = s,
                              .call = c,
                              .dataset = dataset,
                              .req = &req,
                              .responses = responses,
                              .limit = limit,
                              .threshold = threshold,
                              .cutoff = cutoff,
                              .algorithm = algo != NULL ? algo : ALGORITHM,
                              .lists = fr.lists};
        char msg[EMB_ERROR_MSG_MAX + SRV_PATH_MAX + 128];
        if (srv_audit_append_match(&am, msg, sizeof(msg)) != 0) {
            json_decref(responses);
            srv_reply_error(r, 500, msg);
            goto out;
        }
    }
    json_t *o = json_object();
    int ok = o != NULL && put(o, "responses", responses);
    if (!ok)
        json_decref(responses);
    ok = ok && put(o, "matcher", matcher_docs()) && put(o, "limit", json_integer(limit));
    if (ok) {
        reply_json_lists(r, o, s, &fr);
    } else {
        json_decref(o);
        srv_reply_error(r, 500, "out of memory");
    }
out:
    if (have_filter)
        filter_free(&f);
    srv_request_free(&req);
    srv_fresh_free(&fr);
    srv_snap_release(s);
}

/* ---------------------------------------------------------------- /search */

typedef struct facet {
    char name[64];
    uint64_t count;
} facet;

typedef struct facets {
    facet *v;
    size_t n, cap;
} facets;

static void facet_add(facets *fs, emb_str name)
{
    if (name.len == 0 || name.len >= sizeof(fs->v[0].name))
        return;
    for (size_t i = 0; i < fs->n; i++) {
        if (strlen(fs->v[i].name) == name.len && memcmp(fs->v[i].name, name.ptr, name.len) == 0) {
            fs->v[i].count++;
            return;
        }
    }
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        facet *v = realloc(fs->v, cap * sizeof(*v));
        if (v == NULL)
            return;
        fs->v = v;
        fs->cap = cap;
    }
    memcpy(fs->v[fs->n].name, name.ptr, name.len);
    fs->v[fs->n].name[name.len] = '\0';
    fs->v[fs->n].count = 1;
    fs->n++;
}

static int cmp_facet(const void *a, const void *b)
{
    const facet *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static json_t *facet_json(facets *fs, const char *label)
{
    if (fs->n > 1)
        qsort(fs->v, fs->n, sizeof(facet), cmp_facet);
    json_t *o = json_object(), *vals = json_array();
    for (size_t i = 0; o != NULL && vals != NULL && i < fs->n; i++) {
        json_t *v = json_object();
        if (v == NULL)
            break;
        json_t *nm = json_string(fs->v[i].name);
        json_object_set_new(v, "name", nm != NULL ? nm : json_string(""));
        json_object_set(v, "label", json_object_get(v, "name"));
        json_object_set_new(v, "count", json_integer((json_int_t)fs->v[i].count));
        json_array_append_new(vals, v);
    }
    if (o == NULL || vals == NULL) {
        json_decref(o);
        json_decref(vals);
        return NULL;
    }
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "values", vals);
    return o;
}

static int has_arg_value(const srv_call *c, const char *key, emb_str v)
{
    for (size_t i = 0; i < c->n_args; i++) {
        if (strcmp(c->arg_keys[i], key) == 0 && c->arg_values[i] != NULL &&
            strlen(c->arg_values[i]) == v.len && memcmp(c->arg_values[i], v.ptr, v.len) == 0)
            return 1;
    }
    return 0;
}

static emb_str str_of(const char *s)
{
    emb_str v = {s, strlen(s)};
    return v;
}

/* The countries and topics filters: any of the given values must be among the entity's. */
static int passes(const srv_call *c, const emb_entity *e, int want_countries, int want_topics)
{
    int country_ok = !want_countries, topic_ok = !want_topics, has_topics = 0;
    for (size_t k = 0; k < e->n_values; k++) {
        const emb_value *v = &e->values[k];
        if (v->prop == EMB_PROP_TOPICS) {
            has_topics = 1;
            if (want_topics && has_arg_value(c, "topics", v->value))
                topic_ok = 1;
        } else if (want_countries &&
                   (v->prop == EMB_PROP_COUNTRY || v->prop == EMB_PROP_NATIONALITY ||
                    v->prop == EMB_PROP_CITIZENSHIP || v->prop == EMB_PROP_JURISDICTION) &&
                   has_arg_value(c, "countries", v->value)) {
            country_ok = 1;
        }
    }
    if (want_topics && !has_topics && has_arg_value(c, "topics", str_of("sanction")))
        topic_ok = 1;
    return country_ok && topic_ok;
}

static void facet_entity(const emb_entity *e, facets *countries, facets *topics, facets *datasets)
{
    int has_topics = 0;
    for (size_t k = 0; k < e->n_values; k++) {
        const emb_value *v = &e->values[k];
        if (v->prop == EMB_PROP_TOPICS) {
            has_topics = 1;
            facet_add(topics, v->value);
        } else if (v->prop == EMB_PROP_COUNTRY || v->prop == EMB_PROP_NATIONALITY ||
                   v->prop == EMB_PROP_CITIZENSHIP || v->prop == EMB_PROP_JURISDICTION) {
            facet_add(countries, v->value);
        }
    }
    /* every entity of a sanctions list is a sanctioned party unless its list says more */
    if (!has_topics)
        facet_add(topics, str_of("sanction"));
    facet_add(datasets, e->dataset);
}

static void route_search(srv_call *c, srv_reply *r, const char *dataset)
{
    long limit, offset;
    if (arg_long(c, r, "limit", 10, 0, SRV_MAX_LIMIT, &limit) != 0 ||
        arg_long(c, r, "offset", 0, 0, SRV_MAX_OFFSET, &offset) != 0)
        return;
    const char *q = arg(c, "q");
    const char *schema = arg(c, "schema");
    emb_schema sc = EMB_SCHEMA_UNKNOWN;
    if (schema != NULL && schema[0] != '\0' && strcmp(schema, "Thing") != 0) {
        sc = emb_schema_from_name(schema, strlen(schema));
        if (sc == EMB_SCHEMA_UNKNOWN) {
            srv_reply_error(r, 400, "Invalid schema");
            return;
        }
    }
    if (q != NULL && strlen(q) > SRV_MAX_NAME_BYTES) {
        srv_reply_error(r, 400, "q: longer than 1024 bytes");
        return;
    }
    srv_fresh fr;
    srv_snap *s = acquire_fresh(&fr, r);
    if (s == NULL)
        return;
    filter f;
    if (filter_build(&f, s, c, dataset, "datasets", r) != 0) {
        srv_fresh_free(&fr);
        srv_snap_release(s);
        return;
    }
    f.schema_is = sc;
    emb_ctx *ctx = srv_thread_ctx();
    facets countries = {0}, topics = {0}, datasets = {0};
    json_t *results = json_array();
    size_t total = 0, found = 0;
    if (ctx == NULL || results == NULL) {
        srv_reply_error(r, 500, "out of memory");
        goto out;
    }
    int want_countries = arg(c, "countries") != NULL, want_topics = arg(c, "topics") != NULL;
    if (q != NULL && q[0] != '\0') {
        emb_query eq = {.name = q};
        emb_screen_opts opts = {.limit = SEARCH_WINDOW,
                                .threshold = SEARCH_THRESHOLD,
                                .filter = keep_entity,
                                .filter_ud = &f};
        const emb_match *res;
        emb_error err;
        emb_status rc = emb_screen(s->idx, ctx, &eq, &opts, &res, &found, &err);
        if (rc != EMB_OK) {
            srv_reply_error(r, rc == EMB_ENOMEM ? 500 : 400,
                            err.msg[0] ? err.msg : emb_strerror(rc));
            goto out;
        }
        if (c->log_queries && (c->logged = json_array()) != NULL)
            json_array_append_new(c->logged, json_string(q));
        for (size_t i = 0; i < found; i++) {
            emb_entity e;
            if (emb_index_entity(s->idx, ctx, res[i].entity, &e) != EMB_OK)
                continue;
            if (!passes(c, &e, want_countries, want_topics))
                continue;
            facet_entity(&e, &countries, &topics, &datasets);
            if (total >= (size_t)offset && total < (size_t)(offset + limit)) {
                json_t *ej = entity_json(s, ctx, res[i].entity, 0);
                if (ej != NULL) {
                    json_object_set_new(ej, "score", json_real(cli_round3(res[i].score)));
                    json_array_append_new(results, ej);
                }
            }
            total++;
        }
    }
    json_t *o = json_object(), *tot = json_object(), *fac = json_object();
    if (o == NULL || tot == NULL || fac == NULL) {
        json_decref(o);
        json_decref(tot);
        json_decref(fac);
        srv_reply_error(r, 500, "out of memory");
        goto out;
    }
    json_object_set_new(tot, "value", json_integer((json_int_t)total));
    /* the window caps what is counted */
    json_object_set_new(tot, "relation", json_string(found >= SEARCH_WINDOW ? "gte" : "eq"));
    json_object_set_new(fac, "countries", facet_json(&countries, "Countries"));
    json_object_set_new(fac, "topics", facet_json(&topics, "Topics"));
    json_object_set_new(fac, "datasets", facet_json(&datasets, "Data sources"));
    json_object_set_new(o, "results", results);
    results = NULL;
    json_object_set_new(o, "facets", fac);
    json_object_set_new(o, "total", tot);
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "offset", json_integer(offset));
    reply_json_lists(r, o, s, &fr);
out:
    json_decref(results);
    free(countries.v);
    free(topics.v);
    free(datasets.v);
    filter_free(&f);
    srv_fresh_free(&fr);
    srv_snap_release(s);
}

/* ---------------------------------------------------------------- /entities/{id} */

static void route_entity(srv_call *c, srv_reply *r, const char *id)
{
    (void)c;
    srv_snap *s = srv_snap_acquire();
    if (s == NULL) {
        srv_reply_error(r, 503, "Index not ready.");
        return;
    }
    size_t at;
    emb_ctx *ctx = srv_thread_ctx();
    if (emb_index_find(s->idx, id, strlen(id), &at) != EMB_OK) {
        srv_reply_error(r, 404, "No such entity!");
    } else if (ctx == NULL) {
        srv_reply_error(r, 500, "out of memory");
    } else {
        reply_json_snap(r, 200, entity_json(s, ctx, at, 1), s->summary);
    }
    srv_snap_release(s);
}

/* ---------------------------------------------------------------- catalog and system */

static json_t *dataset_json(const char *name, const char *title, const char *version,
                            uint64_t entities, json_t *children)
{
    json_t *d = json_object();
    if (d == NULL) {
        json_decref(children);
        return NULL;
    }
    json_object_set_new(d, "name", json_string(name));
    json_object_set_new(d, "title", json_string(title));
    json_object_set_new(d, "summary", json_null());
    json_object_set_new(d, "url", json_null());
    json_object_set_new(d, "load", json_true());
    json_object_set_new(d, "entities_url", json_null());
    json_object_set_new(d, "version", json_string(version));
    json_object_set_new(d, "index_version", json_string(version));
    json_object_set_new(d, "index_current", json_true());
    json_object_set_new(d, "children", children != NULL ? children : json_array());
    json_object_set_new(d, "entity_count", json_integer((json_int_t)entities));
    return d;
}

static void route_catalog(srv_reply *r)
{
    srv_snap *s = srv_snap_acquire();
    json_t *o = json_object(), *list = json_array(), *current = json_array();
    json_t *outdated = json_array();
    srv_fresh fr = {0};
    if (o == NULL || list == NULL || current == NULL || outdated == NULL ||
        (s != NULL && srv_fresh_eval(s, &fr) != 0)) {
        json_decref(o);
        json_decref(list);
        json_decref(current);
        json_decref(outdated);
        srv_snap_release(s);
        srv_reply_error(r, 500, "out of memory");
        return;
    }
    if (s != NULL) {
        emb_str hash = emb_index_hash(s->idx);
        char hv[32];
        snprintf(hv, sizeof(hv), "%.*s", (int)hash.len, hash.ptr);
        json_t *all = json_array();
        for (size_t i = 0; i < s->n_datasets; i++) {
            /* a list's version is its publication date when it states one */
            const char *ver = s->dataset_published[i][0] ? s->dataset_published[i] : hv;
            int stale = srv_fresh_dataset_stale(&fr, s->datasets[i]);
            json_t *d =
                dataset_json(s->datasets[i], s->datasets[i], ver, s->dataset_entities[i], NULL);
            if (d != NULL) {
                json_object_set_new(d, "published",
                                    s->dataset_published[i][0]
                                        ? json_string(s->dataset_published[i])
                                        : json_null());
                json_object_set_new(d, "index_current", json_boolean(!stale));
                json_object_set_new(d, "stale", json_boolean(stale));
                json_array_append_new(list, d);
            }
            json_array_append_new(all, json_string(s->datasets[i]));
            /* yente: current holds the lists the index has up to date, outdated the others */
            json_array_append_new(stale ? outdated : current, json_string(s->datasets[i]));
        }
        /* the collections the path segment accepts */
        json_array_append_new(list, dataset_json("default", "All lists in the snapshot", hv,
                                                 s->n_entities, json_incref(all)));
        json_array_append_new(
            list, dataset_json("sanctions", "All lists in the snapshot", hv, s->n_entities, all));
        json_array_append_new(fr.any_stale ? outdated : current, json_string("default"));
        json_array_append_new(fr.any_stale ? outdated : current, json_string("sanctions"));
    }
    json_object_set_new(o, "datasets", list);
    json_object_set_new(o, "current", current);
    json_object_set_new(o, "outdated", outdated);
    json_object_set_new(o, "index_stale", json_boolean(s != NULL && fr.any_stale));
    json_object_set_new(o, "lists", fr.lists != NULL ? json_incref(fr.lists) : json_array());
    if (fr.detail[0] != '\0')
        json_object_set_new(o, "stale_detail", json_string(fr.detail));
    json_object_set_new(o, "require_fresh", json_boolean(srv_fresh_required()));
    json_object_set_new(o, "reload", srv_reload_json());
    reply_json_snap(r, 200, o, s != NULL ? s->info : NULL);
    srv_fresh_free(&fr);
    srv_snap_release(s);
}

static const struct {
    const char *name, *description;
} features[] = {
    {"name_match", "Names aligned token by token: the share of the name's weight that met"},
    {"name_literal_match", "The names are the same once normalised"},
    {"weak_alias_match", "The query met a weak (low-quality) alias"},
    {"name_token_missing", "An informative word of the name met nothing"},
    {"legal_form_mismatch", "Legal forms of different kinds (lowers the score)"},
    {"identifier_match", "An identifier (passport, IMO, registration number...) is the same"},
    {"country_match", "A country of the query is one of the entity's"},
    {"country_mismatch", "The countries disagree (lowers the score)"},
    {"dob_match", "A birth date agrees"},
    {"dob_year_disjoint", "The birth years disagree (lowers the score)"},
    {"dob_day_disjoint", "Same birth year, different day (lowers the score)"},
};

static json_t *matcher_docs(void)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < sizeof(features) / sizeof(features[0]); i++) {
        json_t *f = json_object();
        if (f == NULL)
            break;
        json_object_set_new(f, "description", json_string(features[i].description));
        json_object_set_new(f, "coefficient", json_null());
        json_object_set_new(f, "url", json_null());
        json_object_set_new(o, features[i].name, f);
    }
    return o;
}

static void route_algorithms(srv_reply *r)
{
    json_t *a = json_object();
    if (a != NULL) {
        json_object_set_new(a, "name", json_string(ALGORITHM));
        json_object_set_new(a, "description",
                            json_string("Token alignment of normalised and transliterated "
                                        "names weighted by rarity, with birth date, country and "
                                        "identifier evidence. yente's algorithm names are "
                                        "accepted and answered by it."));
        json_object_set_new(a, "features", matcher_docs());
    }
    json_t *arr = json_array(), *o = json_object();
    if (arr != NULL && a != NULL)
        json_array_append_new(arr, a);
    else
        json_decref(a);
    if (o != NULL) {
        json_object_set_new(o, "algorithms", arr != NULL ? arr : json_array());
        json_object_set_new(o, "default", json_string(ALGORITHM));
        json_object_set_new(o, "best", json_string(ALGORITHM));
    } else {
        json_decref(arr);
    }
    reply_json(r, 200, o);
}

/* Ready: a snapshot serves, its lists are fresh enough when --require-fresh, and the audit
 * store can be written when --audit. */
static void route_readyz(srv_reply *r)
{
    srv_snap *s = srv_snap_acquire();
    json_t *o = json_object();
    srv_fresh fr = {0};
    char why[sizeof(fr.detail) + SRV_PATH_MAX + 256] = "";
    if (s == NULL) {
        snprintf(why, sizeof(why), "Index not ready.");
    } else if (srv_fresh_eval(s, &fr) != 0) {
        snprintf(why, sizeof(why), "out of memory");
    } else if (fr.any_stale && srv_fresh_required()) {
        srv_fresh_refusal(&fr, why, sizeof(why));
    } else if (srv_audit_enabled()) {
        srv_audit_ready(why, sizeof(why));
    }
    if (o != NULL) {
        if (why[0] == '\0')
            json_object_set_new(o, "status", json_string("ok"));
        else
            json_object_set_new(o, "detail", json_string(why));
        if (fr.lists != NULL) {
            json_object_set_new(o, "stale", json_boolean(fr.any_stale));
            json_object_set_new(o, "lists", json_incref(fr.lists));
        }
        json_object_set_new(o, "reload", srv_reload_json());
    }
    reply_json_snap(r, why[0] == '\0' ? 200 : 503, o, s != NULL ? s->info : NULL);
    srv_fresh_free(&fr);
    srv_snap_release(s);
}

static void route_updatez(srv_call *c, srv_reply *r)
{
    const char *path = NULL;
    json_t *body = NULL;
    if (c->body_len > 0) {
        json_error_t jerr;
        body = json_loadb(c->body, c->body_len, 0, &jerr);
        json_t *p = body != NULL ? json_object_get(body, "path") : NULL;
        if (body == NULL || !json_is_object(body) || (p != NULL && !json_is_string(p))) {
            json_decref(body);
            srv_reply_error(r, 422, "body: a JSON object {\"path\": \"FILE.emb\"} or nothing");
            return;
        }
        path = p != NULL ? json_string_value(p) : NULL;
        /* without API keys anyone who reaches the port may call this: reload the configured
           file only, never one a caller names */
        if (path != NULL && !c->keys_configured) {
            json_decref(body);
            srv_reply_error(r, 403,
                            "a snapshot path may be given only when API keys are configured");
            return;
        }
    }
    emb_error err;
    emb_status rc = srv_reload(path, &err);
    json_decref(body);
    if (rc != EMB_OK) {
        char msg[EMB_ERROR_MSG_MAX + EMB_ERROR_SOURCE_MAX + 64];
        snprintf(msg, sizeof(msg), "snapshot refused, the previous one keeps serving: %s: %s",
                 err.source[0] ? err.source : "snapshot", err.msg[0] ? err.msg : emb_strerror(rc));
        srv_reply_error(r, 409, msg);
        return;
    }
    srv_snap *s = srv_snap_acquire();
    json_t *o = json_object();
    if (o != NULL)
        json_object_set_new(o, "status", json_string("ok"));
    reply_json_snap(r, 200, o, s != NULL ? s->summary : NULL);
    srv_snap_release(s);
}

/* ---------------------------------------------------------------- router */

static const char *after(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0 || path[n] == '\0' || strchr(path + n, '/') != NULL)
        return NULL;
    return path + n;
}

static int method_is(const srv_call *c, const char *m)
{
    return strcmp(c->method, m) == 0;
}

void srv_handle(srv_call *c, srv_reply *r)
{
    const char *p = c->path, *rest;
    int get = method_is(c, "GET") || method_is(c, "HEAD");
    c->route = ROUTE_OTHER;
    if ((rest = after(p, "/match/")) != NULL) {
        c->route = ROUTE_MATCH;
        if (!method_is(c, "POST"))
            goto not_allowed;
        route_match(c, r, rest);
    } else if ((rest = after(p, "/search/")) != NULL) {
        c->route = ROUTE_SEARCH;
        if (!get)
            goto not_allowed;
        route_search(c, r, rest);
    } else if ((rest = after(p, "/entities/")) != NULL) {
        c->route = ROUTE_ENTITY;
        if (!get)
            goto not_allowed;
        route_entity(c, r, rest);
    } else if (strcmp(p, "/catalog") == 0) {
        c->route = ROUTE_CATALOG;
        if (!get)
            goto not_allowed;
        route_catalog(r);
    } else if (strcmp(p, "/algorithms") == 0) {
        c->route = ROUTE_ALGORITHMS;
        if (!get)
            goto not_allowed;
        route_algorithms(r);
    } else if (strcmp(p, "/healthz") == 0) {
        c->route = ROUTE_HEALTHZ;
        if (!get)
            goto not_allowed;
        reply_static(r, 200, "application/json", "{\"status\":\"ok\"}");
    } else if (strcmp(p, "/readyz") == 0) {
        c->route = ROUTE_READYZ;
        if (!get)
            goto not_allowed;
        route_readyz(r);
    } else if (strcmp(p, "/metrics") == 0) {
        c->route = ROUTE_METRICS;
        if (!get)
            goto not_allowed;
        size_t len = 0;
        char *text = srv_metrics_text(&len);
        if (text == NULL) {
            srv_reply_error(r, 500, "out of memory");
            return;
        }
        r->status = 200;
        r->content_type = "text/plain; version=0.0.4; charset=utf-8";
        r->body = text;
        r->len = len;
        r->is_static = 0;
    } else if (strcmp(p, "/updatez") == 0) {
        c->route = ROUTE_UPDATEZ;
        if (!method_is(c, "POST"))
            goto not_allowed;
        route_updatez(c, r);
    } else if (strcmp(p, "/") == 0 || strcmp(p, "/app.js") == 0 || strcmp(p, "/app.css") == 0) {
        c->route = ROUTE_PAGE;
        if (!get)
            goto not_allowed;
        if (p[1] == '\0')
            reply_static(r, 200, "text/html; charset=utf-8", srv_page_html);
        else if (p[5] == 'j')
            reply_static(r, 200, "text/javascript; charset=utf-8", srv_page_js);
        else
            reply_static(r, 200, "text/css; charset=utf-8", srv_page_css);
    } else if (strcmp(p, "/favicon.ico") == 0) {
        c->route = ROUTE_PAGE;
        reply_static(r, 204, "image/x-icon", ""); /* no icon, and no 404 in the logs */
    } else {
        srv_reply_error(r, 404, "Not Found");
    }
    return;
not_allowed:
    srv_reply_error(r, 405, "Method Not Allowed");
}
