/*
 * OFAC legacy CSV set (SDN.CSV / CONS_PRIM.CSV with ALT, ADD and COMMENTS siblings) and the
 * Remarks parser: real files with their published counts, real records field by field, the
 * remarks table on real remark strings, and bad input.
 */
#include "test_util.h"

#include "ingest/ofac.h"

/* ------------------------------------------------------------ helpers */

static size_t count_kind(const t_collect *c, emb_name_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->items[i].n_names; k++)
            n += c->items[i].names[k].kind == kind;
    }
    return n;
}

static size_t count_prop(const t_collect *c, emb_prop prop)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += t_count_values(&c->items[i], prop);
    return n;
}

/* Entities in the collection by source id, for the ALT cross-check. */
static const t_entity *find_sorted(const t_collect *c, const char *id)
{
    return t_find(c, id);
}

/*
 * Every row of an ALT file must be on its entity: as a name of the kind its alt_type says, or
 * merged into an equal name of a stronger kind (the primary; an exact duplicate row).
 * Returns the number of rows found.
 */
static size_t check_alt_rows(const t_collect *c, const char *alt_path)
{
    emb__input *in = NULL;
    emb_error err;
    cr_assert_eq(emb__input_open_file(alt_path, &in, &err), EMB_OK);
    emb__csv csv;
    cr_assert_eq(emb__csv_init(&csv, in, ','), EMB_OK);
    size_t found = 0, rows = 0;
    int got = 0;
    char id[32], name[1024];
    while (emb__csv_next(&csv, &got, &err) == EMB_OK && got) {
        rows++;
        emb_str sid = emb__str_trim(emb__csv_field(&csv, 0));
        emb_str type = emb__str_trim(emb__csv_field(&csv, 2));
        emb_str nm = emb__str_trim(emb__csv_field(&csv, 3));
        cr_assert_lt(sid.len, sizeof(id));
        cr_assert_lt(nm.len, sizeof(name));
        memcpy(id, sid.ptr, sid.len);
        id[sid.len] = '\0';
        /* the model folds inner whitespace runs */
        size_t n = 0;
        for (size_t i = 0; i < nm.len; i++) {
            if (nm.ptr[i] == ' ' && n > 0 && name[n - 1] == ' ')
                continue;
            name[n++] = nm.ptr[i];
        }
        name[n] = '\0';
        const t_entity *e = find_sorted(c, id);
        cr_assert_not_null(e, "ALT row %zu: no entity %s", rows, id);
        int kind = emb__str_ieq(type, "fka") ? EMB_NAME_PREVIOUS : EMB_NAME_ALIAS;
        if (t_has_name(e, name, kind) || t_has_name(e, name, EMB_NAME_PRIMARY) ||
            (kind == EMB_NAME_PREVIOUS && t_has_name(e, name, EMB_NAME_ALIAS)))
            found++;
        else
            cr_log_error("ALT row %zu: %s '%s' missing", rows, id, name);
    }
    emb__csv_free(&csv);
    emb__input_close(in);
    cr_assert_eq(found, rows);
    return found;
}

/* ------------------------------------------------------------ the remarks parser */

typedef struct {
    const char *remarks;
    emb_prop prop;
    const char *value;
    const char *qualifier; /* substring that must be in the qualifier; NULL: not checked */
} remark_case;

