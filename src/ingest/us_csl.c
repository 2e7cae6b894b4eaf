/*
 * US Consolidated Screening List CSV (trade.gov): one row per listing, 13 source lists
 * (OFAC SDN and non-SDN lists, BIS Entity/Denied/Unverified/MEU lists, State DTC and ISN).
 *
 * source_id. `entity_number` is OFAC's uid on the Treasury lists, and an entity on several
 * of them (SDN and SSI, say) has one row per list with the same number; the other lists
 * leave it empty and have only `_id`, a row hash. So: SDN rows use the bare entity_number
 * (it links to the OFAC files), rows of other Treasury lists prefix the list's code
 * ("SSI-18741", "CAP-15268"), and rows without entity_number use `_id`. A list can still
 * print one row twice: an identical repeat is dropped, a repeat that differs gets "#2", "#3"
 * (the May 2022 file prints CAP 15268 twice, once without its source_list_url, so it holds
 * CAP-15268 and CAP-15268#2). Memory: streaming, plus the set of source ids seen (one entry
 * per row) to find those repeats.
 *
 * `ids` entries are "[country, ][expiry, ][issued, ]number, type"; type is the last part and
 * decides the property (passport, tax number, IMO, ...); statements that OFAC files in the
 * same field ("Secondary sanctions risk:", "Target Type") become labelled notes.
 */
#include <stdio.h>
#include <string.h>

#include "listcsv.h"

#define LOG_COMPONENT "us_csl"

enum {
    COL_ROW_ID,
    COL_SOURCE,
    COL_ENTITY_NUMBER,
    COL_TYPE,
    COL_PROGRAMS,
    COL_NAME,
    COL_ADDRESSES,
    COL_IDS,
    COL_ALT_NAMES,
    COL_TITLE,
    COL_FRN,
    COL_START_DATE,
    COL_END_DATE,
    COL_STANDARD_ORDER,
    COL_LICENSE_REQUIREMENT,
    COL_LICENSE_POLICY,
    COL_CALL_SIGN,
    COL_VESSEL_TYPE,
    COL_GROSS_TONNAGE,
    COL_GROSS_REGISTERED_TONNAGE,
    COL_VESSEL_FLAG,
    COL_VESSEL_OWNER,
    COL_REMARKS,
    COL_SOURCE_LIST_URL,
    COL_CITIZENSHIPS,
    COL_DATES_OF_BIRTH,
    COL_NATIONALITIES,
    COL_PLACES_OF_BIRTH,
    COL_SOURCE_INFORMATION_URL,
};

static const emb__lc_col columns[] = {
    [COL_ROW_ID] = {"_id", EMB__LC_OWN, 0, 0, 1},
    [COL_SOURCE] = {"source", EMB__LC_OWN, 0, 0, 1},
    [COL_ENTITY_NUMBER] = {"entity_number", EMB__LC_OWN, 0, 0, 1},
    [COL_TYPE] = {"type", EMB__LC_OWN, 0, 0, 1},
    [COL_PROGRAMS] = {"programs", EMB__LC_OWN, 0, ';', 0},
    [COL_NAME] = {"name", EMB__LC_NAME, EMB_NAME_PRIMARY, 0, 1},
    [COL_ADDRESSES] = {"addresses", EMB__LC_OWN, 0, ';', 0},
    [COL_IDS] = {"ids", EMB__LC_OWN, 0, ';', 0},
    [COL_ALT_NAMES] = {"alt_names", EMB__LC_NAME, EMB_NAME_ALIAS, ';', 0},
    /* OFAC's title is mostly a function ("Member of the State Duma ...") */
    [COL_TITLE] = {"title", EMB__LC_PROP, EMB_PROP_POSITION, 0, 0},
    [COL_FRN] = {"federal_register_notice", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_START_DATE] = {"start_date", EMB__LC_PROP, EMB_PROP_LISTING_DATE, 0, 0},
    [COL_END_DATE] = {"end_date", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_STANDARD_ORDER] = {"standard_order", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_LICENSE_REQUIREMENT] = {"license_requirement", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_LICENSE_POLICY] = {"license_policy", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_CALL_SIGN] = {"call_sign", EMB__LC_PROP, EMB_PROP_CALL_SIGN, 0, 0},
    [COL_VESSEL_TYPE] = {"vessel_type", EMB__LC_PROP, EMB_PROP_VESSEL_TYPE, 0, 0},
    [COL_GROSS_TONNAGE] = {"gross_tonnage", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_GROSS_REGISTERED_TONNAGE] = {"gross_registered_tonnage", EMB__LC_LABELLED, EMB_PROP_NOTES,
                                      0, 0},
    [COL_VESSEL_FLAG] = {"vessel_flag", EMB__LC_PROP, EMB_PROP_FLAG, 0, 0},
    [COL_VESSEL_OWNER] = {"vessel_owner", EMB__LC_LABELLED, EMB_PROP_NOTES, 0, 0},
    [COL_REMARKS] = {"remarks", EMB__LC_PROP, EMB_PROP_NOTES, 0, 0},
    [COL_SOURCE_LIST_URL] = {"source_list_url", EMB__LC_PROP, EMB_PROP_SOURCE_URL, 0, 0},
    [COL_CITIZENSHIPS] = {"citizenships", EMB__LC_PROP, EMB_PROP_CITIZENSHIP, ';', 0},
    [COL_DATES_OF_BIRTH] = {"dates_of_birth", EMB__LC_PROP, EMB_PROP_BIRTH_DATE, ';', 0},
    [COL_NATIONALITIES] = {"nationalities", EMB__LC_PROP, EMB_PROP_NATIONALITY, ';', 0},
    [COL_PLACES_OF_BIRTH] = {"places_of_birth", EMB__LC_PROP, EMB_PROP_BIRTH_PLACE, ';', 0},
    [COL_SOURCE_INFORMATION_URL] = {"source_information_url", EMB__LC_PROP, EMB_PROP_SOURCE_URL, 0,
                                    0},
};

