/*
 * OFAC legacy sdnList XML (sdn.xml, consolidated.xml; namespace
 * http://tempuri.org/sdnList.xsd): publshInformation (Publish_Date MM/DD/YYYY, Record_Count),
 * then one sdnEntry per listed party:
 *   uid, firstName, lastName, title, sdnType, remarks, programList/program,
 *   idList/id (idType, idNumber, idCountry, issueDate, expirationDate),
 *   akaList/aka (type a.k.a./f.k.a./n.k.a., category strong/weak, lastName, firstName),
 *   addressList/address (address1-3, city, stateOrProvince, postalCode, country),
 *   nationalityList/nationality/country, citizenshipList/citizenship/country,
 *   dateOfBirthList/dateOfBirthItem/dateOfBirth, placeOfBirthList/placeOfBirthItem/placeOfBirth,
 *   vesselInfo (callSign, vesselType, vesselFlag, vesselOwner, tonnage, grossRegisteredTonnage).
 *
 * Names are written "lastName, firstName", the form OFAC itself publishes in SDN.CSV and in
 * the enhanced XML's formattedFullName, so one uid gets the same caption from every OFAC
 * format; person names are compared order-free, so a reordered copy would add nothing.
 * Record_Count is not checked against the entries: trimmed copies keep the full count.
 * Streaming: one entry is held at a time.
 */
#include "ofac_xml.h"

#include <string.h>

enum {
    L_ROOT = 1,
    L_PUB,
    L_ENTRY,
    L_PROGRAMS,
    L_IDS,
    L_ID,
    L_AKAS,
    L_AKA,
    L_ADDRS,
    L_ADDR,
    L_NATS,
    L_NAT,
    L_CITS,
    L_CIT,
    L_DOBS,
    L_DOB,
    L_POBS,
    L_POB,
    L_VESSEL
};

static const ofac_node nodes[] = {
    {OFAC_DOC, L_ROOT, "sdnList"},
    {L_ROOT, L_PUB, "publshInformation"},
    {L_ROOT, L_ENTRY, "sdnEntry"},
    {L_ENTRY, L_PROGRAMS, "programList"},
    {L_ENTRY, L_IDS, "idList"},
    {L_IDS, L_ID, "id"},
    {L_ENTRY, L_AKAS, "akaList"},
    {L_AKAS, L_AKA, "aka"},
    {L_ENTRY, L_ADDRS, "addressList"},
    {L_ADDRS, L_ADDR, "address"},
    {L_ENTRY, L_NATS, "nationalityList"},
    {L_NATS, L_NAT, "nationality"},
    {L_ENTRY, L_CITS, "citizenshipList"},
    {L_CITS, L_CIT, "citizenship"},
    {L_ENTRY, L_DOBS, "dateOfBirthList"},
    {L_DOBS, L_DOB, "dateOfBirthItem"},
    {L_ENTRY, L_POBS, "placeOfBirthList"},
    {L_POBS, L_POB, "placeOfBirthItem"},
    {L_ENTRY, L_VESSEL, "vesselInfo"},
};

/* What to do with a leaf's text. */
enum {
    A_PUBLISHED,
    A_UID,
    A_ENTRY_SLOT,
    A_ITEM_SLOT,
    A_VALUE,
    A_COUNTRY,
    A_DATE,
    A_NOTE,
    A_SCHEMA
};

/* Slots: the entry's own name, and the fields of the id, aka or address being read. */
enum { E_FIRST, E_LAST, E_SLOTS };
enum { ID_TYPE = 0, ID_NUMBER, ID_COUNTRY };
enum { AKA_TYPE = 0, AKA_CATEGORY, AKA_LAST, AKA_FIRST };
enum { ADDR_1 = 0, ADDR_2, ADDR_3, ADDR_CITY, ADDR_STATE, ADDR_POSTAL, ADDR_COUNTRY, I_SLOTS };

typedef struct leaf_rule {
    unsigned char parent;
    const char *name;
    unsigned char action;
    unsigned char slot;
    emb_prop prop;
    const char *label; /* A_NOTE: the qualifier */
} leaf_rule;