/* Real remark pieces from SDN.CSV (2021-07 and 2024-05) and CONS_PRIM.CSV (2025-12). */
static const remark_case cases[] = {
    {"DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215; "
     "Operational and Military Leader of JIHAD GROUP.",
     EMB_PROP_PASSPORT_NUMBER, "1084010", "Passport (Egypt)"},
    {"DOB 19 Jun 1951; POB Giza, Egypt.", EMB_PROP_BIRTH_DATE, "1951-06-19", NULL},
    {"DOB 19 Jun 1951; POB Giza, Egypt.", EMB_PROP_BIRTH_PLACE, "Giza, Egypt", NULL},
    {"DOB 19 Jun 1951; POB Giza, Egypt.", EMB_PROP_BIRTH_COUNTRY, "eg", NULL},
    {"alt. Passport 19820215.", EMB_PROP_PASSPORT_NUMBER, "19820215", "Passport"},
    {"DOB circa 1951; POB Moscow, Russia.", EMB_PROP_BIRTH_DATE, "1951", NULL},
    {"DOB Dec 1948.", EMB_PROP_BIRTH_DATE, "1948-12", NULL},
    {"DOB 1962; POB Shati.", EMB_PROP_BIRTH_DATE, "1962", NULL},
    {"DOB 1948 to 1950.", EMB_PROP_BIRTH_DATE, "1949", NULL},
    {"nationality Iran; Gender Male.", EMB_PROP_NATIONALITY, "ir", NULL},
    {"nationality Iran; Gender Male.", EMB_PROP_GENDER, "male", NULL},
    {"citizen Mexico.", EMB_PROP_CITIZENSHIP, "mx", NULL},
    {"nationality Korea, North.", EMB_PROP_NATIONALITY, "kp", NULL},
    {"Cedula No. 7548733 (Colombia); alt. Cedula No. 172489729-1 (Ecuador).",
     EMB_PROP_ID_NUMBER, "172489729-1", "Cedula No. (Ecuador)"},
    {"R.F.C. CIVJ650513LJA (Mexico); C.U.R.P. CIVJ650513HNEFLR06 (Mexico).", EMB_PROP_TAX_NUMBER,
     "CIVJ650513LJA", "R.F.C. (Mexico)"},
    {"C.U.R.P. CIVJ650513HNEFLR06 (Mexico).", EMB_PROP_ID_NUMBER, "CIVJ650513HNEFLR06",
     "C.U.R.P."},
    {"NIT # 800018928-0 (Colombia).", EMB_PROP_TAX_NUMBER, "800018928-0", "NIT # (Colombia)"},
    {"RUC # 20108363101 (Peru)", EMB_PROP_TAX_NUMBER, "20108363101", "Peru"},
    {"D.N.I. 78.865.882 (Spain)", EMB_PROP_ID_NUMBER, "78.865.882", "D.N.I. (Spain)"},
    {"National ID No. 216040 (Yemen)", EMB_PROP_ID_NUMBER, "216040", "National ID No. (Yemen)"},
    {"Tax ID No. 100036386 (Serbia)", EMB_PROP_TAX_NUMBER, "100036386", "Tax ID No. (Serbia)"},
    {"Registration Number 26740 (Iran)", EMB_PROP_REGISTRATION_NUMBER, "26740", "(Iran)"},
    {"Registration ID 14063277.", EMB_PROP_REGISTRATION_NUMBER, "14063277", "Registration ID"},
    {"Business Registration Number 1037739709138 (Russia).", EMB_PROP_REGISTRATION_NUMBER,
     "1037739709138", "Business Registration Number (Russia)"},
    {"Company Number 01074897 (United Kingdom).", EMB_PROP_REGISTRATION_NUMBER, "01074897",
     "Company Number (United Kingdom)"},
    {"Unified Social Credit Code (USCC) 9113100033607322XK (China)",
     EMB_PROP_REGISTRATION_NUMBER, "9113100033607322XK", "USCC"},
    {"Folio Mercantil No. 343997 (Mexico) issued 14 Dec 2005.", EMB_PROP_REGISTRATION_NUMBER,
     "343997", "(Mexico) issued 14 Dec 2005"},
    {"Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)", EMB_PROP_LEI_CODE,
     "253400V1H6ART1UQ0N98", "Russia"},
    {"SWIFT/BIC AGSZRU31", EMB_PROP_SWIFT_BIC, "AGSZRU31", NULL},
    {"Vessel Registration Identification IMO 9187629; MMSI 572469210.", EMB_PROP_IMO_NUMBER,
     "9187629", NULL},
    {"Vessel Registration Identification IMO 9187629; MMSI 572469210.", EMB_PROP_MMSI,
     "572469210", NULL},
    {"Identification Number IMO 5342883.", EMB_PROP_IMO_NUMBER, "5342883", NULL},
    {"Identification Number 2.194.575 (Paraguay)", EMB_PROP_ID_NUMBER, "2.194.575", "Paraguay"},
    {"Passport Booklet: A5199819 (Pakistan)", EMB_PROP_PASSPORT_NUMBER, "A5199819",
     "Passport Booklet (Pakistan)"},
    {"Website http://nitcshipping.com", EMB_PROP_WEBSITE, "http://nitcshipping.com", NULL},
    {"Email Address 417136259@qq.com; Gender Male", EMB_PROP_EMAIL, "417136259@qq.com", NULL},
    {"Phone Number 8613621583465", EMB_PROP_PHONE, "8613621583465", NULL},
    {"Alt. Fax: 9221227700019", EMB_PROP_PHONE, "9221227700019", "Fax"},
    {"Digital Currency Address - XBT 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak; alt. Digital Currency "
     "Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c.",
     EMB_PROP_CRYPTO_WALLET, "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c", "ETH"},
    {"Digital Currency Address - XBT 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak", EMB_PROP_CRYPTO_WALLET,
     "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak", "XBT"},
    {"Organization Established Date 1969.", EMB_PROP_INCORPORATION_DATE, "1969", NULL},
    {"Vessel Year of Build 1999", EMB_PROP_BUILD_DATE, "1999", NULL},
    {"Aircraft Manufacture Date 1992", EMB_PROP_BUILD_DATE, "1992", NULL},
    {"Aircraft Tail Number EP-MMH", EMB_PROP_REGISTRATION_NUMBER, "EP-MMH", "Aircraft Tail"},
    {"Aircraft Manufacturer's Serial Number (MSN) 1023409321", EMB_PROP_ID_NUMBER, "1023409321",
     "MSN"},
    {"Aircraft Model IL76-TD", EMB_PROP_VESSEL_TYPE, "IL76-TD", "Aircraft Model"},
    {"Listing Date (EO 14024 Directive 2): 24 Feb 2022", EMB_PROP_LISTING_DATE, "2022-02-24",
     NULL},
    {"Organization Type: Activities of holding companies", EMB_PROP_SECTOR,
     "Activities of holding companies", NULL},
    {"Linked To: NATIONAL IRANIAN TANKER COMPANY.", EMB_PROP_NOTES,
     "NATIONAL IRANIAN TANKER COMPANY", "Linked To"},
    {"Additional Sanctions Information - Subject to Secondary Sanctions",
     EMB_PROP_NOTES, "Additional Sanctions Information - Subject to Secondary Sanctions",
     "Additional Sanctions Information"},
    {"Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
     EMB_PROP_NOTES,
     "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
     "Secondary sanctions risk"},
    {"Former Vessel Flag Tanzania", EMB_PROP_NOTES, "Former Vessel Flag Tanzania",
     "Former Vessel Flag"},
    {"Target Type Financial Institution", EMB_PROP_NOTES, "Target Type Financial Institution",
     "Target Type"},
    /* unknown key: kept whole, qualifier empty */
    {"Scientific Studies and Research Center Employee.", EMB_PROP_NOTES,
     "Scientific Studies and Research Center Employee", ""},
    /* a piece with ';' inside parentheses stays one piece */
    {"DOB 1970; (Following data derived from a passport; issued 2001); Gender Female.",
     EMB_PROP_NOTES, "(Following data derived from a passport; issued 2001)", ""},
    {"DOB 1970; (Following data derived from a passport; issued 2001); Gender Female.",
     EMB_PROP_GENDER, "female", NULL},
    /* not a country we know: kept as unresolved */
    {"nationality Atlantis.", EMB_PROP_UNRESOLVED, "Atlantis", "nationality"},
};