/* ------------------------------------------------------------ list codes */

/* The list's code: the first word in the parentheses of `source`
 * ("Sectoral Sanctions Identifications List (SSI) - Treasury Department" -> "SSI";
 * "... (NS-MBS List) - ..." -> "NS-MBS"). Empty when there are none. */
static emb_str list_code(emb_str source)
{
    const char *open = memchr(source.ptr, '(', source.len);
    if (open == NULL)
        return emb__str("", 0);
    size_t start = (size_t)(open - source.ptr) + 1, end = start;
    while (end < source.len && source.ptr[end] != ')' && source.ptr[end] != ' ')
        end++;
    return emb__str(source.ptr + start, end - start);
}

/* The list's name without its agency ("Entity List (EL)"). */
static emb_str list_name(emb_str source)
{
    long dash = emb__str_ifind(source, " - ");
    return dash > 0 ? emb__str_trim(emb__str(source.ptr, (size_t)dash)) : source;
}

/* ------------------------------------------------------------ identifiers */

typedef struct {
    const char *type;
    emb_prop prop;
} type_rule;

/* Types compared whole (case-insensitive). */
static const type_rule exact_types[] = {
    {"Gender", EMB_PROP_GENDER},
    {"Website", EMB_PROP_WEBSITE},
    {"Email Address", EMB_PROP_EMAIL},
    {"Phone Number", EMB_PROP_PHONE},
    {"SWIFT/BIC", EMB_PROP_SWIFT_BIC},
    {"MMSI", EMB_PROP_MMSI},
    /* OFAC's label for the LEI */
    {"Legal Entity Number", EMB_PROP_LEI_CODE},
    {"Vessel Registration Identification", EMB_PROP_IMO_NUMBER},
    {"Organization Established Date", EMB_PROP_INCORPORATION_DATE},
    {"Aircraft Manufacture Date", EMB_PROP_BUILD_DATE},
    {"Nationality of Registration", EMB_PROP_REGISTRATION_COUNTRY},
    {"Registration Country", EMB_PROP_REGISTRATION_COUNTRY},
    {"Other Vessel Call Sign", EMB_PROP_CALL_SIGN},
    {"Other Vessel Flag", EMB_PROP_FLAG},
    {"Other Vessel Type", EMB_PROP_VESSEL_TYPE},
    {"Aircraft Tail Number", EMB_PROP_REGISTRATION_NUMBER},
    {"Previous Aircraft Tail Number", EMB_PROP_REGISTRATION_NUMBER},
    /* descriptions, not identifiers of the party itself */
    {"Target Type", EMB_PROP_NOTES},
    {"Aircraft Model", EMB_PROP_NOTES},
    {"Aircraft Operator", EMB_PROP_NOTES},
    {"Issuer Name", EMB_PROP_NOTES},
    {"Former Vessel Flag", EMB_PROP_NOTES},
};

