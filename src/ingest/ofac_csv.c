/*
 * OFAC legacy CSV set: a primary file (SDN.CSV, or CONS_PRIM.CSV for the Consolidated non-SDN
 * list) with no header and 12 columns
 *   ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
 *   Vess_flag, Vess_owner, Remarks
 * where `-0- ` means empty, plus sibling files beside it, found by name case-insensitively:
 *   ALT.CSV          ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks
 *   ADD.CSV          ent_num, add_num, address, city/state/postal code, country, add_remarks
 *   SDN_COMMENTS.CSV ent_num, the rest of a Remarks field OFAC cut at 1000 bytes
 * (CONS_ALT.CSV, CONS_ADD.CSV, CONS_COMMENTS.CSV beside CONS_PRIM.CSV). Missing siblings are
 * fine: SDN.CSV alone still carries the weak a.k.a.s in its remarks. Siblings are looked for
 * only beside a primary that is a plain .csv file on disk (not inside an archive, not memory).
 *
 * Memory: the siblings are read first into an index keyed by ent_num (the cross-reference
 * index of this format, capped at EMB_LIMIT_XREF_ENTRIES rows); the primary is then streamed.
 * The index also remembers every primary ent_num seen, to refuse duplicates.
 *
 * A sibling row whose ent_num has no entry in the primary would be lost without notice, so
 * after the primary is read each such ent_num is a bad record of the sibling file: the parse
 * fails at the first one (the message gives the total), or under skip_bad each is reported
 * and counted as skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ofac.h"

enum { X_ALT, X_ADD, X_COMMENTS, X_KINDS };

#define PRIMARY_FIELDS 12
#define ROW_TEXTS 4
#define NONE 0u
/* Set in the index value once the primary has an entry with that ent_num. */
#define SEEN_BIT (1ull << 63)

static const struct {
    const char *sdn_file;
    const char *cons_file;
    size_t n_fields;
} sibling_spec[X_KINDS] = {
    [X_ALT] = {"alt.csv", "cons_alt.csv", 5},
    [X_ADD] = {"add.csv", "cons_add.csv", 6},
    [X_COMMENTS] = {"sdn_comments.csv", "cons_comments.csv", 2},
};

/* One sibling row: its text fields after ent_num and the row number. */
typedef struct {
    uint32_t next; /* index + 1 of the next row of the same entry and kind, NONE at the end */
    emb_name_kind kind;
    uint64_t line;
    emb_str text[ROW_TEXTS];
} xrow;

/* All sibling rows of one ent_num, in file order. */
typedef struct {
    emb_str id;
    uint32_t head[X_KINDS], tail[X_KINDS];
    uint32_t count[X_KINDS];
    int used;
} xent;

typedef struct {
    emb__map map; /* ent_num -> index + 1 into ents, | SEEN_BIT */
    emb__arena text;
    xent *ents;
    size_t n_ents, cap_ents;
    xrow *rows;
    size_t n_rows, cap_rows;
    emb__input *in[X_KINDS];
} xref;

static int all_digits(emb_str s)
{
    if (s.len == 0)
        return 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return 0;
    }
    return 1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int is_cons(const char *path)
{
    return strncasecmp(base_name(path), "cons_", 5) == 0;
}

static emb_str field(const emb__csv *c, size_t i)
{
    return emb__str_trim(emb__csv_field(c, i));
}

/* ------------------------------------------------------------ the sibling index */

static emb_status xref_entry(emb__pctx *ctx, xref *x, emb_str id, xent **out)
{
    uint64_t *slot = NULL;
    int is_new = 0;
    if (emb__map_put(&x->map, id.ptr, id.len, &slot, &is_new) != EMB_OK)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    if (*slot & ~SEEN_BIT) {
        *out = &x->ents[(*slot & ~SEEN_BIT) - 1];
        return EMB_OK;
    }
    emb_status rc = emb__grow((void **)&x->ents, &x->cap_ents, sizeof(xent), x->n_ents + 1,
                              EMB_LIMIT_XREF_ENTRIES);
    if (rc != EMB_OK)
        return emb__err(ctx->err, rc, "more than %u cross-referenced entries",
                        EMB_LIMIT_XREF_ENTRIES);
    xent *e = &x->ents[x->n_ents++];
    memset(e, 0, sizeof(*e));
    e->id.ptr = emb__arena_strndup(&x->text, id.ptr, id.len);
    e->id.len = id.len;
    if (e->id.ptr == NULL)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    *slot |= x->n_ents;
    *out = e;
    return EMB_OK;
}