static emb__eb run_remarks(const char *text)
{
    emb__eb eb;
    emb_error err;
    emb__eb_init(&eb);
    cr_assert_eq(emb__eb_begin(&eb, EMB_STR("t"), EMB_STR("1"), 1, &err), EMB_OK);
    emb_status rc = emb__ofac_remarks(&eb, emb__str_cstr(text), &err);
    cr_assert_eq(rc, EMB_OK, "%s: %s", text, err.msg);
    return eb;
}

Test(ofac_remarks, table_of_real_remarks)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const remark_case *rc = &cases[i];
        emb__eb eb = run_remarks(rc->remarks);
        int ok = 0;
        for (size_t k = 0; k < eb.n_values && !ok; k++) {
            const emb_value *v = &eb.values[k];
            if (v->prop != rc->prop || !emb__str_eq(v->value, emb__str_cstr(rc->value)))
                continue;
            ok = rc->qualifier == NULL ||
                 (rc->qualifier[0] == '\0' ? v->qualifier.len == 0
                                           : emb__str_ifind(v->qualifier, rc->qualifier) >= 0);
        }
        if (!ok) {
            for (size_t k = 0; k < eb.n_values; k++)
                cr_log_error("  got %s = %.*s {%.*s}", emb_prop_name(eb.values[k].prop),
                             (int)eb.values[k].value.len, eb.values[k].value.ptr,
                             (int)eb.values[k].qualifier.len, eb.values[k].qualifier.ptr);
        }
        emb__eb_free(&eb);
        cr_assert(ok, "case %zu '%s': expected %s = %s", i, rc->remarks,
                  emb_prop_name(rc->prop), rc->value);
    }
}

