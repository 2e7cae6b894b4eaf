/*
 * Screening: the query is normalised once (only non-Latin text reaches ICU, through the
 * context's cache), its candidate names are looked up in the snapshot's key postings and
 * scored (emb__screen_exhaustive scores every name instead), the best name ranks its entity,
 * and attributes (identifiers, birth dates, countries) then raise or lower the score with a
 * stated reason. Results and explanations live in the context.
 */
#include <stdio.h>
#include <string.h>

#include "../model/model.h"
#include "../unicode/unicode.h"
#include "match.h"

#define DEFAULT_LIMIT 10
#define DEFAULT_THRESHOLD 0.70
#define MAX_LIMIT 1000
#define MAX_CANDIDATES 100000
#define MAX_ATTRS 16

/* The query's attributes, normalised the way list values are. */
typedef struct {
    char dates[MAX_ATTRS][11];
    size_t n_dates;
    const char *countries[MAX_ATTRS];
    size_t n_countries;
    char ids[MAX_ATTRS][64];
    size_t n_ids;
    emb__side q, c;
} query_state;

static int schema_compatible(emb_schema query, emb_schema cand)
{
    if (query == EMB_SCHEMA_UNKNOWN)
        return 1;
    return emb_schema_is_a(query, cand) || emb_schema_is_a(cand, query);
}

/* A LegalEntity (the lists' "entity": a person or not) whose names carry a legal form or an
 * organisation word is an organisation: not the person a Person query looks for. */
static int organisation_by_name(const emb_index *idx, const emb__snap_entity *e)
{
    for (uint32_t k = 0; k < e->n_names; k++) {
        const emb__snap_side *sd = &idx->sides[e->first_name + k];
        for (uint32_t j = 0; j < sd->n_base; j++) {
            uint8_t kind = idx->opts[sd->first_opt + j].kind;
            if (kind == EMB__TOK_LEGAL || kind == EMB__TOK_ORG)
                return 1;
        }
    }
    return 0;
}

/* Identifiers compare on letters and digits only, upper case: "AB 123-45" = "ab12345". */
static size_t id_norm(emb_str s, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len && n + 1 < cap; i++) {
        char c = s.ptr[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out[n++] = c;
    }
    out[n] = '\0';
    /* "IMO 9116412" and "9116412" are one number */
    if (n > 3 && memcmp(out, "IMO", 3) == 0) {
        memmove(out, out + 3, n - 2);
        n -= 3;
    }
    return n;
}

static emb_status parse_attrs(const emb_query *q, query_state *st, emb_error *err)
{
    st->n_dates = st->n_countries = st->n_ids = 0;
    if (q->n_birth_dates > MAX_ATTRS || q->n_countries > MAX_ATTRS || q->n_identifiers > MAX_ATTRS)
        return emb__err(err, EMB_ELIMIT, "a query takes at most %d values per attribute", MAX_ATTRS);
    for (size_t i = 0; i < q->n_birth_dates; i++) {
        char d[EMB__DATE_MAX_OUT][11];
        size_t n = q->birth_dates[i] ? emb__date_parse(emb__str_cstr(q->birth_dates[i]), EMB__DMY, d,
                                                       EMB__DATE_MAX_OUT)
                                     : 0;
        if (n == 0)
            return emb__err(err, EMB_EINVAL, "birth date '%.40s' is not a date embargo can read",
                            q->birth_dates[i] ? q->birth_dates[i] : "");
        for (size_t k = 0; k < n && st->n_dates < MAX_ATTRS; k++)
            memcpy(st->dates[st->n_dates++], d[k], 11);
    }
    for (size_t i = 0; i < q->n_countries; i++) {
        const char *code = q->countries[i] ? emb__country_code(emb__str_cstr(q->countries[i])) : NULL;
        if (code == NULL)
            return emb__err(err, EMB_EINVAL, "country '%.40s' is not one embargo knows",
                            q->countries[i] ? q->countries[i] : "");
        st->countries[st->n_countries++] = code;
    }
    for (size_t i = 0; i < q->n_identifiers; i++) {
        if (q->identifiers[i] == NULL ||
            id_norm(emb__str_cstr(q->identifiers[i]), st->ids[st->n_ids], 64) < 4)
            return emb__err(err, EMB_EINVAL, "identifier '%.40s' is too short to compare",
                            q->identifiers[i] ? q->identifiers[i] : "");
        st->n_ids++;
    }
    return EMB_OK;
}

/* ------------------------------------------------------------ explanations */

