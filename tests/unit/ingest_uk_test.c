/*
 * UK lists: the FCDO UK Sanctions List XML and the older OFSI ConList.csv. Real files with
 * their counts, real records field by field, and bad input (the carve's synthetic record
 * without UniqueID, truncation, invalid UTF-8, rows without Group ID, incomplete headers).
 */
#include "test_util.h"

#define UK_XML "uk/samples/uk_sanctions_list_xml_carve_2026-08-14.xml"
#define UK_CSV "uk/samples/ofsi_conlist_sample_2020-04-27.csv"

/* ------------------------------------------------------------ helpers */

static emb_status parse_path(const char *path, int skip_bad, t_collect *c, emb_source_info *info,
                             emb_error *err)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.skip_bad = skip_bad;
    opts.on_skip = t_skip_fn;
    opts.skip_ud = c;
    return emb_parse_file(path, &opts, t_collect_fn, c, info, err);
}

#define parse_mem(text, len, fmt, skip, c, info, err)                                             \
    t_parse_mem(text, len, "test-input", fmt, skip, NULL, c, info, err)

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* ------------------------------------------------------------ UK Sanctions List XML: real */

Test(uk_xml, carve_fails_on_the_synthetic_record_without_skip_bad)
{
    const char *path = test_data(UK_XML);
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_path(path, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert(strstr(err.msg, "UniqueID") != NULL, "message: %s", err.msg);
    cr_assert(strstr(err.source, "uk_sanctions_list_xml_carve") != NULL);
    /* the synthetic <Designation> opens on line 353 of the carve */
    cr_assert_eq(err.line, 353);
    cr_assert_eq(c.n, 4, "the four real records come before it");
    t_collect_free(&c);
}

Test(uk_xml, carve_counts_with_skip_bad)
{
    const char *path = test_data(UK_XML);
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    emb_status rc = parse_path(path, 1, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(info.format, EMB_FORMAT_UK_XML);
    cr_assert_str_eq(info.dataset, "gb_fcdo_sanctions");
    cr_assert_str_eq(info.published, "2026-08-14");
    cr_assert_eq(info.entities, 4);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_eq(c.last_skip.line, 353);
    cr_assert_eq(c.last_skip.code, EMB_EPARSE);
    /* 4 + 5 + 4 + 4: every Name and NonLatinName, none collapsing */
    cr_assert_eq(info.names, 17);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 2);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 1);
    cr_assert_eq(info.schemas[EMB_SCHEMA_VESSEL], 1);
    cr_assert_null(t_find(&c, ""));
    t_collect_free(&c);
}

Test(uk_xml, afg0011_field_by_field)
{
    const char *path = test_data(UK_XML);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_path(path, 1, &c, NULL, &err), EMB_OK);
    const t_entity *e = t_find(&c, "AFG0011");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "gb_fcdo_sanctions-AFG0011");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "ABDUL LATIF MANSUR");
    cr_assert(t_has_name(e, "ABDUL LATIF MANSUR", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(e, "Abdul Latif MANSOOR", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Wali MOHAMMAD", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "عبد اللطيف منصور", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert_eq(e->n_names, 4);
    /* dd/mm/1968 is a year; 12/11/1967 is published twice */
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1968"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1967-11-12"));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 2);
    cr_assert(t_has_value(e, EMB_PROP_PASSPORT_NUMBER, "D0009720"));
    cr_assert(t_has_value(e, EMB_PROP_PASSPORT_NUMBER, "D0010442"));
    cr_assert_eq(t_count_values(e, EMB_PROP_PASSPORT_NUMBER), 2);
    const char *q = t_qualifier_of(e, EMB_PROP_PASSPORT_NUMBER, "D0009720");
    cr_assert(q != NULL && strstr(q, "Afghanistan diplomatic passport number D0009720") == q);
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "7270"), "OFSI Group ID");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "TAi.007"), "UN Reference Number");
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "af"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Zurmat District, Paktia Province"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Garda Saray District, Paktia Province"));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_COUNTRY), 1);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "af"));
    cr_assert(t_has_value(e, EMB_PROP_TITLE, "Maulavi"));
    cr_assert(t_has_value(e, EMB_PROP_POSITION,
                          "Minister of Agriculture under the previous Taliban regime (1996-2001)"));
    cr_assert(
        t_has_value(e, EMB_PROP_PROGRAM, "The Afghanistan (Sanctions) (EU Exit) Regulations 2020"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2001-01-31"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Darul Aman, Kabul, Afghanistan"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "af"));
    cr_assert(t_has_value(e, EMB_PROP_NOTES, "Asset freeze|Travel Ban"));
    /* the statement of reasons is blank: no empty reason */
    cr_assert_eq(t_count_values(e, EMB_PROP_REASON), 0);
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 0);
    t_collect_free(&c);
}

