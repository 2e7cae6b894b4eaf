/*
 * UK Sanctions List XML (FCDO, schema 4.x): root <Designations> with <DateGenerated>
 * dd/mm/yyyy, then one <Designation> per listed person, entity or ship. Streaming: one
 * Designation is read at a time. Inside it, leaf elements are mapped by name wherever they sit
 * (DOB under IndividualDetails/Individual/DOBs, IMONumber under ShipDetails/Ship/IMONumbers, ...),
 * and the few elements whose children only make sense together (Name, NonLatinName, Address,
 * Passport, NationalIdentifier, birth Location) are collected whole first.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "uk.h"

/* ------------------------------------------------------------ shared with uk_ofsi_csv.c */

emb_status emb__uk_join(emb__buf *out, emb_str text, const char *sep)
{
    text = emb__str_trim(text);
    if (emb__str_blank(text))
        return EMB_OK;
    emb_status rc = EMB_OK;
    if (out->len > 0)
        rc = emb__buf_append(out, sep, strlen(sep));
    if (rc == EMB_OK)
        rc = emb__buf_append(out, text.ptr, text.len);
    return rc;
}

emb_status emb__uk_full_name(const emb_str parts[6], emb__buf *out)
{
    emb__buf_reset(out);
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < 6 && rc == EMB_OK; i++)
        rc = emb__uk_join(out, parts[i], " ");
    return rc;
}

emb_name_kind emb__uk_name_kind(emb_str type, emb_str quality)
{
    type = emb__str_trim(type);
    if (emb__str_istarts(type, "prim")) {
        /* OFSI "Primary name variation" is another spelling, not the designated name */
        if (emb__str_ifind(type, "variation") >= 0)
            return EMB_NAME_ALIAS;
        return EMB_NAME_PRIMARY;
    }
    if (emb__str_ifind(type, "previous") >= 0 || emb__str_ifind(type, "former") >= 0)
        return EMB_NAME_PREVIOUS;
    if (emb__str_ifind(quality, "low") >= 0 || emb__str_ifind(quality, "weak") >= 0)
        return EMB_NAME_WEAK_ALIAS;
    return EMB_NAME_ALIAS;
}

