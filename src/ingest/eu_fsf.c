/*
 * EU Financial Sanctions File XML (export / sanctionEntity, namespace
 * http://eu.europa.ec/fpi/fsd/export). Almost everything is in attributes, and logicalId is on
 * the record element itself, so each child element is mapped as it streams past.
 *
 * subjectType person -> Person, enterprise -> Organization (as OpenSanctions maps it); a record
 * with no or another subject type becomes LegalEntity rather than being dropped. The first
 * strong Latin-script nameAlias is the primary name, later strong ones are aliases,
 * strong="false" ones weak aliases, and a strong one in another script is the original-script
 * name. euReferenceNumber and unitedNationId are kept as idNumber so that the same party can
 * be found from the EU and UN lists.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "../unicode/unicode.h"
#include "listxml.h"

#define EU_MAX_ATTRS 20

typedef struct eu_state {
    emb__buf attr[EU_MAX_ATTRS]; /* attribute values of the current element */
    emb__buf text;               /* text of the current element */
    emb__buf line;               /* a composed value */
    emb__buf label;              /* what a <remark> inside the current child is about */
    emb_str child;               /* local name of the current child of sanctionEntity */
    char child_name[32];
    int have_primary;
} eu_state;

static const emb_str no_str = {"", 0};

static void state_init(eu_state *st)
{
    memset(st, 0, sizeof(*st));
    for (size_t i = 0; i < EU_MAX_ATTRS; i++)
        emb__buf_init(&st->attr[i], EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st->text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st->line, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st->label, EMB_LIMIT_FIELD_BYTES);
}

static void state_free(eu_state *st)
{
    for (size_t i = 0; i < EU_MAX_ATTRS; i++)
        emb__buf_free(&st->attr[i]);
    emb__buf_free(&st->text);
    emb__buf_free(&st->line);
    emb__buf_free(&st->label);
}

/* Read the named attributes of the current element into out[] (empty when absent). */
static emb_status attrs(emb__pctx *ctx, emb__xml_reader r, eu_state *st, const char *const *names,
                        size_t n, emb_str *out)
{
    for (size_t i = 0; i < n && i < EU_MAX_ATTRS; i++) {
        emb_status rc = emb__xml_attr(ctx, r, names[i], &st->attr[i]);
        if (rc != EMB_OK)
            return rc;
        out[i] = emb__str_trim(emb__lx_str(&st->attr[i]));
    }
    return EMB_OK;
}

static emb_status set_label(emb__pctx *ctx, eu_state *st, emb_str s)
{
    emb__buf_reset(&st->label);
    return emb__lx_add(&st->label, NULL, NULL, s, ctx->err);
}

/*
 * A country from countryIso2Code, else countryDescription. "00" / "UNKNOWN" is the file's
 * way of saying there is none.
 */
static emb_status country(emb__pctx *ctx, emb_prop prop, emb_str code, emb_str desc)
{
    if (emb__str_ieq(desc, "UNKNOWN"))
        desc = no_str;
    if (code.len && !emb__str_eq(code, EMB_STR("00")) && emb__country_code(code) != NULL)
        return emb__eb_country(&ctx->eb, prop, code, ctx->err);
    if (desc.len)
        return emb__eb_country(&ctx->eb, prop, desc, ctx->err);
    if (code.len && !emb__str_eq(code, EMB_STR("00")))
        return emb__eb_country(&ctx->eb, prop, code, ctx->err);
    return EMB_OK;
}

/* st->line := the non-blank values joined with sep. */
static emb_status join(emb__pctx *ctx, eu_state *st, const emb_str *parts, size_t n,
                       const char *sep)
{
    emb__buf_reset(&st->line);
    emb_status rc = EMB_OK;
    for (size_t i = 0; rc == EMB_OK && i < n; i++) {
        if (!emb__str_ieq(parts[i], "UNKNOWN"))
            rc = emb__lx_add(&st->line, sep, NULL, parts[i], ctx->err);
    }
    return rc;
}

/* ------------------------------------------------------------ children of sanctionEntity */

static emb_status regulation(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"programme", "numberTitle"};
    emb_str v[EMB_COUNTOF(names)];
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_PROGRAM, v[0], v[1], ctx->err);
    return rc;
}

static emb_status subject_type(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"code"};
    emb_str v[1];
    emb_status rc = attrs(ctx, r, st, names, 1, v);
    if (rc != EMB_OK)
        return rc;
    emb_schema s = EMB_SCHEMA_LEGAL_ENTITY;
    if (emb__str_ieq(v[0], "person"))
        s = EMB_SCHEMA_PERSON;
    else if (emb__str_ieq(v[0], "enterprise"))
        s = EMB_SCHEMA_ORGANIZATION;
    emb__eb_schema(&ctx->eb, s);
    return EMB_OK;
}

