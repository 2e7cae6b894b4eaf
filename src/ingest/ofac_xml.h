/*
 * What the two OFAC XML formats (legacy sdnList and the Sanctions List Service enhanced XML)
 * share: a table-driven walk over the reader that turns the document into open/close events
 * for the container elements a format knows and leaf events for everything else, and the
 * mapping of OFAC's identifier and feature labels ("Passport", "SWIFT/BIC", "Vessel
 * Registration Identification", "Digital Currency Address - XBT", ...) to properties. Both
 * formats print the same labels: the legacy file as idList/id/idType, the enhanced one as
 * identityDocument types and feature types.
 */
#ifndef EMB_INGEST_OFAC_XML_H
#define EMB_INGEST_OFAC_XML_H

#include <libxml/xmlreader.h>
#include <string.h>

#include "ingest.h"

/* ------------------------------------------------------------ structure walk */

/* Container elements nest at most 9 deep in either format (entity > names > name >
 * translations > translation > nameParts > namePart); a known container only opens under its
 * known parent, so hostile nesting cannot go deeper than the table allows. */
#define OFAC_WALK_DEPTH 16

/* Node 0 is the document itself: the parent of the root element. */
#define OFAC_DOC 0

typedef struct ofac_node {
    unsigned char parent;
    unsigned char self;
    const char *name; /* local name (namespaces are ignored: both formats use a default one) */
} ofac_node;

enum ofac_event { OFAC_EV_END = 0, OFAC_EV_OPEN, OFAC_EV_CLOSE, OFAC_EV_LEAF };

typedef struct ofac_walk {
    emb__pctx *ctx;
    emb__xml_reader r;
    const ofac_node *nodes;
    size_t n_nodes;
    struct {
        unsigned char id;
        int xml_depth;
    } stack[OFAC_WALK_DEPTH];
    size_t depth;        /* stack[0] is the document */
    int pending;         /* 1: a leaf not read yet; 2: the close of an empty container is due */
    int leaf_depth;      /* reader depth of that leaf */
    int fatal;           /* the reader failed: nothing more can be read */
    int in_record;       /* a record element (sdnEntry, entity) is open */
    size_t record_level; /* its stack level */
    unsigned char node;  /* OPEN/CLOSE: the container; LEAF: the enclosing container */
    emb_str name;        /* LEAF: local name, valid until the next call */
    uint64_t line;       /* line of the current element */
} ofac_walk;

static inline void ofac_walk_init(ofac_walk *w, emb__pctx *ctx, emb__xml_reader r,
                                  const ofac_node *nodes, size_t n_nodes)
{
    memset(w, 0, sizeof(*w));
    w->ctx = ctx;
    w->r = r;
    w->nodes = nodes;
    w->n_nodes = n_nodes;
    w->stack[0].id = OFAC_DOC;
    w->stack[0].xml_depth = -1;
}

static inline unsigned char ofac_walk_top(const ofac_walk *w)
{
    return w->stack[w->depth].id;
}

static inline int ofac_walk_fail(ofac_walk *w)
{
    w->fatal = 1;
    return -1;
}

/* The text of the current leaf (valid until the next call); after an error other than a
 * field over the limit the walk cannot go on. */
static inline emb_status ofac_leaf_text(ofac_walk *w, emb__buf *out)
{
    w->pending = 0;
    emb_status rc = emb__xml_text(w->ctx, w->r, out);
    if (rc != EMB_OK && rc != EMB_ELIMIT)
        w->fatal = 1;
    return rc;
}

/* An attribute of the current element (OPEN or LEAF, before its text is read). */
static inline emb_status ofac_attr(ofac_walk *w, const char *name, emb__buf *out)
{
    emb_status rc = emb__xml_attr(w->ctx, w->r, name, out);
    if (rc != EMB_OK)
        w->fatal = 1;
    return rc;
}

/* Read past the end of the element at reader depth `depth` (the reader is inside it).
 * Returns 0, or -1 when the document breaks first. */