const char *emb__uk_lang(emb_str language)
{
    static const char *const table[][2] = {
        {"arabic", "ar"},     {"persian", "fa"},   {"farsi", "fa"},      {"dari", "fa"},
        {"russian", "ru"},    {"ukrainian", "uk"}, {"belarusian", "be"}, {"chinese", "zh"},
        {"mandarin", "zh"},   {"korean", "ko"},    {"japanese", "ja"},   {"pashto", "ps"},
        {"urdu", "ur"},       {"hebrew", "he"},    {"georgian", "ka"},   {"armenian", "hy"},
        {"burmese", "my"},    {"greek", "el"},     {"serbian", "sr"},    {"bulgarian", "bg"},
        {"macedonian", "mk"}, {"kazakh", "kk"},    {"kyrgyz", "ky"},     {"tajik", "tg"},
        {"tamil", "ta"},      {"kurdish", "ku"},   {"amharic", "am"},    {"tigrinya", "ti"},
        {"thai", "th"},       {"khmer", "km"},
    };
    language = emb__str_trim(language);
    for (size_t i = 0; i < EMB_COUNTOF(table); i++) {
        if (emb__str_ieq(language, table[i][0]))
            return table[i][1];
    }
    return "";
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

emb_status emb__uk_date(emb__eb *b, emb_prop prop, emb_str text, emb_error *err)
{
    char norm[64];
    char out[EMB__DATE_MAX_OUT][11];
    text = emb__str_trim(text);
    if (text.len == 0 || text.len >= sizeof(norm))
        return emb__eb_date(b, prop, text, EMB__DMY, err);
    /* FCDO writes an unknown day or month as "dd" or "mm" (dd/mm/1968, dd/09/1958), OFSI as 00 */
    size_t n = 0;
    for (size_t i = 0; i < text.len; i++) {
        char c = (char)(text.ptr[i] | 0x20);
        int pair = (c == 'd' || c == 'm') && i + 1 < text.len && (text.ptr[i + 1] | 0x20) == c;
        if (pair && (i == 0 || !is_letter(text.ptr[i - 1])) &&
            (i + 2 == text.len || !is_letter(text.ptr[i + 2]))) {
            norm[n++] = '0';
            norm[n++] = '0';
            i++;
            continue;
        }
        norm[n++] = text.ptr[i];
    }
    /* an unreadable date stays unresolved as published, not in its rewritten form */
    if (emb__date_parse(emb__str(norm, n), EMB__DMY, out, EMB__DATE_MAX_OUT) == 0)
        return emb__eb_date(b, prop, text, EMB__DMY, err);
    return emb__eb_date(b, prop, emb__str(norm, n), EMB__DMY, err);
}

emb_status emb__uk_country(emb__eb *b, emb_prop prop, emb_str text, emb_error *err)
{
    text = emb__str_trim(text);
    if (emb__str_blank(text))
        return EMB_OK;
    if (emb__country_code(text) == NULL) {
        /* OFSI: "Pakistan (location as at May 2008)" */
        const char *br = memchr(text.ptr, '(', text.len);
        emb_str head = emb__str_trim(emb__str(text.ptr, br ? (size_t)(br - text.ptr) : 0));
        if (head.len > 0 && emb__country_code(head) != NULL)
            return emb__eb_country(b, prop, head, err);
    }
    return emb__eb_country(b, prop, text, err);
}

/* ------------------------------------------------------------ Designation elements */

#define N_SLOTS 8

typedef struct uk_xml {
    emb__pctx *ctx;
    emb__xml_reader r;
    emb__buf text;          /* text of the current leaf */
    emb__buf slot[N_SLOTS]; /* children of a group element */
    emb__buf scratch;
    int has_id;
    int broken; /* the reader failed: nothing after this point can be read */
} uk_xml;

static int is_element(emb__xml_reader r)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT;
}

/* The status a failed reader call left in ctx->err. */
static emb_status reader_status(const emb__pctx *ctx)
{
    return (ctx->err != NULL && ctx->err->code != EMB_OK) ? ctx->err->code : EMB_EPARSE;
}

/* Advance the reader: 1 on a node; otherwise the reader is broken and an error is returned in
 * *rc (a document that ends early is truncated). */
static int next_node(uk_xml *x, const char *inside, emb_status *rc)
{
    int k = emb__xml_next(x->ctx, x->r);
    if (k > 0)
        return 1;
    x->broken = 1;
    if (k == 0)
        *rc = emb__xml_fail(x->ctx, x->r, EMB_EPARSE, "document ends inside <%s>", inside);
    else
        *rc = reader_status(x->ctx);
    return 0;
}

/* Text of the current element; only an over-long text leaves the reader usable. */
static emb_status text_of(uk_xml *x, emb__buf *out)
{
    emb_status rc = emb__xml_text(x->ctx, x->r, out);
    if (rc != EMB_OK && rc != EMB_ELIMIT)
        x->broken = 1;
    return rc;
}

static emb_str slot(const uk_xml *x, size_t i)
{
    const emb__buf *s = &x->slot[i];
    return emb__str(s->ptr ? s->ptr : "", s->len);
}

static emb_status buf_fail(emb__pctx *ctx, emb_status rc, const char *what)
{
    if (rc == EMB_ELIMIT)
        return emb__err(ctx->err, rc, "%s over the limit of %u bytes", what,
                        (unsigned)EMB_LIMIT_RECORD_BYTES);
    return emb__err(ctx->err, rc, "out of memory");
}

/* Name1..Name5, Name6 (family name), NameType, AliasStrength */
static emb_status add_name(uk_xml *x)
{
    emb_str parts[6];
    for (size_t i = 0; i < 6; i++)
        parts[i] = slot(x, i);
    emb_status rc = emb__uk_full_name(parts, &x->scratch);
    if (rc != EMB_OK)
        return buf_fail(x->ctx, rc, "name");
    emb_name_kind kind = emb__uk_name_kind(slot(x, 6), slot(x, 7));
    return emb__eb_name(&x->ctx->eb, kind,
                        emb__str(x->scratch.ptr ? x->scratch.ptr : "", x->scratch.len),
                        emb__str("", 0), x->ctx->err);
}