static int eb_has_name(const emb__eb *eb, const char *value, emb_name_kind kind)
{
    for (size_t i = 0; i < eb->n_names; i++) {
        if (eb->names[i].kind == kind && emb__str_eq(eb->names[i].value, emb__str_cstr(value)))
            return 1;
    }
    return 0;
}

Test(ofac_remarks, names_with_quality)
{
    emb__eb eb = run_remarks("DOB 12 Jul 1986; a.k.a. 'tianyinyin0404'; a.k.a. \"ABU X\"; "
                             "f.k.a. 'ANA I'; n.k.a. 'NEW CO'; a.k.a. 'snowsjo");
    cr_assert(eb_has_name(&eb, "tianyinyin0404", EMB_NAME_WEAK_ALIAS));
    cr_assert(eb_has_name(&eb, "ABU X", EMB_NAME_ALIAS));
    cr_assert(eb_has_name(&eb, "ANA I", EMB_NAME_PREVIOUS));
    cr_assert(eb_has_name(&eb, "NEW CO", EMB_NAME_WEAK_ALIAS));
    /* cut short at OFAC's 1000-byte limit: the partial name is still kept */
    cr_assert(eb_has_name(&eb, "snowsjo", EMB_NAME_WEAK_ALIAS));
    cr_assert_eq(eb.n_names, 5);
    emb__eb_free(&eb);
}

Test(ofac_remarks, apostrophes_inside_single_quotes)
{
    emb__eb eb = run_remarks("a.k.a. 'AL-QA'IDA'.");
    cr_assert(eb_has_name(&eb, "AL-QA'IDA", EMB_NAME_WEAK_ALIAS));
    emb__eb_free(&eb);
}

Test(ofac_remarks, blank_and_unclosed_groups)
{
    emb__eb eb = run_remarks("-0- ");
    cr_assert_eq(eb.n_values + eb.n_names, 0);
    emb__eb_free(&eb);
    /* an unclosed '(' must not swallow the pieces after it */
    eb = run_remarks("Passport 123 (Egypt; DOB 1970; Gender Male");
    cr_assert_eq(eb.n_values, 3);
    emb__eb_free(&eb);
}

/* ------------------------------------------------------------ real files */