/* Type of an ALT.CSV row, and weak when OFAC's remarks call it low quality. */
static emb_status alt_kind(emb__pctx *ctx, emb_str type, emb_str remarks, emb_name_kind *kind)
{
    if (emb__str_ieq(type, "aka") || emb__str_ieq(type, "nka"))
        *kind = EMB_NAME_ALIAS;
    else if (emb__str_ieq(type, "fka"))
        *kind = EMB_NAME_PREVIOUS;
    else
        return emb__err(ctx->err, EMB_EPARSE, "unknown alt_type '%.*s' (aka, fka or nka)",
                        (int)(type.len > 20 ? 20 : type.len), type.ptr);
    if (emb__str_ifind(remarks, "weak") >= 0 || emb__str_ifind(remarks, "low quality") >= 0)
        *kind = EMB_NAME_WEAK_ALIAS;
    return EMB_OK;
}

static emb_status xref_row(emb__pctx *ctx, xref *x, int kind, const emb__csv *c)
{
    if (c->n_fields != sibling_spec[kind].n_fields)
        return emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, this file has %zu",
                        c->n_fields, sibling_spec[kind].n_fields);
    emb_str id = field(c, 0);
    if (!all_digits(id))
        return emb__err(ctx->err, EMB_EPARSE, "ent_num '%.*s' is not a number",
                        (int)(id.len > 20 ? 20 : id.len), id.ptr);
    xrow row;
    memset(&row, 0, sizeof(row));
    row.line = c->line;
    /* comments keep their spaces: they continue a remark cut mid-word */
    size_t first = kind == X_COMMENTS ? 1 : 2;
    for (size_t i = first; i < c->n_fields && i - first < ROW_TEXTS; i++) {
        emb_str s = kind == X_COMMENTS ? emb__csv_field(c, i) : field(c, i);
        if (emb__str_blank(s))
            continue;
        row.text[i - first].ptr = emb__arena_strndup(&x->text, s.ptr, s.len);
        row.text[i - first].len = s.len;
        if (row.text[i - first].ptr == NULL)
            return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    }
    if (kind == X_ALT) {
        emb_status rc = alt_kind(ctx, field(c, 2), field(c, 4), &row.kind);
        if (rc != EMB_OK)
            return rc;
    }
    xent *e = NULL;
    emb_status rc = xref_entry(ctx, x, id, &e);
    if (rc != EMB_OK)
        return rc;
    rc = emb__grow((void **)&x->rows, &x->cap_rows, sizeof(xrow), x->n_rows + 1,
                   EMB_LIMIT_XREF_ENTRIES);
    if (rc == EMB_ELIMIT)
        return emb__err(ctx->err, rc, "more than %u sibling rows", EMB_LIMIT_XREF_ENTRIES);
    if (rc != EMB_OK)
        return emb__err(ctx->err, rc, "out of memory");
    x->rows[x->n_rows++] = row;
    uint32_t at = (uint32_t)x->n_rows;
    if (e->tail[kind] != NONE)
        x->rows[e->tail[kind] - 1].next = at;
    else
        e->head[kind] = at;
    e->tail[kind] = at;
    e->count[kind]++;
    return EMB_OK;
}

/* Read one sibling file into the index; ctx->in names it in errors meanwhile. */
static emb_status xref_load(emb__pctx *ctx, xref *x, int kind, const char *path)
{
    emb_status rc = emb__input_open_file(path, &x->in[kind], ctx->err);
    if (rc != EMB_OK)
        return rc;
    emb__input *primary = ctx->in;
    ctx->in = x->in[kind];
    emb__csv csv;
    rc = emb__csv_init(&csv, ctx->in, ',');
    if (rc != EMB_OK) {
        ctx->in = primary;
        return emb__err(ctx->err, rc, "out of memory");
    }
    for (;;) {
        int got = 0;
        rc = emb__csv_next(&csv, &got, ctx->err);
        if (rc != EMB_OK || !got)
            break;
        rc = xref_row(ctx, x, kind, &csv);
        if (rc == EMB_OK)
            continue;
        emb_str id = field(&csv, 0);
        rc = emb__pctx_bad(ctx, rc, csv.line, csv.offset, id.ptr, id.len);
        if (rc != EMB_OK)
            break;
    }
    emb__csv_free(&csv);
    ctx->in = primary;
    return rc;
}