/* NameNonLatinScript, NonLatinScriptType, NonLatinScriptLanguage */
static emb_status add_non_latin(uk_xml *x)
{
    return emb__eb_name(&x->ctx->eb, EMB_NAME_ORIGINAL_SCRIPT, slot(x, 0),
                        emb__str_cstr(emb__uk_lang(slot(x, 2))), x->ctx->err);
}

/* AddressLine1..6, AddressPostalCode, AddressCountry */
static emb_status add_address(uk_xml *x)
{
    emb__buf_reset(&x->scratch);
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < 7 && rc == EMB_OK; i++)
        rc = emb__uk_join(&x->scratch, slot(x, i), ", ");
    /* a country alone is a country, not an address */
    int has_lines = x->scratch.len > 0;
    if (rc == EMB_OK)
        rc = emb__uk_join(&x->scratch, slot(x, 7), ", ");
    if (rc != EMB_OK)
        return buf_fail(x->ctx, rc, "address");
    if (has_lines) {
        rc = emb__eb_value(&x->ctx->eb, EMB_PROP_ADDRESS, emb__str(x->scratch.ptr, x->scratch.len),
                           emb__str("", 0), x->ctx->err);
        if (rc != EMB_OK)
            return rc;
    }
    return emb__uk_country(&x->ctx->eb, EMB_PROP_COUNTRY, slot(x, 7), x->ctx->err);
}

/* number and additional information of a passport (0) or national identifier (1) */
static emb_status add_document(uk_xml *x, emb_prop prop, const char *label)
{
    emb_str number = emb__str_trim(slot(x, 0));
    emb_str info = emb__str_trim(slot(x, 1));
    if (emb__str_blank(number))
        return emb__eb_value(&x->ctx->eb, EMB_PROP_NOTES, info, emb__str_cstr(label), x->ctx->err);
    if (info.len == 0)
        info = emb__str_cstr(label);
    return emb__eb_value(&x->ctx->eb, prop, number, info, x->ctx->err);
}

static emb_status add_passport(uk_xml *x)
{
    return add_document(x, EMB_PROP_PASSPORT_NUMBER, "Passport");
}

static emb_status add_national_id(uk_xml *x)
{
    return add_document(x, EMB_PROP_ID_NUMBER, "National identifier");
}

/* TownOfBirth, CountryOfBirth */
static emb_status add_birth(uk_xml *x)
{
    emb_status rc =
        emb__eb_value(&x->ctx->eb, EMB_PROP_BIRTH_PLACE, slot(x, 0), emb__str("", 0), x->ctx->err);
    if (rc != EMB_OK)
        return rc;
    return emb__uk_country(&x->ctx->eb, EMB_PROP_BIRTH_COUNTRY, slot(x, 1), x->ctx->err);
}

typedef struct {
    const char *elem;
    const char *fields[N_SLOTS];
    emb_status (*finish)(uk_xml *x);
} group_def;

static const group_def groups[] = {
    {"Name",
     {"Name1", "Name2", "Name3", "Name4", "Name5", "Name6", "NameType", "AliasStrength"},
     add_name},
    {"NonLatinName",
     {"NameNonLatinScript", "NonLatinScriptType", "NonLatinScriptLanguage"},
     add_non_latin},
    {"Address",
     {"AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5",
      "AddressLine6", "AddressPostalCode", "AddressCountry"},
     add_address},
    {"Passport", {"PassportNumber", "PassportAdditionalInformation"}, add_passport},
    {"NationalIdentifier",
     {"NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"},
     add_national_id},
    {"Location", {"TownOfBirth", "CountryOfBirth"}, add_birth},
};

typedef enum { L_ID, L_SCHEMA, L_VALUE, L_COUNTRY, L_DATE, L_GENDER, L_EMAIL } leaf_kind;