static inline int ofac_skip_to_end(ofac_walk *w, int depth, const char *what)
{
    for (;;) {
        int k = emb__xml_next(w->ctx, w->r);
        if (k <= 0) {
            if (k == 0)
                emb__xml_fail(w->ctx, w->r, EMB_EPARSE, "document ends inside %s", what);
            return ofac_walk_fail(w);
        }
        if (xmlTextReaderNodeType(w->r) == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(w->r) == depth)
            return 0;
    }
}

static inline int ofac_lookup(const ofac_walk *w, unsigned char parent, emb_str name)
{
    for (size_t i = 0; i < w->n_nodes; i++) {
        const ofac_node *n = &w->nodes[i];
        if (n->parent == parent && emb__str_eq(name, emb__str_cstr(n->name)))
            return n->self;
    }
    return -1;
}

/*
 * Next event: OFAC_EV_OPEN / _CLOSE / _LEAF with w->node (and w->name for a leaf) set,
 * OFAC_EV_END at the end of the document, -1 on a reader error (ctx->err says where;
 * w->fatal is set). A leaf the caller does not read is skipped whole, children included.
 */
static inline int ofac_walk_next(ofac_walk *w)
{
    if (w->pending == 1) {
        /* a leaf nobody read: pass over it whole, whatever its size */
        w->pending = 0;
        if (!xmlTextReaderIsEmptyElement(w->r) &&
            ofac_skip_to_end(w, w->leaf_depth, "an element") < 0)
            return -1;
    }
    if (w->pending == 2) {
        w->pending = 0;
        w->node = w->stack[w->depth--].id;
        return OFAC_EV_CLOSE;
    }
    for (;;) {
        int k = emb__xml_next(w->ctx, w->r);
        if (k < 0)
            return ofac_walk_fail(w);
        if (k == 0) {
            if (w->depth == 0)
                return OFAC_EV_END;
            emb__xml_fail(w->ctx, w->r, EMB_EPARSE, "document ends inside an element");
            return ofac_walk_fail(w);
        }
        int type = xmlTextReaderNodeType(w->r);
        int xd = xmlTextReaderDepth(w->r);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (w->depth > 0 && xd == w->stack[w->depth].xml_depth) {
                w->node = w->stack[w->depth--].id;
                return OFAC_EV_CLOSE;
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        w->line = emb__xml_line(w->r);
        w->name = emb__xml_name(w->r);
        int self = ofac_lookup(w, ofac_walk_top(w), w->name);
        if (self < 0) {
            w->node = ofac_walk_top(w);
            w->pending = 1;
            w->leaf_depth = xd;
            return OFAC_EV_LEAF;
        }
        if (w->depth + 1 >= OFAC_WALK_DEPTH) {
            emb__xml_fail(w->ctx, w->r, EMB_ELIMIT, "elements nested too deep");
            return ofac_walk_fail(w);
        }
        w->depth++;
        w->stack[w->depth].id = (unsigned char)self;
        w->stack[w->depth].xml_depth = xd;
        w->node = (unsigned char)self;
        w->pending = xmlTextReaderIsEmptyElement(w->r) ? 2 : 0;
        return OFAC_EV_OPEN;
    }
}

/*
 * After a bad record: read on to the end of the open container at stack level `level` (the
 * record element) and close it and everything inside, so the next record can be read.
 * Returns EMB_OK, or the reader's error when the document itself is broken.
 */
static inline emb_status ofac_walk_skip(ofac_walk *w, size_t level)
{
    if (w->fatal || level == 0 || level > w->depth)
        return w->ctx->err ? w->ctx->err->code : EMB_EPARSE;
    if (w->pending == 2 && level == w->depth) {
        w->pending = 0;
        w->depth = level - 1;
        return EMB_OK;
    }
    w->pending = 0;
    if (ofac_skip_to_end(w, w->stack[level].xml_depth, "a record") < 0)
        return w->ctx->err ? w->ctx->err->code : EMB_EPARSE;
    w->depth = level - 1;
    return EMB_OK;
}

/* Append a part to a line: address parts with ", " ("29, Bolshaya Morskaya str.,
 * St. Petersburg"), name parts with " ". Blank parts are left out. */
static inline emb_status ofac_join(emb__buf *out, emb_str part, const char *sep, emb_error *err)
{
    part = emb__str_trim(part);
    if (emb__str_blank(part))
        return EMB_OK;
    emb_status rc = out->len ? emb__buf_append(out, sep, strlen(sep)) : EMB_OK;
    if (rc == EMB_OK)
        rc = emb__buf_append(out, part.ptr, part.len);
    if (rc == EMB_ELIMIT)
        return emb__err(err, rc, "joined text over the limit of %zu bytes", out->max);
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    return EMB_OK;
}

static inline emb_str ofac_buf_str(const emb__buf *b)
{
    return b->ptr ? emb__str(b->ptr, b->len) : emb__str("", 0);
}

static inline emb_str ofac_buf_trim(const emb__buf *b)
{
    return emb__str_trim(ofac_buf_str(b));
}

/* Called by the parser when its record element opens. */
static inline void ofac_record_open(ofac_walk *w)
{
    w->in_record = 1;
    w->record_level = w->depth;
}

/* One event of the walk (OFAC_EV_OPEN, _CLOSE or _LEAF) for the format's parser. */
typedef emb_status (*ofac_event_fn)(void *state, int event);

/*
 * Drive a parse: the root element must be `root` (local name `root_name`), then every event
 * goes to fn. An error inside an open record makes that record bad (emb__pctx_bad: the parse
 * fails, or under skip_bad the record is reported and the walk reads on past its end); an
 * error outside a record, or from a broken document, fails the parse.
 */
static inline emb_status ofac_run(ofac_walk *w, unsigned char root, const char *root_name,
                                  ofac_event_fn fn, void *state)
{
    emb__pctx *ctx = w->ctx;
    int seen_root = 0;
    for (;;) {
        int ev = ofac_walk_next(w);
        if (ev < 0)
            return ctx->err ? ctx->err->code : EMB_EPARSE;
        if (ev == OFAC_EV_END)
            break;
        if (!seen_root) {
            if (ev != OFAC_EV_OPEN || w->node != root)
                return emb__xml_fail(ctx, w->r, EMB_EFORMAT, "root element is <%.*s>, not <%s>",
                                     (int)(w->name.len > 40 ? 40 : w->name.len), w->name.ptr,
                                     root_name);
            seen_root = 1;
            continue;
        }
        emb_status rc = fn(state, ev);
        if (rc == EMB_OK)
            continue;
        if (w->fatal || !w->in_record)
            return rc;
        w->in_record = 0;
        emb_str sid = ctx->eb.source_id;
        rc = emb__pctx_bad(ctx, rc, w->line, UINT64_MAX, sid.ptr, sid.len);
        if (rc == EMB_OK)
            rc = ofac_walk_skip(w, w->record_level);
        if (rc != EMB_OK)
            return rc;
    }
    if (!seen_root)
        return emb__xml_fail(ctx, w->r, EMB_EFORMAT, "document has no <%s> element", root_name);
    return EMB_OK;
}

/* ------------------------------------------------------------ labels */

enum ofac_kind {
    OFAC_K_ID,      /* identifier: qualifier is the label and the issuing country */
    OFAC_K_TEXT,    /* plain value */
    OFAC_K_COUNTRY, /* country name, normalised */
    OFAC_K_DATE,    /* date, normalised */
    OFAC_K_NOTE,    /* informational text: kept as notes with the label as qualifier */
    OFAC_K_GENDER
};

typedef struct ofac_label {
    const char *text;
    char how; /* '=' the whole label, '^' a prefix, '~' anywhere in it (ASCII case ignored) */
    emb_prop prop;
    enum ofac_kind kind;
} ofac_label;

/* The property for an OFAC label; NULL for labels that are plain identifiers (idNumber). */
static inline const ofac_label *ofac_label_find(emb_str label)
{
    /* first match wins: specific labels come before the substrings that would take them */
    static const ofac_label table[] = {
        {"Former Vessel Flag", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Passport", '~', EMB_PROP_PASSPORT_NUMBER, OFAC_K_ID},
        {"SWIFT/BIC", '=', EMB_PROP_SWIFT_BIC, OFAC_K_ID},
        {"Vessel Registration Identification", '=', EMB_PROP_IMO_NUMBER, OFAC_K_ID},
        {"MMSI", '=', EMB_PROP_MMSI, OFAC_K_ID},
        {"LEI", '=', EMB_PROP_LEI_CODE, OFAC_K_ID},
        /* OFAC's name for the ISO 17442 LEI (20 characters, e.g. 253400V1H6ART1UQ0N98) */
        {"Legal Entity Number", '=', EMB_PROP_LEI_CODE, OFAC_K_ID},
        {"Digital Currency Address", '^', EMB_PROP_CRYPTO_WALLET, OFAC_K_ID},
        {"Email Address", '=', EMB_PROP_EMAIL, OFAC_K_TEXT},
        {"Website", '=', EMB_PROP_WEBSITE, OFAC_K_TEXT},
        {"Phone Number", '=', EMB_PROP_PHONE, OFAC_K_TEXT},
        {"Gender", '=', EMB_PROP_GENDER, OFAC_K_GENDER},
        {"Title", '=', EMB_PROP_TITLE, OFAC_K_TEXT},
        {"Birthdate", '=', EMB_PROP_BIRTH_DATE, OFAC_K_DATE},
        {"Place of Birth", '=', EMB_PROP_BIRTH_PLACE, OFAC_K_TEXT},
        {"Nationality Country", '=', EMB_PROP_NATIONALITY, OFAC_K_COUNTRY},
        {"Citizenship Country", '=', EMB_PROP_CITIZENSHIP, OFAC_K_COUNTRY},
        {"Nationality of Registration", '=', EMB_PROP_JURISDICTION, OFAC_K_COUNTRY},
        {"Call Sign", '~', EMB_PROP_CALL_SIGN, OFAC_K_TEXT},
        {"Vessel Flag", '~', EMB_PROP_FLAG, OFAC_K_COUNTRY},
        {"Vessel Type", '~', EMB_PROP_VESSEL_TYPE, OFAC_K_TEXT},
        {"Vessel Year of Build", '=', EMB_PROP_BUILD_DATE, OFAC_K_DATE},
        {"Aircraft Manufacture Date", '=', EMB_PROP_BUILD_DATE, OFAC_K_DATE},
        {"Organization Established Date", '=', EMB_PROP_INCORPORATION_DATE, OFAC_K_DATE},
        {"Organization Type:", '=', EMB_PROP_LEGAL_FORM, OFAC_K_TEXT},
        {"Target Type", '=', EMB_PROP_SECTOR, OFAC_K_TEXT},
        {"Listing Date", '^', EMB_PROP_LISTING_DATE, OFAC_K_DATE},
        {"Aircraft Tail Number", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        /* tax numbers: "Tax ID No.", "Romanian Tax Registration", "Italian Fiscal Code", ... */
        {"Tax", '~', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"Fiscal", '~', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"Tributaria", '~', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"V.A.T. Number", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"R.F.C.", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"RFC", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"NIT #", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"RUC #", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"RIF #", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"C.U.I.T.", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"C.I.F.", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"N.I.F.", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"US FEIN", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        {"RTN", '=', EMB_PROP_TAX_NUMBER, OFAC_K_ID},
        /* company registers: "Registration ID", "Business Registration Number", ... */
        {"Registration", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Company Number", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Commercial Regist", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Chamber of Comm", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Social Credit Code", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Certificate of Incorporation", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Mercantil", '~', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"C.R. No.", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Romanian C.R.", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Enterprise Number", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Business Number", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Trade License No.", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Government Gazette Number", '=', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        {"Economic Register Number", '^', EMB_PROP_REGISTRATION_NUMBER, OFAC_K_ID},
        /* statements OFAC files among identifiers ("Additional Sanctions Information -
         * Subject to Secondary Sanctions"): as identifiers they would match as numbers */
        {"Additional Sanctions Information", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Secondary sanctions risk", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Transactions Prohibited", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"CAATSA", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Executive Order", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Effective Date", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Purchase/Sales", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"IFCA", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"PEESA", '^', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Equity Ticker", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Issuer Name", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Vessel Owner", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Tonnage", '~', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Aircraft Model", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Aircraft Operator", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
        {"Location", '=', EMB_PROP_NOTES, OFAC_K_NOTE},
    };
    label = emb__str_trim(label);
    for (size_t i = 0; i < EMB_COUNTOF(table); i++) {
        const ofac_label *l = &table[i];
        int hit = l->how == '='   ? emb__str_ieq(label, l->text)
                  : l->how == '^' ? emb__str_istarts(label, l->text)
                                  : emb__str_ifind(label, l->text) >= 0;
        if (hit)
            return l;
    }
    return NULL;
}

/* "Passport (Pakistan)": the publisher's label and the issuing country, either may be empty. */
static inline emb_str ofac_qualifier(emb__buf *out, emb_str label, emb_str country)
{
    label = emb__str_trim(label);
    country = emb__str_trim(country);
    emb__buf_reset(out);
    emb_status rc;
    if (label.len && country.len)
        rc = emb__buf_printf(out, "%.*s (%.*s)", (int)label.len, label.ptr, (int)country.len,
                             country.ptr);
    else if (label.len || country.len)
        rc = emb__buf_printf(out, "%.*s", (int)(label.len + country.len),
                             label.len ? label.ptr : country.ptr);
    else
        return emb__str("", 0);
    if (rc != EMB_OK || out->ptr == NULL)
        return emb__str("", 0);
    return emb__str(out->ptr, out->len);
}

/* FtM writes gender in lower case ("male"); other words are kept as published. */
static inline emb_status ofac_gender(emb__eb *eb, emb_str value, emb_error *err)
{
    value = emb__str_trim(value);
    if (emb__str_ieq(value, "male"))
        value = EMB_STR("male");
    else if (emb__str_ieq(value, "female"))
        value = EMB_STR("female");
    return emb__eb_value(eb, EMB_PROP_GENDER, value, emb__str("", 0), err);
}

/*
 * Add one labelled OFAC value: an idList/id (label idType, country idCountry), an enhanced
 * identityDocument or feature. Unknown labels are identifiers (idNumber, qualified with the
 * label). A country-valued label with a blank value takes the country. `q` is scratch.
 */
static inline emb_status ofac_add_labelled(emb__eb *eb, emb_str label, emb_str value,
                                           emb_str country, emb__buf *q, emb_error *err)
{
    const ofac_label *l = ofac_label_find(label);
    emb_prop prop = l ? l->prop : EMB_PROP_ID_NUMBER;
    enum ofac_kind kind = l ? l->kind : OFAC_K_ID;
    label = emb__str_trim(label);
    switch (kind) {
    case OFAC_K_ID: {
        emb_str qual = ofac_qualifier(q, label, country);
        return emb__eb_value(eb, prop, value, qual, err);
    }
    case OFAC_K_TEXT:
        return emb__eb_value(eb, prop, value, emb__str("", 0), err);
    case OFAC_K_COUNTRY:
        return emb__eb_country(eb, prop, emb__str_blank(value) ? country : value, err);
    case OFAC_K_DATE:
        return emb__eb_date(eb, prop, value, EMB__MDY, err);
    case OFAC_K_NOTE:
        return emb__eb_value(eb, prop, value, label, err);
    case OFAC_K_GENDER:
        return ofac_gender(eb, value, err);
    }
    return EMB_OK;
}

#endif