/* Find and load the siblings beside the primary file. */
static emb_status xref_open(emb__pctx *ctx, xref *x)
{
    const char *path = emb__input_path(ctx->in);
    size_t plen = path ? strlen(path) : 0;
    if (plen < 4 || strcasecmp(path + plen - 4, ".csv") != 0)
        return EMB_OK;
    int cons = is_cons(path);
    char dir[4096];
    size_t dlen = (size_t)(base_name(path) - path);
    int n = dlen ? snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path)
                 : snprintf(dir, sizeof(dir), "./");
    if (n <= 0 || (size_t)n >= sizeof(dir))
        return emb__err(ctx->err, EMB_ELIMIT, "folder path too long");
    char found[X_KINDS][4096];
    memset(found, 0, sizeof(found));
    DIR *d = opendir(dir);
    if (d == NULL)
        return EMB_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        for (int k = 0; k < X_KINDS; k++) {
            const char *want = cons ? sibling_spec[k].cons_file : sibling_spec[k].sdn_file;
            if (strcasecmp(de->d_name, want) != 0)
                continue;
            n = snprintf(found[k], sizeof(found[k]), "%s%s", dir, de->d_name);
            if (n <= 0 || (size_t)n >= sizeof(found[k]))
                found[k][0] = '\0';
        }
    }
    closedir(d);
    for (int k = 0; k < X_KINDS; k++) {
        if (found[k][0] == '\0')
            continue;
        emb_status rc = xref_load(ctx, x, k, found[k]);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

static void xref_free(xref *x)
{
    emb__map_free(&x->map);
    emb__arena_free(&x->text);
    emb__free(x->ents);
    emb__free(x->rows);
    for (int k = 0; k < X_KINDS; k++)
        emb__input_close(x->in[k]);
}

/* Sibling rows whose ent_num the primary never had. */
static emb_status xref_orphans(emb__pctx *ctx, xref *x)
{
    uint64_t total = 0;
    for (size_t i = 0; i < x->n_ents; i++) {
        for (int k = 0; k < X_KINDS && !x->ents[i].used; k++)
            total += x->ents[i].count[k];
    }
    if (total == 0)
        return EMB_OK;
    emb__input *primary = ctx->in;
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < x->n_ents && rc == EMB_OK; i++) {
        xent *e = &x->ents[i];
        for (int k = 0; k < X_KINDS && rc == EMB_OK && !e->used; k++) {
            if (e->count[k] == 0)
                continue;
            emb__err(ctx->err, EMB_EPARSE,
                     "%u row(s) refer to ent_num %.*s, which the primary file does not have "
                     "(%llu such sibling rows in all)",
                     e->count[k], (int)e->id.len, e->id.ptr, (unsigned long long)total);
            ctx->in = x->in[k];
            rc = emb__pctx_bad(ctx, EMB_EPARSE, x->rows[e->head[k] - 1].line, UINT64_MAX,
                               e->id.ptr, e->id.len);
            ctx->in = primary;
        }
    }
    return rc;
}

/* ------------------------------------------------------------ the primary file */

typedef struct {
    xref x;
    emb__buf remarks;
    emb__buf line;
} state;

/* `SDGT] [IRGC`: OFAC's own join of several programs between brackets. */
static emb_status add_programs(emb__pctx *ctx, emb_str text)
{
    size_t start = 0;
    for (size_t i = 0; i <= text.len; i++) {
        if (i < text.len && text.ptr[i] != '[' && text.ptr[i] != ']')
            continue;
        emb_status rc = emb__eb_value(&ctx->eb, EMB_PROP_PROGRAM,
                                      emb__str(text.ptr + start, i - start), emb__str("", 0),
                                      ctx->err);
        if (rc != EMB_OK)
            return rc;
        start = i + 1;
    }
    return EMB_OK;
}

static emb_status add_alt_names(emb__pctx *ctx, const xref *x, const xent *e)
{
    emb_status rc = EMB_OK;
    for (uint32_t r = e->head[X_ALT]; r != NONE && rc == EMB_OK; r = x->rows[r - 1].next) {
        const xrow *row = &x->rows[r - 1];
        rc = emb__eb_name(&ctx->eb, row->kind, row->text[1], emb__str("", 0), ctx->err);
        if (rc == EMB_OK && row->text[2].len)
            rc = emb__eb_value(&ctx->eb, EMB_PROP_NOTES, row->text[2], EMB_STR("alt_remarks"),
                               ctx->err);
    }
    return rc;
}

