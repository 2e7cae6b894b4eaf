/*
 * OFAC Sanctions List Service enhanced XML (root sanctionsData, namespace
 * https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML):
 *   publicationInfo (dataAsOf, filters/sanctionsLists/sanctionsList: which list the file is),
 *   referenceValues/referenceValue[@refId] (type, value): the coded vocabularies,
 *   featureTypes/featureType[@featureTypeId] (type),
 *   entities/entity[@id] with generalInfo (entityType, remarks), sanctionsLists,
 *   sanctionsPrograms, sanctionsTypes, legalAuthorities, names/name (isPrimary, aliasType,
 *   isLowQuality, translations/translation: isPrimary, script, formattedFullName,
 *   nameParts/namePart), addresses/address (country, translations/translation/addressParts),
 *   features/feature (type, value, valueRefId, valueDate), identityDocuments/identityDocument
 *   (type, documentNumber, issuingCountry, issuingAuthority), relationships/relationship.
 *
 * Coded elements carry both a refId and the text it stands for; the text is used, and the
 * reference values (read before the entities) fill in when a file leaves it out. They are
 * kept in a map, the cross-reference index of this format (a few hundred entries, capped at
 * EMB_LIMIT_XREF_ENTRIES); apart from it one entity is held at a time.
 *
 * The entity id is OFAC's uid (ent_num of the legacy files), the source id. The dataset is
 * us_ofac_sdn for a file filtered to the SDN List and us_ofac_cons for the Consolidated
 * (non-SDN) lists, unless the caller names one.
 */
#include <stdio.h>
#include <string.h>

#include "ofac_xml.h"

enum {
    X_ROOT = 1,
    X_PUB,
    X_FILTERS,
    X_FLISTS,
    X_REFS,
    X_REF,
    X_FTYPES,
    X_FTYPE,
    X_ENTITIES,
    X_ENTITY,
    X_GENERAL,
    X_LISTS,
    X_PROGRAMS,
    X_STYPES,
    X_AUTHS,
    X_NAMES,
    X_NAME,
    X_NTRANS,
    X_NTR,
    X_NPARTS,
    X_NPART,
    X_ADDRS,
    X_ADDR,
    X_ATRANS,
    X_ATR,
    X_APARTS,
    X_APART,
    X_FEATURES,
    X_FEATURE,
    X_VDATE,
    X_DOCS,
    X_DOC,
    X_RELS,
    X_REL
};

static const ofac_node nodes[] = {
    {OFAC_DOC, X_ROOT, "sanctionsData"},
    {X_ROOT, X_PUB, "publicationInfo"},
    {X_PUB, X_FILTERS, "filters"},
    {X_FILTERS, X_FLISTS, "sanctionsLists"},
    {X_ROOT, X_REFS, "referenceValues"},
    {X_REFS, X_REF, "referenceValue"},
    {X_ROOT, X_FTYPES, "featureTypes"},
    {X_FTYPES, X_FTYPE, "featureType"},
    {X_ROOT, X_ENTITIES, "entities"},
    {X_ENTITIES, X_ENTITY, "entity"},
    {X_ENTITY, X_GENERAL, "generalInfo"},
    {X_ENTITY, X_LISTS, "sanctionsLists"},
    {X_ENTITY, X_PROGRAMS, "sanctionsPrograms"},
    {X_ENTITY, X_STYPES, "sanctionsTypes"},
    {X_ENTITY, X_AUTHS, "legalAuthorities"},
    {X_ENTITY, X_NAMES, "names"},
    {X_NAMES, X_NAME, "name"},
    {X_NAME, X_NTRANS, "translations"},
    {X_NTRANS, X_NTR, "translation"},
    {X_NTR, X_NPARTS, "nameParts"},
    {X_NPARTS, X_NPART, "namePart"},
    {X_ENTITY, X_ADDRS, "addresses"},
    {X_ADDRS, X_ADDR, "address"},
    {X_ADDR, X_ATRANS, "translations"},
    {X_ATRANS, X_ATR, "translation"},
    {X_ATR, X_APARTS, "addressParts"},
    {X_APARTS, X_APART, "addressPart"},
    {X_ENTITY, X_FEATURES, "features"},
    {X_FEATURES, X_FEATURE, "feature"},
    {X_FEATURE, X_VDATE, "valueDate"},
    {X_ENTITY, X_DOCS, "identityDocuments"},
    {X_DOCS, X_DOC, "identityDocument"},
    {X_ENTITY, X_RELS, "relationships"},
    {X_RELS, X_REL, "relationship"},
};