Test(uk_xml, aqd0128_lowercase_primary_and_weak_aliases)
{
    const char *path = test_data(UK_XML);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_path(path, 1, &c, NULL, &err), EMB_OK);
    const t_entity *e = t_find(&c, "AQD0128");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "AKRAM TURKI HISHAN AL-MAZIDIH");
    cr_assert(t_has_name(e, "AKRAM TURKI HISHAN AL-MAZIDIH", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(e, "Abu Akram", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(e, "Abu Jarrah", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(e, "Akram Turki Al-Hishan", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "أكرم تركي هاشم المزيده", EMB_NAME_ORIGINAL_SCRIPT));
    const char *dobs[] = {"1974", "1975", "1979", "1958-09", "1985"};
    for (size_t i = 0; i < 5; i++)
        cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, dobs[i]), "%s", dobs[i]);
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 5);
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "0075258"), "Ration card no.");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "QDi.276"), "UN Reference Number");
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "iq"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "sy"));
    /* Iraq alone is a country, not an address line */
    cr_assert_eq(t_count_values(e, EMB_PROP_ADDRESS), 1);
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Deir ez-Zor Governorate, Syria"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2010-03-11"));
    t_collect_free(&c);
}

Test(uk_xml, aqd0377_entity_and_dpr0075_ship)
{
    const char *path = test_data(UK_XML);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_path(path, 1, &c, NULL, &err), EMB_OK);
    const t_entity *e = t_find(&c, "AQD0377");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(e->caption, "Khatiba al-Tawhid wal-Jihad (KTJ)");
    cr_assert(t_has_name(e, "Jama'at al-Tawhid wal-Jihad", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Jannat Oshiklari", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Катиба ат-Таухид валь-Джихад", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_value(e, EMB_PROP_LEGAL_FORM, "Terrorist Group"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "14211"), "OFSI Group ID");
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2022-03-07"));

    e = t_find(&c, "DPR0075");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(e->caption, "Petrel 8");
    cr_assert(t_has_name(e, "Jal Vahini", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Jal_Vahini", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Tian Tai 36", EMB_NAME_ALIAS));
    cr_assert_eq(e->n_names, 4);
    cr_assert(t_has_value(e, EMB_PROP_IMO_NUMBER, "IMO9562233"));
    cr_assert(t_has_value(e, EMB_PROP_FLAG, "km"));
    cr_assert(t_has_value(e, EMB_PROP_VESSEL_TYPE, "Bulk Carrier"));
    cr_assert(t_has_value(e, EMB_PROP_BUILD_DATE, "2011"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_NOTES, "Global United Shipping India"),
                     "Current owner/operator");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_NOTES, "India"), "Previous flag");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_NOTES, "7078"), "Tonnage");
    /* no OFSIGroupID and no UNReferenceNumber in this record */
    cr_assert_eq(t_count_values(e, EMB_PROP_ID_NUMBER), 0);
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2017-10-03"));
    t_collect_free(&c);
}

/* ------------------------------------------------------------ UK Sanctions List XML: inline */

