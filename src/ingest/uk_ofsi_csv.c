/*
 * OFSI ConList.csv, the older HM Treasury consolidated list: row 1 is "Last Updated,dd/mm/yyyy",
 * row 2 the header (Name 6, Name 1..Name 5, Title, ..., Group Type, Alias Type, ..., Group ID).
 * Each row is one name of a target, repeated once per date of birth, so a target is the run of
 * consecutive rows that share a Group ID, and the builder folds the repeats.
 *
 * OFSI writes the rows of a group together. A Group ID that comes back after
 * another group is not merged (that would mean holding every entity until the end of the
 * file); the returning rows are a bad record naming both lines. The only state kept across
 * groups is the set of Group IDs already delivered, which that check needs.
 */
#include <stdio.h>
#include <string.h>

#include "uk.h"

enum {
    C_NAME1,
    C_NAME2,
    C_NAME3,
    C_NAME4,
    C_NAME5,
    C_NAME6,
    C_TITLE,
    C_NON_LATIN,
    C_SCRIPT_LANG,
    C_DOB,
    C_TOWN,
    C_BIRTH_COUNTRY,
    C_NATIONALITY,
    C_PASSPORT,
    C_PASSPORT_DETAILS,
    C_NI,
    C_NI_DETAILS,
    C_POSITION,
    C_ADDR1,
    C_ADDR2,
    C_ADDR3,
    C_ADDR4,
    C_ADDR5,
    C_ADDR6,
    C_POSTCODE,
    C_COUNTRY,
    C_OTHER,
    C_GROUP_TYPE,
    C_ALIAS_TYPE,
    C_ALIAS_QUALITY,
    C_REGIME,
    C_LISTED_ON,
    C_UK_DESIGNATED,
    C_GROUP_ID,
    N_COLS
};

static const char *const col_names[N_COLS] = {
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name 6",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "NI Details",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
    "Group ID",
};

static const int required_cols[] = {C_NAME1, C_NAME6, C_GROUP_TYPE, C_ALIAS_TYPE, C_GROUP_ID};

/* Cells holding one or more values of a property, as "(1) Afghan (2) Pakistani". */
static const struct {
    int col;
    emb_prop prop;
} multi_cells[] = {
    {C_TITLE, EMB_PROP_TITLE},
    {C_TOWN, EMB_PROP_BIRTH_PLACE},
    {C_BIRTH_COUNTRY, EMB_PROP_BIRTH_COUNTRY},
    {C_NATIONALITY, EMB_PROP_NATIONALITY},
    {C_POSITION, EMB_PROP_POSITION},
};

#define MAX_PARTS 32

typedef struct ofsi {
    emb__pctx *ctx;
    emb__csv csv;
    long ix[N_COLS];
    size_t n_cols;
    emb__map seen; /* Group IDs delivered so far -> line of their first row */
    emb__buf scratch;
    char gid[EMB_LIMIT_ID_BYTES + 1];
    size_t gid_len;
    int open;       /* a group is being built */
    emb_status bad; /* the group is bad: its remaining rows are skipped */
    uint64_t bad_line, bad_offset;
} ofsi;

static emb_str cell(const ofsi *o, int col)
{
    if (o->ix[col] < 0)
        return emb__str("", 0);
    return emb__str_trim(emb__csv_field(&o->csv, (size_t)o->ix[col]));
}

static int marker_at(emb_str s, size_t i, unsigned k, size_t *end)
{
    char m[16];
    int n = snprintf(m, sizeof(m), "(%u)", k);
    if (n <= 0 || i + (size_t)n > s.len || memcmp(s.ptr + i, m, (size_t)n) != 0)
        return 0;
    *end = i + (size_t)n;
    return 1;
}

/* Split "(1) A (2) B" into its parts; any other cell is one part. Returns the count (>= 1). */
static size_t enum_split(emb_str text, emb_str *parts, size_t max)
{
    size_t start;
    text = emb__str_trim(text);
    if (!marker_at(text, 0, 1, &start)) {
        parts[0] = text;
        return 1;
    }
    size_t n = 0;
    unsigned k = 2;
    for (size_t i = start; i < text.len; i++) {
        size_t end;
        if (n + 1 < max && text.ptr[i] == '(' && marker_at(text, i, k, &end)) {
            parts[n++] = emb__str_trim(emb__str(text.ptr + start, i - start));
            start = end;
            i = end - 1;
            k++;
        }
    }
    parts[n++] = emb__str_trim(emb__str(text.ptr + start, text.len - start));
    return n;
}

