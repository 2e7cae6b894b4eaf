/*
 * Lists as tables whose header names FtM properties or the synonyms people use for them:
 * a user's own list (generic CSV), and the column machinery the EU journal CSV shares.
 * A column nobody knows is not dropped: its values are kept as notes labelled with the
 * column's header.
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"

#define MAX_LABEL 64

typedef struct {
    emb__col_role role;
    int sub;
    int multi; /* split on ';' */
    char label[MAX_LABEL];
} column;

struct emb__colmap {
    column *cols;
    size_t n;
};

/* Header words, compared after lower-casing and dropping everything but letters and digits
 * ("birth_date", "Birth Date" and "birthDate" are all "birthdate"). */
static const struct {
    const char *key;
    emb__col_role role;
    int sub;
} synonyms[] = {
    {"id", EMB__COL_ID, 0},
    {"uid", EMB__COL_ID, 0},
    {"sourceid", EMB__COL_ID, 0},
    {"entnum", EMB__COL_ID, 0},
    {"entityid", EMB__COL_ID, 0},
    {"entitynumber", EMB__COL_ID, 0},
    {"referencenumber", EMB__COL_ID, 0},
    {"reference", EMB__COL_ID, 0},
    {"ref", EMB__COL_ID, 0},
    {"uniqueid", EMB__COL_ID, 0},
    {"listid", EMB__COL_ID, 0},
    {"schema", EMB__COL_SCHEMA, 0},
    {"type", EMB__COL_SCHEMA, 0},
    {"entitytype", EMB__COL_SCHEMA, 0},
    {"sdntype", EMB__COL_SCHEMA, 0},
    {"subjecttype", EMB__COL_SCHEMA, 0},
    {"name", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"fullname", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"entityname", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"caption", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"primaryname", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"names", EMB__COL_NAME, EMB_NAME_PRIMARY},
    {"alias", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"aliases", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"alternatenames", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"alternatename", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"altnames", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"aka", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"akas", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"othernames", EMB__COL_NAME, EMB_NAME_ALIAS},
    {"weakalias", EMB__COL_NAME, EMB_NAME_WEAK_ALIAS},
    {"weakaliases", EMB__COL_NAME, EMB_NAME_WEAK_ALIAS},
    {"previousname", EMB__COL_NAME, EMB_NAME_PREVIOUS},
    {"previousnames", EMB__COL_NAME, EMB_NAME_PREVIOUS},
    {"formername", EMB__COL_NAME, EMB_NAME_PREVIOUS},
    {"formernames", EMB__COL_NAME, EMB_NAME_PREVIOUS},
    {"fka", EMB__COL_NAME, EMB_NAME_PREVIOUS},
    {"originalscript", EMB__COL_NAME, EMB_NAME_ORIGINAL_SCRIPT},
    {"originalscriptname", EMB__COL_NAME, EMB_NAME_ORIGINAL_SCRIPT},
    {"nonlatinname", EMB__COL_NAME, EMB_NAME_ORIGINAL_SCRIPT},
    {"originalname", EMB__COL_NAME, EMB_NAME_ORIGINAL_SCRIPT},
    {"birthdate", EMB__COL_PROP, EMB_PROP_BIRTH_DATE},
    {"birthdates", EMB__COL_PROP, EMB_PROP_BIRTH_DATE},
    {"dob", EMB__COL_PROP, EMB_PROP_BIRTH_DATE},
    {"dateofbirth", EMB__COL_PROP, EMB_PROP_BIRTH_DATE},
    {"datesofbirth", EMB__COL_PROP, EMB_PROP_BIRTH_DATE},
    {"placeofbirth", EMB__COL_PROP, EMB_PROP_BIRTH_PLACE},
    {"pob", EMB__COL_PROP, EMB_PROP_BIRTH_PLACE},
    {"countries", EMB__COL_PROP, EMB_PROP_COUNTRY},
    {"nationalities", EMB__COL_PROP, EMB_PROP_NATIONALITY},
    {"citizenships", EMB__COL_PROP, EMB_PROP_CITIZENSHIP},
    {"programs", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"programme", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"programmes", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"programids", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"sanctionsprogram", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"regime", EMB__COL_PROP, EMB_PROP_PROGRAM},
    {"addresses", EMB__COL_PROP, EMB_PROP_ADDRESS},
    {"identifiers", EMB__COL_PROP, EMB_PROP_ID_NUMBER},
    {"idnumbers", EMB__COL_PROP, EMB_PROP_ID_NUMBER},
    {"passport", EMB__COL_PROP, EMB_PROP_PASSPORT_NUMBER},
    {"passports", EMB__COL_PROP, EMB_PROP_PASSPORT_NUMBER},
    {"imo", EMB__COL_PROP, EMB_PROP_IMO_NUMBER},
    {"lei", EMB__COL_PROP, EMB_PROP_LEI_CODE},
    {"bic", EMB__COL_PROP, EMB_PROP_SWIFT_BIC},
    {"swift", EMB__COL_PROP, EMB_PROP_SWIFT_BIC},
    {"inn", EMB__COL_PROP, EMB_PROP_INN_CODE},
    {"ogrn", EMB__COL_PROP, EMB_PROP_OGRN_CODE},
    {"listedon", EMB__COL_PROP, EMB_PROP_LISTING_DATE},
    {"designationdate", EMB__COL_PROP, EMB_PROP_LISTING_DATE},
    {"datelisted", EMB__COL_PROP, EMB_PROP_LISTING_DATE},
    {"dateofdesignation", EMB__COL_PROP, EMB_PROP_LISTING_DATE},
    {"startdate", EMB__COL_PROP, EMB_PROP_LISTING_DATE},
    {"remarks", EMB__COL_PROP, EMB_PROP_NOTES},
    {"comments", EMB__COL_PROP, EMB_PROP_NOTES},
    {"url", EMB__COL_PROP, EMB_PROP_SOURCE_URL},
    {"sex", EMB__COL_PROP, EMB_PROP_GENDER},
    {"publisher", EMB__COL_PROP, EMB_PROP_AUTHORITY},
    {"ticker", EMB__COL_PROP, EMB_PROP_ID_NUMBER},
};