static emb_status expl_add(emb_ctx *ctx, const char *feature, double score, emb_str qv,
                           emb_str cv, const char *detail)
{
    emb_status rc = emb__grow((void **)&ctx->expl, &ctx->cap_expl, sizeof(emb_explanation),
                              ctx->n_expl + 1, MAX_LIMIT * 16);
    if (rc != EMB_OK)
        return rc;
    /* query values are copied: the caller's strings need not outlive the call */
    size_t off = ctx->expl_text.len;
    rc = emb__buf_append(&ctx->expl_text, qv.ptr ? qv.ptr : "", qv.len);
    if (rc != EMB_OK)
        return rc;
    emb_explanation *e = &ctx->expl[ctx->n_expl++];
    e->feature = feature;
    e->score = score;
    e->query.ptr = (const char *)(uintptr_t)off; /* an offset until the text stops growing */
    e->query.len = qv.len;
    e->candidate = cv;
    e->detail = detail;
    return EMB_OK;
}

/* ------------------------------------------------------------ entity scoring */

typedef struct {
    double score;
    double name_score;
    uint32_t name; /* index into idx->names */
    emb__name_score ns;
} entity_score;

/* The entity's best name: among all its names, or with `only`, among those listed. */
static void best_name(const emb_index *idx, query_state *st, const emb__snap_entity *e,
                      const uint32_t *only, size_t n_only, entity_score *out)
{
    out->score = -1;
    size_t n = only ? n_only : e->n_names;
    for (size_t k = 0; k < n; k++) {
        uint32_t ni = only ? only[k] : e->first_name + (uint32_t)k;
        const emb__snap_name *nm = &idx->names[ni];
        emb__side_from_snap(&st->c, idx, ni);
        emb__name_score ns;
        emb__score_names(&st->q, &st->c, &ns);
        double s = ns.score;
        if (nm->kind == EMB_NAME_WEAK_ALIAS)
            s *= 0.9; /* a low-quality a.k.a. is weaker evidence */
        if (s > out->score) {
            out->score = s;
            out->name_score = s;
            out->name = ni;
            out->ns = ns;
        }
    }
}

static int is_country_prop(emb_prop p)
{
    return p == EMB_PROP_NATIONALITY || p == EMB_PROP_CITIZENSHIP || p == EMB_PROP_COUNTRY ||
           p == EMB_PROP_JURISDICTION || p == EMB_PROP_BIRTH_COUNTRY ||
           p == EMB_PROP_REGISTRATION_COUNTRY || p == EMB_PROP_FLAG;
}

