/*
 * JSON objects shared by the commands, so `screen --json`, `batch` and `compare --json`
 * describe a match and its reasons in the same words.
 */
#include <jansson.h>
#include <math.h>

#include "cli.h"

double cli_round3(double v)
{
    return floor(v * 1000.0 + 0.5) / 1000.0;
}

/* Library strings are valid UTF-8; null rather than a missing key should one not be. */
static json_t *jstr(emb_str s)
{
    json_t *v = json_stringn(s.ptr != NULL ? s.ptr : "", s.len);
    return v != NULL ? v : json_null();
}

/* Set and check: a NULL value (allocation failure) fails the object. */
static int put(json_t *o, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(o, key, v) == 0;
}

json_t *cli_explanations_json(const emb_explanation *ex, size_t n)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        /* each feature appears once per match; keep the first should that ever change */
        if (json_object_get(o, ex[i].feature) != NULL)
            continue;
        json_t *f = json_object();
        int ok = f != NULL && put(f, "score", json_real(cli_round3(ex[i].score))) &&
                 put(f, "detail", json_string(ex[i].detail != NULL ? ex[i].detail : "")) &&
                 put(f, "query", jstr(ex[i].query)) && put(f, "candidate", jstr(ex[i].candidate));
        if (!ok || json_object_set_new(o, ex[i].feature, f) != 0) {
            if (ok)
                f = NULL; /* set_new released it */
            json_decref(f);
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

json_t *cli_match_json(const emb_index *idx, emb_ctx *ctx, const emb_match *m, double threshold)
{
    emb_entity e;
    if (emb_index_entity(idx, ctx, m->entity, &e) != EMB_OK)
        return NULL;
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int ok = put(o, "id", jstr(e.id)) && put(o, "dataset", jstr(e.dataset)) &&
             put(o, "source_id", jstr(e.source_id)) &&
             put(o, "schema", json_string(emb_schema_name(e.schema))) &&
             put(o, "caption", jstr(e.caption)) &&
             put(o, "score", json_real(cli_round3(m->score))) &&
             put(o, "match", json_boolean(m->score >= threshold)) &&
             put(o, "matched_name", jstr(m->matched_name)) &&
             put(o, "matched_kind", json_string(emb_name_kind_name(m->matched_kind))) &&
             put(o, "explanations", cli_explanations_json(m->explanations, m->n_explanations));
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}
