/*
 * UN Security Council Consolidated List XML: CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL
 * and ENTITIES/ENTITY. The source id is REFERENCE_NUMBER ("QDi.017"), which the schema puts
 * after the name parts, so each record element is first read into a short list of
 * (group, element, text) items and built once it is complete: memory stays bounded by the
 * largest record.
 *
 * INDIVIDUAL becomes Person. ENTITY becomes LegalEntity, as in OpenSanctions: UN entities
 * are armed groups, banks, shipping firms and front companies alike, and LegalEntity is the
 * one schema that covers them all.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "../unicode/unicode.h"
#include "listxml.h"

/* One element of a record: a direct child (`group_name` NULL), or an element inside the
 * direct child `group_name` (an alias, an address, a date of birth...). */
typedef struct un_item {
    const char *group_name;
    const char *name;
    emb_str text;
    uint32_t group; /* which direct child of the record this came from */
} un_item;

typedef struct un_rec {
    emb__arena arena; /* item names and texts, reset per record */
    un_item *items;
    size_t n, cap;
    emb__buf text; /* text of one element */
    emb__buf own;  /* text directly inside a direct child */
    emb__buf line; /* a composed value (name, address line) */
    emb__buf qual; /* a composed qualifier */
} un_rec;

typedef emb_status (*un_group_fn)(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n);

static const emb_str no_str = {"", 0};

static void rec_init(un_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    emb__buf_init(&rec->text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&rec->own, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&rec->line, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&rec->qual, EMB_LIMIT_FIELD_BYTES);
}

static void rec_free(un_rec *rec)
{
    emb__arena_free(&rec->arena);
    emb__free(rec->items);
    emb__buf_free(&rec->text);
    emb__buf_free(&rec->own);
    emb__buf_free(&rec->line);
    emb__buf_free(&rec->qual);
}

static const char *keep_name(un_rec *rec, emb__xml_reader r)
{
    emb_str name = emb__xml_name(r);
    return emb__arena_strndup(&rec->arena, name.ptr, name.len);
}

static emb_status add_item(emb__pctx *ctx, un_rec *rec, const char *group_name, const char *name,
                           const emb__buf *text, uint32_t group)
{
    emb_str t = emb__str_trim(emb__lx_str(text));
    if (name == NULL)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    if (t.len == 0)
        return EMB_OK;
    emb_status rc =
        emb__grow((void **)&rec->items, &rec->cap, sizeof(un_item), rec->n + 1, EMB_LIMIT_VALUES);
    if (rc == EMB_ELIMIT)
        return emb__err(ctx->err, rc, "record has more than %u elements", EMB_LIMIT_VALUES);
    if (rc != EMB_OK)
        return emb__err(ctx->err, rc, "out of memory");
    char *p = emb__arena_strndup(&rec->arena, t.ptr, t.len);
    if (p == NULL)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    un_item *it = &rec->items[rec->n++];
    it->group_name = group_name;
    it->name = name;
    it->text = emb__str(p, t.len);
    it->group = group;
    /* name the record in any later error, even one of the XML reader */
    if (group_name == NULL && strcmp(name, "REFERENCE_NUMBER") == 0)
        emb__err_record(ctx->err, p, t.len);
    return EMB_OK;
}

static int is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Read the record element the reader is on into rec->items, up to and including its end
 * tag. Elements deeper than a direct child's children are read as their text. */