/* Types containing a word (case-insensitive), tried in order. */
static const type_rule word_types[] = {
    {"Digital Currency Address", EMB_PROP_CRYPTO_WALLET},
    {"Passport", EMB_PROP_PASSPORT_NUMBER},
    {"Executive Order", EMB_PROP_NOTES},
    {"Listing Date", EMB_PROP_NOTES},
    {"Effective Date", EMB_PROP_NOTES},
    {"Divestment Date", EMB_PROP_NOTES},
    {"Tax", EMB_PROP_TAX_NUMBER},
    {"Fiscal", EMB_PROP_TAX_NUMBER},
    {"V.A.T.", EMB_PROP_TAX_NUMBER},
    {"R.F.C.", EMB_PROP_TAX_NUMBER},
    {"RFC", EMB_PROP_TAX_NUMBER},
    {"NIT #", EMB_PROP_TAX_NUMBER},
    {"RUC #", EMB_PROP_TAX_NUMBER},
    {"RIF #", EMB_PROP_TAX_NUMBER},
    {"C.U.I.T.", EMB_PROP_TAX_NUMBER},
    {"US FEIN", EMB_PROP_TAX_NUMBER},
    {"Registration", EMB_PROP_REGISTRATION_NUMBER},
    {"Registry", EMB_PROP_REGISTRATION_NUMBER},
    {"Company Number", EMB_PROP_REGISTRATION_NUMBER},
    {"Mercantil", EMB_PROP_REGISTRATION_NUMBER},
    {"Trade License", EMB_PROP_REGISTRATION_NUMBER},
    {"Gazette", EMB_PROP_REGISTRATION_NUMBER},
    {"C.R. No", EMB_PROP_REGISTRATION_NUMBER},
    {"Credit Code", EMB_PROP_REGISTRATION_NUMBER},
    {"Chamber of Comm", EMB_PROP_REGISTRATION_NUMBER},
    {"Incorporation", EMB_PROP_REGISTRATION_NUMBER},
};

static emb_prop id_prop(emb_str type)
{
    /* "Secondary sanctions risk:", "Additional Sanctions Information -": statements */
    if (type.len && (type.ptr[type.len - 1] == ':' || type.ptr[type.len - 1] == '-'))
        return EMB_PROP_NOTES;
    for (size_t i = 0; i < EMB_COUNTOF(exact_types); i++) {
        if (emb__str_ieq(type, exact_types[i].type))
            return exact_types[i].prop;
    }
    for (size_t i = 0; i < EMB_COUNTOF(word_types); i++) {
        if (emb__str_ifind(type, word_types[i].type) >= 0)
            return word_types[i].prop;
    }
    return EMB_PROP_ID_NUMBER;
}

static int is_iso_date(emb_str s)
{
    static const char shape[] = "9999-99-99";
    if (s.len != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; i < s.len; i++) {
        int digit = s.ptr[i] >= '0' && s.ptr[i] <= '9';
        if (shape[i] == '9' ? !digit : s.ptr[i] != '-')
            return 0;
    }
    return 1;
}

static int is_country_code(emb_str s)
{
    return s.len == 2 && s.ptr[0] >= 'A' && s.ptr[0] <= 'Z' && s.ptr[1] >= 'A' && s.ptr[1] <= 'Z';
}

/* The part of s before the first ", " at or after `from` (or the rest). */
static emb_str next_part(emb_str s, size_t *from)
{
    size_t start = *from, i = start;
    while (i < s.len && s.ptr[i] != ',')
        i++;
    *from = i < s.len ? i + 1 : s.len;
    return emb__str_trim(emb__str(s.ptr + start, i - start));
}

/* Offset of the text after the last comma of s (0 when there is none). */
static size_t after_last_comma(emb_str s)
{
    size_t cut = s.len;
    while (cut > 0 && s.ptr[cut - 1] != ',')
        cut--;
    return cut;
}

typedef struct {
    emb_str type;
    emb_str country;
    emb_str number;
} id_entry;

/* Split "[country, ][expiry, ][issued, ]number, type"; 0 when there is no type. A statement's
 * text may hold commas and is kept whole. */
static int split_id(emb_str entry, id_entry *out)
{
    size_t cut = after_last_comma(entry);
    if (cut == 0)
        return 0;
    out->type = emb__str_trim(emb__str(entry.ptr + cut, entry.len - cut));
    out->country = emb__str("", 0);
    emb_str body = emb__str(entry.ptr, cut - 1);
    size_t pos = 0, probe = 0;
    if (id_prop(out->type) != EMB_PROP_NOTES) {
        emb_str first = next_part(body, &probe);
        if (is_country_code(first) && probe < body.len) {
            out->country = first;
            pos = probe;
        }
        for (;;) {
            probe = pos;
            emb_str part = next_part(body, &probe);
            if (!is_iso_date(part) || probe >= body.len)
                break;
            pos = probe;
        }
    }
    out->number = emb__str_trim(emb__str(body.ptr + pos, body.len - pos));
    return 1;
}