static const leaf_rule rules[] = {
    {L_PUB, "Publish_Date", A_PUBLISHED, 0, EMB_PROP_MAX_, NULL},
    {L_ENTRY, "uid", A_UID, 0, EMB_PROP_MAX_, NULL},
    {L_ENTRY, "firstName", A_ENTRY_SLOT, E_FIRST, EMB_PROP_MAX_, NULL},
    {L_ENTRY, "lastName", A_ENTRY_SLOT, E_LAST, EMB_PROP_MAX_, NULL},
    {L_ENTRY, "title", A_VALUE, 0, EMB_PROP_TITLE, NULL},
    {L_ENTRY, "sdnType", A_SCHEMA, 0, EMB_PROP_MAX_, NULL},
    {L_ENTRY, "remarks", A_VALUE, 0, EMB_PROP_NOTES, NULL},
    {L_PROGRAMS, "program", A_VALUE, 0, EMB_PROP_PROGRAM, NULL},
    {L_ID, "idType", A_ITEM_SLOT, ID_TYPE, EMB_PROP_MAX_, NULL},
    {L_ID, "idNumber", A_ITEM_SLOT, ID_NUMBER, EMB_PROP_MAX_, NULL},
    {L_ID, "idCountry", A_ITEM_SLOT, ID_COUNTRY, EMB_PROP_MAX_, NULL},
    {L_AKA, "type", A_ITEM_SLOT, AKA_TYPE, EMB_PROP_MAX_, NULL},
    {L_AKA, "category", A_ITEM_SLOT, AKA_CATEGORY, EMB_PROP_MAX_, NULL},
    {L_AKA, "lastName", A_ITEM_SLOT, AKA_LAST, EMB_PROP_MAX_, NULL},
    {L_AKA, "firstName", A_ITEM_SLOT, AKA_FIRST, EMB_PROP_MAX_, NULL},
    {L_ADDR, "address1", A_ITEM_SLOT, ADDR_1, EMB_PROP_MAX_, NULL},
    {L_ADDR, "address2", A_ITEM_SLOT, ADDR_2, EMB_PROP_MAX_, NULL},
    {L_ADDR, "address3", A_ITEM_SLOT, ADDR_3, EMB_PROP_MAX_, NULL},
    {L_ADDR, "city", A_ITEM_SLOT, ADDR_CITY, EMB_PROP_MAX_, NULL},
    {L_ADDR, "stateOrProvince", A_ITEM_SLOT, ADDR_STATE, EMB_PROP_MAX_, NULL},
    {L_ADDR, "postalCode", A_ITEM_SLOT, ADDR_POSTAL, EMB_PROP_MAX_, NULL},
    {L_ADDR, "country", A_ITEM_SLOT, ADDR_COUNTRY, EMB_PROP_MAX_, NULL},
    {L_NAT, "country", A_COUNTRY, 0, EMB_PROP_NATIONALITY, NULL},
    {L_CIT, "country", A_COUNTRY, 0, EMB_PROP_CITIZENSHIP, NULL},
    {L_DOB, "dateOfBirth", A_DATE, 0, EMB_PROP_BIRTH_DATE, NULL},
    {L_POB, "placeOfBirth", A_VALUE, 0, EMB_PROP_BIRTH_PLACE, NULL},
    {L_VESSEL, "callSign", A_VALUE, 0, EMB_PROP_CALL_SIGN, NULL},
    {L_VESSEL, "vesselType", A_VALUE, 0, EMB_PROP_VESSEL_TYPE, NULL},
    {L_VESSEL, "vesselFlag", A_COUNTRY, 0, EMB_PROP_FLAG, NULL},
    {L_VESSEL, "vesselOwner", A_NOTE, 0, EMB_PROP_NOTES, "Vessel Owner"},
    {L_VESSEL, "tonnage", A_NOTE, 0, EMB_PROP_NOTES, "Tonnage"},
    {L_VESSEL, "grossRegisteredTonnage", A_NOTE, 0, EMB_PROP_NOTES, "Gross Registered Tonnage"},
};

typedef struct sdn_state {
    emb__pctx *ctx;
    ofac_walk w;
    emb__buf entry[E_SLOTS];
    emb__buf item[I_SLOTS];
    emb__buf text;    /* leaf text added at once */
    emb__buf scratch; /* composed names, address lines, qualifiers */
    uint64_t entry_line;
} sdn_state;

static emb_str slot(const emb__buf *b)
{
    return ofac_buf_trim(b);
}

static void reset_slots(emb__buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        emb__buf_reset(&b[i]);
}

/* The uid is the entry's first element in the schema; taking it wherever it stands keeps
 * what was read before it. */