static emb_status add_multi(ofsi *o, int col, emb_prop prop)
{
    emb_str parts[MAX_PARTS];
    size_t n = enum_split(cell(o, col), parts, MAX_PARTS);
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < n && rc == EMB_OK; i++) {
        if (emb__prop_is_country(prop))
            rc = emb__uk_country(&o->ctx->eb, prop, parts[i], o->ctx->err);
        else
            rc = emb__eb_value(&o->ctx->eb, prop, parts[i], emb__str("", 0), o->ctx->err);
    }
    return rc;
}

/* Document numbers with their details; "(1) .. (2) .." numbers pair with details by position. */
static emb_status add_documents(ofsi *o, int num_col, int det_col, emb_prop prop, const char *label)
{
    emb_str nums[MAX_PARTS], dets[MAX_PARTS];
    size_t n = enum_split(cell(o, num_col), nums, MAX_PARTS);
    size_t d = enum_split(cell(o, det_col), dets, MAX_PARTS);
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < n && rc == EMB_OK; i++) {
        emb_str q = d == n ? dets[i] : cell(o, det_col);
        if (q.len == 0)
            q = emb__str_cstr(label);
        if (emb__str_blank(nums[i]))
            rc = emb__eb_value(&o->ctx->eb, EMB_PROP_NOTES, dets[i < d ? i : 0],
                               emb__str_cstr(label), o->ctx->err);
        else
            rc = emb__eb_value(&o->ctx->eb, prop, nums[i], q, o->ctx->err);
    }
    return rc;
}

static emb_status add_address(ofsi *o)
{
    emb__buf_reset(&o->scratch);
    emb_status rc = EMB_OK;
    for (int c = C_ADDR1; c <= C_POSTCODE && rc == EMB_OK; c++)
        rc = emb__uk_join(&o->scratch, cell(o, c), ", ");
    /* a country alone is a country, not an address */
    int has_lines = o->scratch.len > 0;
    if (rc == EMB_OK)
        rc = emb__uk_join(&o->scratch, cell(o, C_COUNTRY), ", ");
    if (rc != EMB_OK)
        return emb__err(o->ctx->err, rc, "address too long or out of memory");
    if (has_lines) {
        rc = emb__eb_value(&o->ctx->eb, EMB_PROP_ADDRESS, emb__str(o->scratch.ptr, o->scratch.len),
                           emb__str("", 0), o->ctx->err);
        if (rc != EMB_OK)
            return rc;
    }
    return emb__uk_country(&o->ctx->eb, EMB_PROP_COUNTRY, cell(o, C_COUNTRY), o->ctx->err);
}

/* The reference that follows a label in Other Information: "UN Ref IRi.018.",
 * "(UN Ref):QDi.263", "(UK Sanctions List Ref):AQD0183". */