static emb_status capture(emb__pctx *ctx, emb__xml_reader r, un_rec *rec)
{
    int depth = xmlTextReaderDepth(r);
    const char *child = NULL;
    uint32_t group = 0;
    if (xmlTextReaderIsEmptyElement(r))
        return EMB_OK;
    for (;;) {
        int more = 0;
        emb_status rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK)
            return rc;
        if (!more)
            return emb__xml_fail(ctx, r, EMB_EPARSE, "document ends inside a record");
        int type = xmlTextReaderNodeType(r);
        int d = xmlTextReaderDepth(r);
        if (d == depth && type == XML_READER_TYPE_END_ELEMENT)
            return EMB_OK;
        if (d == depth + 1 && type == XML_READER_TYPE_ELEMENT) {
            group++;
            child = NULL;
            emb__buf_reset(&rec->own);
            if (!xmlTextReaderIsEmptyElement(r) && (child = keep_name(rec, r)) == NULL)
                return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
        } else if (d == depth + 1 && type == XML_READER_TYPE_END_ELEMENT && child != NULL) {
            rc = add_item(ctx, rec, NULL, child, &rec->own, group);
            child = NULL;
        } else if (d == depth + 2 && type == XML_READER_TYPE_ELEMENT && child != NULL) {
            const char *name = keep_name(rec, r);
            rc = emb__xml_text(ctx, r, &rec->text);
            if (rc == EMB_OK)
                rc = add_item(ctx, rec, child, name, &rec->text, group);
        } else if (d == depth + 2 && is_text_node(type) && child != NULL) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            rc = v != NULL ? emb__buf_append(&rec->own, v, strlen((const char *)v)) : EMB_OK;
            if (rc == EMB_ELIMIT)
                return emb__xml_fail(ctx, r, rc, "text of <%s> over the limit of %u bytes", child,
                                     EMB_LIMIT_FIELD_BYTES);
            if (rc != EMB_OK)
                return emb__xml_fail(ctx, r, rc, "out of memory");
        }
        if (rc != EMB_OK)
            return rc;
    }
}

/* ------------------------------------------------------------ lookups */

/* Text of the first item named `name` among g[0..n). */
static emb_str item_text(const un_item *g, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(g[i].name, name) == 0)
            return g[i].text;
    }
    return no_str;
}

/* Text of a direct child of the record. */
static emb_str field(const un_rec *rec, const char *name)
{
    for (size_t i = 0; i < rec->n; i++) {
        if (rec->items[i].group_name == NULL && strcmp(rec->items[i].name, name) == 0)
            return rec->items[i].text;
    }
    return no_str;
}

/* rec->line := the named items of g joined with sep, then " (note)" when note is set. */
static emb_status join_items(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n,
                             const char *const *names, size_t n_names, const char *sep,
                             emb_str note)
{
    emb__buf_reset(&rec->line);
    emb_status rc = EMB_OK;
    for (size_t i = 0; rc == EMB_OK && i < n_names; i++)
        rc = emb__lx_add(&rec->line, sep, NULL, item_text(g, n, names[i]), ctx->err);
    if (rc != EMB_OK || emb__lx_blank(note))
        return rc;
    if (rec->line.len == 0)
        return emb__lx_add(&rec->line, NULL, NULL, note, ctx->err);
    rc = emb__lx_add(&rec->line, " (", NULL, note, ctx->err);
    return rc == EMB_OK ? emb__lx_add(&rec->line, NULL, NULL, EMB_STR(")"), ctx->err) : rc;
}

/* ------------------------------------------------------------ groups */

static emb_status values_of(emb__pctx *ctx, const un_item *g, size_t n, emb_prop prop)
{
    emb_status rc = EMB_OK;
    for (size_t i = 0; rc == EMB_OK && i < n; i++) {
        if (strcmp(g[i].name, "VALUE") != 0)
            continue;
        if (emb__prop_is_country(prop))
            rc = emb__eb_country(&ctx->eb, prop, g[i].text, ctx->err);
        else
            rc = emb__eb_value(&ctx->eb, prop, g[i].text, no_str, ctx->err);
    }
    return rc;
}

static emb_status nationality(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    (void)rec;
    return values_of(ctx, g, n, EMB_PROP_NATIONALITY);
}

static emb_status title(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    (void)rec;
    return values_of(ctx, g, n, EMB_PROP_TITLE);
}

