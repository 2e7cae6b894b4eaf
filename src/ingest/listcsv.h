/*
 * Fixed-header list CSVs (OpenSanctions targets.simple.csv, the US Consolidated Screening
 * List): a table names each column the parser knows and how its cells become names and
 * values; the row loop, the header check and the bad-record handling are shared.
 */
#ifndef EMB_INGEST_LISTCSV_H
#define EMB_INGEST_LISTCSV_H

#include "ingest.h"

typedef enum emb__lc_how {
    EMB__LC_OWN = 0, /* read by the parser itself */
    EMB__LC_NAME,    /* sub: emb_name_kind */
    EMB__LC_PROP,    /* sub: emb_prop (countries and dates are normalised) */
    EMB__LC_LABELLED /* sub: emb_prop, qualified with the column's header */
} emb__lc_how;

typedef struct emb__lc_col {
    const char *header;
    emb__lc_how how;
    int sub;
    char sep;     /* 0: the cell is one value; else split on sep (emb__split_multi) */
    int required; /* a file without this column is refused */
} emb__lc_col;

typedef struct emb__lc {
    emb__pctx *ctx;
    emb__csv csv;
    int csv_open;
    const emb__lc_col *cols;
    size_t n_cols;
    long *idx;       /* column of each table entry in the file, -1 when absent */
    size_t n_fields; /* width of the header */
    emb__buf scratch;
    emb__date_order order;
} emb__lc;

/* One data row: begin the record and fill it (emb__lc_apply_all does the table's columns).
 * Set *sid to the row's identifier for error reports, and *emit to 0 to drop the row. */
typedef emb_status (*emb__lc_row_fn)(emb__lc *t, void *ud, emb_str *sid, int *emit);

/* Read the header and check the required columns (EMB_EFORMAT naming the first missing). */
emb_status emb__lc_open(emb__lc *t, emb__pctx *ctx, const emb__lc_col *cols, size_t n_cols,
                        emb__date_order order);
void emb__lc_close(emb__lc *t);

/* Cell of table entry i in the current row (trimmed; empty when the column is absent). */
emb_str emb__lc_field(const emb__lc *t, size_t i);

/* Call fn for each value of table entry i (split on its separator when it has one). */
emb_status emb__lc_each(emb__lc *t, size_t i, emb__value_fn fn, void *ud);

/* Add every non-EMB__LC_OWN column of the current row to the record in ctx->eb. */
emb_status emb__lc_apply_all(emb__lc *t);

/* Add one value as prop: countries through emb__eb_country, dates through emb__eb_date. */
emb_status emb__lc_add(emb__lc *t, emb_prop prop, emb_str value, emb_str qualifier);

/* Read every data row: a row of the wrong width, or one row_fn fails, is a bad record. */
emb_status emb__lc_run(emb__lc *t, emb__lc_row_fn row_fn, void *ud);

#endif