/* Text kept while an item is open, grouped by the item whose start resets it. */
enum {
    /* a name */
    B_NAME_PRIMARY,
    B_ALIAS_TYPE,
    B_LOW_QUALITY,
    B_TRANSLATIONS,
    /* a name translation */
    B_SCRIPT,
    B_FULL,
    B_PARTS,
    /* an address */
    B_ADDR_COUNTRY,
    B_ADDR_LINES,
    /* an address translation */
    B_ATR_LINE,
    /* a feature */
    B_F_TYPE,
    B_F_VALUE,
    B_F_REFID,
    B_F_FROM,
    B_F_TO,
    /* an identity document */
    B_D_TYPE,
    B_D_NUMBER,
    B_D_COUNTRY,
    B_D_LOCATION,
    B_D_AUTH,
    /* a relationship */
    B_R_TYPE,
    B_R_NAME,
    /* a reference value */
    B_REF_ID,
    B_REF_VALUE,
    /* a feature type */
    B_FT_ID,
    B_FT_TYPE,
    B_COUNT
};

static const struct {
    unsigned char node;
    unsigned char first, end;
} resets[] = {
    {X_NAME, B_NAME_PRIMARY, B_SCRIPT},   {X_NTR, B_SCRIPT, B_ADDR_COUNTRY},
    {X_ADDR, B_ADDR_COUNTRY, B_ATR_LINE}, {X_ATR, B_ATR_LINE, B_F_TYPE},
    {X_FEATURE, B_F_TYPE, B_D_TYPE},      {X_DOC, B_D_TYPE, B_R_TYPE},
    {X_REL, B_R_TYPE, B_REF_ID},          {X_REF, B_REF_ID, B_FT_ID},
    {X_FTYPE, B_FT_ID, B_COUNT},
};

enum {
    A_BUF,        /* keep in buf */
    A_JOIN_SPACE, /* append to buf, space-separated (name parts) */
    A_JOIN_COMMA, /* append to buf, comma-separated (address parts) */
    A_PUBLISHED,
    A_FILTER_LIST,
    A_SCHEMA,
    A_VALUE,
    A_NOTE,
    A_LIST
};

typedef struct leaf_rule {
    unsigned char parent;
    const char *name;
    unsigned char action;
    unsigned char buf;
    emb_prop prop;
    const char *label;     /* A_NOTE: the qualifier */
    const char *code_attr; /* attribute holding the code of a coded value, or NULL */
    char code_kind;        /* 'r' reference value, 'f' feature type */
} leaf_rule;

/* clang-format off */
#define RULE(p, n, a, b) {p, n, a, b, EMB_PROP_MAX_, NULL, NULL, 0}
#define CODED(p, n, a, b) {p, n, a, b, EMB_PROP_MAX_, NULL, "refId", 'r'}
/* clang-format on */