typedef struct {
    const char *elem;
    leaf_kind kind;
    emb_prop prop;
    const char *qualifier; /* identifier label, or the label of a note */
} leaf_def;

static const leaf_def leaves[] = {
    {"UniqueID", L_ID, EMB_PROP_MAX_, ""},
    {"IndividualEntityShip", L_SCHEMA, EMB_PROP_MAX_, ""},
    {"OFSIGroupID", L_VALUE, EMB_PROP_ID_NUMBER, EMB__UK_Q_OFSI_GROUP},
    {"UNReferenceNumber", L_VALUE, EMB_PROP_ID_NUMBER, EMB__UK_Q_UN_REF},
    {"RegimeName", L_VALUE, EMB_PROP_PROGRAM, ""},
    {"DateDesignated", L_DATE, EMB_PROP_LISTING_DATE, ""},
    {"UKStatementofReasons", L_VALUE, EMB_PROP_REASON, ""},
    {"OtherInformation", L_VALUE, EMB_PROP_NOTES, ""},
    {"SanctionsImposed", L_VALUE, EMB_PROP_NOTES, "Sanctions imposed"},
    {"DesignationSource", L_VALUE, EMB_PROP_NOTES, "Designation source"},
    {"DOB", L_DATE, EMB_PROP_BIRTH_DATE, ""},
    {"Nationality", L_COUNTRY, EMB_PROP_NATIONALITY, ""},
    {"Gender", L_GENDER, EMB_PROP_GENDER, ""},
    {"Position", L_VALUE, EMB_PROP_POSITION, ""},
    {"Title", L_VALUE, EMB_PROP_TITLE, ""},
    {"TypeOfEntity", L_VALUE, EMB_PROP_LEGAL_FORM, ""},
    {"Parent", L_VALUE, EMB_PROP_NOTES, "Parent"},
    {"Subsidiary", L_VALUE, EMB_PROP_NOTES, "Subsidiary"},
    {"BusinessRegistrationNumber", L_VALUE, EMB_PROP_REGISTRATION_NUMBER,
     "Business registration number"},
    {"PhoneNumber", L_VALUE, EMB_PROP_PHONE, ""},
    {"EmailAddress", L_EMAIL, EMB_PROP_EMAIL, ""},
    {"Website", L_VALUE, EMB_PROP_WEBSITE, ""},
    {"IMONumber", L_VALUE, EMB_PROP_IMO_NUMBER, ""},
    {"CurrentOwnerOperator", L_VALUE, EMB_PROP_NOTES, "Current owner/operator"},
    {"CurrentBelievedFlagOfShip", L_COUNTRY, EMB_PROP_FLAG, ""},
    {"Flag", L_COUNTRY, EMB_PROP_FLAG, ""},
    {"PreviousFlag", L_VALUE, EMB_PROP_NOTES, "Previous flag"},
    {"TypeOfShip", L_VALUE, EMB_PROP_VESSEL_TYPE, ""},
    {"CallSign", L_VALUE, EMB_PROP_CALL_SIGN, ""},
    {"TonnageOfShip", L_VALUE, EMB_PROP_NOTES, "Tonnage"},
    {"LengthOfShip", L_VALUE, EMB_PROP_NOTES, "Length"},
    {"YearBuilt", L_DATE, EMB_PROP_BUILD_DATE, ""},
    {"HullIdentificationNumber", L_VALUE, EMB_PROP_ID_NUMBER, "Hull identification number"},
};

/*
 * UniqueID comes after LastUpdated and DateDesignated in the schema's sequence, so the record
 * is begun before its id is known and the id is set on the builder when it arrives.
 */
static emb_status set_source_id(uk_xml *x, emb_str id)
{
    emb__pctx *ctx = x->ctx;
    id = emb__str_trim(id);
    if (id.len == 0)
        return EMB_OK;
    if (x->has_id) {
        if (emb__str_eq(id, ctx->eb.source_id))
            return EMB_OK;
        return emb__err(ctx->err, EMB_EPARSE, "Designation has two UniqueIDs");
    }
    emb_status rc = emb__eb_set_source_id(&ctx->eb, id, ctx->err);
    if (rc != EMB_OK)
        return rc;
    emb__err_record(ctx->err, id.ptr, id.len);
    x->has_id = 1;
    return EMB_OK;
}

