/*
 * The audit trail of the HTTP API (`embargo serve --audit`): every POST /match appends one
 * "screening" record to the store's hash-chained audit table before it is answered, and a
 * request whose record cannot be written is refused (500): a regulator's record must not be
 * silently missing. The screened names and attributes are kept only with --audit-queries
 * (personal data); then `embargo audit replay` can send the same request to the same
 * snapshot again and compare the results.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <embargo/store.h>

#include "../cli/cli.h"
#include "server.h"

static int audit_on, audit_keep;
static char audit_db[SRV_PATH_MAX];

/* The store handle, used by the writer thread (and srv_audit_ready) under audit_mu. Opened
 * lazily and again after a failure, so a store that becomes writable is used. */
static pthread_mutex_t audit_mu = PTHREAD_MUTEX_INITIALIZER;
static emb_store *audit_store;

/*
 * Group commit: a request queues its record and waits until the writer thread has committed
 * the batch holding it. The writer takes everything queued (up to a cap) and commits it in
 * one transaction, so one fsync serves every request that arrived meanwhile: while one batch
 * syncs, the next accumulates. A failed batch fails every request in it (fails closed).
 */
#define BATCH_MAX_RECORDS 512
#define BATCH_MAX_BYTES   ((size_t)4 << 20)

typedef struct audit_job {
    const char *actor;
    const char *payload;
    size_t bytes;
    char *msg; /* the requester's buffer for why it failed */
    size_t cap;
    int done, failed;
    pthread_cond_t cv; /* signalled when done: only this requester wakes */
    struct audit_job *next;
} audit_job;

static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_work = PTHREAD_COND_INITIALIZER; /* queued, or stopping */
static audit_job *q_head, *q_tail;
static int q_started, q_stopping;
static pthread_t q_thread;

void srv_audit_configure(int on, int keep_queries, const char *db)
{
    audit_on = on;
    audit_keep = keep_queries;
    snprintf(audit_db, sizeof(audit_db), "%s", db != NULL ? db : emb_store_default_path());
}

int srv_audit_enabled(void)
{
    return audit_on;
}

/* Under audit_mu. */
static emb_status open_locked(emb_error *err)
{
    if (audit_store != NULL)
        return EMB_OK;
    emb_status rc = emb_store_open(audit_db, &audit_store, err);
    if (rc != EMB_OK)
        audit_store = NULL;
    return rc;
}

int srv_audit_ready(char *msg, size_t cap)
{
    msg[0] = '\0';
    if (!audit_on)
        return 1;
    emb_error err;
    memset(&err, 0, sizeof(err));
    pthread_mutex_lock(&audit_mu);
    emb_status rc = open_locked(&err);
    pthread_mutex_unlock(&audit_mu);
    if (rc == EMB_OK)
        return 1;
    snprintf(msg, cap, "audit store unavailable: %s: %s", audit_db,
             err.msg[0] ? err.msg : emb_strerror(rc));
    return 0;
}

