/*
 * Screening by exhaustive comparison: every name of every compatible entity is compared with
 * the query, and the best name per entity ranks the entity. List names were normalised when
 * the snapshot was built, so a query is normalised once (only non-Latin text reaches ICU,
 * through the context's cache) and compared.
 */
#include <string.h>

#include "../index/index.h"
#include "../unicode/unicode.h"
#include "match.h"

#define DEFAULT_LIMIT 10
#define DEFAULT_THRESHOLD 0.70
#define MAX_LIMIT 1000

static int schema_compatible(emb_schema query, emb_schema cand)
{
    if (query == EMB_SCHEMA_UNKNOWN)
        return 1;
    return emb_schema_is_a(query, cand) || emb_schema_is_a(cand, query);
}

/* Insert into results kept sorted by descending score, at most limit long. */
static void keep(emb_match *res, size_t *n, size_t limit, const emb_match *m)
{
    if (*n == limit && res[limit - 1].score >= m->score)
        return;
    size_t pos = *n < limit ? (*n)++ : limit - 1;
    while (pos > 0 && res[pos - 1].score < m->score) {
        res[pos] = res[pos - 1];
        pos--;
    }
    res[pos] = *m;
}

emb_status emb_screen(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                      const emb_screen_opts *opts, const emb_match **results, size_t *n_results,
                      emb_error *err)
{
    emb__err_clear(err);
    if (idx == NULL || ctx == NULL || query == NULL || query->name == NULL)
        return emb__err(err, EMB_EINVAL, "no index, context or query name");
    size_t limit = opts && opts->limit ? opts->limit : DEFAULT_LIMIT;
    double threshold = opts && opts->threshold >= 0 ? opts->threshold : DEFAULT_THRESHOLD;
    if (limit > MAX_LIMIT)
        return emb__err(err, EMB_ELIMIT, "limit %zu is over the maximum of %d", limit, MAX_LIMIT);
    emb_str name = emb__str_cstr(query->name);
    if (name.len > EMB_LIMIT_NAME_BYTES)
        return emb__err(err, EMB_ELIMIT, "query name is %zu bytes, over the limit of %u",
                        name.len, EMB_LIMIT_NAME_BYTES);
    size_t bad;
    if (!emb__utf8_valid(name.ptr, name.len, &bad)) {
        emb__err(err, EMB_EUTF8, "query name is not valid UTF-8 (byte %zu)", bad);
        err->byte_offset = bad;
        return EMB_EUTF8;
    }
    emb__normalizer *nz;
    emb_status rc = emb__ctx_normalizer(ctx, &nz);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot start the name normaliser");
    rc = emb__normalize(nz, name, &ctx->name, err);
    if (rc != EMB_OK)
        return rc;
    if (emb__grow((void **)&ctx->results, &ctx->cap_results, sizeof(emb_match), limit,
                  MAX_LIMIT) != EMB_OK)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    emb_str q = emb__str(ctx->name.compare.ptr ? ctx->name.compare.ptr : "", ctx->name.compare.len);
    size_t n = 0;
    for (size_t i = 0; i < idx->n_entities; i++) {
        const emb__snap_entity *e = &idx->entities[i];
        if (!schema_compatible(query->schema, (emb_schema)e->schema))
            continue;
        emb_match best = {i, -1.0, {NULL, 0}, EMB_NAME_PRIMARY};
        for (uint32_t k = 0; k < e->n_names; k++) {
            const emb__snap_name *nm = &idx->names[e->first_name + k];
            double s = emb__name_similarity(q, emb__snap_str(idx, nm->folded));
            /* a weak alias is weak evidence (yente's weak_alias_match) */
            if (nm->kind == EMB_NAME_WEAK_ALIAS)
                s *= 0.9;
            if (s > best.score) {
                best.score = s;
                best.matched_name = emb__snap_str(idx, nm->value);
                best.matched_kind = (emb_name_kind)nm->kind;
            }
        }
        if (best.score >= threshold && best.score > 0)
            keep(ctx->results, &n, limit, &best);
    }
    *results = ctx->results;
    *n_results = n;
    return EMB_OK;
}