static emb_status designation(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    (void)rec;
    return values_of(ctx, g, n, EMB_PROP_POSITION);
}

/* The UN marks a spelling it used to list the party under with this alias NOTE. */
static int listed_as(emb_str note)
{
    return emb__str_ifind(note, "previously listed as") >= 0 ||
           emb__str_ifind(note, "formerly listed as") >= 0;
}

/* 1 when the note says nothing but that. */
static int only_listed_as(emb_str note)
{
    note = emb__str_trim(note);
    if (note.len > 0 && note.ptr[note.len - 1] == '.')
        note.len--;
    return emb__str_ieq(note, "previously listed as") || emb__str_ieq(note, "formerly listed as");
}

/*
 * QUALITY: Good / a.k.a. -> alias, Low -> weakAlias, f.k.a. -> previousName. A NOTE
 * "previously listed as" also makes a previous name, except on a Low alias: the quality
 * still says how far the spelling can be trusted.
 */
static emb_name_kind alias_kind(emb_str quality, emb_str note)
{
    if (emb__str_ieq(quality, "Low"))
        return EMB_NAME_WEAK_ALIAS;
    if (emb__str_ieq(quality, "f.k.a.") || listed_as(note))
        return EMB_NAME_PREVIOUS;
    return EMB_NAME_ALIAS;
}

/* Some alias NOTEs carry the name in its own script: "in Arabic script: شركة الكوثر",
 * "Previously listed as. In Arabic: ...", "original script: Абу Банат". */
static emb_status note_script(emb__pctx *ctx, emb_str note)
{
    static const char *const marks[] = {"in arabic script:", "in arabic:", "original script:"};
    for (size_t i = 0; i < EMB_COUNTOF(marks); i++) {
        long at = emb__str_ifind(note, marks[i]);
        if (at < 0)
            continue;
        size_t from = (size_t)at + strlen(marks[i]);
        emb_str name = emb__str_trim(emb__str(note.ptr + from, note.len - from));
        if (!emb__has_non_latin(name))
            return EMB_OK;
        return emb__eb_name(&ctx->eb, EMB_NAME_ORIGINAL_SCRIPT, name, no_str, ctx->err);
    }
    return EMB_OK;
}

static emb_status alias(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    emb__eb *b = &ctx->eb;
    emb_str name = item_text(g, n, "ALIAS_NAME");
    emb_str note = item_text(g, n, "NOTE");
    emb_name_kind kind = alias_kind(item_text(g, n, "QUALITY"), note);
    /* a few ALIAS_NAMEs hold several spellings: "Azim Adhajani; Azim Agha-Jani" */
    emb_status rc = emb__eb_names_split(b, kind, name, ';', ctx->err);
    if (rc == EMB_OK)
        rc = note_script(ctx, note);
    /* a bare "previously listed as" is said by the name kind already */
    if (rc == EMB_OK && !only_listed_as(note))
        rc = emb__eb_value(b, EMB_PROP_NOTES, note, name, ctx->err);
    /* an alias may come with the date and place of birth used under it */
    if (rc == EMB_OK)
        rc = emb__eb_date(b, EMB_PROP_BIRTH_DATE, item_text(g, n, "DATE_OF_BIRTH"), EMB__DMY,
                          ctx->err);
    static const char *const place[] = {"CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"};
    if (rc == EMB_OK)
        rc = join_items(ctx, rec, g, n, place, EMB_COUNTOF(place), ", ", no_str);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_BIRTH_PLACE, emb__lx_str(&rec->line), no_str, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_country(b, EMB_PROP_BIRTH_COUNTRY, item_text(g, n, "COUNTRY_OF_BIRTH"),
                             ctx->err);
    return rc;
}

static emb_status address(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"};
    emb_status rc =
        join_items(ctx, rec, g, n, parts, EMB_COUNTOF(parts), ", ", item_text(g, n, "NOTE"));
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_ADDRESS, emb__lx_str(&rec->line), no_str, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_country(&ctx->eb, EMB_PROP_COUNTRY, item_text(g, n, "COUNTRY"), ctx->err);
    return rc;
}