Test(ofac_csv, legacy_set_2021)
{
    const char *dir = test_data("ofac/legacy_csv_2021-07");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(dir, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_OFAC_CSV);
    cr_assert_str_eq(info.dataset, "us_ofac_sdn");
    cr_assert_eq(info.entities, 8976);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 4620);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 3673);
    cr_assert_eq(info.schemas[EMB_SCHEMA_VESSEL], 406);
    cr_assert_eq(info.schemas[EMB_SCHEMA_AIRPLANE], 277);
    cr_assert_eq(info.skipped, 0);
    /* all 11,910 ALT rows are on their entity (2 exact duplicate rows and 4 equal to the
     * primary name merge into one name each, so 11,904 ALT names are delivered) */
    cr_assert_eq(check_alt_rows(&c, test_data("ofac/legacy_csv_2021-07/alt.csv")), 11910);
    cr_assert_eq(count_kind(&c, EMB_NAME_ALIAS) + count_kind(&c, EMB_NAME_PREVIOUS), 11904 + 24);
    /* the weak a.k.a.s exist only in the remarks, in single quotes */
    cr_assert_eq(count_kind(&c, EMB_NAME_WEAK_ALIAS), 2417);
    /* 13,837 ADD rows: 2,397 have no address, city or country at all */
    cr_assert_eq(count_prop(&c, EMB_PROP_ADDRESS), 13837 - 2397);

    const t_entity *e = t_find(&c, "2676");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "AL ZAWAHIRI, Dr. Ayman");
    cr_assert_str_eq(e->id, "us_ofac_sdn-2676");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert(t_has_name(e, "AL-ZAWAHIRI, Ayman", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "SALIM, Ahmad Fuad", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1951-06-19"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Giza, Egypt"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "SDGT"));
    cr_assert(t_has_value(e, EMB_PROP_TITLE, "Operational and Military Leader of JIHAD GROUP"));
    const char *q = t_qualifier_of(e, EMB_PROP_PASSPORT_NUMBER, "1084010");
    cr_assert_not_null(q);
    cr_assert_not_null(strstr(q, "Egypt"));
    cr_assert(t_has_value(e, EMB_PROP_PASSPORT_NUMBER, "19820215"));

    /* a vessel: type, flag, call sign, IMO from remarks, former name from ALT fka */
    e = t_find(&c, "4243");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(e->caption, "SAND SWAN");
    cr_assert(t_has_name(e, "ANA I", EMB_NAME_PREVIOUS));
    cr_assert(t_has_value(e, EMB_PROP_VESSEL_TYPE, "General Cargo"));
    cr_assert(t_has_value(e, EMB_PROP_CALL_SIGN, "P3QG3"));
    cr_assert(t_has_value(e, EMB_PROP_FLAG, "cy"));

    /* remarks continued in SDN_COMMENTS.CSV: the alias cut at byte 1000 is whole again */
    e = t_find(&c, "28263");
    cr_assert_not_null(e);
    cr_assert(t_has_name(e, "snowsjohn", EMB_NAME_WEAK_ALIAS));
    cr_assert(!t_has_name(e, "snowsjo", -1));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "DPRK3"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "CYBER2"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "cn"));
    cr_assert(t_has_value(e, EMB_PROP_CRYPTO_WALLET, "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak"));
    cr_assert(t_has_value(e, EMB_PROP_NOTES, "LAZARUS GROUP"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Nanjing, Jiangsu, China"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "cn"));
    /* the a.k.a.s OFAC put only into the comment overflow */
    e = t_find(&c, "28264");
    cr_assert(t_has_name(e, "blackjack1987", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(e, "khaleesi", EMB_NAME_WEAK_ALIAS));

    /* one with several a.k.a.s from ALT and an address from ADD */
    e = t_find(&c, "306");
    cr_assert_not_null(e);
    cr_assert(t_has_name(e, "NATIONAL BANK OF CUBA", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Zweierstrasse 35, Zurich CH-8022, Switzerland"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ch"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "es"));
    t_collect_free(&c);
}

Test(ofac_csv, sdn_2024_alone)
{
    const char *path = test_data("ofac/sdn_2024-05-03.csv");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.entities, 14965);
    cr_assert_str_eq(info.dataset, "us_ofac_sdn");
    cr_assert_eq(info.schemas[EMB_SCHEMA_VESSEL], 851);
    cr_assert_eq(info.schemas[EMB_SCHEMA_AIRPLANE], 376);
    /* no siblings: primary names and the weak a.k.a.s of the remarks only */
    cr_assert_eq(count_kind(&c, EMB_NAME_PRIMARY), 14965);
    cr_assert_eq(count_kind(&c, EMB_NAME_ALIAS), 0);
    cr_assert_eq(count_prop(&c, EMB_PROP_ADDRESS), 0);
    const t_entity *e = t_find(&c, "2676");
    cr_assert_not_null(e);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1951-06-19"));
    /* an IMO-numbered vessel */
    e = t_find(&c, "15036");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_VESSEL);
    cr_assert_gt(t_count_values(e, EMB_PROP_IMO_NUMBER), 0);
    t_collect_free(&c);
}