/* One readable line per ADD.CSV row: address, city/state/postal code, country. */
static emb_status add_addresses(emb__pctx *ctx, state *st, const xent *e)
{
    const xref *x = &st->x;
    emb_status rc = EMB_OK;
    for (uint32_t r = e->head[X_ADD]; r != NONE && rc == EMB_OK; r = x->rows[r - 1].next) {
        const xrow *row = &x->rows[r - 1];
        emb__buf_reset(&st->line);
        for (int i = 0; i < 3 && rc == EMB_OK; i++) {
            if (row->text[i].len == 0)
                continue;
            if (st->line.len)
                rc = emb__buf_append(&st->line, ", ", 2);
            if (rc == EMB_OK)
                rc = emb__buf_append(&st->line, row->text[i].ptr, row->text[i].len);
        }
        if (rc != EMB_OK)
            return emb__err(ctx->err, rc, "address over the field limit");
        rc = emb__eb_value(&ctx->eb, EMB_PROP_ADDRESS, emb__str(st->line.ptr, st->line.len),
                           emb__str("", 0), ctx->err);
        if (rc == EMB_OK)
            rc = emb__eb_country(&ctx->eb, EMB_PROP_COUNTRY, row->text[2], ctx->err);
        if (rc == EMB_OK && row->text[3].len)
            rc = emb__eb_value(&ctx->eb, EMB_PROP_NOTES, row->text[3], EMB_STR("add_remarks"),
                               ctx->err);
    }
    return rc;
}

/* The primary's remarks followed by the SDN_COMMENTS rows that continue them. */
static emb_status add_remarks(emb__pctx *ctx, state *st, emb_str remarks, const xent *e)
{
    if (e == NULL || e->head[X_COMMENTS] == NONE)
        return emb__ofac_remarks(&ctx->eb, remarks, ctx->err);
    const xref *x = &st->x;
    emb__buf_reset(&st->remarks);
    emb_status rc = EMB_OK;
    if (!emb__str_blank(remarks))
        rc = emb__buf_append(&st->remarks, remarks.ptr, remarks.len);
    for (uint32_t r = e->head[X_COMMENTS]; r != NONE && rc == EMB_OK; r = x->rows[r - 1].next)
        rc = emb__buf_append(&st->remarks, x->rows[r - 1].text[0].ptr, x->rows[r - 1].text[0].len);
    if (rc != EMB_OK)
        return emb__err(ctx->err, rc, "remarks and comments over the field limit");
    return emb__ofac_remarks(&ctx->eb, emb__str(st->remarks.ptr, st->remarks.len), ctx->err);
}

/* Vessel columns of the primary: Call_Sign to Vess_owner. */
static emb_status add_vessel(emb__pctx *ctx, const emb__csv *c)
{
    static const struct {
        size_t col;
        emb_prop prop;
        const char *label;
    } cols[] = {
        {5, EMB_PROP_CALL_SIGN, ""},        {6, EMB_PROP_VESSEL_TYPE, ""},
        {7, EMB_PROP_NOTES, "Tonnage"},     {8, EMB_PROP_NOTES, "GRT"},
        {10, EMB_PROP_NOTES, "Vess_owner"},
    };
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < EMB_COUNTOF(cols) && rc == EMB_OK; i++)
        rc = emb__eb_value(&ctx->eb, cols[i].prop, field(c, cols[i].col),
                           emb__str_cstr(cols[i].label), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_country(&ctx->eb, EMB_PROP_FLAG, field(c, 9), ctx->err);
    return rc;
}

/* The primary's ent_num: a number, seen once. Marks its sibling rows as claimed. */
static emb_status claim_id(emb__pctx *ctx, xref *x, emb_str id, const xent **out)
{
    *out = NULL;
    if (!all_digits(id))
        return emb__err(ctx->err, EMB_EPARSE, "ent_num '%.*s' is not a number",
                        (int)(id.len > 20 ? 20 : id.len), id.ptr);
    uint64_t *slot = NULL;
    int is_new = 0;
    if (emb__map_put(&x->map, id.ptr, id.len, &slot, &is_new) != EMB_OK)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    if (*slot & SEEN_BIT)
        return emb__err(ctx->err, EMB_EPARSE, "ent_num %.*s appears twice", (int)id.len, id.ptr);
    *slot |= SEEN_BIT;
    uint64_t at = *slot & ~SEEN_BIT;
    if (at) {
        x->ents[at - 1].used = 1;
        *out = &x->ents[at - 1];
    }
    return EMB_OK;
}