static const leaf_rule rules[] = {
    RULE(X_PUB, "dataAsOf", A_PUBLISHED, 0),
    CODED(X_FLISTS, "sanctionsList", A_FILTER_LIST, 0),
    RULE(X_REF, "value", A_BUF, B_REF_VALUE),
    RULE(X_FTYPE, "type", A_BUF, B_FT_TYPE),
    CODED(X_GENERAL, "entityType", A_SCHEMA, 0),
    {X_GENERAL, "remarks", A_VALUE, 0, EMB_PROP_NOTES, NULL, NULL, 0},
    {X_GENERAL, "title", A_VALUE, 0, EMB_PROP_TITLE, NULL, NULL, 0},
    CODED(X_LISTS, "sanctionsList", A_LIST, 0),
    {X_PROGRAMS, "sanctionsProgram", A_VALUE, 0, EMB_PROP_PROGRAM, NULL, "refId", 'r'},
    {X_STYPES, "sanctionsType", A_NOTE, 0, EMB_PROP_NOTES, "Sanctions type", "refId", 'r'},
    {X_AUTHS, "legalAuthority", A_NOTE, 0, EMB_PROP_NOTES, "Legal authority", "refId", 'r'},
    RULE(X_NAME, "isPrimary", A_BUF, B_NAME_PRIMARY),
    CODED(X_NAME, "aliasType", A_BUF, B_ALIAS_TYPE),
    RULE(X_NAME, "isLowQuality", A_BUF, B_LOW_QUALITY),
    CODED(X_NTR, "script", A_BUF, B_SCRIPT),
    RULE(X_NTR, "formattedFullName", A_BUF, B_FULL),
    RULE(X_NPART, "value", A_JOIN_SPACE, B_PARTS),
    CODED(X_ADDR, "country", A_BUF, B_ADDR_COUNTRY),
    RULE(X_APART, "value", A_JOIN_COMMA, B_ATR_LINE),
    {X_FEATURE, "type", A_BUF, B_F_TYPE, EMB_PROP_MAX_, NULL, "featureTypeId", 'f'},
    RULE(X_FEATURE, "value", A_BUF, B_F_VALUE),
    RULE(X_FEATURE, "valueRefId", A_BUF, B_F_REFID),
    RULE(X_VDATE, "fromDateBegin", A_BUF, B_F_FROM),
    RULE(X_VDATE, "toDateEnd", A_BUF, B_F_TO),
    CODED(X_DOC, "type", A_BUF, B_D_TYPE),
    RULE(X_DOC, "documentNumber", A_BUF, B_D_NUMBER),
    CODED(X_DOC, "issuingCountry", A_BUF, B_D_COUNTRY),
    RULE(X_DOC, "issuingLocation", A_BUF, B_D_LOCATION),
    RULE(X_DOC, "issuingAuthority", A_BUF, B_D_AUTH),
    CODED(X_REL, "type", A_BUF, B_R_TYPE),
    RULE(X_REL, "relatedEntity", A_BUF, B_R_NAME),
};

/* The umbrella list every non-SDN entry is also on since 2014-10-10. */
#define CONSOLIDATED "Consolidated List"

typedef struct enh_state {
    emb__pctx *ctx;
    ofac_walk w;
    emb__buf b[B_COUNT];
    emb__buf text;  /* leaf text used at once */
    emb__buf attr;  /* attribute text */
    emb__buf extra; /* second attribute (datePublished) */
    emb__buf q;     /* qualifiers, composed values */
    emb__map refs;  /* "r<refId>" / "f<featureTypeId>" -> text in refs_text */
    emb__arena refs_text;
    int has_primary;
    uint64_t entity_line;
    unsigned n_sdn, n_other; /* lists named in publicationInfo/filters */
} enh_state;

static emb_str bstr(const enh_state *st, int i)
{
    return ofac_buf_trim(&st->b[i]);
}

static int is_true(emb_str s)
{
    return emb__str_ieq(emb__str_trim(s), "true");
}

static emb_status buf_fail(enh_state *st, emb_status rc)
{
    if (rc == EMB_ELIMIT)
        return emb__err(st->ctx->err, rc, "text over the limit of %u bytes", EMB_LIMIT_FIELD_BYTES);
    return emb__err(st->ctx->err, rc, "out of memory");
}

/* ------------------------------------------------------------ reference values */

/* refIds and featureTypeIds are short numbers ("91512") */
#define REF_ID_MAX 64

static int ref_key(char *key, size_t size, char kind, emb_str id)
{
    if (id.len == 0 || id.len > REF_ID_MAX)
        return -1;
    int n = snprintf(key, size, "%c%.*s", kind, (int)id.len, id.ptr);
    return (n > 0 && (size_t)n < size) ? n : -1;
}