/* Apply the attributes to an entity's name score; with ctx, also record why. */
static emb_status attributes(const emb_index *idx, const query_state *st,
                             const emb__snap_entity *e, double *score, emb_ctx *ctx)
{
    int dob_any = 0, dob_year = 0, dob_day = 0, ctry_any = 0, ctry_hit = 0, id_hit = 0;
    emb_str dob_c = {NULL, 0}, ctry_c = {NULL, 0}, id_c = {NULL, 0};
    const char *dob_q = NULL, *ctry_q = NULL, *id_q = NULL;
    for (uint32_t k = 0; k < e->n_values; k++) {
        const emb__snap_value *v = &idx->values[e->first_value + k];
        emb_str val = emb__snap_str(idx, v->value);
        if (v->prop == EMB_PROP_BIRTH_DATE && st->n_dates) {
            dob_any = 1;
            for (size_t i = 0; i < st->n_dates; i++) {
                size_t ql = strlen(st->dates[i]);
                if (val.len >= 4 && memcmp(val.ptr, st->dates[i], 4) == 0) {
                    dob_year = 1;
                    size_t n = ql < val.len ? ql : val.len;
                    if (memcmp(val.ptr, st->dates[i], n) == 0 && dob_day <= 0) {
                        dob_day = 1;
                        dob_c = val;
                        dob_q = st->dates[i];
                    } else if (dob_day == 0) {
                        dob_day = -1;
                    }
                }
                if (dob_c.len == 0) {
                    dob_c = val;
                    dob_q = st->dates[i];
                }
            }
        } else if (is_country_prop((emb_prop)v->prop) && st->n_countries) {
            ctry_any = 1;
            for (size_t i = 0; i < st->n_countries; i++) {
                if (emb__str_eq(val, emb__str_cstr(st->countries[i]))) {
                    ctry_hit = 1;
                    ctry_c = val;
                    ctry_q = st->countries[i];
                }
            }
            if (ctry_c.len == 0) {
                ctry_c = val;
                ctry_q = st->countries[0];
            }
        } else if (emb__prop_is_identifier((emb_prop)v->prop) && st->n_ids && !id_hit) {
            char norm[64];
            if (id_norm(val, norm, sizeof(norm)) >= 4) {
                for (size_t i = 0; i < st->n_ids; i++) {
                    if (strcmp(norm, st->ids[i]) == 0) {
                        id_hit = 1;
                        id_c = val;
                        id_q = st->ids[i];
                    }
                }
            }
        }
    }
    double s = *score;
    emb_status rc = EMB_OK;
    if (id_hit) {
        /* an identical passport, IMO or registration number is strong evidence */
        s = 1.0 - (1.0 - s) * 0.3;
        if (ctx)
            rc = expl_add(ctx, "identifier_match", 1.0, emb__str_cstr(id_q), id_c,
                          "the same identifier: raises the score");
    }
    if (dob_any && rc == EMB_OK) {
        if (!dob_year) {
            s *= 0.75;
            if (ctx)
                rc = expl_add(ctx, "dob_year_disjoint", 0.75, emb__str_cstr(dob_q), dob_c,
                              "no birth year in common: score x 0.75");
        } else if (dob_day < 0) {
            s *= 0.9;
            if (ctx)
                rc = expl_add(ctx, "dob_day_disjoint", 0.9, emb__str_cstr(dob_q), dob_c,
                              "same birth year, different date: score x 0.9");
        } else if (ctx) {
            rc = expl_add(ctx, "dob_match", 1.0, emb__str_cstr(dob_q), dob_c,
                          "birth dates agree");
        }
    }
    if (ctry_any && rc == EMB_OK) {
        if (!ctry_hit) {
            s *= 0.85;
            if (ctx)
                rc = expl_add(ctx, "country_mismatch", 0.85, emb__str_cstr(ctry_q), ctry_c,
                              "no country in common: score x 0.85");
        } else if (ctx) {
            rc = expl_add(ctx, "country_match", 1.0, emb__str_cstr(ctry_q), ctry_c,
                          "a country in common");
        }
    }
    *score = s;
    return rc;
}

static emb_status explain_name(emb_ctx *ctx, const emb_index *idx, const entity_score *es,
                               emb_str query_name)
{
    const emb__snap_name *nm = &idx->names[es->name];
    emb_str cand = emb__snap_str(idx, nm->value);
    const char *feature = nm->kind == EMB_NAME_WEAK_ALIAS ? "weak_alias_match"
                          : es->ns.literal              ? "name_literal_match"
                                                        : "name_match";
    const char *detail = nm->kind == EMB_NAME_WEAK_ALIAS
                             ? "met a low-quality alias: score x 0.9"
                         : es->ns.literal ? "the same name once normalised"
                         : es->ns.generic ? "only generic words in common: capped at 0.45"
                         : es->ns.single_fuzzy
                             ? "a one-word name met by a near spelling only: score x 0.85"
                             : "names aligned token by token";
    emb_status rc = expl_add(ctx, feature, es->name_score, query_name, cand, detail);
    if (rc == EMB_OK && es->ns.missing.len > 0)
        rc = expl_add(ctx, "name_token_missing", es->ns.qcov, es->ns.missing, emb__str("", 0),
                      "a word of the query met nothing in this name");
    if (rc == EMB_OK && es->ns.legal_clash)
        rc = expl_add(ctx, "legal_form_mismatch", 0.9, query_name, cand,
                      "legal forms of different kinds: score x 0.9");
    return rc;
}

/* Insert into results kept sorted by score, ties by entity number (deterministic). */
static void keep(emb_match *res, size_t *n, size_t limit, const emb_match *m)
{
    if (*n == limit) {
        const emb_match *last = &res[limit - 1];
        if (last->score > m->score || (last->score == m->score && last->entity < m->entity))
            return;
    }
    size_t pos = *n < limit ? (*n)++ : limit - 1;
    while (pos > 0 && (res[pos - 1].score < m->score ||
                       (res[pos - 1].score == m->score && res[pos - 1].entity > m->entity))) {
        res[pos] = res[pos - 1];
        pos--;
    }
    res[pos] = *m;
}

static emb_status query_state_of(emb_ctx *ctx, query_state **out)
{
    if (ctx->scratch == NULL) {
        ctx->scratch = emb__calloc(1, sizeof(query_state));
        if (ctx->scratch == NULL)
            return EMB_ENOMEM;
    }
    *out = ctx->scratch;
    return EMB_OK;
}