static emb_status primary_row(emb__pctx *ctx, state *st, const emb__csv *c)
{
    if (c->n_fields != PRIMARY_FIELDS)
        return emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, the primary file has %d",
                        c->n_fields, PRIMARY_FIELDS);
    emb_str id = field(c, 0);
    const xent *e = NULL;
    emb_status rc = claim_id(ctx, &st->x, id, &e);
    if (rc == EMB_OK)
        rc = emb__pctx_begin(ctx, id, c->line);
    if (rc != EMB_OK)
        return rc;
    emb_str type = field(c, 2);
    emb_schema schema = emb__str_blank(type) ? EMB_SCHEMA_LEGAL_ENTITY : emb__schema_loose(type);
    if (schema == EMB_SCHEMA_UNKNOWN)
        return emb__err(ctx->err, EMB_EPARSE, "unknown SDN_Type '%.*s'",
                        (int)(type.len > 40 ? 40 : type.len), type.ptr);
    emb__eb_schema(&ctx->eb, schema);
    /* "LAST, First" is kept as published: it is how OFAC and its users write the name */
    rc = emb__eb_name(&ctx->eb, EMB_NAME_PRIMARY, field(c, 1), emb__str("", 0), ctx->err);
    if (rc == EMB_OK && !emb__eb_has_name(&ctx->eb))
        rc = emb__err(ctx->err, EMB_EPARSE, "entry has no SDN_Name");
    if (rc == EMB_OK)
        rc = add_programs(ctx, field(c, 3));
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_TITLE, field(c, 4), emb__str("", 0), ctx->err);
    if (rc == EMB_OK)
        rc = add_vessel(ctx, c);
    if (rc == EMB_OK)
        rc = add_remarks(ctx, st, emb__csv_field(c, 11), e);
    if (rc == EMB_OK && e != NULL)
        rc = add_alt_names(ctx, &st->x, e);
    if (rc == EMB_OK && e != NULL)
        rc = add_addresses(ctx, st, e);
    return rc;
}

emb_status emb__parse_ofac_csv(emb__pctx *ctx)
{
    state st;
    memset(&st, 0, sizeof(st));
    emb__map_init(&st.x.map);
    emb__buf_init(&st.remarks, EMB_LIMIT_RECORD_BYTES);
    emb__buf_init(&st.line, EMB_LIMIT_FIELD_BYTES);
    const char *path = emb__input_path(ctx->in);
    if (is_cons(path ? path : emb__input_name(ctx->in)) &&
        (ctx->opts->dataset == NULL || ctx->opts->dataset[0] == '\0'))
        snprintf(ctx->dataset, sizeof(ctx->dataset), "%s", "us_ofac_cons");
    emb__csv csv;
    memset(&csv, 0, sizeof(csv));
    emb_status rc = xref_open(ctx, &st.x);
    if (rc == EMB_OK && emb__csv_init(&csv, ctx->in, ',') != EMB_OK)
        rc = emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    uint64_t rows = 0;
    while (rc == EMB_OK) {
        int got = 0;
        rc = emb__csv_next(&csv, &got, ctx->err);
        if (rc != EMB_OK || !got)
            break;
        rows++;
        rc = primary_row(ctx, &st, &csv);
        if (rc == EMB_OK) {
            rc = emb__pctx_emit(ctx);
            continue;
        }
        emb_str id = field(&csv, 0);
        rc = emb__pctx_bad(ctx, rc, csv.line, csv.offset, id.ptr, id.len);
    }
    if (rc == EMB_OK && rows == 0)
        rc = emb__err(ctx->err, EMB_EFORMAT, "the primary file has no entries");
    if (rc == EMB_OK)
        rc = xref_orphans(ctx, &st.x);
    emb__csv_free(&csv);
    emb__buf_free(&st.remarks);
    emb__buf_free(&st.line);
    xref_free(&st.x);
    return rc;
}