static emb_status set_uid(sdn_state *st, emb_str uid)
{
    emb__pctx *ctx = st->ctx;
    emb_status rc = emb__eb_set_source_id(&ctx->eb, uid, ctx->err);
    if (rc == EMB_OK)
        emb__err_record(ctx->err, ctx->eb.source_id.ptr, ctx->eb.source_id.len);
    return rc;
}

/* "SAEED, Hafiz Muhammad"; an entity, vessel or aircraft has only a lastName. */
static emb_status add_name(sdn_state *st, emb_name_kind kind, emb_str last, emb_str first)
{
    emb_str name = last;
    if (!emb__str_blank(first) && !emb__str_blank(last)) {
        emb__buf_reset(&st->scratch);
        emb_status rc = emb__buf_printf(&st->scratch, "%.*s, %.*s", (int)last.len, last.ptr,
                                        (int)first.len, first.ptr);
        if (rc != EMB_OK)
            return emb__err(st->ctx->err, rc, "%s",
                            rc == EMB_ELIMIT ? "name over the limit" : "out of memory");
        name = ofac_buf_str(&st->scratch);
    } else if (emb__str_blank(last)) {
        name = first;
    }
    return emb__eb_name(&st->ctx->eb, kind, name, emb__str("", 0), st->ctx->err);
}

/* OFAC's category is the quality: a weak a.k.a. is matched but scored lower, whatever its
 * type; a strong f.k.a. is a former name. */
static emb_status close_aka(sdn_state *st)
{
    emb_str type = slot(&st->item[AKA_TYPE]);
    emb_name_kind kind = EMB_NAME_ALIAS;
    if (emb__str_ieq(slot(&st->item[AKA_CATEGORY]), "weak"))
        kind = EMB_NAME_WEAK_ALIAS;
    else if (emb__str_ieq(type, "f.k.a."))
        kind = EMB_NAME_PREVIOUS;
    return add_name(st, kind, slot(&st->item[AKA_LAST]), slot(&st->item[AKA_FIRST]));
}

/* One readable line per address; the country also as a country code. An address that is
 * only a country ("Panama") adds just the country. */
static emb_status close_address(sdn_state *st)
{
    emb__pctx *ctx = st->ctx;
    emb__buf_reset(&st->scratch);
    emb_status rc = EMB_OK;
    for (int i = ADDR_1; i < ADDR_COUNTRY && rc == EMB_OK; i++)
        rc = ofac_join(&st->scratch, slot(&st->item[i]), ", ", ctx->err);
    emb_str country = slot(&st->item[ADDR_COUNTRY]);
    if (rc == EMB_OK && st->scratch.len) {
        rc = ofac_join(&st->scratch, country, ", ", ctx->err);
        if (rc == EMB_OK)
            rc = emb__eb_value(&ctx->eb, EMB_PROP_ADDRESS, ofac_buf_str(&st->scratch),
                               emb__str("", 0), ctx->err);
    }
    if (rc == EMB_OK)
        rc = emb__eb_country(&ctx->eb, EMB_PROP_COUNTRY, country, ctx->err);
    return rc;
}

static emb_status close_entry(sdn_state *st)
{
    emb__pctx *ctx = st->ctx;
    st->w.in_record = 0;
    emb_str last = slot(&st->entry[E_LAST]);
    emb_str sid = ctx->eb.source_id;
    emb_status rc;
    if (sid.len == 0) {
        rc = emb__err(ctx->err, EMB_EPARSE, "sdnEntry '%.*s' has no uid",
                      (int)(last.len > 80 ? 80 : last.len), last.ptr);
        return emb__pctx_bad(ctx, rc, st->entry_line, UINT64_MAX, NULL, 0);
    }
    if (emb__str_blank(last)) {
        rc = emb__err(ctx->err, EMB_EPARSE, "sdnEntry has no lastName");
        return emb__pctx_bad(ctx, rc, st->entry_line, UINT64_MAX, sid.ptr, sid.len);
    }
    rc = add_name(st, EMB_NAME_PRIMARY, last, slot(&st->entry[E_FIRST]));
    if (rc != EMB_OK)
        return emb__pctx_bad(ctx, rc, st->entry_line, UINT64_MAX, sid.ptr, sid.len);
    rc = emb__pctx_emit(ctx);
    /* an error after this entry is not about it */
    if (rc == EMB_OK)
        emb__err_record(ctx->err, "", 0);
    return rc;
}