static emb_status add_id(void *ud, emb_str entry)
{
    emb__lc *t = ud;
    id_entry id;
    if (!split_id(entry, &id))
        return emb__lc_add(t, EMB_PROP_NOTES, entry, EMB_STR("ids"));
    emb_prop prop = id_prop(id.type);
    if (prop == EMB_PROP_GENDER || prop == EMB_PROP_WEBSITE || prop == EMB_PROP_EMAIL ||
        prop == EMB_PROP_PHONE)
        return emb__lc_add(t, prop, id.number, emb__str("", 0));
    if (prop == EMB_PROP_CRYPTO_WALLET) {
        /* "Digital Currency Address - XBT": the currency is the label */
        long dash = emb__str_ifind(id.type, "- ");
        if (dash >= 0)
            id.type =
                emb__str_trim(emb__str(id.type.ptr + dash + 2, id.type.len - (size_t)dash - 2));
    }
    char label[160];
    int n =
        snprintf(label, sizeof(label), "%.*s%s%.*s", (int)(id.type.len > 120 ? 120 : id.type.len),
                 id.type.ptr, id.country.len ? ", " : "", (int)id.country.len, id.country.ptr);
    emb_str q = emb__str(label, n > 0 && (size_t)n < sizeof(label) ? (size_t)n : 0);
    return emb__lc_add(t, prop, id.number, q);
}

/* ------------------------------------------------------------ addresses, programs */

/* Each address is one line; its last comma part is the country, mostly an ISO code. */
static emb_status add_address(void *ud, emb_str line)
{
    emb__lc *t = ud;
    emb_status rc =
        emb__eb_value(&t->ctx->eb, EMB_PROP_ADDRESS, line, emb__str("", 0), t->ctx->err);
    size_t cut = after_last_comma(line);
    const char *code = emb__country_code(emb__str_trim(emb__str(line.ptr + cut, line.len - cut)));
    if (rc == EMB_OK && code != NULL)
        rc = emb__eb_value(&t->ctx->eb, EMB_PROP_COUNTRY, emb__str_cstr(code), emb__str("", 0),
                           t->ctx->err);
    return rc;
}

typedef struct {
    emb__lc *t;
    emb_str code;
} program_ctx;

static emb_status add_program(void *ud, emb_str v)
{
    program_ctx *p = ud;
    return emb__eb_value(&p->t->ctx->eb, EMB_PROP_PROGRAM, v, p->code, p->t->ctx->err);
}

static emb_status add_listing(emb__lc *t)
{
    emb_str source = emb__lc_field(t, COL_SOURCE);
    program_ctx p = {t, list_code(source)};
    emb_status rc =
        emb__eb_value(&t->ctx->eb, EMB_PROP_AUTHORITY, source, emb__str("", 0), t->ctx->err);
    /* BIS and State lists have no programs: the list itself is the measure */
    if (rc == EMB_OK && emb__lc_field(t, COL_PROGRAMS).len == 0)
        rc = add_program(&p, list_name(source));
    if (rc == EMB_OK)
        rc = emb__lc_each(t, COL_PROGRAMS, add_program, &p);
    return rc;
}

/* ------------------------------------------------------------ rows */

typedef struct {
    emb__map seen; /* source id -> hash of the row */
    char sid[EMB_LIMIT_ID_BYTES + 16];
    size_t dropped;
} csl_state;

static emb_status make_sid(emb__lc *t, csl_state *st, emb_str *sid)
{
    emb_str num = emb__lc_field(t, COL_ENTITY_NUMBER);
    emb_str code = list_code(emb__lc_field(t, COL_SOURCE));
    int n;
    if (num.len == 0)
        *sid = emb__lc_field(t, COL_ROW_ID);
    else if (emb__str_eq(code, EMB_STR("SDN")) || code.len == 0)
        *sid = num;
    else {
        n = snprintf(st->sid, sizeof(st->sid), "%.*s-%.*s", (int)code.len, code.ptr,
                     (int)(num.len > EMB_LIMIT_ID_BYTES ? EMB_LIMIT_ID_BYTES : num.len), num.ptr);
        if (n <= 0 || (size_t)n >= sizeof(st->sid))
            return emb__err(t->ctx->err, EMB_ELIMIT, "source id over the limit");
        *sid = emb__str(st->sid, (size_t)n);
    }
    if (sid->len == 0)
        return emb__err(t->ctx->err, EMB_EPARSE, "row has neither entity_number nor _id");
    if (sid->len > EMB_LIMIT_ID_BYTES)
        return emb__err(t->ctx->err, EMB_ELIMIT, "source id is %zu bytes, over the limit of %u",
                        sid->len, EMB_LIMIT_ID_BYTES);
    return EMB_OK;
}