static emb_str ref_after(emb_str text, const char *label)
{
    long at = emb__str_ifind(text, label);
    if (at < 0)
        return emb__str("", 0);
    size_t i = (size_t)at + strlen(label);
    while (i < text.len && (text.ptr[i] == ' ' || text.ptr[i] == ')' || text.ptr[i] == ':'))
        i++;
    size_t start = i;
    while (i < text.len) {
        char c = text.ptr[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.'))
            break;
        i++;
    }
    while (i > start && text.ptr[i - 1] == '.')
        i--;
    /* "QDi.263" has at least a prefix and a number; anything shorter is prose */
    return i - start >= 4 ? emb__str(text.ptr + start, i - start) : emb__str("", 0);
}

static emb_status add_other_info(ofsi *o)
{
    emb__eb *b = &o->ctx->eb;
    emb_str text = cell(o, C_OTHER);
    emb_status rc = emb__eb_value(b, EMB_PROP_NOTES, text, emb__str("", 0), o->ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_ID_NUMBER, ref_after(text, "UN Ref"),
                           EMB_STR(EMB__UK_Q_UN_REF), o->ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_ID_NUMBER, ref_after(text, "UK Sanctions List Ref"),
                           EMB_STR(EMB__UK_Q_UK_REF), o->ctx->err);
    return rc;
}

static emb_status add_names(ofsi *o)
{
    emb__eb *b = &o->ctx->eb;
    emb_str parts[6];
    for (int c = C_NAME1; c <= C_NAME6; c++)
        parts[c - C_NAME1] = cell(o, c);
    emb_status rc = emb__uk_full_name(parts, &o->scratch);
    if (rc != EMB_OK)
        return emb__err(o->ctx->err, rc, "name too long or out of memory");
    emb_name_kind kind = emb__uk_name_kind(cell(o, C_ALIAS_TYPE), cell(o, C_ALIAS_QUALITY));
    rc = emb__eb_name(b, kind, emb__str(o->scratch.ptr ? o->scratch.ptr : "", o->scratch.len),
                      emb__str("", 0), o->ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_name(b, EMB_NAME_ORIGINAL_SCRIPT, cell(o, C_NON_LATIN),
                          emb__str_cstr(emb__uk_lang(cell(o, C_SCRIPT_LANG))), o->ctx->err);
    return rc;
}

static emb_status add_row(ofsi *o)
{
    emb__eb *b = &o->ctx->eb;
    emb_error *err = o->ctx->err;
    if (b->schema == EMB_SCHEMA_UNKNOWN) {
        emb_str t = cell(o, C_GROUP_TYPE);
        emb_schema s = emb__schema_loose(t);
        if (s == EMB_SCHEMA_UNKNOWN)
            return emb__err(err, EMB_EPARSE, "unknown Group Type '%.*s'",
                            (int)(t.len > 40 ? 40 : t.len), t.ptr);
        emb__eb_schema(b, s);
    }
    emb_status rc = add_names(o);
    for (size_t i = 0; i < EMB_COUNTOF(multi_cells) && rc == EMB_OK; i++)
        rc = add_multi(o, multi_cells[i].col, multi_cells[i].prop);
    if (rc == EMB_OK)
        rc = emb__uk_date(b, EMB_PROP_BIRTH_DATE, cell(o, C_DOB), err);
    if (rc == EMB_OK)
        rc = add_documents(o, C_PASSPORT, C_PASSPORT_DETAILS, EMB_PROP_PASSPORT_NUMBER, "Passport");
    if (rc == EMB_OK)
        rc = add_documents(o, C_NI, C_NI_DETAILS, EMB_PROP_ID_NUMBER,
                           "National identification number");
    if (rc == EMB_OK)
        rc = add_address(o);
    if (rc == EMB_OK)
        rc = add_other_info(o);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_PROGRAM, cell(o, C_REGIME), emb__str("", 0), err);
    if (rc == EMB_OK)
        rc = emb__uk_date(b, EMB_PROP_LISTING_DATE, cell(o, C_LISTED_ON), err);
    if (rc == EMB_OK)
        rc = emb__uk_date(b, EMB_PROP_LISTING_DATE, cell(o, C_UK_DESIGNATED), err);
    return rc;
}

static emb_status finish_group(ofsi *o)
{
    if (!o->open)
        return EMB_OK;
    o->open = 0;
    if (o->bad != EMB_OK)
        return emb__pctx_bad(o->ctx, o->bad, o->bad_line, o->bad_offset, o->gid, o->gid_len);
    return emb__pctx_emit(o->ctx);
}

static void mark_bad(ofsi *o, emb_status rc)
{
    o->bad = rc;
    o->bad_line = o->csv.line;
    o->bad_offset = o->csv.offset;
}

static emb_status start_group(ofsi *o, emb_str gid)
{
    emb__pctx *ctx = o->ctx;
    memcpy(o->gid, gid.ptr, gid.len);
    o->gid[gid.len] = '\0';
    o->gid_len = gid.len;
    o->open = 1;
    o->bad = EMB_OK;
    emb_status rc = emb__pctx_begin(ctx, gid, o->csv.line);
    if (rc != EMB_OK)
        return rc;
    if (o->seen.count >= EMB_LIMIT_XREF_ENTRIES)
        return emb__err(ctx->err, EMB_ELIMIT, "more than %u groups",
                        (unsigned)EMB_LIMIT_XREF_ENTRIES);
    uint64_t *first = NULL;
    int is_new = 0;
    rc = emb__map_put(&o->seen, gid.ptr, gid.len, &first, &is_new);
    if (rc != EMB_OK)
        return emb__err(ctx->err, rc, "out of memory");
    if (is_new) {
        *first = o->csv.line;
        return EMB_OK;
    }
    mark_bad(o, emb__err(ctx->err, EMB_EPARSE,
                         "rows of Group ID %s start again at line %llu after other groups "
                         "(first row at line %llu); a group's rows must be consecutive",
                         o->gid, (unsigned long long)o->csv.line, (unsigned long long)*first));
    return EMB_OK;
}

/* A row that cannot belong to any group: it ends the current group and is reported alone. */
static emb_status bad_row(ofsi *o, emb_str gid)
{
    emb__pctx *ctx = o->ctx;
    emb_status rc = finish_group(o);
    if (rc != EMB_OK)
        return rc;
    emb__err_record(ctx->err, "", 0);
    if (o->csv.n_fields != o->n_cols)
        rc = emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, the header has %zu",
                      o->csv.n_fields, o->n_cols);
    else if (gid.len == 0)
        rc = emb__err(ctx->err, EMB_EPARSE, "row has no Group ID");
    else
        rc = emb__err(ctx->err, EMB_ELIMIT, "Group ID is %zu bytes, over the limit of %u", gid.len,
                      EMB_LIMIT_ID_BYTES);
    size_t id_len = gid.len <= EMB_LIMIT_ID_BYTES ? gid.len : 0;
    return emb__pctx_bad(ctx, rc, o->csv.line, o->csv.offset, gid.ptr, id_len);
}