static emb_status on_open(sdn_state *st)
{
    switch (st->w.node) {
    case L_ENTRY:
        ofac_record_open(&st->w);
        st->entry_line = st->w.line;
        reset_slots(st->entry, E_SLOTS);
        return emb__pctx_begin(st->ctx, emb__str("", 0), st->w.line);
    case L_ID:
    case L_AKA:
    case L_ADDR:
        reset_slots(st->item, I_SLOTS);
        return EMB_OK;
    default:
        return EMB_OK;
    }
}

static emb_status on_close(sdn_state *st)
{
    emb__pctx *ctx = st->ctx;
    switch (st->w.node) {
    case L_ENTRY:
        return close_entry(st);
    case L_ID:
        return ofac_add_labelled(&ctx->eb, slot(&st->item[ID_TYPE]), slot(&st->item[ID_NUMBER]),
                                 slot(&st->item[ID_COUNTRY]), &st->scratch, ctx->err);
    case L_AKA:
        return close_aka(st);
    case L_ADDR:
        return close_address(st);
    default:
        return EMB_OK;
    }
}

static emb_status on_leaf(sdn_state *st)
{
    const leaf_rule *rule = NULL;
    for (size_t i = 0; i < EMB_COUNTOF(rules) && rule == NULL; i++) {
        if (rules[i].parent == st->w.node && emb__str_eq(st->w.name, emb__str_cstr(rules[i].name)))
            rule = &rules[i];
    }
    if (rule == NULL)
        return EMB_OK; /* mainEntry, the uids of ids and akas, issueDate, ... */
    emb__buf *dest = rule->action == A_ENTRY_SLOT  ? &st->entry[rule->slot]
                     : rule->action == A_ITEM_SLOT ? &st->item[rule->slot]
                                                   : &st->text;
    emb_status rc = ofac_leaf_text(&st->w, dest);
    if (rc != EMB_OK)
        return rc;
    emb__pctx *ctx = st->ctx;
    emb_str v = slot(dest);
    switch (rule->action) {
    case A_PUBLISHED:
        emb__pctx_published(ctx, v);
        return EMB_OK;
    case A_UID:
        return set_uid(st, v);
    case A_VALUE:
        return emb__eb_value(&ctx->eb, rule->prop, v, emb__str("", 0), ctx->err);
    case A_COUNTRY:
        return emb__eb_country(&ctx->eb, rule->prop, v, ctx->err);
    case A_DATE:
        return emb__eb_date(&ctx->eb, rule->prop, v, EMB__MDY, ctx->err);
    case A_NOTE:
        return emb__eb_value(&ctx->eb, rule->prop, v, emb__str_cstr(rule->label), ctx->err);
    case A_SCHEMA: {
        /* Individual, Entity, Vessel, Aircraft */
        emb_schema s = emb__schema_loose(v);
        if (s == EMB_SCHEMA_UNKNOWN)
            return emb__err(ctx->err, EMB_EPARSE, "unknown sdnType '%.*s'",
                            (int)(v.len > 40 ? 40 : v.len), v.ptr);
        emb__eb_schema(&ctx->eb, s);
        return EMB_OK;
    }
    default:
        return EMB_OK;
    }
}

static emb_status on_event(void *state, int event)
{
    sdn_state *st = state;
    if (event == OFAC_EV_OPEN)
        return on_open(st);
    return event == OFAC_EV_CLOSE ? on_close(st) : on_leaf(st);
}

emb_status emb__parse_ofac_xml(emb__pctx *ctx)
{
    sdn_state st;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    for (size_t i = 0; i < E_SLOTS; i++)
        emb__buf_init(&st.entry[i], EMB_LIMIT_FIELD_BYTES);
    for (size_t i = 0; i < I_SLOTS; i++)
        emb__buf_init(&st.item[i], EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&st.scratch, 4 * EMB_LIMIT_FIELD_BYTES);
    emb__xml_reader r = NULL;
    emb_status rc = emb__xml_open(ctx, &r);
    if (rc != EMB_OK)
        goto out;
    ofac_walk_init(&st.w, ctx, r, nodes, EMB_COUNTOF(nodes));
    rc = ofac_run(&st.w, L_ROOT, "sdnList", on_event, &st);
out:
    if (r != NULL)
        emb__xml_close(ctx, r);
    for (size_t i = 0; i < E_SLOTS; i++)
        emb__buf_free(&st.entry[i]);
    for (size_t i = 0; i < I_SLOTS; i++)
        emb__buf_free(&st.item[i]);
    emb__buf_free(&st.text);
    emb__buf_free(&st.scratch);
    return rc;
}