#define XML_HEAD                                                                                   \
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Designations>\n"                                 \
    "<DateGenerated>01/02/2026</DateGenerated>\n"

Test(uk_xml, entity_and_ship_details)
{
    const char *text = XML_HEAD
        "<Designation><UniqueID>CYB0114</UniqueID>\n"
        "<Names><Name><Name6>Sichuan Anxun Information Technology Co., Ltd.</Name6>"
        "<NameType>primary name</NameType></Name>\n"
        "<Name><Name6>i-Soon</Name6><NameType>alias</NameType>"
        "<AliasStrength>weak</AliasStrength></Name></Names>\n"
        "<NonLatinNames><NonLatinName><NameNonLatinScript>四川安洵信息技术有限公司"
        "</NameNonLatinScript><NonLatinScriptType>Chinese</NonLatinScriptType>"
        "<NonLatinScriptLanguage>Chinese</NonLatinScriptLanguage></NonLatinName></NonLatinNames>\n"
        "<RegimeName>The Cyber (Sanctions) (EU Exit) Regulations 2020</RegimeName>\n"
        "<IndividualEntityShip>Entity</IndividualEntityShip>\n"
        "<Addresses><Address><AddressLine1>No. 1</AddressLine1><AddressLine6>Chengdu"
        "</AddressLine6><AddressPostalCode>610000</AddressPostalCode>"
        "<AddressCountry>China</AddressCountry></Address></Addresses>\n"
        "<EntityDetails><Entity>"
        "<BusinessRegistrationNumbers><BusinessRegistrationNumber>91510100MA61RBYP4W"
        "</BusinessRegistrationNumber></BusinessRegistrationNumbers>"
        "<PhoneNumbers><PhoneNumber>+86 28 0000</PhoneNumber></PhoneNumbers>"
        "<EmailAddresses><EmailAddress>a@i-soon.net; b@i-soon.net</EmailAddress></EmailAddresses>"
        "<Websites><Website>www.i-soon.net</Website></Websites>"
        "<Parents><Parent>Parent Co</Parent></Parents>"
        "</Entity></EntityDetails>\n"
        "</Designation>\n"
        "<Designation><DateDesignated>dd/mm/2020</DateDesignated><UniqueID>RUS9999</UniqueID>"
        "<Names><Name><Name6>SEA SHIP</Name6><NameType>Primary Name</NameType></Name></Names>"
        "<IndividualEntityShip>Ship</IndividualEntityShip>"
        "<ShipDetails><Ship><IMONumbers><IMONumber>9123456</IMONumber></IMONumbers>"
        "<CallSigns><CallSign>9HA1234</CallSign></CallSigns>"
        "<HullIdentificationNumbers><HullIdentificationNumber>HIN-1</HullIdentificationNumber>"
        "</HullIdentificationNumbers><Flags><Flag>Panama</Flag></Flags>"
        "</Ship></ShipDetails></Designation>\n"
        "<Designation><UniqueID>GLO0001</UniqueID><Names><Name><Name1>Ivan</Name1>"
        "<Name3>Petrovich</Name3><Name6>IVANOV</Name6><NameType>Primary Name</NameType></Name>"
        "</Names><IndividualEntityShip>Individual</IndividualEntityShip><IndividualDetails>"
        "<Individual><Genders><Gender>Male</Gender></Genders><DOBs><DOB>00/00/1970</DOB>"
        "<DOB>circa 19xx</DOB></DOBs><Nationalities><Nationality>Atlantis</Nationality>"
        "</Nationalities></Individual></IndividualDetails></Designation>\n"
        "</Designations>\n";
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_XML, 0, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s (line %llu)", err.msg, (unsigned long long)err.line);
    cr_assert_str_eq(info.published, "2026-02-01");
    cr_assert_eq(c.n, 3);
    const t_entity *e = t_find(&c, "CYB0114");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(e->caption, "Sichuan Anxun Information Technology Co., Ltd.");
    cr_assert(t_has_name(e, "i-Soon", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(e, "四川安洵信息技术有限公司", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_value(e, EMB_PROP_REGISTRATION_NUMBER, "91510100MA61RBYP4W"));
    cr_assert(t_has_value(e, EMB_PROP_PHONE, "+86 28 0000"));
    cr_assert(t_has_value(e, EMB_PROP_EMAIL, "a@i-soon.net"));
    cr_assert(t_has_value(e, EMB_PROP_EMAIL, "b@i-soon.net"));
    cr_assert(t_has_value(e, EMB_PROP_WEBSITE, "www.i-soon.net"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "No. 1, Chengdu, 610000, China"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "cn"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_NOTES, "Parent Co"), "Parent");

    e = t_find(&c, "RUS9999");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_VESSEL);
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2020"));
    cr_assert(t_has_value(e, EMB_PROP_CALL_SIGN, "9HA1234"));
    cr_assert(t_has_value(e, EMB_PROP_FLAG, "pa"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "HIN-1"), "Hull identification number");

    e = t_find(&c, "GLO0001");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Ivan Petrovich IVANOV");
    cr_assert(t_has_value(e, EMB_PROP_GENDER, "male"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970"));
    /* unreadable values are kept, as published */
    cr_assert(t_has_value(e, EMB_PROP_UNRESOLVED, "circa 19xx"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_UNRESOLVED, "Atlantis"), "nationality");
    t_collect_free(&c);
}

Test(uk_xml, truncated_file_fails_even_with_skip_bad)
{
    const char *path = test_data(UK_XML);
    size_t len = 0;
    char *text = read_all(path, &len);
    /* cut inside AQD0128's Names */
    char *cut = strstr(text, "<Name1>Abu</Name1>");
    cr_assert_not_null(cut);
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, (size_t)(cut - text) + 8, EMB_FORMAT_UK_XML, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE, "%s", err.msg);
    cr_assert_gt(err.line, 130);
    cr_assert_str_eq(err.source, "test-input");
    cr_assert_eq(c.n_skipped, 0);
    free(text);
    t_collect_free(&c);
}

Test(uk_xml, invalid_utf8_fails_with_line)
{
    const char *text = XML_HEAD
        "<Designation><UniqueID>X1</UniqueID><Names><Name><Name6>ok</Name6></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation>\n"
        "<Designation><UniqueID>X2</UniqueID>\n<Names><Name><Name6>bad \xC3\x28 name</Name6>"
        "</Name></Names></Designation>\n</Designations>\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_XML, 1, &c, NULL, &err);
    cr_assert_neq(rc, EMB_OK);
    cr_assert(rc == EMB_EPARSE || rc == EMB_EUTF8, "rc %d", rc);
    cr_assert_eq(err.line, 6, "line %llu: %s", (unsigned long long)err.line, err.msg);
    t_collect_free(&c);
}

Test(uk_xml, bad_records_are_reported_and_skipped)
{
    const char *text = XML_HEAD
        "<Designation><UniqueID>A1</UniqueID><Names><Name><Name6>Good One</Name6>"
        "<NameType>Primary Name</NameType></Name></Names>"
        "<IndividualEntityShip>Individual</IndividualEntityShip></Designation>\n"
        "<Designation><UniqueID>A2</UniqueID><Names><Name><Name6>Odd Type</Name6></Name>"
        "</Names><IndividualEntityShip>Spaceship</IndividualEntityShip></Designation>\n"
        "<Designation><UniqueID>A3</UniqueID><IndividualEntityShip>Entity"
        "</IndividualEntityShip></Designation>\n"
        "<Designation/>\n"
        "<Designation><UniqueID>A5</UniqueID><Names><Name><Name6>Last</Name6></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation>\n"
        "</Designations>\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_XML, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "A2");
    cr_assert_eq(err.line, 5);
    cr_assert(strstr(err.msg, "Spaceship") != NULL, "%s", err.msg);
    t_collect_free(&c);

    memset(&c, 0, sizeof(c));
    rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_XML, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_not_null(t_find(&c, "A1"));
    cr_assert_not_null(t_find(&c, "A5"));
    cr_assert_str_eq(t_find(&c, "A5")->caption, "Last");
    /* A2 (unknown type), A3 (no name), the empty Designation (no UniqueID) */
    cr_assert_eq(c.n_skipped, 3);
    cr_assert_eq(c.last_skip.line, 7);
    t_collect_free(&c);
}

Test(uk_xml, wrong_root_and_empty_list)
{
    const char *other = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST></CONSOLIDATED_LIST>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_mem(other, strlen(other), EMB_FORMAT_UK_XML, 0, &c, NULL, &err),
                 EMB_EFORMAT);
    cr_assert(strstr(err.msg, "CONSOLIDATED_LIST") != NULL, "%s", err.msg);
    const char *empty = "<?xml version=\"1.0\"?>\n<Designations "
                        "dateGenerated=\"2026-08-14T23:00:04.744Z\"/>\n";
    emb_source_info info;
    cr_assert_eq(parse_mem(empty, strlen(empty), EMB_FORMAT_UK_XML, 0, &c, &info, &err), EMB_OK,
                 "%s", err.msg);
    cr_assert_eq(c.n, 0);
    cr_assert_str_eq(info.published, "2026-08-14");
    t_collect_free(&c);
}

/* ------------------------------------------------------------ OFSI ConList.csv: real */

Test(uk_ofsi_csv, sample_counts)
{
    const char *path = test_data(UK_CSV);
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_UK_OFSI_CSV);
    cr_assert_str_eq(info.dataset, "gb_hmt_sanctions");
    cr_assert_str_eq(info.published, "2020-04-27");
    /* 23 rows in 6 distinct Group IDs (9053, 13063, 13754, 11039, 13017, 9215). A row is one
     * name per date of birth, so 23 rows carry 10 distinct names: 6 Latin names, the
     * Sang Kuk / Sang-kuk variant, and 3 non-Latin forms. */
    cr_assert_eq(info.entities, 6);
    cr_assert_eq(c.n, 6);
    cr_assert_eq(info.names, 10);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 6);
    cr_assert_eq(info.skipped, 0);
    for (size_t i = 0; i < c.n; i++)
        cr_assert_eq(t_count_values(&c.items[i], EMB_PROP_UNRESOLVED), 0, "%s",
                     c.items[i].source_id);
    t_collect_free(&c);
}