Test(ofac_csv, consolidated_set_2025)
{
    const char *dir = test_data("ofac/cons_csv_2025-12");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(dir, NULL, &c);
    cr_assert_eq(info.entities, 442);
    cr_assert_str_eq(info.dataset, "us_ofac_cons");
    cr_assert_str_eq(c.items[0].dataset, "us_ofac_cons");
    cr_assert_eq(check_alt_rows(&c, test_data("ofac/cons_csv_2025-12/cons_alt.csv")), 1073);
    /* 574 ADD rows: 52 carry no address, city or country */
    cr_assert_eq(count_prop(&c, EMB_PROP_ADDRESS), 574 - 52);
    const t_entity *e = t_find(&c, "9639");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "HANIYA, Ismail Abdul Salah");
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "NS-PLC"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1962"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Shati"));
    t_collect_free(&c);
}

Test(ofac_csv, dataset_override_wins)
{
    const char *dir = test_data("ofac/cons_csv_2025-12");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(dir, "my_cons", &c);
    cr_assert_str_eq(info.dataset, "my_cons");
    t_collect_free(&c);
}

Test(ofac_csv, folder_without_primary)
{
    const char *dir = test_data("ofac/legacy_csv_2025-12_partial");
    emb_error err;
    emb_status rc = emb_parse_file(dir, NULL, NULL, NULL, NULL, &err);
    cr_assert_eq(rc, EMB_ENOTFOUND);
}

/* ------------------------------------------------------------ sibling fixtures */

Test(ofac_csv, orphan_sibling_rows_fail)
{
    emb_error err;
    t_collect c = {0};
    emb_status rc = emb_parse_file(test_fixture("ofac_csv/orphan"), NULL, t_collect_fn, &c, NULL,
                                   &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "99");
    cr_assert_eq(err.line, 3);
    cr_assert_not_null(strstr(err.source, "ALT.CSV"), "%s", err.source);
    cr_assert_not_null(strstr(err.msg, "2 row(s)"), "%s", err.msg);
    t_collect_free(&c);
}

