/*
 * The Remarks field of OFAC's legacy SDN.CSV / CONS_PRIM.CSV. OFAC packs most of an entry
 * into it: `DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport
 * 19820215; a.k.a. 'ABU X'; Linked To: FOO.` Pieces are split on ';' outside parentheses and
 * double quotes, a leading `alt.` is dropped, and the key is the longest entry of the table
 * below that starts the piece (ASCII case-insensitive, ending on a word boundary). Whatever
 * the table does not turn into a structured value is kept as notes, so nothing is lost.
 *
 * OFAC writes low-quality ("weak") a.k.a.s only here, in single quotes; strong ones are in
 * ALT.CSV. So a single-quoted or unquoted a.k.a. / n.k.a. is a weakAlias, a double-quoted one
 * an alias, and any f.k.a. a previousName.
 */
#include <string.h>

#include "ofac.h"

typedef enum {
    R_DATE,    /* a date property */
    R_COUNTRY, /* a country property */
    R_PLACE,   /* birthPlace, plus birthCountry when the last part is a known country */
    R_GENDER,
    R_TEXT,    /* the value as published; qualifier: the key when `label` is set */
    R_ID,      /* identifier: value up to " (" / " issued"; qualifier: key and the rest */
    R_CRYPTO,  /* `- XBT address`: qualifier is the currency */
    R_NAME,    /* a.k.a./f.k.a./n.k.a.: prop holds the emb_name_kind */
    R_LINK,    /* notes: the text after the key; qualifier: the key */
    R_NOTE     /* notes: the whole piece; qualifier: the key */
} remark_how;

typedef struct {
    const char *key;
    unsigned char how;
    unsigned char prop;
    unsigned char label;
} remark_key;

#define ID(k, p) {k, R_ID, p, 1}
#define NOTE(k) {k, R_NOTE, EMB_PROP_NOTES, 1}

/* Keys as OFAC writes them (2021-2025 files). Longest match wins, so "Identification Number
 * IMO" beats "Identification Number". */