static emb_status add_gender(emb__pctx *ctx, emb_str text)
{
    if (emb__str_ieq(text, "male"))
        text = EMB_STR("male");
    else if (emb__str_ieq(text, "female"))
        text = EMB_STR("female");
    return emb__eb_value(&ctx->eb, EMB_PROP_GENDER, text, emb__str("", 0), ctx->err);
}

/* EmailAddress may hold several addresses separated by ';' or spaces. */
static emb_status add_emails(emb__pctx *ctx, emb_str text)
{
    size_t start = 0;
    for (size_t i = 0; i <= text.len; i++) {
        if (i < text.len && text.ptr[i] != ';' && text.ptr[i] != ' ' && text.ptr[i] != '\n')
            continue;
        emb_status rc =
            emb__eb_value(&ctx->eb, EMB_PROP_EMAIL, emb__str(text.ptr + start, i - start),
                          emb__str("", 0), ctx->err);
        if (rc != EMB_OK)
            return rc;
        start = i + 1;
    }
    return EMB_OK;
}

static emb_status add_leaf(uk_xml *x, const leaf_def *d, emb_str text)
{
    emb__pctx *ctx = x->ctx;
    emb__eb *b = &ctx->eb;
    text = emb__str_trim(text);
    switch (d->kind) {
    case L_ID:
        return set_source_id(x, text);
    case L_SCHEMA: {
        emb_schema s = emb__schema_loose(text);
        if (s == EMB_SCHEMA_UNKNOWN)
            return emb__err(ctx->err, EMB_EPARSE, "unknown IndividualEntityShip '%.*s'",
                            (int)(text.len > 40 ? 40 : text.len), text.ptr);
        emb__eb_schema(b, s);
        return EMB_OK;
    }
    case L_COUNTRY:
        return emb__uk_country(b, d->prop, text, ctx->err);
    case L_DATE:
        return emb__uk_date(b, d->prop, text, ctx->err);
    case L_GENDER:
        return add_gender(ctx, text);
    case L_EMAIL:
        return add_emails(ctx, text);
    case L_VALUE:
        break;
    }
    return emb__eb_value(b, d->prop, text, emb__str_cstr(d->qualifier), ctx->err);
}

/* Collect the children of a group element into slots, then apply it. */
static emb_status read_group(uk_xml *x, const group_def *g)
{
    emb__pctx *ctx = x->ctx;
    for (size_t i = 0; i < N_SLOTS; i++)
        emb__buf_reset(&x->slot[i]);
    /* an empty element (<Name/>) is its own end */
    emb_status rc = EMB_OK;
    while (!emb__xml_is_end(x->r, g->elem)) {
        if (!next_node(x, g->elem, &rc))
            return rc;
        if (!is_element(x->r))
            continue;
        emb_str name = emb__xml_name(x->r);
        for (size_t i = 0; i < N_SLOTS && g->fields[i] != NULL; i++) {
            if (!emb__str_eq(name, emb__str_cstr(g->fields[i])))
                continue;
            rc = text_of(x, &x->text);
            if (rc != EMB_OK)
                return rc;
            /* a repeated child (two AddressLine1) keeps both */
            rc = emb__uk_join(&x->slot[i], emb__str(x->text.ptr, x->text.len), "; ");
            if (rc != EMB_OK)
                return buf_fail(ctx, rc, g->elem);
            break;
        }
    }
    return g->finish(x);
}

static emb_status element(uk_xml *x)
{
    emb_str name = emb__xml_name(x->r);
    for (size_t i = 0; i < EMB_COUNTOF(groups); i++) {
        if (emb__str_eq(name, emb__str_cstr(groups[i].elem)))
            return read_group(x, &groups[i]);
    }
    for (size_t i = 0; i < EMB_COUNTOF(leaves); i++) {
        if (!emb__str_eq(name, emb__str_cstr(leaves[i].elem)))
            continue;
        emb_status rc = text_of(x, &x->text);
        if (rc != EMB_OK)
            return rc;
        return add_leaf(x, &leaves[i], emb__str(x->text.ptr ? x->text.ptr : "", x->text.len));
    }
    return EMB_OK;
}