static emb_status ref_put(enh_state *st, char kind, emb_str id, emb_str text)
{
    char key[REF_ID_MAX + 2];
    id = emb__str_trim(id);
    text = emb__str_trim(text);
    if (id.len == 0 || text.len == 0)
        return EMB_OK;
    int n = ref_key(key, sizeof(key), kind, id);
    if (n < 0)
        return emb__xml_fail(st->ctx, st->w.r, EMB_ELIMIT, "reference id over %d bytes",
                             REF_ID_MAX);
    if (st->refs.count >= EMB_LIMIT_XREF_ENTRIES)
        return emb__xml_fail(st->ctx, st->w.r, EMB_ELIMIT, "more than %u reference values",
                             EMB_LIMIT_XREF_ENTRIES);
    char *copy = emb__arena_strndup(&st->refs_text, text.ptr, text.len);
    uint64_t *slot = NULL;
    int is_new = 0;
    if (copy == NULL || emb__map_put(&st->refs, key, (size_t)n, &slot, &is_new) != EMB_OK)
        return emb__err(st->ctx->err, EMB_ENOMEM, "out of memory");
    *slot = (uint64_t)(uintptr_t)copy;
    return EMB_OK;
}

static emb_str ref_get(const enh_state *st, char kind, emb_str id)
{
    char key[REF_ID_MAX + 2];
    int n = ref_key(key, sizeof(key), kind, emb__str_trim(id));
    const uint64_t *v = n > 0 ? emb__map_get(&st->refs, key, (size_t)n) : NULL;
    return v ? emb__str_cstr((const char *)(uintptr_t)*v) : emb__str("", 0);
}

/* ------------------------------------------------------------ items */

/* Each translation of a name in turn: a byte 'L' (Latin script) or 'O' (another script),
 * then the name, then NUL. */
static emb_status close_name_translation(enh_state *st)
{
    emb_str script = bstr(st, B_SCRIPT);
    emb_str full = bstr(st, B_FULL);
    if (emb__str_blank(full))
        full = bstr(st, B_PARTS);
    if (emb__str_blank(full))
        return EMB_OK;
    /* no script given: OFAC's default, Latin */
    char flag = (script.len == 0 || emb__str_ieq(script, "Latin")) ? 'L' : 'O';
    emb__buf *t = &st->b[B_TRANSLATIONS];
    emb_status rc = emb__buf_append(t, &flag, 1);
    if (rc == EMB_OK)
        rc = emb__buf_append(t, full.ptr, full.len);
    if (rc == EMB_OK)
        rc = emb__buf_append(t, "", 1);
    return rc == EMB_OK ? EMB_OK : buf_fail(st, rc);
}

static emb_status close_name(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb_name_kind kind = EMB_NAME_ALIAS;
    if (is_true(bstr(st, B_NAME_PRIMARY)))
        kind = EMB_NAME_PRIMARY;
    else if (is_true(bstr(st, B_LOW_QUALITY)))
        kind = EMB_NAME_WEAK_ALIAS;
    else if (emb__str_ieq(bstr(st, B_ALIAS_TYPE), "F.K.A."))
        kind = EMB_NAME_PREVIOUS;
    const emb__buf *t = &st->b[B_TRANSLATIONS];
    size_t pos = 0;
    while (t->ptr != NULL && pos < t->len) {
        char flag = t->ptr[pos++];
        size_t len = strlen(t->ptr + pos);
        /* a Cyrillic or Chinese form of the name is its original script, whatever its kind,
         * unless OFAC marks the name low quality */
        emb_name_kind k =
            (flag == 'O' && kind != EMB_NAME_WEAK_ALIAS) ? EMB_NAME_ORIGINAL_SCRIPT : kind;
        emb_status rc =
            emb__eb_name(&ctx->eb, k, emb__str(t->ptr + pos, len), emb__str("", 0), ctx->err);
        if (rc != EMB_OK)
            return rc;
        if (k == EMB_NAME_PRIMARY)
            st->has_primary = 1;
        pos += len + 1;
    }
    return EMB_OK;
}

static emb_status close_address_translation(enh_state *st)
{
    emb_str line = bstr(st, B_ATR_LINE);
    if (line.len == 0)
        return EMB_OK;
    emb__buf *lines = &st->b[B_ADDR_LINES];
    emb_status rc = emb__buf_append(lines, line.ptr, line.len);
    if (rc == EMB_OK)
        rc = emb__buf_append(lines, "", 1);
    return rc == EMB_OK ? EMB_OK : buf_fail(st, rc);
}

/* One line per translation of the address, ending with the country; the country also as a
 * code. Many OFAC addresses are a country alone. */