Test(uk_ofsi_csv, hojati_field_by_field)
{
    const char *path = test_data(UK_CSV);
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "9053");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "gb_hmt_sanctions-9053");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "Mohsen HOJATI");
    cr_assert(t_has_name(e, "Mohsen HOJATI", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(e, "محسن حجتی", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert_eq(e->n_names, 2);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1955-09-28"));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 1);
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "IRi.018"), "UN Reference Number");
    cr_assert(t_has_value(e, EMB_PROP_POSITION, "Head of Fajr Industrial Group"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "Iran (nuclear proliferation)"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2007-03-24"));
    cr_assert(t_has_value(e, EMB_PROP_NOTES,
                          "UN Ref IRi.018. Passport no: G4506013, issued in Iran (Islamic "
                          "Republic of)"));
    t_collect_free(&c);
}

Test(uk_ofsi_csv, other_real_groups)
{
    const char *path = test_data(UK_CSV);
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    /* 14 rows: AKA "Sang Kuk" and Prime Alias "Sang-kuk", each with 7 birth years */
    const t_entity *e = t_find(&c, "11039");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Sang-kuk SO");
    cr_assert(t_has_name(e, "Sang Kuk SO", EMB_NAME_ALIAS));
    cr_assert_eq(e->n_names, 2);
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 7);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1932"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1938"));

    /* no Prime Alias row in this extract: the first name becomes the caption */
    e = t_find(&c, "13063");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Kateryna Yuriyivna HUBARIEVA");
    cr_assert_eq(t_count_kind(e, EMB_NAME_PRIMARY), 1);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1983-07-05"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1983"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1984-04"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Kakhovka, Kherson Oblast"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "ua"));

    e = t_find(&c, "13017");
    cr_assert_not_null(e);
    cr_assert(t_has_name(e, "Игорь Венедиктович ПЛОТНИЦКИЙ", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 3);

    e = t_find(&c, "9215");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Hafez Mohammad SAEED");
    cr_assert(t_has_name(e, "سعید حافظ محمد", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "pk"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "pk"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1950-06-05"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "QDi.263"), "UN Reference Number");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "AQD0183"), "UK Sanctions List Ref");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_ID_NUMBER, "3520025509842-7 (Pakistani)"),
                     "National identification number");
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS,
                          "House No 116E, Mohalla Johar, Lahore, Tehsil, Lahore City, Lahore "
                          "District, 123321, Pakistan (location as at May 2008)"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "pk"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "ISIL (Da'esh) and Al-Qaida"));
    t_collect_free(&c);
}