/* Columns whose cells are one value even when they hold ';' (prose, single names). */
static int scalar_prop(emb_prop p)
{
    return p == EMB_PROP_REASON || p == EMB_PROP_NOTES || p == EMB_PROP_LISTING_DATE;
}

static size_t fold_key(emb_str s, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len && n + 1 < cap; i++) {
        char c = s.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

static void classify(column *col, emb_str header)
{
    char key[MAX_LABEL];
    size_t n = header.len < MAX_LABEL - 1 ? header.len : MAX_LABEL - 1;
    memcpy(col->label, header.ptr, n);
    col->label[n] = '\0';
    fold_key(header, key, sizeof(key));
    col->role = EMB__COL_EXTRA;
    col->multi = 1;
    for (size_t i = 0; i < EMB_COUNTOF(synonyms); i++) {
        if (strcmp(key, synonyms[i].key) == 0) {
            col->role = synonyms[i].role;
            col->sub = synonyms[i].sub;
            break;
        }
    }
    if (col->role == EMB__COL_EXTRA) {
        /* any FtM property name, in any case ("imoNumber", "IMONUMBER") */
        for (int p = 0; p < EMB_PROP_MAX_; p++) {
            char pk[MAX_LABEL];
            fold_key(emb__str_cstr(emb_prop_name((emb_prop)p)), pk, sizeof(pk));
            if (p != EMB_PROP_UNRESOLVED && strcmp(key, pk) == 0) {
                col->role = EMB__COL_PROP;
                col->sub = p;
                break;
            }
        }
    }
    if (col->role == EMB__COL_ID || col->role == EMB__COL_SCHEMA ||
        (col->role == EMB__COL_NAME && col->sub == EMB_NAME_PRIMARY) ||
        (col->role == EMB__COL_PROP && scalar_prop((emb_prop)col->sub)) ||
        col->role == EMB__COL_EXTRA)
        col->multi = 0;
    if (header.len == 0)
        col->role = EMB__COL_IGNORE;
}

emb_status emb__colmap_new(emb__pctx *ctx, const emb__csv *header, emb__colmap **out)
{
    emb__colmap *m = emb__calloc(1, sizeof(*m));
    if (m == NULL)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    m->n = header->n_fields;
    m->cols = emb__calloc(m->n ? m->n : 1, sizeof(column));
    if (m->cols == NULL) {
        emb__free(m);
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m->n; i++) {
        classify(&m->cols[i], emb__str_trim(emb__csv_field(header, i)));
        /* a second column of the same single-valued role would be ambiguous */
        for (size_t k = 0; k < i; k++) {
            column *a = &m->cols[k], *b = &m->cols[i];
            if ((b->role == EMB__COL_ID || b->role == EMB__COL_SCHEMA) && a->role == b->role) {
                emb__err(ctx->err, EMB_EPARSE, "columns '%s' and '%s' both look like the %s column",
                         a->label, b->label, b->role == EMB__COL_ID ? "identifier" : "type");
                emb__err_at(ctx->err, emb__input_name(ctx->in), header->line, 0, header->offset);
                emb__colmap_free(m);
                return EMB_EPARSE;
            }
        }
    }
    *out = m;
    return EMB_OK;
}

void emb__colmap_free(emb__colmap *m)
{
    if (m == NULL)
        return;
    emb__free(m->cols);
    emb__free(m);
}

long emb__colmap_find(const emb__colmap *m, emb__col_role role, int sub)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->cols[i].role == role && (sub < 0 || m->cols[i].sub == sub))
            return (long)i;
    }
    return -1;
}

void emb__colmap_claim(emb__colmap *m, long i)
{
    if (i >= 0 && (size_t)i < m->n)
        m->cols[i].role = EMB__COL_IGNORE;
}