static emb_status close_address(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb_str country = bstr(st, B_ADDR_COUNTRY);
    const emb__buf *lines = &st->b[B_ADDR_LINES];
    size_t pos = 0;
    while (lines->ptr != NULL && pos < lines->len) {
        size_t len = strlen(lines->ptr + pos);
        emb__buf_reset(&st->q);
        emb_status rc = ofac_join(&st->q, emb__str(lines->ptr + pos, len), ", ", ctx->err);
        if (rc == EMB_OK)
            rc = ofac_join(&st->q, country, ", ", ctx->err);
        if (rc == EMB_OK)
            rc = emb__eb_value(&ctx->eb, EMB_PROP_ADDRESS, ofac_buf_str(&st->q), emb__str("", 0),
                               ctx->err);
        if (rc != EMB_OK)
            return rc;
        pos += len + 1;
    }
    return emb__eb_country(&ctx->eb, EMB_PROP_COUNTRY, country, ctx->err);
}

/* A feature without its published text (never seen in OFAC's files, allowed by the schema):
 * the coded value, or the date range of valueDate. */
static emb_str feature_value(enh_state *st)
{
    emb_str v = bstr(st, B_F_VALUE);
    if (!emb__str_blank(v))
        return v;
    v = ref_get(st, 'r', bstr(st, B_F_REFID));
    if (!emb__str_blank(v))
        return v;
    emb_str from = bstr(st, B_F_FROM), to = bstr(st, B_F_TO);
    if (from.len == 0 || to.len == 0 || emb__str_eq(from, to))
        return from.len ? from : to;
    emb__buf_reset(&st->q);
    if (from.len < 4 || to.len < 4 ||
        emb__buf_printf(&st->q, "%.4s to %.4s", from.ptr, to.ptr) != EMB_OK)
        return from;
    return ofac_buf_str(&st->q);
}

static emb_status close_feature(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb_str value = feature_value(st);
    /* feature_value may have used q; the label goes through a buffer of its own */
    emb__buf_reset(&st->text);
    emb_status rc = emb__buf_append(&st->text, value.ptr, value.len);
    if (rc != EMB_OK)
        return buf_fail(st, rc);
    return ofac_add_labelled(&ctx->eb, bstr(st, B_F_TYPE), ofac_buf_str(&st->text), emb__str("", 0),
                             &st->q, ctx->err);
}

/* Russian registers that OFAC names as the issuing authority of a Tax ID / Registration ID. */
static emb_prop authority_prop(emb_str auth)
{
    if (emb__str_ieq(auth, "INN"))
        return EMB_PROP_INN_CODE;
    if (emb__str_ieq(auth, "OGRN") || emb__str_ieq(auth, "OGRNIP"))
        return EMB_PROP_OGRN_CODE;
    if (emb__str_ieq(auth, "KPP"))
        return EMB_PROP_KPP_CODE;
    if (emb__str_ieq(auth, "OKPO"))
        return EMB_PROP_OKPO_CODE;
    return EMB_PROP_MAX_;
}

static emb_status close_document(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb_str type = bstr(st, B_D_TYPE);
    emb_str number = bstr(st, B_D_NUMBER);
    emb_str country = bstr(st, B_D_COUNTRY);
    if (country.len == 0)
        country = bstr(st, B_D_LOCATION);
    emb_prop prop = authority_prop(bstr(st, B_D_AUTH));
    if (prop == EMB_PROP_MAX_)
        return ofac_add_labelled(&ctx->eb, type, number, country, &st->q, ctx->err);
    return emb__eb_value(&ctx->eb, prop, number, ofac_qualifier(&st->q, type, country), ctx->err);
}

/* ------------------------------------------------------------ events */

static emb_status open_entity(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    ofac_record_open(&st->w);
    st->has_primary = 0;
    st->entity_line = st->w.line;
    emb_status rc = emb__pctx_begin(ctx, emb__str("", 0), st->w.line);
    if (rc == EMB_OK)
        rc = ofac_attr(&st->w, "id", &st->attr);
    if (rc == EMB_OK)
        rc = emb__eb_set_source_id(&ctx->eb, ofac_buf_trim(&st->attr), ctx->err);
    if (rc == EMB_OK)
        emb__err_record(ctx->err, ctx->eb.source_id.ptr, ctx->eb.source_id.len);
    return rc;
}