/* Commit one batch (jobs linked by next, n of them); 0, or -1 with why in err. */
static int commit_batch(audit_job *batch, size_t n, emb_error *err)
{
    const char *actors_small[64], *payloads_small[64];
    const char **actors = actors_small, **payloads = payloads_small;
    if (n > 64) {
        actors = malloc(n * sizeof(*actors));
        payloads = malloc(n * sizeof(*payloads));
    }
    emb_status rc = EMB_ENOMEM;
    if (actors != NULL && payloads != NULL) {
        size_t i = 0;
        for (audit_job *j = batch; j != NULL && i < n; j = j->next, i++) {
            actors[i] = j->actor;
            payloads[i] = j->payload;
        }
        pthread_mutex_lock(&audit_mu);
        rc = open_locked(err);
        if (rc == EMB_OK) {
            rc = emb_store_audit_append_many(audit_store, "screening", n, actors, payloads, NULL,
                                             err);
            if (rc != EMB_OK) { /* reopen next time: the handle may be in doubt */
                emb_store_close(audit_store);
                audit_store = NULL;
            }
        }
        pthread_mutex_unlock(&audit_mu);
    } else {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
    }
    if (actors != actors_small)
        free((void *)actors);
    if (payloads != payloads_small)
        free((void *)payloads);
    return rc == EMB_OK ? 0 : -1;
}

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&q_mu);
    for (;;) {
        while (q_head == NULL && !q_stopping)
            pthread_cond_wait(&q_work, &q_mu);
        if (q_head == NULL) /* stopping and drained */
            break;
        /* take a batch off the queue: up to the caps, at least one record */
        audit_job *batch = q_head, *last = q_head;
        size_t n = 1, bytes = q_head->bytes;
        while (last->next != NULL && n < BATCH_MAX_RECORDS &&
               bytes + last->next->bytes <= BATCH_MAX_BYTES) {
            last = last->next;
            bytes += last->bytes;
            n++;
        }
        q_head = last->next;
        if (q_head == NULL)
            q_tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&q_mu);

        emb_error err;
        memset(&err, 0, sizeof(err));
        int failed = commit_batch(batch, n, &err) != 0;

        pthread_mutex_lock(&q_mu);
        for (audit_job *j = batch, *next; j != NULL; j = next) {
            next = j->next; /* j belongs to its requester once done is set */
            if (failed)
                snprintf(j->msg, j->cap,
                         "audit record not written, so the screening is not answered: %s: %s",
                         audit_db, err.msg[0] ? err.msg : "commit failed");
            j->failed = failed;
            j->done = 1;
            pthread_cond_signal(&j->cv);
        }
    }
    pthread_mutex_unlock(&q_mu);
    return NULL;
}

/* Queue one record and wait for its batch's commit. 0, or -1 with why in msg. */
static int append_grouped(const char *actor, const char *payload, char *msg, size_t cap)
{
    audit_job job = {.actor = actor,
                     .payload = payload,
                     .bytes = strlen(payload) + strlen(actor),
                     .msg = msg,
                     .cap = cap};
    if (pthread_cond_init(&job.cv, NULL) != 0) {
        snprintf(msg, cap, "audit record not written, so the screening is not answered: %s: %s",
                 audit_db, "cannot create a condition variable");
        return -1;
    }
    pthread_mutex_lock(&q_mu);
    if (!q_started && !q_stopping) {
        if (pthread_create(&q_thread, NULL, writer_main, NULL) == 0)
            q_started = 1;
    }
    if (!q_started || q_stopping) {
        int stopping = q_stopping;
        pthread_mutex_unlock(&q_mu);
        pthread_cond_destroy(&job.cv);
        snprintf(msg, cap, "audit record not written, so the screening is not answered: %s: %s",
                 audit_db, stopping ? "the server is stopping" : "cannot start the writer");
        return -1;
    }
    if (q_tail != NULL)
        q_tail->next = &job;
    else
        q_head = &job;
    q_tail = &job;
    pthread_cond_signal(&q_work);
    while (!job.done)
        pthread_cond_wait(&job.cv, &q_mu);
    pthread_mutex_unlock(&q_mu);
    pthread_cond_destroy(&job.cv);
    return job.failed ? -1 : 0;
}

void srv_audit_shutdown(void)
{
    /* drain: the writer commits what is queued, then exits */
    pthread_mutex_lock(&q_mu);
    int started = q_started;
    q_stopping = 1;
    pthread_cond_broadcast(&q_work);
    pthread_mutex_unlock(&q_mu);
    if (started)
        pthread_join(q_thread, NULL);
    pthread_mutex_lock(&q_mu);
    q_started = 0;
    pthread_mutex_unlock(&q_mu);
    pthread_mutex_lock(&audit_mu);
    emb_store_close(audit_store);
    audit_store = NULL;
    pthread_mutex_unlock(&audit_mu);
}

/* The values of query-string parameter `key`, in order. */
static json_t *arg_values(const srv_call *c, const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < c->n_args; i++) {
        if (strcmp(c->arg_keys[i], key) == 0 && c->arg_values[i] != NULL)
            json_array_append_new(a, json_string(c->arg_values[i]));
    }
    return a;
}