/* Validate and normalise a query name into out (ctx->name, or ctx->name2 for a comparison). */
static emb_status normalise_query(emb_ctx *ctx, const char *name, emb__nname *out, emb_error *err)
{
    if (name == NULL)
        return emb__err(err, EMB_EINVAL, "the query has no name");
    emb__normalizer *nz;
    emb_status rc = emb__ctx_normalizer(ctx, &nz);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot start the name normaliser");
    rc = emb__normalize(nz, emb__str_cstr(name), out, err);
    if (rc != EMB_OK)
        return rc;
    if (out->n_toks == 0)
        return emb__err(err, EMB_EINVAL, "the query name has nothing to match (no letters or digits)");
    return EMB_OK;
}

static void point_explanations(emb_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_expl; i++)
        ctx->expl[i].query.ptr = ctx->expl_text.ptr + (uintptr_t)ctx->expl[i].query.ptr;
}

/* The run of candidate names (ascending) that belong to entity e. */
static const uint32_t *entity_run(const uint32_t *cands, size_t n, const emb__snap_entity *e,
                                  size_t *n_run)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cands[mid] < e->first_name)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && cands[end] < (uint64_t)e->first_name + e->n_names)
        end++;
    *n_run = end - lo;
    return cands + lo;
}

/* Rank one entity (its names: all, or the candidates among them) into the results. */
static void rank_entity(const emb_index *idx, query_state *st, const emb_query *query,
                        size_t i, const uint32_t *only, size_t n_only, double threshold,
                        const emb_screen_opts *opts, emb_ctx *ctx, size_t *n, size_t limit)
{
    const emb__snap_entity *e = &idx->entities[i];
    if (!schema_compatible(query->schema, (emb_schema)e->schema))
        return;
    if (query->schema == EMB_SCHEMA_PERSON && e->schema == EMB_SCHEMA_LEGAL_ENTITY &&
        organisation_by_name(idx, e))
        return;
    if (opts != NULL && opts->filter != NULL && !opts->filter(opts->filter_ud, idx, i))
        return;
    entity_score es;
    best_name(idx, st, e, only, n_only, &es);
    if (es.score <= 0)
        return;
    double s = es.score;
    attributes(idx, st, e, &s, NULL);
    if (s < threshold)
        return;
    emb_match m;
    memset(&m, 0, sizeof(m));
    m.entity = i;
    m.score = s;
    keep(ctx->results, n, limit, &m);
}

static emb_status screen(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                         const emb_screen_opts *opts, int exhaustive, const emb_match **results,
                         size_t *n_results, emb_error *err)
{
    emb__err_clear(err);
    if (idx == NULL || ctx == NULL || query == NULL)
        return emb__err(err, EMB_EINVAL, "no index, context or query");
    size_t limit = opts && opts->limit ? opts->limit : DEFAULT_LIMIT;
    double threshold = opts && opts->threshold >= 0 ? opts->threshold : DEFAULT_THRESHOLD;
    if (limit > MAX_LIMIT)
        return emb__err(err, EMB_ELIMIT, "limit %zu is over the maximum of %d", limit, MAX_LIMIT);
    query_state *st;
    emb_status rc = query_state_of(ctx, &st);
    if (rc == EMB_OK)
        rc = normalise_query(ctx, query->name, &ctx->name, err);
    if (rc != EMB_OK)
        return rc;
    rc = parse_attrs(query, st, err);
    if (rc != EMB_OK)
        return rc;
    if (emb__grow((void **)&ctx->results, &ctx->cap_results, sizeof(emb_match), limit,
                  MAX_LIMIT) != EMB_OK)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    emb__side_from_name(&st->q, &ctx->name, idx);
    const uint32_t *cands = NULL;
    size_t n_cands = 0;
    if (!exhaustive) {
        size_t k = opts != NULL && opts->candidates > 0 ? opts->candidates
                                                        : EMB__CANDIDATES_DEFAULT;
        if (k > MAX_CANDIDATES)
            k = MAX_CANDIDATES;
        rc = emb__candidates(idx, ctx, &ctx->name, k, &cands, &n_cands);
        if (rc != EMB_OK)
            return emb__err(err, rc, "cannot look up candidates: %s", emb_strerror(rc));
    }
    size_t n = 0;
    if (exhaustive) {
        for (size_t i = 0; i < idx->n_entities; i++)
            rank_entity(idx, st, query, i, NULL, 0, threshold, opts, ctx, &n, limit);
    } else {
        /* candidates ascend, and an entity's names are contiguous: one run per entity */
        for (size_t c = 0; c < n_cands;) {
            uint32_t ent = idx->names[cands[c]].entity;
            size_t run = 1;
            while (c + run < n_cands && idx->names[cands[c + run]].entity == ent)
                run++;
            rank_entity(idx, st, query, ent, cands + c, run, threshold, opts, ctx, &n, limit);
            c += run;
        }
    }
    /* explanations for the results only */
    ctx->n_expl = 0;
    emb__buf_reset(&ctx->expl_text);
    size_t first[MAX_LIMIT + 1];
    for (size_t r = 0; r < n && rc == EMB_OK; r++) {
        emb_match *m = &ctx->results[r];
        const emb__snap_entity *e = &idx->entities[m->entity];
        entity_score es;
        size_t n_only = 0;
        const uint32_t *only = exhaustive ? NULL : entity_run(cands, n_cands, e, &n_only);
        best_name(idx, st, e, only, n_only, &es);
        first[r] = ctx->n_expl;
        rc = explain_name(ctx, idx, &es, emb__str_cstr(query->name));
        double s = es.score;
        if (rc == EMB_OK)
            rc = attributes(idx, st, e, &s, ctx);
        const emb__snap_name *nm = &idx->names[es.name];
        m->matched_name = emb__snap_str(idx, nm->value);
        m->matched_kind = (emb_name_kind)nm->kind;
    }
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    point_explanations(ctx);
    for (size_t r = 0; r < n; r++) {
        ctx->results[r].explanations = ctx->expl + first[r];
        ctx->results[r].n_explanations = (r + 1 < n ? first[r + 1] : ctx->n_expl) - first[r];
    }
    *results = ctx->results;
    *n_results = n;
    return EMB_OK;
}