static emb_status close_entity(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb_str sid = ctx->eb.source_id;
    st->w.in_record = 0;
    if (sid.len == 0) {
        emb_status rc = emb__err(ctx->err, EMB_EPARSE, "entity has no id");
        return emb__pctx_bad(ctx, rc, st->entity_line, UINT64_MAX, NULL, 0);
    }
    if (!st->has_primary) {
        emb_status rc = emb__err(ctx->err, EMB_EPARSE, "entity has no primary name");
        return emb__pctx_bad(ctx, rc, st->entity_line, UINT64_MAX, sid.ptr, sid.len);
    }
    emb_status rc = emb__pctx_emit(ctx);
    if (rc == EMB_OK)
        emb__err_record(ctx->err, "", 0);
    return rc;
}

/* The file's own list decides the dataset: an SDN_ENHANCED export is filtered to the SDN
 * List, CONS_ENHANCED to the Consolidated List. */
static void choose_dataset(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    if (ctx->opts->dataset != NULL && ctx->opts->dataset[0] != '\0')
        return;
    const char *ds = NULL;
    if (st->n_sdn > 0 && st->n_other == 0)
        ds = "us_ofac_sdn";
    else if (st->n_other > 0 && st->n_sdn == 0)
        ds = "us_ofac_cons";
    if (ds != NULL)
        snprintf(ctx->dataset, sizeof(ctx->dataset), "%s", ds);
}

static emb_status on_open(enh_state *st)
{
    unsigned char node = st->w.node;
    for (size_t i = 0; i < EMB_COUNTOF(resets); i++) {
        if (resets[i].node != node)
            continue;
        for (int k = resets[i].first; k < resets[i].end; k++)
            emb__buf_reset(&st->b[k]);
    }
    switch (node) {
    case X_ENTITY:
        return open_entity(st);
    case X_REF:
        return ofac_attr(&st->w, "refId", &st->b[B_REF_ID]);
    case X_FTYPE:
        return ofac_attr(&st->w, "featureTypeId", &st->b[B_FT_ID]);
    default:
        return EMB_OK;
    }
}

static emb_status on_close(enh_state *st)
{
    emb__pctx *ctx = st->ctx;
    switch (st->w.node) {
    case X_ENTITY:
        return close_entity(st);
    case X_NTR:
        return close_name_translation(st);
    case X_NAME:
        return close_name(st);
    case X_ATR:
        return close_address_translation(st);
    case X_ADDR:
        return close_address(st);
    case X_FEATURE:
        return close_feature(st);
    case X_DOC:
        return close_document(st);
    case X_REL:
        /* "Owned or Controlled By" SURGUTNEFTEGAS: context for whoever reviews a match */
        return emb__eb_value(&ctx->eb, EMB_PROP_NOTES, bstr(st, B_R_NAME), bstr(st, B_R_TYPE),
                             ctx->err);
    case X_REF:
        return ref_put(st, 'r', bstr(st, B_REF_ID), bstr(st, B_REF_VALUE));
    case X_FTYPE:
        return ref_put(st, 'f', bstr(st, B_FT_ID), bstr(st, B_FT_TYPE));
    case X_PUB:
        choose_dataset(st);
        return EMB_OK;
    default:
        return EMB_OK;
    }
}

/* A sanctions list the entity is on; the date it was published there is a listing date,
 * except for the umbrella Consolidated List, whose date is the day that list began. */
static emb_status add_list(enh_state *st, emb_str list)
{
    emb__pctx *ctx = st->ctx;
    emb_status rc =
        emb__eb_value(&ctx->eb, EMB_PROP_NOTES, list, EMB_STR("Sanctions list"), ctx->err);
    if (rc == EMB_OK && !emb__str_ieq(list, CONSOLIDATED))
        rc = emb__eb_date(&ctx->eb, EMB_PROP_LISTING_DATE, ofac_buf_trim(&st->extra), EMB__MDY,
                          ctx->err);
    return rc;
}

static const leaf_rule *find_rule(const enh_state *st)
{
    for (size_t i = 0; i < EMB_COUNTOF(rules); i++) {
        if (rules[i].parent == st->w.node && emb__str_eq(st->w.name, emb__str_cstr(rules[i].name)))
            return &rules[i];
    }
    return NULL;
}