static emb_status designation(uk_xml *x)
{
    emb__pctx *ctx = x->ctx;
    uint64_t line = emb__xml_line(x->r);
    emb_status bad = EMB_OK;
    x->has_id = 0;
    emb_status rc = emb__pctx_begin(ctx, emb__str("", 0), line);
    if (rc != EMB_OK)
        return rc;
    while (!emb__xml_is_end(x->r, "Designation")) {
        if (!next_node(x, "Designation", &rc))
            return rc;
        if (bad != EMB_OK || !is_element(x->r))
            continue;
        rc = element(x);
        if (rc != EMB_OK && (x->broken || rc == EMB_ENOMEM))
            return rc;
        /* a bad value spoils the record: keep reading to its end, then report it */
        bad = rc;
    }
    if (bad == EMB_OK && !x->has_id)
        bad = emb__err(ctx->err, EMB_EPARSE, "Designation has no UniqueID");
    if (bad != EMB_OK)
        return emb__pctx_bad(ctx, bad, line, UINT64_MAX, ctx->eb.source_id.ptr,
                             ctx->eb.source_id.len);
    return emb__pctx_emit(ctx);
}

static emb_status read_published(uk_xml *x)
{
    emb_status rc = text_of(x, &x->text);
    if (rc == EMB_OK)
        emb__pctx_published(x->ctx, emb__str(x->text.ptr ? x->text.ptr : "", x->text.len));
    return rc;
}

static emb_status root(uk_xml *x)
{
    emb__pctx *ctx = x->ctx;
    emb_str name = emb__xml_name(x->r);
    if (!emb__str_eq(name, EMB_STR("Designations")))
        return emb__xml_fail(ctx, x->r, EMB_EFORMAT,
                             "not a UK Sanctions List file: root element is <%.*s>, not "
                             "<Designations>",
                             (int)(name.len > 60 ? 60 : name.len), name.ptr);
    /* the dateGenerated attribute (an ISO timestamp) stands in when <DateGenerated> is absent */
    emb_status rc = emb__xml_attr(ctx, x->r, "dateGenerated", &x->text);
    if (rc == EMB_OK && x->text.len > 0)
        emb__pctx_published(ctx, emb__str(x->text.ptr, x->text.len));
    return rc;
}

emb_status emb__parse_uk_xml(emb__pctx *ctx)
{
    uk_xml x;
    memset(&x, 0, sizeof(x));
    x.ctx = ctx;
    emb__buf_init(&x.text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&x.scratch, EMB_LIMIT_RECORD_BYTES);
    for (size_t i = 0; i < N_SLOTS; i++)
        emb__buf_init(&x.slot[i], EMB_LIMIT_RECORD_BYTES);
    emb_status rc = emb__xml_open(ctx, &x.r);
    if (rc != EMB_OK)
        goto out;
    int seen_root = 0;
    for (;;) {
        int k = emb__xml_next(ctx, x.r);
        if (k < 0) {
            rc = reader_status(ctx);
            break;
        }
        if (k == 0)
            break;
        if (!is_element(x.r))
            continue;
        if (!seen_root) {
            seen_root = 1;
            rc = root(&x);
        } else if (emb__xml_is_start(x.r, "DateGenerated")) {
            rc = read_published(&x);
        } else if (emb__xml_is_start(x.r, "Designation")) {
            rc = designation(&x);
        }
        if (rc != EMB_OK)
            break;
    }
    if (rc == EMB_OK && !seen_root)
        rc = emb__xml_fail(ctx, x.r, EMB_EFORMAT, "document has no root element");
    emb__xml_close(ctx, x.r);
out:
    emb__buf_free(&x.text);
    emb__buf_free(&x.scratch);
    for (size_t i = 0; i < N_SLOTS; i++)
        emb__buf_free(&x.slot[i]);
    return rc;
}