static emb_status name_alias(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"wholeName", "firstName", "middleName",
                                        "lastName",  "strong",    "nameLanguage",
                                        "function",  "gender",    "title"};
    emb_str v[EMB_COUNTOF(names)];
    emb__eb *b = &ctx->eb;
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    emb_str name = v[0];
    if (rc == EMB_OK && name.len == 0) {
        rc = join(ctx, st, v + 1, 3, " ");
        name = emb__lx_str(&st->line);
    }
    if (rc != EMB_OK)
        return rc;
    /* nameLanguage is an upper-case ISO 639-1 code ("EN", "RU") */
    char lang[8];
    size_t n_lang = v[5].len < sizeof(lang) ? v[5].len : 0;
    for (size_t i = 0; i < n_lang; i++) {
        char c = v[5].ptr[i];
        lang[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    emb_name_kind kind = EMB_NAME_ALIAS;
    if (emb__str_ieq(v[4], "false"))
        kind = EMB_NAME_WEAK_ALIAS;
    else if (emb__has_non_latin(name))
        kind = EMB_NAME_ORIGINAL_SCRIPT;
    else if (!st->have_primary && !emb__str_blank(name))
        kind = EMB_NAME_PRIMARY;
    if (kind == EMB_NAME_PRIMARY)
        st->have_primary = 1;
    rc = emb__eb_name(b, kind, name, emb__str(lang, n_lang), ctx->err);
    if (rc == EMB_OK && b->schema == EMB_SCHEMA_PERSON)
        rc = emb__eb_value(b, EMB_PROP_POSITION, v[6], no_str, ctx->err);
    else if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_NOTES, v[6], EMB_STR("function"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_gender(b, v[7], ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_TITLE, v[8], no_str, ctx->err);
    if (rc == EMB_OK)
        rc = set_label(ctx, st, name);
    return rc;
}

static emb_status citizenship(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"countryIso2Code", "countryDescription", "region"};
    emb_str v[EMB_COUNTOF(names)];
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    if (rc == EMB_OK)
        rc = country(ctx, EMB_PROP_NATIONALITY, v[0], v[1]);
    if (rc == EMB_OK)
        rc = join(ctx, st, v + 1, 2, ", ");
    if (rc == EMB_OK)
        rc = set_label(ctx, st, emb__lx_str(&st->line));
    return rc;
}

/* Append a zero-padded 2-digit part ("-04") when text is a number from 1 to max. */
static int add_part(char *out, size_t cap, size_t *len, emb_str text, uint64_t max)
{
    uint64_t v = 0;
    if (!emb__str_to_u64(text, &v) || v < 1 || v > max)
        return 0;
    int n = snprintf(out + *len, cap - *len, "-%02u", (unsigned)v);
    if (n <= 0 || (size_t)n >= cap - *len)
        return 0;
    *len += (size_t)n;
    return 1;
}

/*
 * The date: the birthdate attribute, else year[-month[-day]], else yearRangeFrom to
 * yearRangeTo. A date in another calendar (calendarType ISLAMIC...) is kept unresolved with
 * the calendar named, not read as a Gregorian one.
 */
static emb_status birth_date(emb__pctx *ctx, eu_state *st, const emb_str *v)
{
    enum { DATE, YEAR, MONTH, DAY, FROM, TO, CALENDAR };
    char ymd[32];
    size_t len = 0;
    emb_str date = v[DATE];
    emb_status rc = EMB_OK;
    if (date.len == 0 && v[YEAR].len > 0 && v[YEAR].len <= 4) {
        memcpy(ymd, v[YEAR].ptr, v[YEAR].len);
        len = v[YEAR].len;
        if (add_part(ymd, sizeof(ymd), &len, v[MONTH], 12))
            add_part(ymd, sizeof(ymd), &len, v[DAY], 31);
        date = emb__str(ymd, len);
    } else if (date.len == 0) {
        date = v[YEAR];
    }
    if (date.len == 0 && (v[FROM].len || v[TO].len)) {
        emb__buf_reset(&st->line);
        rc = emb__lx_add(&st->line, NULL, NULL, v[FROM], ctx->err);
        if (rc == EMB_OK)
            rc = emb__lx_add(&st->line, " to ", NULL, v[TO], ctx->err);
        date = emb__lx_str(&st->line);
    }
    if (rc == EMB_OK)
        rc = set_label(ctx, st, date);
    if (rc != EMB_OK || date.len == 0)
        return rc;
    if (v[CALENDAR].len == 0 || emb__str_ieq(v[CALENDAR], "GREGORIAN"))
        return emb__eb_date(&ctx->eb, EMB_PROP_BIRTH_DATE, date, EMB__DMY, ctx->err);
    rc = emb__lx_add(&st->label, " (", NULL, v[CALENDAR], ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(&st->label, NULL, NULL, EMB_STR(")"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_UNRESOLVED, emb__lx_str(&st->label),
                           EMB_STR("birthDate"), ctx->err);
    return rc;
}

static emb_status birthdate(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    /* the first seven are in birth_date()'s order */
    static const char *const names[] = {"birthdate",      "year",          "monthOfYear",
                                        "dayOfMonth",     "yearRangeFrom", "yearRangeTo",
                                        "calendarType",   "place",         "city",
                                        "zipCode",        "region",        "countryDescription",
                                        "countryIso2Code"};
    emb_str v[EMB_COUNTOF(names)];
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    if (rc == EMB_OK)
        rc = join(ctx, st, v + 7, 5, ", ");
    if (rc == EMB_OK)
        rc =
            emb__eb_value(&ctx->eb, EMB_PROP_BIRTH_PLACE, emb__lx_str(&st->line), no_str, ctx->err);
    if (rc == EMB_OK)
        rc = country(ctx, EMB_PROP_BIRTH_COUNTRY, v[12], v[11]);
    if (rc == EMB_OK)
        rc = birth_date(ctx, st, v);
    return rc;
}

/* identificationTypeCode to property; everything else is an idNumber. */
static emb_prop id_prop(emb_str code)
{
    static const struct {
        const char *code;
        emb_prop prop;
    } map[] = {
        {"passport", EMB_PROP_PASSPORT_NUMBER}, {"regnumber", EMB_PROP_REGISTRATION_NUMBER},
        {"fiscalcode", EMB_PROP_TAX_NUMBER},    {"swiftbic", EMB_PROP_SWIFT_BIC},
        {"imo", EMB_PROP_IMO_NUMBER},
    };
    for (size_t i = 0; i < EMB_COUNTOF(map); i++) {
        if (emb__str_ieq(code, map[i].code))
            return map[i].prop;
    }
    return EMB_PROP_ID_NUMBER;
}

/* Qualifier: type, country, issuer and date, and the flags the EU sets on a document. */
static emb_status id_qualifier(emb__pctx *ctx, eu_state *st, const emb_str *v)
{
    enum { TYPE = 2, DESC, CODE, CDESC, BY, DATE, FLAGS };
    static const char *const flags[] = {"diplomatic", "known expired", "known false",
                                        "reported lost", "revoked by issuer"};
    emb__buf *q = &st->line;
    emb__buf_reset(q);
    emb_status rc = emb__lx_add(q, ", ", NULL, v[DESC].len ? v[DESC] : v[TYPE], ctx->err);
    if (rc == EMB_OK && !emb__str_ieq(v[CDESC], "UNKNOWN"))
        rc = emb__lx_add(q, ", ", NULL, v[CDESC], ctx->err);
    else if (rc == EMB_OK && !emb__str_eq(v[CODE], EMB_STR("00")))
        rc = emb__lx_add(q, ", ", NULL, v[CODE], ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(q, "; ", "issued by ", v[BY], ctx->err);
    if (rc == EMB_OK)
        rc = emb__lx_add(q, "; ", "issued ", v[DATE], ctx->err);
    for (size_t i = 0; rc == EMB_OK && i < EMB_COUNTOF(flags); i++) {
        if (emb__str_ieq(v[FLAGS + i], "true"))
            rc = emb__lx_add(q, "; ", NULL, emb__str_cstr(flags[i]), ctx->err);
    }
    return rc;
}

static emb_status identification(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    /* id_qualifier() relies on this order */
    static const char *const names[] = {"number",
                                        "latinNumber",
                                        "identificationTypeCode",
                                        "identificationTypeDescription",
                                        "countryIso2Code",
                                        "countryDescription",
                                        "issuedBy",
                                        "issueDate",
                                        "diplomatic",
                                        "knownExpired",
                                        "knownFalse",
                                        "reportedLost",
                                        "revokedByIssuer",
                                        "nameOnDocument"};
    emb_str v[EMB_COUNTOF(names)];
    emb__eb *b = &ctx->eb;
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    if (rc == EMB_OK)
        rc = id_qualifier(ctx, st, v);
    emb_prop prop = id_prop(v[2]);
    emb_str q = emb__lx_str(&st->line);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, prop, v[0], q, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, prop, v[1], q, ctx->err);
    /* the name printed on the document is one the party uses */
    if (rc == EMB_OK)
        rc = emb__eb_name(b, EMB_NAME_ALIAS, v[13], no_str, ctx->err);
    if (rc == EMB_OK)
        rc = set_label(ctx, st, v[0].len ? v[0] : v[1]);
    return rc;
}

static emb_status address(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {
        "street",         "poBox", "place", "city", "zipCode", "region", "countryDescription",
        "countryIso2Code"};
    emb_str v[EMB_COUNTOF(names)];
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    if (rc == EMB_OK)
        rc = join(ctx, st, v, 7, ", ");
    if (rc == EMB_OK)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_ADDRESS, emb__lx_str(&st->line), no_str, ctx->err);
    if (rc == EMB_OK)
        rc = country(ctx, EMB_PROP_COUNTRY, v[7], v[6]);
    if (rc == EMB_OK)
        rc = set_label(ctx, st, emb__lx_str(&st->line));
    return rc;
}

/* <contactInfo key="PHONE|FAX|EMAIL|WEB" value="..."/> inside an address; a value may list
 * several, separated by ',' or ';'. */
static emb_status contact_info(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"key", "value"};
    emb_str v[2];
    emb_status rc = attrs(ctx, r, st, names, 2, v);
    emb_prop prop = EMB_PROP_NOTES;
    if (emb__str_ieq(v[0], "PHONE") || emb__str_ieq(v[0], "FAX"))
        prop = EMB_PROP_PHONE;
    else if (emb__str_ieq(v[0], "EMAIL"))
        prop = EMB_PROP_EMAIL;
    else if (emb__str_ieq(v[0], "WEB"))
        prop = EMB_PROP_WEBSITE;
    size_t start = 0;
    for (size_t i = 0; rc == EMB_OK && i <= v[1].len; i++) {
        if (i < v[1].len && v[1].ptr[i] != ',' && v[1].ptr[i] != ';')
            continue;
        emb_str part = emb__str(v[1].ptr + start, i - start);
        rc = emb__eb_value(&ctx->eb, prop, part, prop == EMB_PROP_NOTES ? v[0] : no_str, ctx->err);
        start = i + 1;
    }
    return rc;
}

/* Text of the current element as a note about st->label (or about the entity). */
static emb_status remark(emb__pctx *ctx, emb__xml_reader r, eu_state *st, int of_child)
{
    emb_status rc = emb__xml_text(ctx, r, &st->text);
    if (rc != EMB_OK)
        return rc;
    return emb__eb_value(&ctx->eb, EMB_PROP_NOTES, emb__lx_str(&st->text),
                         of_child ? emb__lx_str(&st->label) : no_str, ctx->err);
}

typedef emb_status (*eu_child_fn)(emb__pctx *ctx, emb__xml_reader r, eu_state *st);

static const struct {
    const char *name;
    eu_child_fn fn;
} child_fns[] = {
    {"regulation", regulation},   {"subjectType", subject_type}, {"nameAlias", name_alias},
    {"citizenship", citizenship}, {"birthdate", birthdate},      {"identification", identification},
    {"address", address},
};

/* An element directly inside sanctionEntity. */
static emb_status child_start(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    emb_str name = emb__xml_name(r);
    size_t n = name.len < sizeof(st->child_name) ? name.len : 0;
    memcpy(st->child_name, name.ptr, n);
    st->child = emb__str(st->child_name, n);
    emb__buf_reset(&st->label);
    if (emb__str_eq(name, EMB_STR("remark")))
        return remark(ctx, r, st, 0);
    for (size_t i = 0; i < EMB_COUNTOF(child_fns); i++) {
        if (emb__str_eq(name, emb__str_cstr(child_fns[i].name)))
            return child_fns[i].fn(ctx, r, st);
    }
    return EMB_OK;
}

/* An element inside a child of sanctionEntity. regulationSummary repeats the regulation. */
static emb_status grandchild_start(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    emb_str name = emb__xml_name(r);
    if (emb__str_eq(name, EMB_STR("remark")))
        return remark(ctx, r, st, 1);
    if (emb__str_eq(name, EMB_STR("contactInfo")) && emb__str_eq(st->child, EMB_STR("address")))
        return contact_info(ctx, r, st);
    if (emb__str_eq(name, EMB_STR("publicationUrl")) &&
        emb__str_eq(st->child, EMB_STR("regulation"))) {
        emb_status rc = emb__xml_text(ctx, r, &st->text);
        if (rc == EMB_OK)
            rc = emb__eb_value(&ctx->eb, EMB_PROP_SOURCE_URL, emb__lx_str(&st->text), no_str,
                               ctx->err);
        return rc;
    }
    return EMB_OK;
}

/* The attributes of sanctionEntity itself, after logicalId. */
static emb_status entity_attrs(emb__pctx *ctx, const emb_str *v)
{
    emb__eb *b = &ctx->eb;
    emb_status rc = emb__eb_date(b, EMB_PROP_LISTING_DATE, v[1], EMB__DMY, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_NOTES, v[2], no_str, ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_ID_NUMBER, v[3], EMB_STR("UN reference number"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_ID_NUMBER, v[4], EMB_STR("EU reference number"), ctx->err);
    if (rc == EMB_OK)
        rc = emb__eb_value(b, EMB_PROP_AUTHORITY, EMB_STR("European Union"), no_str, ctx->err);
    return rc;
}

/* The children of the sanctionEntity the reader is on, up to its end tag. */
static emb_status entity_body(emb__pctx *ctx, emb__xml_reader r, eu_state *st, int depth,
                              int *at_end)
{
    *at_end = xmlTextReaderIsEmptyElement(r);
    while (!*at_end) {
        int more = 0;
        emb_status rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK)
            return rc;
        if (!more)
            return emb__xml_fail(ctx, r, EMB_EPARSE, "document ends inside a record");
        int type = xmlTextReaderNodeType(r);
        int d = xmlTextReaderDepth(r);
        if (d == depth && type == XML_READER_TYPE_END_ELEMENT)
            *at_end = 1;
        else if (d == depth + 1 && type == XML_READER_TYPE_ELEMENT)
            rc = child_start(ctx, r, st);
        else if (d == depth + 2 && type == XML_READER_TYPE_ELEMENT)
            rc = grandchild_start(ctx, r, st);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

static emb_status entity(emb__pctx *ctx, emb__xml_reader r, eu_state *st)
{
    static const char *const names[] = {"logicalId", "designationDate", "designationDetails",
                                        "unitedNationId", "euReferenceNumber"};
    emb_str v[EMB_COUNTOF(names)];
    uint64_t line = emb__xml_line(r);
    int depth = xmlTextReaderDepth(r);
    int at_end = xmlTextReaderIsEmptyElement(r);
    emb__err_record(ctx->err, "", 0);
    emb_status rc = attrs(ctx, r, st, names, EMB_COUNTOF(names), v);
    emb_str id = rc == EMB_OK ? v[0] : no_str;
    if (rc == EMB_OK && id.len == 0) {
        rc = emb__err(ctx->err, EMB_EPARSE, "sanctionEntity without logicalId");
        return emb__lx_bad(ctx, r, rc, depth, line, id, at_end);
    }
    if (rc == EMB_OK)
        rc = emb__pctx_begin(ctx, id, line);
    /* the attribute buffers are reused by the children: keep the builder's copy */
    if (rc == EMB_OK)
        id = ctx->eb.source_id;
    if (rc == EMB_OK) {
        emb__eb_schema(&ctx->eb, EMB_SCHEMA_LEGAL_ENTITY);
        st->have_primary = 0;
        st->child = no_str;
        rc = entity_attrs(ctx, v);
    }
    if (rc == EMB_OK)
        rc = entity_body(ctx, r, st, depth, &at_end);
    if (rc == EMB_OK)
        return emb__pctx_emit(ctx);
    if (emb__lx_fatal(rc))
        return rc;
    return emb__lx_bad(ctx, r, rc, depth, line, id, at_end);
}

emb_status emb__parse_eu_fsf(emb__pctx *ctx)
{
    emb__xml_reader r = NULL;
    eu_state st;
    state_init(&st);
    emb_status rc = emb__xml_open(ctx, &r);
    if (rc != EMB_OK)
        goto out;
    rc = emb__lx_root(ctx, r, "export");
    if (rc == EMB_OK)
        rc = emb__xml_attr(ctx, r, "generationDate", &st.text);
    if (rc == EMB_OK)
        emb__pctx_published(ctx, emb__lx_str(&st.text));
    while (rc == EMB_OK) {
        int more = 0;
        rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK || !more)
            break;
        if (emb__xml_is_start(r, "sanctionEntity"))
            rc = entity(ctx, r, &st);
    }
out:
    if (r != NULL)
        emb__xml_close(ctx, r);
    state_free(&st);
    return rc;
}