/* ------------------------------------------------------------ OFSI ConList.csv: inline */

#define CSV_HEAD                                                                                   \
    "Last Updated,01/03/2021\n"                                                                    \
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,"                       \
    "Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,"          \
    "Nationality,Passport Number,Passport Details,National Identification Number,NI Details,"      \
    "Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,"          \
    "Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"              \
    "UK Sanctions List Date Designated,Last Updated,Group ID\n"

Test(uk_ofsi_csv, enumerations_kinds_and_schemas)
{
    const char *text = CSV_HEAD
        /* Person with "(1) .. (2) .." cells and paired passport details */
        "DOE,John,,,,,(1) Dr (2) Mullah,,,,dd/mm/1970,,,(1) Afghan (2) Pakistani,"
        "(1) A123 (2) B456,(1) Afghan passport (2) Pakistani passport,,,,,,,,,,,,,"
        "Individual,Prime Alias,,Afghanistan,01/02/2001,31/12/2020,01/01/2021,100\n"
        "DOE,Johnny,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Primary name variation,,Afghanistan,"
        ",,,100\n"
        "DOE,Jo,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,AKA,Low,Afghanistan,,,,100\n"
        /* Entity and Ship */
        "ACME TRADING,,,,,,,,,,,,,,,,,,,1 Road,,,,,Tehran,,Iran,,Entity,Prime Alias,,Iran,"
        "01/01/2012,,,200\n"
        "SEA STAR,,,,,,,,,,,,,,,,,,,,,,,,,,,IMO 1234567,Ship,Prime Alias,,Iran,,,,300\n";
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_OFSI_CSV, 0, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s (line %llu)", err.msg, (unsigned long long)err.line);
    cr_assert_str_eq(info.published, "2021-03-01");
    cr_assert_eq(c.n, 3);
    const t_entity *e = t_find(&c, "100");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "John DOE");
    cr_assert(t_has_name(e, "Johnny DOE", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Jo DOE", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_TITLE, "Dr"));
    cr_assert(t_has_value(e, EMB_PROP_TITLE, "Mullah"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "af"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "pk"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970"));
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_PASSPORT_NUMBER, "A123"), "Afghan passport");
    cr_assert_str_eq(t_qualifier_of(e, EMB_PROP_PASSPORT_NUMBER, "B456"), "Pakistani passport");
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2001-02-01"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2020-12-31"));
    e = t_find(&c, "200");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "1 Road, Tehran, Iran"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ir"));
    e = t_find(&c, "300");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(e->caption, "SEA STAR");
    t_collect_free(&c);
}