/* Read a leaf's text into out; a coded leaf without text takes the text of its code. */
static emb_status read_leaf(enh_state *st, const leaf_rule *rule, emb__buf *out)
{
    emb_status rc = EMB_OK;
    if (rule->code_attr != NULL)
        rc = ofac_attr(&st->w, rule->code_attr, &st->attr);
    if (rc == EMB_OK && rule->action == A_LIST)
        rc = ofac_attr(&st->w, "datePublished", &st->extra);
    if (rc == EMB_OK)
        rc = ofac_leaf_text(&st->w, out);
    if (rc != EMB_OK || rule->code_attr == NULL || !emb__str_blank(ofac_buf_str(out)))
        return rc;
    emb_str coded = ref_get(st, rule->code_kind, ofac_buf_trim(&st->attr));
    emb__buf_reset(out);
    rc = emb__buf_append(out, coded.ptr, coded.len);
    return rc == EMB_OK ? EMB_OK : buf_fail(st, rc);
}

static emb_status on_leaf(enh_state *st)
{
    const leaf_rule *rule = find_rule(st);
    if (rule == NULL)
        return EMB_OK; /* identityId, versionId, isApproximate, comments, ... */
    emb__pctx *ctx = st->ctx;
    int joined = rule->action == A_JOIN_SPACE || rule->action == A_JOIN_COMMA;
    emb__buf *dest = (rule->action == A_BUF) ? &st->b[rule->buf] : &st->text;
    emb_status rc = read_leaf(st, rule, dest);
    if (rc != EMB_OK)
        return rc;
    emb_str v = ofac_buf_trim(dest);
    if (joined)
        return ofac_join(&st->b[rule->buf], v, rule->action == A_JOIN_SPACE ? " " : ", ", ctx->err);
    switch (rule->action) {
    case A_PUBLISHED:
        emb__pctx_published(ctx, v);
        return EMB_OK;
    case A_FILTER_LIST:
        if (emb__str_ieq(v, "SDN List"))
            st->n_sdn++;
        else if (v.len)
            st->n_other++;
        return EMB_OK;
    case A_SCHEMA: {
        /* Individual, Entity, Vessel, Aircraft */
        emb_schema s = emb__schema_loose(v);
        if (s == EMB_SCHEMA_UNKNOWN)
            return emb__err(ctx->err, EMB_EPARSE, "unknown entityType '%.*s'",
                            (int)(v.len > 40 ? 40 : v.len), v.ptr);
        emb__eb_schema(&ctx->eb, s);
        return EMB_OK;
    }
    case A_VALUE:
        return emb__eb_value(&ctx->eb, rule->prop, v, emb__str("", 0), ctx->err);
    case A_NOTE:
        return emb__eb_value(&ctx->eb, rule->prop, v, emb__str_cstr(rule->label), ctx->err);
    case A_LIST:
        return add_list(st, v);
    default:
        return EMB_OK;
    }
}

static emb_status on_event(void *state, int event)
{
    enh_state *st = state;
    if (event == OFAC_EV_OPEN)
        return on_open(st);
    return event == OFAC_EV_CLOSE ? on_close(st) : on_leaf(st);
}

emb_status emb__parse_ofac_enhanced(emb__pctx *ctx)
{
    enh_state st;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    for (size_t i = 0; i < B_COUNT; i++)
        emb__buf_init(&st.b[i], EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.attr, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.extra, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.q, 2 * EMB_LIMIT_FIELD_BYTES);
    emb__map_init(&st.refs);
    emb__xml_reader r = NULL;
    emb_status rc = emb__xml_open(ctx, &r);
    if (rc != EMB_OK)
        goto out;
    ofac_walk_init(&st.w, ctx, r, nodes, EMB_COUNTOF(nodes));
    rc = ofac_run(&st.w, X_ROOT, "sanctionsData", on_event, &st);
out:
    if (r != NULL)
        emb__xml_close(ctx, r);
    for (size_t i = 0; i < B_COUNT; i++)
        emb__buf_free(&st.b[i]);
    emb__buf_free(&st.text);
    emb__buf_free(&st.attr);
    emb__buf_free(&st.extra);
    emb__buf_free(&st.q);
    emb__map_free(&st.refs);
    emb__arena_free(&st.refs_text);
    return rc;
}