/* 1 when the row repeats an earlier one exactly; a differing repeat gets "#<n>" added. */
static emb_status dedupe_sid(emb__lc *t, csl_state *st, emb_str *sid, int *repeat)
{
    uint64_t h = emb__hash(t->csv.data.ptr ? t->csv.data.ptr : "", t->csv.data.len) | 1u;
    *repeat = 0;
    char base[EMB_LIMIT_ID_BYTES + 1];
    size_t blen = sid->len;
    memcpy(base, sid->ptr, blen);
    for (unsigned k = 1;; k++) {
        uint64_t *slot;
        int is_new;
        if (k > 1) {
            int n = snprintf(st->sid, sizeof(st->sid), "%.*s#%u", (int)blen, base, k);
            if (n <= 0 || (size_t)n >= sizeof(st->sid))
                return emb__err(t->ctx->err, EMB_ELIMIT, "source id over the limit");
            *sid = emb__str(st->sid, (size_t)n);
        }
        emb_status rc = emb__map_put(&st->seen, sid->ptr, sid->len, &slot, &is_new);
        if (rc != EMB_OK)
            return emb__err(t->ctx->err, rc, "out of memory");
        if (is_new) {
            *slot = h;
            return EMB_OK;
        }
        if (*slot == h) {
            *repeat = 1;
            return EMB_OK;
        }
    }
}

static emb_status csl_row(emb__lc *t, void *ud, emb_str *sid, int *emit)
{
    csl_state *st = ud;
    emb__pctx *ctx = t->ctx;
    int repeat = 0;
    emb_status rc = make_sid(t, st, sid);
    if (rc == EMB_OK)
        rc = dedupe_sid(t, st, sid, &repeat);
    if (rc != EMB_OK)
        return rc;
    if (repeat) {
        emb__log(EMB_LOG_INFO, LOG_COMPONENT, "%s:%llu: row repeats %.*s exactly, dropped",
                 emb__input_name(ctx->in), (unsigned long long)t->csv.line, (int)sid->len,
                 sid->ptr);
        st->dropped++;
        *emit = 0;
        return EMB_OK;
    }
    emb_str type = emb__lc_field(t, COL_TYPE);
    emb_schema schema = type.len ? emb__schema_loose(type) : EMB_SCHEMA_LEGAL_ENTITY;
    if (schema == EMB_SCHEMA_UNKNOWN)
        return emb__err(ctx->err, EMB_EPARSE, "unknown entity type '%.*s'",
                        (int)(type.len > 40 ? 40 : type.len), type.ptr);
    rc = emb__pctx_begin(ctx, *sid, t->csv.line);
    if (rc != EMB_OK)
        return rc;
    emb__eb_schema(&ctx->eb, schema);
    rc = emb__lc_apply_all(t);
    if (rc == EMB_OK)
        rc = add_listing(t);
    if (rc == EMB_OK)
        rc = emb__lc_each(t, COL_ADDRESSES, add_address, t);
    if (rc == EMB_OK)
        rc = emb__lc_each(t, COL_IDS, add_id, t);
    return rc;
}

emb_status emb__parse_us_csl(emb__pctx *ctx)
{
    emb__lc t;
    csl_state st;
    memset(&st, 0, sizeof(st));
    emb__map_init(&st.seen);
    /* dates are ISO, except a few "circa"/ranges; US order for anything numeric */
    emb_status rc = emb__lc_open(&t, ctx, columns, EMB_COUNTOF(columns), EMB__MDY);
    if (rc == EMB_OK)
        rc = emb__lc_run(&t, csl_row, &st);
    if (st.dropped)
        emb__log(EMB_LOG_INFO, LOG_COMPONENT,
                 "%s: %zu rows repeated an earlier row and were dropped", emb__input_name(ctx->in),
                 st.dropped);
    emb__lc_close(&t);
    emb__map_free(&st.seen);
    return rc;
}