emb_status emb_screen(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                      const emb_screen_opts *opts, const emb_match **results, size_t *n_results,
                      emb_error *err)
{
    return screen(idx, ctx, query, opts, 0, results, n_results, err);
}

emb_status emb__screen_exhaustive(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                                  const emb_screen_opts *opts, const emb_match **results,
                                  size_t *n_results, emb_error *err)
{
    return screen(idx, ctx, query, opts, 1, results, n_results, err);
}

emb_status emb_compare(emb_ctx *ctx, const char *name1, const char *name2, emb_schema schema,
                       double *score, const emb_explanation **explanations,
                       size_t *n_explanations, emb_error *err)
{
    (void)schema;
    emb__err_clear(err);
    if (ctx == NULL || score == NULL)
        return emb__err(err, EMB_EINVAL, "no context or score");
    query_state *st;
    emb_status rc = query_state_of(ctx, &st);
    if (rc == EMB_OK)
        rc = normalise_query(ctx, name2, &ctx->name2, err);
    if (rc != EMB_OK)
        return rc;
    /* the candidate side points into ctx->name2, which stays as it is while name1 is read */
    emb__side_from_name(&st->c, &ctx->name2, NULL);
    rc = normalise_query(ctx, name1, &ctx->name, err);
    if (rc == EMB_OK) {
        emb__side_from_name(&st->q, &ctx->name, NULL);
        emb__name_score ns;
        emb__score_names(&st->q, &st->c, &ns);
        *score = ns.score;
        ctx->n_expl = 0;
        emb__buf_reset(&ctx->expl_text);
        rc = expl_add(ctx, ns.literal ? "name_literal_match" : "name_match", ns.score,
                      emb__str_cstr(name1), emb__str("", 0), "names aligned token by token");
        if (rc == EMB_OK && ns.legal_clash)
            rc = expl_add(ctx, "legal_form_mismatch", 0.9, emb__str_cstr(name1),
                          emb__str("", 0), "legal forms of different kinds");
        if (rc == EMB_OK && ns.missing.len > 0)
            rc = expl_add(ctx, "name_token_missing", ns.qcov, ns.missing, emb__str("", 0),
                          "a word of the first name met nothing in the second");
        size_t name2_at = ctx->expl_text.len;
        if (rc == EMB_OK)
            rc = emb__buf_append(&ctx->expl_text, name2, strlen(name2));
        if (rc == EMB_OK) {
            point_explanations(ctx);
            for (size_t i = 0; i < ctx->n_expl; i++)
                ctx->expl[i].candidate = emb__str(ctx->expl_text.ptr + name2_at, strlen(name2));
            if (explanations)
                *explanations = ctx->expl;
            if (n_explanations)
                *n_explanations = ctx->n_expl;
        }
    }
    return rc;
}