typedef struct {
    emb__pctx *ctx;
    const column *col;
} add_ctx;

static emb_status add_one(void *ud, emb_str v)
{
    add_ctx *a = ud;
    emb__eb *eb = &a->ctx->eb;
    emb_error *err = a->ctx->err;
    switch (a->col->role) {
    case EMB__COL_NAME:
        return emb__eb_name(eb, (emb_name_kind)a->col->sub, v, emb__str("", 0), err);
    case EMB__COL_PROP: {
        emb_prop p = (emb_prop)a->col->sub;
        if (emb__prop_is_country(p))
            return emb__eb_country(eb, p, v, err);
        if (emb__prop_is_date(p))
            return emb__eb_date(eb, p, v, EMB__DMY, err);
        /* the generic identifiers column keeps its header as the label */
        emb_str q = p == EMB_PROP_ID_NUMBER ? emb__str_cstr(a->col->label) : emb__str("", 0);
        return emb__eb_value(eb, p, v, q, err);
    }
    case EMB__COL_EXTRA:
        return emb__eb_value(eb, EMB_PROP_NOTES, v, emb__str_cstr(a->col->label), err);
    default:
        return EMB_OK;
    }
}

emb_status emb__colmap_row(emb__pctx *ctx, const emb__colmap *m, const emb__csv *row,
                           emb_schema fallback)
{
    emb_schema schema = fallback;
    emb__buf scratch;
    emb__buf_init(&scratch, EMB_LIMIT_FIELD_BYTES);
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < m->n && rc == EMB_OK; i++) {
        const column *col = &m->cols[i];
        emb_str cell = emb__csv_field(row, i);
        if (col->role == EMB__COL_SCHEMA) {
            if (emb__str_blank(cell))
                continue;
            schema = emb__schema_loose(cell);
            if (schema == EMB_SCHEMA_UNKNOWN)
                rc = emb__err(ctx->err, EMB_EPARSE, "unknown entity type '%.*s' in column '%s'",
                              (int)(cell.len > 40 ? 40 : cell.len), cell.ptr, col->label);
            continue;
        }
        if (col->role == EMB__COL_IGNORE || col->role == EMB__COL_ID)
            continue;
        add_ctx a = {ctx, col};
        if (col->multi)
            rc = emb__split_multi(cell, ';', &scratch, add_one, &a);
        else
            rc = add_one(&a, cell);
    }
    emb__buf_free(&scratch);
    if (rc == EMB_OK)
        emb__eb_schema(&ctx->eb, schema);
    return rc;
}

/* ------------------------------------------------------------ the generic user list */

emb_status emb__parse_generic_csv(emb__pctx *ctx)
{
    emb__csv csv;
    emb__colmap *map = NULL;
    int got = 0;
    emb_status rc = emb__csv_header(ctx, &csv);
    if (rc != EMB_OK)
        return rc;
    rc = emb__colmap_new(ctx, &csv, &map);
    if (rc != EMB_OK)
        goto out;
    if (emb__colmap_find(map, EMB__COL_NAME, EMB_NAME_PRIMARY) < 0) {
        rc = emb__err(ctx->err, EMB_EFORMAT, "missing required column 'name'");
        emb__err_at(ctx->err, emb__input_name(ctx->in), 1, 0, 0);
        goto out;
    }
    long id_col = emb__colmap_find(map, EMB__COL_ID, -1);
    size_t n_cols = csv.n_fields;
    uint64_t row_no = 0;
    for (;;) {
        rc = emb__csv_next(&csv, &got, ctx->err);
        if (rc != EMB_OK || !got)
            break;
        row_no++;
        char rowid[32];
        emb_str sid;
        if (id_col >= 0) {
            sid = emb__str_trim(emb__csv_field(&csv, (size_t)id_col));
        } else {
            /* no identifier column: the data row number (documented in docs/FORMATS.md) */
            int k = snprintf(rowid, sizeof(rowid), "%llu", (unsigned long long)row_no);
            sid = emb__str(rowid, k > 0 ? (size_t)k : 0);
        }
        if (csv.n_fields != n_cols) {
            rc = emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, the header has %zu",
                          csv.n_fields, n_cols);
        } else if (sid.len == 0) {
            rc = emb__err(ctx->err, EMB_EPARSE, "row has an empty identifier");
        } else {
            rc = emb__pctx_begin(ctx, sid, csv.line);
            if (rc == EMB_OK)
                rc = emb__colmap_row(ctx, map, &csv, EMB_SCHEMA_LEGAL_ENTITY);
            if (rc == EMB_OK) {
                rc = emb__pctx_emit(ctx);
                if (rc != EMB_OK)
                    break;
                continue;
            }
        }
        rc = emb__pctx_bad(ctx, rc, csv.line, csv.offset, sid.ptr, sid.len);
        if (rc != EMB_OK)
            break;
    }
out:
    emb__colmap_free(map);
    emb__csv_free(&csv);
    return rc;
}