Test(uk_ofsi_csv, row_without_group_id)
{
    const char *text =
        CSV_HEAD "ONE,A,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,1\n"
                 "TWO,B,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,, \n"
                 "THREE,C,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,3\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_OFSI_CSV, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_eq(err.line, 4);
    cr_assert(strstr(err.msg, "Group ID") != NULL, "%s", err.msg);
    cr_assert_str_eq(err.record_id, "", "not the previous group's id");
    cr_assert_str_eq(err.source, "test-input");
    t_collect_free(&c);

    memset(&c, 0, sizeof(c));
    rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_OFSI_CSV, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_eq(c.last_skip.line, 4);
    cr_assert_not_null(t_find(&c, "1"));
    cr_assert_not_null(t_find(&c, "3"));
    t_collect_free(&c);
}

Test(uk_ofsi_csv, group_id_reappearing_is_refused)
{
    const char *text =
        CSV_HEAD "ONE,A,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,1\n"
                 "TWO,B,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,2\n"
                 "ONE,AA,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,AKA,,R,,,,1\n"
                 "ONE,AB,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,AKA,,R,,,,1\n"
                 "THREE,C,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,3\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_OFSI_CSV, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_eq(err.line, 5);
    cr_assert_str_eq(err.record_id, "1");
    cr_assert(strstr(err.msg, "first row at line 3") != NULL, "%s", err.msg);
    t_collect_free(&c);

    memset(&c, 0, sizeof(c));
    rc = parse_mem(text, strlen(text), EMB_FORMAT_UK_OFSI_CSV, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 3);
    cr_assert_eq(c.n_skipped, 1, "the returning run is one bad record");
    cr_assert_eq(t_find(&c, "1")->n_names, 1);
    t_collect_free(&c);
}