static json_t *options_json(const srv_audit_match *m)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "limit", json_integer(m->limit));
    json_object_set_new(o, "threshold", json_real(m->threshold));
    json_object_set_new(o, "cutoff", json_real(m->cutoff));
    json_object_set_new(o, "algorithm", json_string(m->algorithm));
    static const char *const filters[] = {"include_dataset", "exclude_dataset", "exclude_schema",
                                          "topics"};
    for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
        json_object_set_new(o, filters[i], arg_values(m->call, filters[i]));
    /* decided false positives left out: from the URL and from the body alike */
    json_t *ids = arg_values(m->call, "exclude_entity_ids");
    json_t *body_ids = json_object_get(m->req->body, "exclude_entity_ids");
    if (ids != NULL && json_is_array(body_ids))
        json_array_extend(ids, body_ids);
    json_object_set_new(o, "exclude_entity_ids", ids);
    return o;
}

/* Per query: its key, each result's id, score and match; with --audit-queries the query as
 * sent. */
static json_t *queries_json(const srv_audit_match *m, uint64_t *n_results, uint64_t *n_matches)
{
    json_t *arr = json_array();
    json_t *sent = json_object_get(m->req->body, "queries");
    for (size_t i = 0; arr != NULL && i < m->req->n_queries; i++) {
        const char *key = m->req->queries[i].key;
        json_t *resp = json_object_get(m->responses, key);
        json_t *results = json_object_get(resp, "results");
        json_t *q = json_object(), *rs = json_array();
        if (q == NULL || rs == NULL || json_array_append_new(arr, q) != 0) {
            json_decref(rs);
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(q, "key", json_string(key));
        size_t j;
        json_t *e;
        json_array_foreach(results, j, e)
        {
            json_t *one = json_object();
            if (one == NULL)
                break;
            json_object_set(one, "id", json_object_get(e, "id"));
            json_object_set(one, "score", json_object_get(e, "score"));
            json_object_set(one, "match", json_object_get(e, "match"));
            *n_results += 1;
            *n_matches += json_is_true(json_object_get(e, "match"));
            json_array_append_new(rs, one);
        }
        json_object_set_new(q, "results", rs);
        if (audit_keep)
            json_object_set(q, "query", json_object_get(sent, key));
    }
    return arr;
}

int srv_audit_append_match(const srv_audit_match *m, char *msg, size_t cap)
{
    json_error_t je;
    json_t *snap = json_loads(m->s->info, 0, &je);
    char abs[SRV_PATH_MAX];
    if (realpath(m->s->path, abs) == NULL)
        snprintf(abs, sizeof(abs), "%s", m->s->path);
    if (snap != NULL)
        json_object_set_new(snap, "path", json_string(abs));
    char endpoint[128];
    snprintf(endpoint, sizeof(endpoint), "/match/%.100s", m->dataset);
    uint64_t n_results = 0, n_matches = 0;
    json_t *queries = queries_json(m, &n_results, &n_matches);
    json_t *pl = json_object();
    int ok = pl != NULL && snap != NULL && queries != NULL;
    if (ok) {
        json_object_set_new(pl, "command", json_string("serve"));
        json_object_set_new(pl, "endpoint", json_string(endpoint));
        json_object_set_new(pl, "dataset", json_string(m->dataset));
        json_object_set(pl, "snapshot", snap);
        json_object_set_new(pl, "engine", json_string(emb_version()));
        json_object_set_new(pl, "options", options_json(m));
        json_object_set_new(pl, "lists", m->lists != NULL ? json_deep_copy(m->lists) : json_null());
        json_object_set_new(pl, "counts",
                            json_pack("{s:I, s:I, s:I}", "queries", (json_int_t)m->req->n_queries,
                                      "results", (json_int_t)n_results, "matches",
                                      (json_int_t)n_matches));
        json_object_set(pl, "queries", queries);
        json_object_set_new(pl, "queries_kept", json_boolean(audit_keep));
    }
    json_decref(snap);
    json_decref(queries);
    char *payload =
        ok ? json_dumps(pl, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(pl);
    if (payload == NULL) {
        snprintf(msg, cap, "audit record not written: out of memory");
        fprintf(stderr, "embargo serve: %s\n", msg);
        return -1;
    }
    char actor[32];
    if (m->call->key_no > 0)
        snprintf(actor, sizeof(actor), "serve:key-%d", m->call->key_no);
    else
        snprintf(actor, sizeof(actor), "serve");
    int rc = append_grouped(actor, payload, msg, cap);
    free(payload);
    if (rc != 0) {
        fprintf(stderr, "embargo serve: %s\n", msg);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- replay */

/* Arguments of the recorded request, in the order /match reads them. */
typedef struct args {
    const char **keys, **values;
    size_t n, cap;
    char nums[3][40];
} args;

static int args_add(args *a, const char *k, const char *v)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        const char **nk = realloc((void *)a->keys, cap * sizeof(char *));
        if (nk == NULL)
            return -1;
        a->keys = nk;
        const char **nv = realloc((void *)a->values, cap * sizeof(char *));
        if (nv == NULL)
            return -1;
        a->values = nv;
        a->cap = cap;
    }
    a->keys[a->n] = k;
    a->values[a->n++] = v;
    return 0;
}

static int args_from(args *a, const json_t *opts)
{
    snprintf(a->nums[0], sizeof(a->nums[0]), "%lld",
             (long long)json_integer_value(json_object_get(opts, "limit")));
    snprintf(a->nums[1], sizeof(a->nums[1]), "%.17g",
             json_number_value(json_object_get(opts, "threshold")));
    snprintf(a->nums[2], sizeof(a->nums[2]), "%.17g",
             json_number_value(json_object_get(opts, "cutoff")));
    int bad = args_add(a, "limit", a->nums[0]) || args_add(a, "threshold", a->nums[1]) ||
              args_add(a, "cutoff", a->nums[2]);
    const char *algo = json_string_value(json_object_get(opts, "algorithm"));
    if (algo != NULL)
        bad = bad || args_add(a, "algorithm", algo);
    static const char *const filters[] = {"include_dataset", "exclude_dataset", "exclude_schema",
                                          "topics"};
    for (size_t f = 0; f < sizeof(filters) / sizeof(filters[0]); f++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(opts, filters[f]), i, v)
        {
            if (json_is_string(v))
                bad = bad || args_add(a, filters[f], json_string_value(v));
        }
    }
    return bad ? -1 : 0;
}

/* Compare the replayed answer with the record; prints each difference. */
static int compare(const json_t *recorded, const json_t *responses, size_t *n_results)
{
    size_t i, differ = 0;
    json_t *q;
    json_array_foreach(recorded, i, q)
    {
        const char *key = json_string_value(json_object_get(q, "key"));
        json_t *want = json_object_get(q, "results");
        json_t *got = json_object_get(json_object_get(responses, key ? key : ""), "results");
        size_t nw = json_array_size(want), ng = json_array_size(got);
        *n_results += nw;
        int same = nw == ng;
        for (size_t j = 0; same && j < nw; j++) {
            json_t *w = json_array_get(want, j), *g = json_array_get(got, j);
            const char *wi = json_string_value(json_object_get(w, "id"));
            const char *gi = json_string_value(json_object_get(g, "id"));
            same = wi != NULL && gi != NULL && strcmp(wi, gi) == 0 &&
                   fabs(json_number_value(json_object_get(w, "score")) -
                        json_number_value(json_object_get(g, "score"))) < 0.0005 &&
                   json_is_true(json_object_get(w, "match")) ==
                       json_is_true(json_object_get(g, "match"));
        }
        if (same)
            continue;
        differ++;
        printf("query %s: recorded", key ? key : "?");
        for (size_t j = 0; j < nw; j++) {
            json_t *w = json_array_get(want, j);
            printf(" %s %.3f", json_string_value(json_object_get(w, "id")),
                   json_number_value(json_object_get(w, "score")));
        }
        printf("%s; replay", nw ? "" : " nothing");
        for (size_t j = 0; j < ng; j++) {
            json_t *g = json_array_get(got, j);
            printf(" %s %.3f", json_string_value(json_object_get(g, "id")),
                   json_number_value(json_object_get(g, "score")));
        }
        printf("%s\n", ng ? "" : " nothing");
    }
    return (int)differ;
}

int srv_audit_replay(const json_t *pl, const char *override)
{
    json_t *snap = json_object_get(pl, "snapshot");
    const char *want = json_string_value(json_object_get(snap, "hash"));
    const char *path =
        override != NULL ? override : json_string_value(json_object_get(snap, "path"));
    const char *endpoint = json_string_value(json_object_get(pl, "endpoint"));
    json_t *recorded = json_object_get(pl, "queries");
    if (!json_is_true(json_object_get(pl, "queries_kept"))) {
        printf("cannot replay: the server did not keep the screened queries of this record "
               "(start `embargo serve --audit --audit-queries` to keep them)\n");
        return CLI_ERROR;
    }
    if (want == NULL || path == NULL || endpoint == NULL || !json_is_array(recorded)) {
        printf("cannot replay: the record lacks the snapshot, endpoint or queries\n");
        return CLI_ERROR;
    }
    json_t *body = json_object(), *qs = json_object();
    size_t i;
    json_t *q;
    json_array_foreach(recorded, i, q)
    {
        const char *key = json_string_value(json_object_get(q, "key"));
        json_t *sent = json_object_get(q, "query");
        if (key != NULL && sent != NULL)
            json_object_set(qs, key, sent);
    }
    json_t *opts = json_object_get(pl, "options");
    json_object_set_new(body, "queries", qs);
    json_t *ids = json_object_get(opts, "exclude_entity_ids");
    if (json_array_size(ids) > 0)
        json_object_set(body, "exclude_entity_ids", ids);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    args a;
    memset(&a, 0, sizeof(a));
    int rc = CLI_ERROR;
    int loaded = 0, have_ctx = 0;
    srv_snap *s = NULL;
    srv_reply r = {0};
    json_t *answer = NULL;
    if (text == NULL || args_from(&a, opts) != 0 || !(have_ctx = srv_thread_ctx_init())) {
        printf("cannot replay: out of memory\n");
        goto out;
    }
    emb_error err;
    if (srv_reload(path, &err) != EMB_OK) {
        printf("cannot replay: snapshot %s (hash %s) is not available: %s\n", path, want, err.msg);
        goto out;
    }
    loaded = 1;
    s = srv_snap_acquire();
    emb_str h = emb_index_hash(s->idx);
    if (strlen(want) != h.len || memcmp(want, h.ptr, h.len) != 0) {
        printf("cannot replay: %s has hash %.*s, the record used %s (give the right file "
               "with -i)\n",
               path, (int)h.len, h.ptr, want);
        goto out;
    }
    srv_call call = {.method = "POST",
                     .path = endpoint,
                     .body = text,
                     .body_len = strlen(text),
                     .arg_keys = a.keys,
                     .arg_values = a.values,
                     .n_args = a.n,
                     .authorised = 1,
                     .route = ROUTE_OTHER};
    srv_handle(&call, &r);
    json_decref(call.logged);
    json_error_t je;
    answer = r.body != NULL ? json_loadb(r.body, r.len, 0, &je) : NULL;
    if (r.status != 200 || answer == NULL) {
        const char *d = json_string_value(json_object_get(answer, "detail"));
        printf("cannot replay: the screening failed (%u): %s\n", r.status, d ? d : "no answer");
        goto out;
    }
    const char *eng = json_string_value(json_object_get(pl, "engine"));
    if (eng != NULL && strcmp(eng, emb_version()) != 0)
        printf("note: recorded with engine %s, replayed with %s\n", eng, emb_version());
    size_t n_results = 0;
    int differ = compare(recorded, json_object_get(answer, "responses"), &n_results);
    if (differ == 0) {
        printf("same result: %zu queries, %zu results\n", json_array_size(recorded), n_results);
        rc = CLI_OK;
    } else {
        printf("DIFFERENT result: %d of %zu queries differ\n", differ, json_array_size(recorded));
    }
out:
    json_decref(answer);
    if (!r.is_static)
        free(r.body);
    free(text);
    free((void *)a.keys);
    free((void *)a.values);
    srv_snap_release(s);
    if (loaded)
        srv_snap_shutdown();
    srv_fresh_shutdown();
    if (have_ctx)
        srv_thread_ctx_release();
    return rc;
}
