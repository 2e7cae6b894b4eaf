/* Column tables and the row loop shared by the fixed-header list CSVs (see listcsv.h). */
#include "listcsv.h"

#include <string.h>

emb_status emb__lc_open(emb__lc *t, emb__pctx *ctx, const emb__lc_col *cols, size_t n_cols,
                        emb__date_order order)
{
    memset(t, 0, sizeof(*t));
    t->ctx = ctx;
    t->cols = cols;
    t->n_cols = n_cols;
    t->order = order;
    emb__buf_init(&t->scratch, EMB_LIMIT_FIELD_BYTES);
    const char **names = emb__calloc(n_cols, sizeof(char *));
    t->idx = emb__calloc(n_cols, sizeof(long));
    emb_status rc = (names && t->idx) ? emb__csv_init(&t->csv, ctx->in, ',') : EMB_ENOMEM;
    if (rc != EMB_OK) {
        emb__free(names);
        return emb__err(ctx->err, rc, "out of memory");
    }
    t->csv_open = 1;
    int got = 0;
    rc = emb__csv_next(&t->csv, &got, ctx->err);
    if (rc == EMB_OK && !got)
        rc = emb__err(ctx->err, EMB_EFORMAT, "file is empty");
    if (rc == EMB_OK) {
        for (size_t i = 0; i < n_cols; i++)
            names[i] = cols[i].header;
        emb__csv_header_index(&t->csv, names, n_cols, t->idx);
        t->n_fields = t->csv.n_fields;
        for (size_t i = 0; i < n_cols && rc == EMB_OK; i++) {
            if (cols[i].required && t->idx[i] < 0) {
                rc =
                    emb__err(ctx->err, EMB_EFORMAT, "missing required column '%s'", cols[i].header);
                emb__err_at(ctx->err, emb__input_name(ctx->in), 1, 0, 0);
            }
        }
    }
    emb__free(names);
    return rc;
}

void emb__lc_close(emb__lc *t)
{
    if (t->csv_open)
        emb__csv_free(&t->csv);
    emb__free(t->idx);
    emb__buf_free(&t->scratch);
    t->csv_open = 0;
    t->idx = NULL;
}

emb_str emb__lc_field(const emb__lc *t, size_t i)
{
    if (i >= t->n_cols || t->idx[i] < 0)
        return emb__str("", 0);
    return emb__str_trim(emb__csv_field(&t->csv, (size_t)t->idx[i]));
}

emb_status emb__lc_each(emb__lc *t, size_t i, emb__value_fn fn, void *ud)
{
    emb_str cell = emb__lc_field(t, i);
    if (cell.len == 0)
        return EMB_OK;
    if (t->cols[i].sep == 0)
        return fn(ud, cell);
    emb_status rc = emb__split_multi(cell, t->cols[i].sep, &t->scratch, fn, ud);
    if (rc == EMB_ELIMIT || rc == EMB_ENOMEM)
        return emb__err(t->ctx->err, rc, "column '%s': %s", t->cols[i].header, emb_strerror(rc));
    return rc;
}

emb_status emb__lc_add(emb__lc *t, emb_prop prop, emb_str value, emb_str qualifier)
{
    emb__eb *eb = &t->ctx->eb;
    if (emb__prop_is_country(prop))
        return emb__eb_country(eb, prop, value, t->ctx->err);
    if (emb__prop_is_date(prop))
        return emb__eb_date(eb, prop, value, t->order, t->ctx->err);
    return emb__eb_value(eb, prop, value, qualifier, t->ctx->err);
}

typedef struct {
    emb__lc *t;
    const emb__lc_col *col;
} apply_ctx;

static emb_status apply_one(void *ud, emb_str v)
{
    apply_ctx *a = ud;
    if (a->col->how == EMB__LC_NAME)
        return emb__eb_name(&a->t->ctx->eb, (emb_name_kind)a->col->sub, v, emb__str("", 0),
                            a->t->ctx->err);
    emb_str q = a->col->how == EMB__LC_LABELLED ? emb__str_cstr(a->col->header) : emb__str("", 0);
    return emb__lc_add(a->t, (emb_prop)a->col->sub, v, q);
}

emb_status emb__lc_apply_all(emb__lc *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        if (t->cols[i].how == EMB__LC_OWN)
            continue;
        apply_ctx a = {t, &t->cols[i]};
        emb_status rc = emb__lc_each(t, i, apply_one, &a);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

emb_status emb__lc_run(emb__lc *t, emb__lc_row_fn row_fn, void *ud)
{
    emb__pctx *ctx = t->ctx;
    for (;;) {
        int got = 0;
        /* the previous row's id must not name this one in an error */
        emb__err_record(ctx->err, "", 0);
        emb_status rc = emb__csv_next(&t->csv, &got, ctx->err);
        if (rc != EMB_OK) {
            /* a read or decompression failure knows its offset, not its line */
            if (ctx->err != NULL && ctx->err->line == 0)
                emb__err_at(ctx->err, NULL, t->csv.line, 0, UINT64_MAX);
            return rc;
        }
        if (!got)
            return EMB_OK;
        emb_str sid = emb__str("", 0);
        int emit = 1;
        if (t->csv.n_fields != t->n_fields)
            rc = emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, the header has %zu",
                          t->csv.n_fields, t->n_fields);
        else
            rc = row_fn(t, ud, &sid, &emit);
        if (rc == EMB_OK) {
            if (!emit)
                continue;
            rc = emb__pctx_emit(ctx);
            if (rc != EMB_OK)
                return rc;
            continue;
        }
        rc = emb__pctx_bad(ctx, rc, t->csv.line, t->csv.offset, sid.ptr, sid.len);
        if (rc != EMB_OK)
            return rc;
    }
}