static emb_status birth_place(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE", "COUNTRY"};
    emb_status rc =
        join_items(ctx, rec, g, n, parts, EMB_COUNTOF(parts), ", ", item_text(g, n, "NOTE"));
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_BIRTH_PLACE, emb__lx_str(&rec->line), no_str,
                           ctx->err);
    if (rc == EMB_OK)
        rc =
            emb__eb_country(&ctx->eb, EMB_PROP_BIRTH_COUNTRY, item_text(g, n, "COUNTRY"), ctx->err);
    return rc;
}

/*
 * TYPE_OF_DATE EXACT or APPROXIMATELY with DATE (YYYY-MM-DD) or YEAR; BETWEEN with
 * FROM_YEAR and TO_YEAR (each year of the range is a birth date). A NOTE next to a date is
 * kept as a note; a NOTE alone is the date as the UN wrote it ("Nov. 1973"), except a Hijri
 * date, which is kept unresolved rather than read as a Gregorian one.
 */
static emb_status birth_date(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    emb__eb *b = &ctx->eb;
    emb_str date = item_text(g, n, "DATE");
    emb_str year = item_text(g, n, "YEAR");
    emb_str from = item_text(g, n, "FROM_YEAR");
    emb_str to = item_text(g, n, "TO_YEAR");
    emb_str note = item_text(g, n, "NOTE");
    emb_status rc = emb__eb_date(b, EMB_PROP_BIRTH_DATE, date, EMB__DMY, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_date(b, EMB_PROP_BIRTH_DATE, year, EMB__DMY, ctx->err);
    emb__buf_reset(&rec->line);
    if (rc == EMB_OK)
        rc = emb__lx_add(&rec->line, NULL, NULL, from, ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(&rec->line, " to ", NULL, to, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_date(b, EMB_PROP_BIRTH_DATE, emb__lx_str(&rec->line), EMB__DMY, ctx->err);
    if (rc != EMB_OK || note.len == 0)
        return rc;
    if (date.len || year.len || rec->line.len)
        return emb__eb_value(b, EMB_PROP_NOTES, note, EMB_STR("birthDate"), ctx->err);
    if (emb__str_ifind(note, "hijri") >= 0)
        return emb__eb_value(b, EMB_PROP_UNRESOLVED, note, EMB_STR("birthDate"), ctx->err);
    return emb__eb_date(b, EMB_PROP_BIRTH_DATE, note, EMB__DMY, ctx->err);
}

static int is_passport(emb_str type)
{
    return emb__str_ifind(type, "passport") >= 0 || emb__str_ifind(type, "passeport") >= 0 ||
           emb__str_ifind(type, "pasaporte") >= 0;
}

/*
 * INDIVIDUAL_DOCUMENT: NUMBER as passportNumber or idNumber, qualified by the document type,
 * the free-text type, the issuing country and the issue details. In a few records the
 * number is only in the NOTE or TYPE_OF_DOCUMENT2 ("tazkira number 545167"): then the NOTE
 * is kept as a note under the same qualifier, so nothing is lost.
 */
static emb_status document(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    emb_str type = item_text(g, n, "TYPE_OF_DOCUMENT");
    emb_str type2 = item_text(g, n, "TYPE_OF_DOCUMENT2");
    emb_str number = item_text(g, n, "NUMBER");
    emb_str country = item_text(g, n, "ISSUING_COUNTRY");
    if (country.len == 0)
        country = item_text(g, n, "COUNTRY_OF_ISSUE");
    emb__buf *q = &rec->qual;
    emb__buf_reset(q);
    emb_status rc = emb__lx_add(q, ", ", NULL, type, ctx->err);
    if (rc == EMB_OK && !emb__str_eq(type, type2))
        rc = emb__lx_add(q, ", ", NULL, type2, ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(q, ", ", NULL, country, ctx->err);
    emb__buf_reset(&rec->line);
    if (rc == EMB_OK)
        rc = emb__lx_add(&rec->line, "; ", "issued ", item_text(g, n, "DATE_OF_ISSUE"), ctx->err);
    if (rc == EMB_OK)
        rc =
            emb__lx_add(&rec->line, "; ", "issued in ", item_text(g, n, "CITY_OF_ISSUE"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(&rec->line, "; ", NULL, item_text(g, n, "NOTE"), ctx->err);
    if (rc != EMB_OK)
        return rc;
    if (emb__lx_blank(number))
        return emb__eb_value(&ctx->eb, EMB_PROP_NOTES, emb__lx_str(&rec->line), emb__lx_str(q),
                             ctx->err);
    rc = emb__lx_add(q, "; ", NULL, emb__lx_str(&rec->line), ctx->err);
    emb_prop prop = is_passport(type) || (type.len == 0 && is_passport(type2))
                        ? EMB_PROP_PASSPORT_NUMBER
                        : EMB_PROP_ID_NUMBER;
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, prop, number, emb__lx_str(q), ctx->err);
    return rc;
}

static const struct {
    const char *name;
    un_group_fn fn;
} group_fns[] = {
    {"NATIONALITY", nationality},
    {"TITLE", title},
    {"DESIGNATION", designation},
    {"INDIVIDUAL_ALIAS", alias},
    {"ENTITY_ALIAS", alias},
    {"INDIVIDUAL_ADDRESS", address},
    {"ENTITY_ADDRESS", address},
    {"INDIVIDUAL_DATE_OF_BIRTH", birth_date},
    {"INDIVIDUAL_PLACE_OF_BIRTH", birth_place},
    {"INDIVIDUAL_DOCUMENT", document},
};

static emb_status add_group(emb__pctx *ctx, un_rec *rec, const un_item *g, size_t n)
{
    for (size_t i = 0; i < EMB_COUNTOF(group_fns); i++) {
        if (strcmp(g[0].group_name, group_fns[i].name) == 0)
            return group_fns[i].fn(ctx, rec, g, n);
    }
    return EMB_OK; /* LIST_TYPE, LAST_DAY_UPDATED: bookkeeping of the list itself */
}

/* ------------------------------------------------------------ record */

/* FIRST_NAME SECOND_NAME THIRD_NAME FOURTH_NAME in the UN's own order. */
static emb_status primary_name(emb__pctx *ctx, un_rec *rec)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
    emb__buf_reset(&rec->line);
    emb_status rc = EMB_OK;
    for (size_t i = 0; rc == EMB_OK && i < EMB_COUNTOF(parts); i++)
        rc = emb__lx_add(&rec->line, " ", NULL, field(rec, parts[i]), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_name(&ctx->eb, EMB_NAME_PRIMARY, emb__lx_str(&rec->line), no_str, ctx->err);
    return rc;
}

/* UN_LIST_TYPE ("Al-Qaida", "DRC") qualified by the committee code of the reference number
 * ("QD" of QDi.017). */
static emb_status program(emb__pctx *ctx, un_rec *rec, emb_str ref)
{
    emb_str list = field(rec, "UN_LIST_TYPE");
    size_t k = 0;
    while (k < ref.len &&
           ((ref.ptr[k] >= 'A' && ref.ptr[k] <= 'Z') || (ref.ptr[k] >= 'a' && ref.ptr[k] <= 'z')))
        k++;
    emb_str code = k >= 2 ? emb__str(ref.ptr, k - 1) : no_str;
    emb_status rc =
        emb__eb_value(&ctx->eb, EMB_PROP_PROGRAM, list.len ? list : code, code, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_AUTHORITY, EMB_STR("United Nations Security Council"),
                           no_str, ctx->err);
    return rc;
}

static emb_status build(emb__pctx *ctx, un_rec *rec, emb_schema schema, emb_str ref, uint64_t line)
{
    emb__eb *b = &ctx->eb;
    emb_status rc = emb__pctx_begin(ctx, ref, line);
    if (rc != EMB_OK)
        return rc;
    emb__eb_schema(b, schema);
    rc = primary_name(ctx, rec);
    if (rc == EMB_OK)
        rc = emb__eb_name(b, EMB_NAME_ORIGINAL_SCRIPT, field(rec, "NAME_ORIGINAL_SCRIPT"), no_str,
                          ctx->err);
    if (rc == EMB_OK)
        rc = program(ctx, rec, ref);
    if (rc == EMB_OK)
        rc = emb__eb_date(b, EMB_PROP_LISTING_DATE, field(rec, "LISTED_ON"), EMB__DMY,
                          ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_gender(b, field(rec, "GENDER"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_NOTES, field(rec, "COMMENTS1"), no_str, ctx->err);
    for (size_t i = 0; rc == EMB_OK && i < rec->n;) {
        size_t j = i + 1;
        while (j < rec->n && rec->items[j].group == rec->items[i].group)
            j++;
        if (rec->items[i].group_name != NULL)
            rc = add_group(ctx, rec, rec->items + i, j - i);
        i = j;
    }
    return rc;
}

static emb_status record(emb__pctx *ctx, emb__xml_reader r, un_rec *rec, emb_schema schema)
{
    uint64_t line = emb__xml_line(r);
    int depth = xmlTextReaderDepth(r);
    const char *tag = schema == EMB_SCHEMA_PERSON ? "INDIVIDUAL" : "ENTITY";
    emb__arena_reset(&rec->arena);
    rec->n = 0;
    emb__err_record(ctx->err, "", 0);
    emb_status rc = capture(ctx, r, rec);
    emb_str ref = emb__str_trim(field(rec, "REFERENCE_NUMBER"));
    if (rc != EMB_OK)
        return emb__lx_fatal(rc) ? rc : emb__lx_bad(ctx, r, rc, depth, line, ref, 0);
    if (ref.len == 0) {
        emb_str dataid = field(rec, "DATAID");
        rc = emb__err(ctx->err, EMB_EPARSE, "%s without REFERENCE_NUMBER%s%.*s%s", tag,
                      dataid.len ? " (DATAID " : "", (int)(dataid.len > 32 ? 32 : dataid.len),
                      dataid.ptr, dataid.len ? ")" : "");
        return emb__lx_bad(ctx, r, rc, depth, line, ref, 1);
    }
    rc = build(ctx, rec, schema, ref, line);
    if (rc == EMB_OK)
        return emb__pctx_emit(ctx);
    return emb__lx_bad(ctx, r, rc, depth, line, ref, 1);
}

emb_status emb__parse_un_xml(emb__pctx *ctx)
{
    emb__xml_reader r = NULL;
    un_rec rec;
    rec_init(&rec);
    emb_status rc = emb__xml_open(ctx, &r);
    if (rc != EMB_OK)
        goto out;
    rc = emb__lx_root(ctx, r, "CONSOLIDATED_LIST");
    if (rc == EMB_OK)
        rc = emb__xml_attr(ctx, r, "dateGenerated", &rec.text);
    if (rc == EMB_OK)
        emb__pctx_published(ctx, emb__lx_str(&rec.text));
    while (rc == EMB_OK) {
        int more = 0;
        rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK || !more)
            break;
        if (emb__xml_is_start(r, "INDIVIDUAL"))
            rc = record(ctx, r, &rec, EMB_SCHEMA_PERSON);
        else if (emb__xml_is_start(r, "ENTITY"))
            rc = record(ctx, r, &rec, EMB_SCHEMA_LEGAL_ENTITY);
    }
out:
    if (r != NULL)
        emb__xml_close(ctx, r);
    rec_free(&rec);
    return rc;
}