Test(uk_ofsi_csv, header_missing_columns_and_short_rows)
{
    const char *no_group = "Last Updated,01/03/2021\nName 6,Name 1,Group Type,Alias Type\n"
                           "X,Y,Individual,Prime Alias\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc =
        parse_mem(no_group, strlen(no_group), EMB_FORMAT_UK_OFSI_CSV, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EFORMAT);
    cr_assert(strstr(err.msg, "Group ID") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 2);

    const char *empty = "";
    rc = parse_mem(empty, 0, EMB_FORMAT_UK_OFSI_CSV, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EFORMAT);

    const char *short_row = CSV_HEAD "ONE,A,,,Individual,Prime Alias,,R,,,,1\n";
    rc = parse_mem(short_row, strlen(short_row), EMB_FORMAT_UK_OFSI_CSV, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert_eq(err.line, 3);
    cr_assert(strstr(err.msg, "columns") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 0);
    t_collect_free(&c);
}

Test(uk_ofsi_csv, invalid_utf8_and_bad_group_type)
{
    const char *bad_utf8 =
        CSV_HEAD "ONE,A,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,1\n"
                 "T\xC3\x28O,B,,,,,,,,,,,,,,,,,,,,,,,,,,,Individual,Prime Alias,,R,,,,2\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc =
        parse_mem(bad_utf8, strlen(bad_utf8), EMB_FORMAT_UK_OFSI_CSV, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EUTF8, "%s", err.msg);
    cr_assert_eq(err.line, 4);
    t_collect_free(&c);

    const char *bad_type = CSV_HEAD "ONE,A,,,,,,,,,,,,,,,,,,,,,,,,,,,Starship,Prime Alias,,R,,,,1\n"
                                    "ONE,A,,,,,,,,,,,,,,,,,,,,,,,,,,,Starship,AKA,,R,,,,1\n"
                                    "TWO,B,,,,,,,,,,,,,,,,,,,,,,,,,,,Entity,Prime Alias,,R,,,,2\n";
    memset(&c, 0, sizeof(c));
    rc = parse_mem(bad_type, strlen(bad_type), EMB_FORMAT_UK_OFSI_CSV, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "1");
    cr_assert(strstr(c.last_skip.msg, "Starship") != NULL, "%s", c.last_skip.msg);
    t_collect_free(&c);
}
