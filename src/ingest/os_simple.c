/*
 * OpenSanctions targets.simple.csv: one row per target, FtM schema names, multi-valued cells
 * joined with ';' (a value holding ';' or '"' is CSV-quoted inside the cell, so the
 * `sanctions` cell of a target without sanction text is `""`). The export flattens FtM:
 * `countries` merges country, nationality and flag, and `identifiers` merges every
 * identifier property without saying which, so only an IMO number (IMO + 7 digits) is
 * recognised; the rest are kept as idNumber. source_id is the FtM entity id.
 */
#include <string.h>

#include "listcsv.h"

enum {
    COL_ID,
    COL_SCHEMA,
    COL_NAME,
    COL_ALIASES,
    COL_BIRTH_DATE,
    COL_COUNTRIES,
    COL_ADDRESSES,
    COL_IDENTIFIERS,
    COL_SANCTIONS,
    COL_PHONES,
    COL_EMAILS,
    COL_PROGRAM_IDS,
    COL_DATASET,
    COL_LAST_SEEN,
};

static const emb__lc_col columns[] = {
    [COL_ID] = {"id", EMB__LC_OWN, 0, 0, 1},
    [COL_SCHEMA] = {"schema", EMB__LC_OWN, 0, 0, 1},
    [COL_NAME] = {"name", EMB__LC_NAME, EMB_NAME_PRIMARY, 0, 1},
    [COL_ALIASES] = {"aliases", EMB__LC_NAME, EMB_NAME_ALIAS, ';', 0},
    [COL_BIRTH_DATE] = {"birth_date", EMB__LC_PROP, EMB_PROP_BIRTH_DATE, ';', 0},
    [COL_COUNTRIES] = {"countries", EMB__LC_PROP, EMB_PROP_COUNTRY, ';', 0},
    [COL_ADDRESSES] = {"addresses", EMB__LC_PROP, EMB_PROP_ADDRESS, ';', 0},
    [COL_IDENTIFIERS] = {"identifiers", EMB__LC_OWN, 0, ';', 0},
    /* sanction summaries (authority, program, reason), kept as labelled notes */
    [COL_SANCTIONS] = {"sanctions", EMB__LC_LABELLED, EMB_PROP_NOTES, ';', 0},
    [COL_PHONES] = {"phones", EMB__LC_PROP, EMB_PROP_PHONE, ';', 0},
    [COL_EMAILS] = {"emails", EMB__LC_PROP, EMB_PROP_EMAIL, ';', 0},
    [COL_PROGRAM_IDS] = {"program_ids", EMB__LC_PROP, EMB_PROP_PROGRAM, ';', 0},
    [COL_DATASET] = {"dataset", EMB__LC_LABELLED, EMB_PROP_NOTES, ';', 0},
    [COL_LAST_SEEN] = {"last_seen", EMB__LC_OWN, 0, 0, 0},
};

typedef struct {
    char last_seen[32];
} os_state;

static int is_imo(emb_str v)
{
    if (v.len != 10 || !emb__str_istarts(v, "IMO"))
        return 0;
    for (size_t i = 3; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return 0;
    }
    return 1;
}

static emb_status add_identifier(void *ud, emb_str v)
{
    emb__lc *t = ud;
    return emb__lc_add(t, is_imo(v) ? EMB_PROP_IMO_NUMBER : EMB_PROP_ID_NUMBER, v, emb__str("", 0));
}

static void note_last_seen(os_state *st, emb_str s)
{
    if (s.len > 0 && s.len < sizeof(st->last_seen) &&
        strncmp(s.ptr, st->last_seen, sizeof(st->last_seen)) > 0) {
        memcpy(st->last_seen, s.ptr, s.len);
        st->last_seen[s.len] = '\0';
    }
}

static emb_status os_row(emb__lc *t, void *ud, emb_str *sid, int *emit)
{
    emb__pctx *ctx = t->ctx;
    *emit = 1;
    *sid = emb__lc_field(t, COL_ID);
    if (sid->len == 0)
        return emb__err(ctx->err, EMB_EPARSE, "row has an empty id");
    emb_str sname = emb__lc_field(t, COL_SCHEMA);
    emb_schema schema = emb_schema_from_name(sname.ptr, sname.len);
    if (schema == EMB_SCHEMA_UNKNOWN)
        return emb__err(ctx->err, EMB_EPARSE, "unknown schema '%.*s'",
                        (int)(sname.len > 40 ? 40 : sname.len), sname.ptr);
    emb_status rc = emb__pctx_begin(ctx, *sid, t->csv.line);
    if (rc != EMB_OK)
        return rc;
    emb__eb_schema(&ctx->eb, schema);
    note_last_seen(ud, emb__lc_field(t, COL_LAST_SEEN));
    rc = emb__lc_apply_all(t);
    if (rc == EMB_OK)
        rc = emb__lc_each(t, COL_IDENTIFIERS, add_identifier, t);
    return rc;
}

emb_status emb__parse_os_simple(emb__pctx *ctx)
{
    emb__lc t;
    os_state st;
    memset(&st, 0, sizeof(st));
    emb_status rc = emb__lc_open(&t, ctx, columns, EMB_COUNTOF(columns), EMB__DMY);
    if (rc == EMB_OK)
        rc = emb__lc_run(&t, os_row, &st);
    /* the newest last_seen is when the export was made */
    if (rc == EMB_OK && st.last_seen[0])
        emb__pctx_published(ctx, emb__str_cstr(st.last_seen));
    emb__lc_close(&t);
    return rc;
}