Test(ofac_csv, orphan_sibling_rows_skipped)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.skip_bad = 1;
    opts.on_skip = t_skip_fn;
    t_collect c = {0};
    opts.skip_ud = &c;
    emb_source_info info;
    emb_error err;
    emb_status rc = emb_parse_file(test_fixture("ofac_csv/orphan"), &opts, t_collect_fn, &c,
                                   &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(info.entities, 2);
    cr_assert_eq(info.skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "99");
    /* siblings found case-insensitively: ALT.CSV, Add.csv */
    const t_entity *e = t_find(&c, "10");
    cr_assert(t_has_name(e, "ALPHA, Anna", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "ANNIE", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "SDGT"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "IRGC"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970-02-01"));
    e = t_find(&c, "20");
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_name(e, "BETA OLD LLC", EMB_NAME_PREVIOUS));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "1 Main St, Dubai, United Arab Emirates"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ae"));
    t_collect_free(&c);
}

Test(ofac_csv, bad_alt_type)
{
    emb_error err;
    emb_status rc = emb_parse_file(test_fixture("ofac_csv/badalt"), NULL, NULL, NULL, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_eq(err.line, 1);
    cr_assert_str_eq(err.record_id, "10");
    cr_assert_not_null(strstr(err.source, "alt.csv"));
    cr_assert_not_null(strstr(err.msg, "alt_type"));
}

/* ------------------------------------------------------------ bad primary input */

#define ROW(id, name, type) id ",\"" name "\"," type ",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

static void expect_bad(const char *text, emb_status code, uint64_t line, const char *id)
{
    t_collect c = {0};
    emb_error err;
    emb_status rc = t_parse_text(text, EMB_FORMAT_OFAC_CSV, 0, &c, &err);
    cr_assert_eq(rc, code, "got %d: %s", rc, err.msg);
    cr_assert_eq(err.line, line, "line %llu: %s", (unsigned long long)err.line, err.msg);
    if (id != NULL)
        cr_assert_str_eq(err.record_id, id);
    cr_assert_str_eq(err.source, "test-input");
    t_collect_free(&c);
}

Test(ofac_csv, bad_primary_records)
{
    /* wrong column count */
    expect_bad(ROW("1", "A", "\"individual\"") "2,\"B\",\"individual\"\r\n", EMB_EPARSE, 2, "2");
    /* ent_num not a number */
    expect_bad(ROW("1", "A", "-0- ") ROW("X7", "B", "-0- "), EMB_EPARSE, 2, "X7");
    /* duplicate ent_num */
    expect_bad(ROW("1", "A", "-0- ") ROW("1", "B", "-0- "), EMB_EPARSE, 2, "1");
    /* no name */
    expect_bad(ROW("1", "A", "-0- ") ROW("2", "-0- ", "-0- "), EMB_EPARSE, 2, "2");
    /* unknown SDN_Type */
    expect_bad(ROW("1", "A", "\"spaceship\""), EMB_EPARSE, 1, "1");
    /* invalid UTF-8 */
    expect_bad(ROW("1", "A", "-0- ") ROW("2", "B\xff", "-0- "), EMB_EUTF8, 2, NULL);
    /* truncated: an unterminated quote */
    expect_bad(ROW("1", "A", "-0- ") "2,\"B,\"individual", EMB_EPARSE, 2, NULL);
}

Test(ofac_csv, skip_bad_goes_on)
{
    t_collect c = {0};
    emb_error err;
    const char *text = ROW("1", "A", "-0- ") ROW("X7", "B", "-0- ") ROW("3", "C", "\"vessel\"")
        "\x1a";
    emb_status rc = t_parse_text(text, EMB_FORMAT_OFAC_CSV, 1, &c, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "X7");
    cr_assert_eq(c.last_skip.line, 2);
    cr_assert_eq(c.items[1].schema, EMB_SCHEMA_VESSEL);
    t_collect_free(&c);
}

Test(ofac_csv, sniffed_from_content)
{
    t_collect c = {0};
    emb_error err;
    emb_status rc = t_parse_text(ROW("7", "GAMMA, G", "\"individual\""), EMB_FORMAT_UNKNOWN, 0,
                                 &c, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    cr_assert_str_eq(c.items[0].id, "us_ofac_sdn-7");
    cr_assert_str_eq(c.items[0].caption, "GAMMA, G");
    t_collect_free(&c);
}

Test(ofac_csv, empty_primary)
{
    t_collect c = {0};
    emb_error err;
    emb_status rc = t_parse_text("\x1a", EMB_FORMAT_OFAC_CSV, 0, &c, &err);
    cr_assert_eq(rc, EMB_EFORMAT);
    t_collect_free(&c);
}