static emb_status row(ofsi *o)
{
    emb_str gid = cell(o, C_GROUP_ID);
    if (o->csv.n_fields != o->n_cols || gid.len == 0 || gid.len > EMB_LIMIT_ID_BYTES)
        return bad_row(o, gid);
    emb_status rc;
    if (!o->open || !emb__str_eq(gid, emb__str(o->gid, o->gid_len))) {
        rc = finish_group(o);
        if (rc == EMB_OK)
            rc = start_group(o, gid);
        if (rc != EMB_OK)
            return rc;
    }
    if (o->bad != EMB_OK)
        return EMB_OK;
    rc = add_row(o);
    if (rc == EMB_ENOMEM)
        return rc;
    if (rc != EMB_OK)
        mark_bad(o, rc);
    return EMB_OK;
}

/* Row 1 "Last Updated,dd/mm/yyyy" (optional), then the header row. */
static emb_status header(ofsi *o)
{
    emb__pctx *ctx = o->ctx;
    int got = 0;
    emb_status rc = emb__csv_next(&o->csv, &got, ctx->err);
    if (rc == EMB_OK && got &&
        emb__str_ieq(emb__str_trim(emb__csv_field(&o->csv, 0)), "Last Updated")) {
        emb__pctx_published(ctx, emb__csv_field(&o->csv, 1));
        rc = emb__csv_next(&o->csv, &got, ctx->err);
    }
    if (rc != EMB_OK)
        return rc;
    if (!got) {
        rc = emb__err(ctx->err, EMB_EFORMAT, "file has no header row");
        emb__err_at(ctx->err, emb__input_name(ctx->in), o->csv.line, 0, UINT64_MAX);
        return rc;
    }
    emb__csv_header_index(&o->csv, col_names, N_COLS, o->ix);
    o->n_cols = o->csv.n_fields;
    for (size_t i = 0; i < EMB_COUNTOF(required_cols); i++) {
        if (o->ix[required_cols[i]] >= 0)
            continue;
        rc = emb__err(ctx->err, EMB_EFORMAT, "not an OFSI ConList: the header has no '%s' column",
                      col_names[required_cols[i]]);
        emb__err_at(ctx->err, emb__input_name(ctx->in), o->csv.line, 0, o->csv.offset);
        return rc;
    }
    return EMB_OK;
}

emb_status emb__parse_uk_ofsi_csv(emb__pctx *ctx)
{
    ofsi o;
    memset(&o, 0, sizeof(o));
    o.ctx = ctx;
    emb__map_init(&o.seen);
    emb__buf_init(&o.scratch, EMB_LIMIT_RECORD_BYTES);
    emb_status rc = emb__csv_init(&o.csv, ctx->in, ',');
    if (rc != EMB_OK)
        rc = emb__err(ctx->err, rc, "out of memory");
    else
        rc = header(&o);
    while (rc == EMB_OK) {
        int got = 0;
        rc = emb__csv_next(&o.csv, &got, ctx->err);
        if (rc != EMB_OK)
            break;
        if (!got) {
            rc = finish_group(&o);
            break;
        }
        rc = row(&o);
    }
    emb__csv_free(&o.csv);
    emb__buf_free(&o.scratch);
    emb__map_free(&o.seen);
    return rc;
}