static const remark_key keys[] = {
    /* people */
    {"DOB", R_DATE, EMB_PROP_BIRTH_DATE, 0},
    {"POB", R_PLACE, EMB_PROP_BIRTH_PLACE, 0},
    {"nationality", R_COUNTRY, EMB_PROP_NATIONALITY, 0},
    {"citizen", R_COUNTRY, EMB_PROP_CITIZENSHIP, 0},
    {"Gender", R_GENDER, EMB_PROP_GENDER, 0},
    {"a.k.a.", R_NAME, EMB_NAME_WEAK_ALIAS, 0},
    {"n.k.a.", R_NAME, EMB_NAME_WEAK_ALIAS, 0},
    {"f.k.a.", R_NAME, EMB_NAME_PREVIOUS, 0},
    {"Linked To:", R_LINK, EMB_PROP_NOTES, 1},
    /* identity documents */
    ID("Passport", EMB_PROP_PASSPORT_NUMBER),
    ID("Diplomatic Passport", EMB_PROP_PASSPORT_NUMBER),
    ID("Travel Document Number", EMB_PROP_PASSPORT_NUMBER),
    ID("National ID No.", EMB_PROP_ID_NUMBER),
    ID("Identification Number", EMB_PROP_ID_NUMBER),
    ID("Personal ID Card", EMB_PROP_ID_NUMBER),
    ID("Citizen's Card Number", EMB_PROP_ID_NUMBER),
    ID("Cedula No.", EMB_PROP_ID_NUMBER),
    ID("C.U.R.P.", EMB_PROP_ID_NUMBER),
    ID("D.N.I.", EMB_PROP_ID_NUMBER),
    ID("SSN", EMB_PROP_ID_NUMBER),
    ID("Birth Certificate Number", EMB_PROP_ID_NUMBER),
    ID("Driver's License No.", EMB_PROP_ID_NUMBER),
    ID("National Foreign ID Number", EMB_PROP_ID_NUMBER),
    ID("Kenyan ID No.", EMB_PROP_ID_NUMBER),
    ID("Turkish Identification Number", EMB_PROP_ID_NUMBER),
    ID("Numero de Identidad", EMB_PROP_ID_NUMBER),
    ID("Residency Number", EMB_PROP_ID_NUMBER),
    ID("Electoral Registry No.", EMB_PROP_ID_NUMBER),
    ID("Credencial electoral", EMB_PROP_ID_NUMBER),
    ID("I.F.E.", EMB_PROP_ID_NUMBER),
    ID("Cartilla de Servicio Militar Nacional", EMB_PROP_ID_NUMBER),
    ID("Refugee ID Card", EMB_PROP_ID_NUMBER),
    ID("Tazkira National ID Card", EMB_PROP_ID_NUMBER),
    ID("UAE Identification", EMB_PROP_ID_NUMBER),
    ID("VisaNumberID", EMB_PROP_ID_NUMBER),
    ID("Immigration No.", EMB_PROP_ID_NUMBER),
    ID("SRE Permit No.", EMB_PROP_ID_NUMBER),
    ID("Pilot License Number", EMB_PROP_ID_NUMBER),
    /* tax numbers */
    ID("Tax ID No.", EMB_PROP_TAX_NUMBER),
    ID("R.F.C.", EMB_PROP_TAX_NUMBER),
    ID("NIT #", EMB_PROP_TAX_NUMBER),
    ID("RUC #", EMB_PROP_TAX_NUMBER),
    ID("RIF #", EMB_PROP_TAX_NUMBER),
    ID("V.A.T. Number", EMB_PROP_TAX_NUMBER),
    ID("US FEIN", EMB_PROP_TAX_NUMBER),
    ID("C.U.I.T.", EMB_PROP_TAX_NUMBER),
    ID("C.U.I.", EMB_PROP_TAX_NUMBER),
    ID("C.I.F.", EMB_PROP_TAX_NUMBER),
    ID("RTN", EMB_PROP_TAX_NUMBER),
    ID("Italian Fiscal Code", EMB_PROP_TAX_NUMBER),
    ID("Paraguayan tax identification number", EMB_PROP_TAX_NUMBER),
    ID("Numero Unico de Identificacao Tributaria (NUIT)", EMB_PROP_TAX_NUMBER),
    /* company registers */
    ID("Registration Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Registration ID", EMB_PROP_REGISTRATION_NUMBER),
    ID("Business Registration Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Business Registration Document #", EMB_PROP_REGISTRATION_NUMBER),
    ID("Company Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("UK Company Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Commercial Registry Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Government Gazette Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Trade License No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("C.R. No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("Romanian C.R.", EMB_PROP_REGISTRATION_NUMBER),
    ID("Chamber of Commerce Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Folio Mercantil No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("Matricula Mercantil No", EMB_PROP_REGISTRATION_NUMBER),
    ID("Public Registration Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Central Registration System Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Istanbul Chamber of Comm. No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("Dubai Chamber of Commerce Membership No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("Economic Register Number (CBLS)", EMB_PROP_REGISTRATION_NUMBER),
    ID("Unified Social Credit Code (USCC)", EMB_PROP_REGISTRATION_NUMBER),
    ID("United Social Credit Code Certificate (USCCC)", EMB_PROP_REGISTRATION_NUMBER),
    ID("License", EMB_PROP_REGISTRATION_NUMBER),
    ID("Enterprise Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Business Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Branch Unit Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Certificate of Incorporation Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("LE Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Registered Charity No.", EMB_PROP_REGISTRATION_NUMBER),
    ID("File Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Permit Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Organization Code", EMB_PROP_REGISTRATION_NUMBER),
    ID("Afghan Money Service Provider License Number", EMB_PROP_REGISTRATION_NUMBER),
    /* finance and markets */
    ID("LEI", EMB_PROP_LEI_CODE),
    ID("Legal Entity Number", EMB_PROP_LEI_CODE),
    ID("SWIFT/BIC", EMB_PROP_SWIFT_BIC),
    ID("BIK (RU)", EMB_PROP_ID_NUMBER),
    ID("D-U-N-S Number", EMB_PROP_ID_NUMBER),
    ID("ISIN", EMB_PROP_ID_NUMBER),
    ID("Equity Ticker", EMB_PROP_ID_NUMBER),
    ID("Chinese Commercial Code", EMB_PROP_ID_NUMBER),
    /* vessels and aircraft */
    ID("IMO", EMB_PROP_IMO_NUMBER),
    ID("Vessel Registration Identification IMO", EMB_PROP_IMO_NUMBER),
    ID("Vessel Registration Identification", EMB_PROP_REGISTRATION_NUMBER),
    ID("Identification Number IMO", EMB_PROP_IMO_NUMBER),
    ID("Company Number IMO", EMB_PROP_IMO_NUMBER),
    ID("MMSI", EMB_PROP_MMSI),
    {"Other Vessel Call Sign", R_TEXT, EMB_PROP_CALL_SIGN, 1},
    {"Other Vessel Type", R_TEXT, EMB_PROP_VESSEL_TYPE, 1},
    {"Vessel Year of Build", R_DATE, EMB_PROP_BUILD_DATE, 0},
    {"Nationality of Registration", R_COUNTRY, EMB_PROP_REGISTRATION_COUNTRY, 0},
    NOTE("Former Vessel Flag"),
    NOTE("Other Vessel Flag"),
    ID("Aircraft Tail Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Previous Aircraft Tail Number", EMB_PROP_REGISTRATION_NUMBER),
    ID("Aircraft Manufacturer's Serial Number (MSN)", EMB_PROP_ID_NUMBER),
    ID("Aircraft Construction Number (also called L/N or S/N or F/N)", EMB_PROP_ID_NUMBER),
    ID("Aircraft Serial Identification", EMB_PROP_ID_NUMBER),
    ID("Aircraft Mode S Transponder Code", EMB_PROP_ID_NUMBER),
    {"Aircraft Manufacture Date", R_DATE, EMB_PROP_BUILD_DATE, 0},
    {"Aircraft Model", R_TEXT, EMB_PROP_VESSEL_TYPE, 1},
    NOTE("Aircraft Operator"),
    /* contact and digital */
    {"Website", R_TEXT, EMB_PROP_WEBSITE, 0},
    {"Email Address", R_TEXT, EMB_PROP_EMAIL, 0},
    {"Email", R_TEXT, EMB_PROP_EMAIL, 0},
    {"Phone Number", R_TEXT, EMB_PROP_PHONE, 0},
    {"Phone No.", R_TEXT, EMB_PROP_PHONE, 0},
    {"Phone", R_TEXT, EMB_PROP_PHONE, 0},
    {"Telephone No.", R_TEXT, EMB_PROP_PHONE, 0},
    {"Telephone", R_TEXT, EMB_PROP_PHONE, 0},
    {"Fax No.", R_TEXT, EMB_PROP_PHONE, 1},
    {"Fax", R_TEXT, EMB_PROP_PHONE, 1},
    {"Digital Currency Address", R_CRYPTO, EMB_PROP_CRYPTO_WALLET, 0},
    /* organisations */
    {"Organization Established Date", R_DATE, EMB_PROP_INCORPORATION_DATE, 0},
    {"Organization Type:", R_TEXT, EMB_PROP_SECTOR, 0},
    {"Listing Date", R_DATE, EMB_PROP_LISTING_DATE, 0},
    NOTE("Target Type"),
    NOTE("Issuer Name"),
    NOTE("Effective Date"),
    NOTE("Purchase/Sales For Divestment Date"),
    /* sanctions prose */
    NOTE("Additional Sanctions Information -"),
    NOTE("Secondary sanctions risk:"),
    NOTE("Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
         "Institutions:"),
    NOTE("Executive Order"),
    NOTE("CAATSA Section"),
    NOTE("IFCA Determination -"),
    NOTE("For more information"),
};

#undef ID
#undef NOTE

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static emb_str tail(emb_str s, size_t from)
{
    return emb__str_trim(emb__str(s.ptr + from, s.len - from));
}

/* The longest key that starts piece and ends on a word boundary; NULL when none. */
static const remark_key *match_key(emb_str piece)
{
    const remark_key *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < EMB_COUNTOF(keys); i++) {
        size_t n = strlen(keys[i].key);
        if (n <= best_len || n > piece.len || !emb__str_istarts(piece, keys[i].key))
            continue;
        if (is_alnum(keys[i].key[n - 1]) && n < piece.len && is_alnum(piece.ptr[n]))
            continue;
        best = &keys[i];
        best_len = n;
    }
    return best;
}

/* Drop separators OFAC puts between key and value (`Fax: 1`, `C.U.R.P. # X`, `Address - XBT`). */
static emb_str skip_separators(emb_str s)
{
    while (s.len && (s.ptr[0] == ':' || s.ptr[0] == '#' || s.ptr[0] == '-' || s.ptr[0] == ' '))
        s = emb__str(s.ptr + 1, s.len - 1);
    return s;
}

/* Drop one trailing '.': the remarks end with one, and so do some values before a ';'. */
static emb_str strip_dot(emb_str s)
{
    s = emb__str_trim(s);
    if (s.len && s.ptr[s.len - 1] == '.')
        s.len--;
    return emb__str_trim(s);
}

/* Offset where the trailing description of an identifier starts, or s.len. */
static size_t id_end(emb_str s)
{
    static const char *const marks[] = {" (", " issued", ", issued", " expires"};
    size_t end = s.len;
    for (size_t i = 0; i < EMB_COUNTOF(marks); i++) {
        long at = emb__str_ifind(s, marks[i]);
        if (at > 0 && (size_t)at < end)
            end = (size_t)at;
    }
    return end;
}

typedef struct {
    emb__eb *eb;
    emb__buf q;
    emb_error *err;
} rctx;

static int has_digit(emb_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] >= '0' && s.ptr[i] <= '9')
            return 1;
    }
    return 0;
}

/* The key without the punctuation that joins it to its value ("Linked To:" -> "Linked To"). */
static emb_str key_label(const remark_key *k)
{
    emb_str s = emb__str_cstr(k->key);
    while (s.len && (s.ptr[s.len - 1] == ':' || s.ptr[s.len - 1] == '-' || s.ptr[s.len - 1] == ' '))
        s.len--;
    return s;
}

static emb_status append_part(emb__buf *b, emb_str part)
{
    emb_status rc = EMB_OK;
    if (part.len && b->len)
        rc = emb__buf_putc(b, ' ');
    return rc == EMB_OK ? emb__buf_append(b, part.ptr, part.len) : rc;
}

/* `Passport Booklet: A5199819 (Pakistan) issued 2001`: number A5199819, qualifier `Passport
 * Booklet (Pakistan) issued 2001`. Words without any digit (`Passport issued in Sarajevo`)
 * are no number: notes. A tail number like EP-MMH is one word. */
static emb_status add_id(rctx *r, const remark_key *k, emb_str rest)
{
    rest = strip_dot(rest);
    if (!has_digit(rest) && memchr(rest.ptr, ' ', rest.len) != NULL)
        return emb__eb_value(r->eb, EMB_PROP_NOTES, rest, key_label(k), r->err);
    size_t end = id_end(rest);
    emb_str value = emb__str_trim(emb__str(rest.ptr, end));
    emb_str more = tail(rest, end);
    if (more.len && more.ptr[0] == ',')
        more = tail(more, 1);
    /* a short word label inside the value: `CNIC: 35202-5400413-9`, `Booklet: A5199819` */
    emb_str inner = emb__str("", 0);
    long colon = emb__str_ifind(value, ": ");
    if (colon > 0 && colon <= 12 && !has_digit(emb__str(value.ptr, (size_t)colon))) {
        inner = emb__str(value.ptr, (size_t)colon);
        value = tail(value, (size_t)colon + 1);
    }
    emb__buf_reset(&r->q);
    emb_status rc = append_part(&r->q, key_label(k));
    if (rc == EMB_OK)
        rc = append_part(&r->q, inner);
    if (rc == EMB_OK)
        rc = append_part(&r->q, more);
    if (rc != EMB_OK)
        return emb__err(r->err, rc, "identifier label over the field limit");
    return emb__eb_value(r->eb, (emb_prop)k->prop, value, emb__str(r->q.ptr, r->q.len), r->err);
}

static emb_status add_name(rctx *r, const remark_key *k, emb_str rest)
{
    emb_name_kind kind = (emb_name_kind)k->prop;
    emb_str name = strip_dot(rest);
    emb_str after = emb__str("", 0);
    if (rest.len && (rest.ptr[0] == '\'' || rest.ptr[0] == '"')) {
        char q = rest.ptr[0];
        size_t close = rest.len;
        while (close > 1 && rest.ptr[close - 1] != q)
            close--;
        if (close > 1) {
            name = emb__str(rest.ptr + 1, close - 2);
            after = strip_dot(tail(rest, close));
        } else {
            /* unterminated: the remarks were cut short */
            name = strip_dot(tail(rest, 1));
        }
        if (q == '"' && kind == EMB_NAME_WEAK_ALIAS)
            kind = EMB_NAME_ALIAS;
    }
    emb_status rc = emb__eb_name(r->eb, kind, name, emb__str("", 0), r->err);
    if (rc == EMB_OK && after.len)
        rc = emb__eb_value(r->eb, EMB_PROP_NOTES, after, key_label(k), r->err);
    return rc;
}

static emb_status add_place(rctx *r, emb_str rest)
{
    emb_str place = strip_dot(rest);
    emb_status rc = emb__eb_value(r->eb, EMB_PROP_BIRTH_PLACE, place, emb__str("", 0), r->err);
    size_t comma = place.len;
    while (comma > 0 && place.ptr[comma - 1] != ',')
        comma--;
    const char *code = emb__country_code(tail(place, comma));
    if (rc == EMB_OK && code != NULL)
        rc = emb__eb_value(r->eb, EMB_PROP_BIRTH_COUNTRY, emb__str_cstr(code), emb__str("", 0),
                           r->err);
    return rc;
}

static emb_status add_date(rctx *r, emb_prop prop, emb_str rest)
{
    /* `Listing Date (EO 14024 Directive 2): 24 Feb 2022` */
    if (rest.len && rest.ptr[0] == '(') {
        const char *close = memchr(rest.ptr, ')', rest.len);
        if (close != NULL)
            rest = skip_separators(tail(rest, (size_t)(close - rest.ptr) + 1));
    }
    return emb__eb_date(r->eb, prop, strip_dot(rest), EMB__DMY, r->err);
}

static emb_status add_gender(rctx *r, emb_str rest)
{
    emb_str g = strip_dot(rest);
    if (emb__str_ieq(g, "male"))
        g = EMB_STR("male");
    else if (emb__str_ieq(g, "female"))
        g = EMB_STR("female");
    return emb__eb_value(r->eb, EMB_PROP_GENDER, g, emb__str("", 0), r->err);
}

static emb_status add_crypto(rctx *r, emb_str rest)
{
    rest = strip_dot(rest);
    size_t sp = 0;
    while (sp < rest.len && rest.ptr[sp] != ' ')
        sp++;
    emb_str addr = tail(rest, sp);
    if (addr.len == 0)
        return emb__eb_value(r->eb, EMB_PROP_CRYPTO_WALLET, rest, emb__str("", 0), r->err);
    return emb__eb_value(r->eb, EMB_PROP_CRYPTO_WALLET, addr, emb__str(rest.ptr, sp), r->err);
}

static emb_status add_piece(rctx *r, emb_str piece)
{
    if (emb__str_istarts(piece, "alt."))
        piece = tail(piece, 4);
    if (piece.len == 0)
        return EMB_OK;
    const remark_key *k = match_key(piece);
    if (k == NULL)
        return emb__eb_value(r->eb, EMB_PROP_NOTES, piece, emb__str("", 0), r->err);
    emb_str rest = tail(piece, strlen(k->key));
    emb_prop prop = (emb_prop)k->prop;
    emb_str label = k->label ? key_label(k) : emb__str("", 0);
    if (k->how != R_NAME && k->how != R_DATE && k->how != R_NOTE)
        rest = skip_separators(rest);
    switch ((remark_how)k->how) {
    case R_DATE:
        return add_date(r, prop, rest);
    case R_COUNTRY:
        return emb__eb_country(r->eb, prop, strip_dot(rest), r->err);
    case R_PLACE:
        return add_place(r, rest);
    case R_GENDER:
        return add_gender(r, rest);
    case R_TEXT:
        return emb__eb_value(r->eb, prop, strip_dot(rest), label, r->err);
    case R_ID:
        return add_id(r, k, rest);
    case R_CRYPTO:
        return add_crypto(r, rest);
    case R_NAME:
        return add_name(r, k, rest);
    case R_LINK:
        return emb__eb_value(r->eb, EMB_PROP_NOTES, rest, label, r->err);
    case R_NOTE:
    default:
        return emb__eb_value(r->eb, EMB_PROP_NOTES, piece, label, r->err);
    }
}

/*
 * Pieces are separated by ';' outside parentheses and double quotes (`(Following data
 * derived from ... passport; ...)` is one piece). Remarks cut short at 1000 bytes can leave a
 * group open: from that group on, every ';' splits.
 */
typedef struct {
    emb_str s;
    size_t pos;
    int literal;
} splitter;

static int next_piece(splitter *sp, emb_str *out)
{
    while (sp->pos < sp->s.len) {
        size_t start = sp->pos, i = start, open_at = 0;
        int depth = 0, quote = 0;
        for (; i < sp->s.len; i++) {
            char c = sp->s.ptr[i];
            if (c == ';' && (sp->literal || (depth == 0 && !quote)))
                break;
            if (sp->literal)
                continue;
            if (depth == 0 && !quote && (c == '(' || c == '"'))
                open_at = i;
            if (c == '"')
                quote = !quote;
            else if (!quote && c == '(')
                depth++;
            else if (!quote && c == ')' && depth > 0)
                depth--;
        }
        if (i == sp->s.len && (depth > 0 || quote)) {
            sp->literal = 1;
            const char *semi = memchr(sp->s.ptr + open_at, ';', sp->s.len - open_at);
            if (semi != NULL)
                i = (size_t)(semi - sp->s.ptr);
        }
        sp->pos = i + 1;
        emb_str p = emb__str_trim(emb__str(sp->s.ptr + start, i - start));
        if (p.len) {
            *out = p;
            return 1;
        }
    }
    return 0;
}

emb_status emb__ofac_remarks(emb__eb *eb, emb_str remarks, emb_error *err)
{
    if (emb__str_blank(remarks))
        return EMB_OK;
    rctx r = {eb, {0}, err};
    emb__buf_init(&r.q, EMB_LIMIT_FIELD_BYTES);
    /* the full stop that ends the remarks; a dot inside (`Linked To: FOO S.A.;`) is kept */
    splitter sp = {strip_dot(remarks), 0, 0};
    emb_str piece;
    emb_status rc = EMB_OK;
    while (rc == EMB_OK && next_piece(&sp, &piece))
        rc = add_piece(&r, piece);
    emb__buf_free(&r.q);
    return rc;
}
