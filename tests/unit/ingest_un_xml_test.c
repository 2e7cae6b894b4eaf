/* UN Security Council Consolidated List XML. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static size_t count_kind_all(const t_collect *c, emb_name_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += t_count_kind(&c->items[i], kind);
    return n;
}

#define parse_doc(text, skip, c, err, info)                                                       \
    t_parse_mem(text, strlen(text), "un-test.xml", EMB_FORMAT_UNKNOWN, skip, NULL, c, info, err)

#define UN_HEAD                                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\">\n"                             \
    "<INDIVIDUALS>\n"
#define UN_TAIL "</INDIVIDUALS>\n<ENTITIES/>\n</CONSOLIDATED_LIST>\n"
/* One INDIVIDUAL on one line. */
#define UN_IND(ref, body)                                                                          \
    "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>"    \
    "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>" ref "</REFERENCE_NUMBER>" body       \
    "</INDIVIDUAL>\n"

/* ---------------------------------------------------------------- real files */

Test(un_real, full_list_counts)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_UN_XML);
    cr_assert_str_eq(info.dataset, "un_sc_sanctions");
    cr_assert_str_eq(info.published, "2026-02-27");
    /* MANIFEST: 730 individuals + 273 entities */
    cr_assert_eq(info.entities, 1003);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 730);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 273);
    cr_assert_eq(info.skipped, 0);
    /*
     * MANIFEST: 3,043 alias elements and 378 NAME_ORIGINAL_SCRIPT. 291 alias elements have an
     * empty ALIAS_NAME; 27 ALIAS_NAMEs list several spellings split on ';' (2,752 non-empty
     * elements give 2,823 names); 30 alias NOTEs carry the name in Arabic or Cyrillic script;
     * a name published twice in one record is kept once. An independent count (Python,
     * distinct names per record) gives 4,222.
     */
    cr_assert_eq(info.names, 4222);
    cr_assert_eq(count_kind_all(&c, EMB_NAME_PRIMARY), 1003);
    cr_assert_eq(count_kind_all(&c, EMB_NAME_ALIAS), 2140);
    cr_assert_eq(count_kind_all(&c, EMB_NAME_WEAK_ALIAS), 619);
    cr_assert_eq(count_kind_all(&c, EMB_NAME_PREVIOUS), 53);
    cr_assert_eq(count_kind_all(&c, EMB_NAME_ORIGINAL_SCRIPT), 407);
    size_t with_script = 0;
    for (size_t i = 0; i < c.n; i++)
        with_script += t_count_kind(&c.items[i], EMB_NAME_ORIGINAL_SCRIPT) > 0;
    cr_assert_geq(with_script, 378);
    t_collect_free(&c);
}

Test(un_real, sample_counts)
{
    const char *path = test_data("un/samples/un_consolidated_sample_2024-10-17.xml");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_UN_XML);
    cr_assert_str_eq(info.published, "2024-10-17");
    cr_assert_eq(info.entities, 7);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 7);
    /* 7 primary + 7 original script + 26 non-empty of 34 alias elements */
    cr_assert_eq(info.names, 40);
    const t_entity *e = t_find(&c, "QDi.237");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "JABER ABDALLAH JABER AHMAD AL-JALAHMAH");
    cr_assert(t_has_name(e, "جابر عبد الله جابر أحمد الجلاهمة", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_name(e, "Jaber Al-Jalamah", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "kw"));
    t_collect_free(&c);
}

Test(un_real, qdi_017_field_by_field)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "QDi.017");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "un_sc_sanctions-QDi.017");
    cr_assert_str_eq(e->dataset, "un_sc_sanctions");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "THARWAT SALAH SHIHATA");
    cr_assert_eq(e->n_names, 6);
    cr_assert(t_has_name(e, "THARWAT SALAH SHIHATA", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(e, "ثروت صالح شحاته", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_name(e, "Tarwat Salah Abdallah", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Salah Shihata Thirwat", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Shahata Thirwat", EMB_NAME_ALIAS));
    /* QUALITY Good with NOTE "previously listed as" */
    cr_assert(t_has_name(e, "Tharwat Salah Shihata Ali", EMB_NAME_PREVIOUS));
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "Al-Qaida", "QD"));
    cr_assert(t_has_value(e, EMB_PROP_AUTHORITY, "United Nations Security Council"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2001-10-06"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "eg"));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 1);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1960-06-29"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Egypt"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "eg"));
    cr_assert_eq(t_count_values(e, EMB_PROP_NOTES), 1);
    cr_assert_eq(t_count_values(e, EMB_PROP_ADDRESS), 0, "the address element is empty");
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 0);
    t_collect_free(&c);
}

Test(un_real, entities_names_and_addresses)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "QDe.004");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(e->caption, "AL-QAIDA");
    cr_assert(t_has_name(e, "القاعدة", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_name(e, "\"The Base\"", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Usama Bin Laden Network", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Al Qa’ida/Islamic Army", EMB_NAME_PREVIOUS), "formerly listed as");
    cr_assert_eq(e->n_names, 12);
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "Al-Qaida", "QD"));

    /* QUALITY f.k.a. and two addresses */
    e = t_find(&c, "KPe.002");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_name(e, "KOREA YONBONG GENERAL CORPORATION", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "LYONGAKSAN GENERAL TRADING CORPORATION", EMB_NAME_PREVIOUS));
    cr_assert(
        t_has_value(e, EMB_PROP_ADDRESS,
                    "Pot’onggang District, Pyongyang, Democratic People's Republic of Korea"));
    cr_assert_eq(t_count_values(e, EMB_PROP_ADDRESS), 2);
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "kp"));
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "DPRK", "KP"));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2009-04-24"));
    t_collect_free(&c);
}

Test(un_real, birth_date_ranges_and_notes)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    /* TYPE_OF_DATE BETWEEN, FROM_YEAR 1967 TO_YEAR 1969 */
    const t_entity *e = t_find(&c, "KPi.066");
    cr_assert_not_null(e);
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 3);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1967"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1968"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1969"));
    /* two BETWEEN ranges (1955-1958, 1945-1950), both "Approximately" */
    e = t_find(&c, "TAi.002");
    cr_assert_not_null(e);
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 10);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1945"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1958"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "Approximately", "birthDate"));
    cr_assert(t_has_value(e, EMB_PROP_TITLE, "Mullah"));
    cr_assert(t_has_value(e, EMB_PROP_POSITION, "Foreign Minister under the Taliban regime"));
    /* EXACT with only a NOTE: "Nov. 1973" */
    e = t_find(&c, "CDi.004");
    cr_assert_not_null(e);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1973-11"));
    cr_assert(t_has_value(e, EMB_PROP_GENDER, "male"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Uganda (as of early 2016)"));
    /* a Hijri date is kept as published, not read as the year 1402 */
    e = t_find(&c, "QDi.291");
    cr_assert_not_null(e);
    cr_assert(t_has_value_q(e, EMB_PROP_UNRESOLVED, "24/06/1402 (Hijri Calendar)", "birthDate"));
    cr_assert_not(t_has_value(e, EMB_PROP_BIRTH_DATE, "1402-06-24"));
    t_collect_free(&c);
}

Test(un_real, documents_and_alias_birth_facts)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "CFi.012");
    cr_assert_not_null(e);
    cr_assert(t_has_value_q(e, EMB_PROP_ID_NUMBER, "103-00653129-22",
                          "National Identification Number, national identity card no., Chad; "
                          "issued 2009-04-21; expires on 21 April 2019"));
    cr_assert(t_has_value_q(e, EMB_PROP_PASSPORT_NUMBER, "CAR diplomatic passport no. D00000897",
                          "Passport; issued 2013-04-05; valid until 4 April 2018"));
    cr_assert_eq(t_count_values(e, EMB_PROP_PASSPORT_NUMBER), 2);
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "cf"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "td"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Haraze Mangueigne, Chad"));
    /* aliases with their own DATE_OF_BIRTH, CITY_OF_BIRTH and COUNTRY_OF_BIRTH */
    e = t_find(&c, "QDi.062");
    cr_assert_not_null(e);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1969-02-05"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970-02-05"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Tripoli, Libya"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "ly"));
    cr_assert(t_has_name(e, "Mohamed Aouani", EMB_NAME_PREVIOUS));
    cr_assert(t_has_name(e, "Abu Obeida", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_value_q(e, EMB_PROP_ID_NUMBER, "W374031",
                          "National Identification Number, Tunisia; issued 2011-04-11"));
    /* a document whose number is only in its NOTE */
    e = t_find(&c, "QDi.060");
    cr_assert_not_null(e);
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "Italian Fiscal Code: DAOMMD74T11Z352Z",
                          "National Identification Number"));
    t_collect_free(&c);
}

/* ---------------------------------------------------------------- small inputs */

Test(un_edge, inline_record_every_field)
{
    const char *doc = UN_HEAD UN_IND(
        "QDi.900", "<LISTED_ON>2015-03-27-04:00</LISTED_ON><GENDER>Female</GENDER>"
                   "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>"
                   "<ALIAS_NAME>Azim Adhajani; Azim Agha-Jani</ALIAS_NAME></INDIVIDUAL_ALIAS>"
                   "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu X</ALIAS_NAME>"
                   "<NOTE>Previously listed as. In Arabic: أبو إكس</NOTE></INDIVIDUAL_ALIAS>"
                   "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>"
                   "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>"
                   "<YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
                   "<INDIVIDUAL_PLACE_OF_BIRTH><CITY>Mosul</CITY><COUNTRY>Iraq</COUNTRY>"
                   "</INDIVIDUAL_PLACE_OF_BIRTH>"
                   "<NATIONALITY><VALUE>Atlantis</VALUE></NATIONALITY>"
                   "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Numéro de passeport</TYPE_OF_DOCUMENT>"
                   "<NUMBER>A123</NUMBER><ISSUING_COUNTRY>France</ISSUING_COUNTRY>"
                   "</INDIVIDUAL_DOCUMENT>"
                   "<INDIVIDUAL_ADDRESS><STREET>1 Main St</STREET><CITY>Paris</CITY>"
                   "<ZIP_CODE>75001</ZIP_CODE><COUNTRY>France</COUNTRY></INDIVIDUAL_ADDRESS>")
        UN_TAIL;
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    cr_assert_eq(parse_doc(doc, 0, &c, &err, &info), EMB_OK, "%s", err.msg);
    cr_assert_eq(info.format, EMB_FORMAT_UN_XML, "sniffed from the root element");
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_str_eq(e->caption, "JOHN DOE");
    cr_assert(t_has_name(e, "Azim Adhajani", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Azim Agha-Jani", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Abu X", EMB_NAME_PREVIOUS));
    cr_assert(t_has_name(e, "أبو إكس", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert_eq(e->n_names, 5);
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2015-03-27"), "xs:date time zone dropped");
    cr_assert(t_has_value(e, EMB_PROP_GENDER, "female"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Mosul, Iraq"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "iq"));
    cr_assert(t_has_value_q(e, EMB_PROP_UNRESOLVED, "Atlantis", "nationality"));
    cr_assert(t_has_value_q(e, EMB_PROP_PASSPORT_NUMBER, "A123", "Numéro de passeport, France"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "1 Main St, Paris, 75001, France"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "fr"));
    t_collect_free(&c);
}

Test(un_edge, truncated_file)
{
    const char *doc = UN_HEAD UN_IND("QDi.901", "") "<INDIVIDUAL><DATAID>8</DATAID><FIRST_NA";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_EPARSE);
    cr_assert_geq(err.line, 5, "line %llu", (unsigned long long)err.line);
    cr_assert_str_eq(err.source, "test-input");
    t_collect_free(&c);
}

Test(un_edge, doctype_and_entity_bomb_refused)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol2;</FIRST_NAME>"
        "<REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS>"
        "</CONSOLIDATED_LIST>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 1, &c, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 0);
    t_collect_free(&c);
}

Test(un_edge, invalid_utf8_in_a_name)
{
    const char *doc = UN_HEAD UN_IND("QDi.902", "")
        UN_IND("QDi.903", "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>"
                          "<ALIAS_NAME>Bad \xff name</ALIAS_NAME></INDIVIDUAL_ALIAS>") UN_TAIL;
    t_collect c = {0};
    emb_error err;
    /* libxml2 refuses the byte: the file cannot be read on past it, even with skip_bad */
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 1, &c, &err), EMB_EUTF8);
    cr_assert(strstr(err.msg, "UTF-8") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 5);
    cr_assert_str_eq(err.record_id, "QDi.903");
    cr_assert_eq(c.n, 1, "the record before is delivered");
    t_collect_free(&c);
}

Test(un_edge, missing_reference_number)
{
    const char *doc =
        UN_HEAD UN_IND("QDi.904", "") "<INDIVIDUAL><DATAID>99</DATAID><FIRST_NAME>NO</"
                                      "FIRST_NAME><SECOND_NAME>REF</SECOND_NAME>"
                                      "</INDIVIDUAL>\n" UN_IND("QDi.905", "") UN_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 5);
    cr_assert(strstr(err.msg, "REFERENCE_NUMBER") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "DATAID 99") != NULL, "%s", err.msg);
    cr_assert_str_eq(err.record_id, "", "no id to name");
    t_collect_free(&c);

    t_collect s = {0};
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 1, &s, &err), EMB_OK);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.n_skipped, 1);
    cr_assert_eq(s.last_skip.line, 5);
    cr_assert_str_eq(s.items[1].source_id, "QDi.905");
    t_collect_free(&s);
}

Test(un_edge, record_without_any_name)
{
    const char *doc = UN_HEAD
        "<INDIVIDUAL><DATAID>5</DATAID><REFERENCE_NUMBER>QDi.906</REFERENCE_NUMBER>"
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS></INDIVIDUAL>\n" UN_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "QDi.906");
    cr_assert_eq(err.line, 4);
    t_collect_free(&c);
}

Test(un_edge, name_over_the_limit_is_a_bad_record)
{
    size_t big = 5000;
    char *name = malloc(big + 1);
    memset(name, 'A', big);
    name[big] = '\0';
    size_t cap = big + 1024;
    char *doc = malloc(cap);
    int n = snprintf(doc, cap,
                     UN_HEAD UN_IND("QDi.907", "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>"
                                               "<ALIAS_NAME>%s</ALIAS_NAME></INDIVIDUAL_ALIAS>")
                         UN_IND("QDi.908", "") UN_TAIL,
                     name);
    cr_assert(n > 0 && (size_t)n < cap);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_ELIMIT);
    cr_assert_str_eq(err.record_id, "QDi.907");
    cr_assert_eq(err.line, 4);
    t_collect_free(&c);
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 1, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.items[0].source_id, "QDi.908");
    t_collect_free(&c);
    free(doc);
    free(name);
}

Test(un_edge, field_over_the_limit_is_skipped_and_reading_goes_on)
{
    size_t big = (1u << 20) + 10;
    size_t cap = big + 1024;
    char *doc = malloc(cap);
    const char *head = UN_HEAD UN_IND("QDi.909", "") "<INDIVIDUAL><DATAID>1</DATAID>"
                                                     "<REFERENCE_NUMBER>QDi.910</REFERENCE_NUMBER>"
                                                     "<COMMENTS1>";
    const char *tail =
        "</COMMENTS1><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL>\n" UN_IND("QDi.911", "") UN_TAIL;
    size_t hl = strlen(head), tl = strlen(tail);
    memcpy(doc, head, hl);
    memset(doc + hl, 'x', big);
    memcpy(doc + hl + big, tail, tl + 1);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_ELIMIT);
    cr_assert_str_eq(err.record_id, "QDi.910");
    t_collect_free(&c);
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 1, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "QDi.910");
    cr_assert_str_eq(c.items[1].source_id, "QDi.911");
    t_collect_free(&c);
    free(doc);
}

Test(un_edge, wrong_root_element)
{
    const char *doc = "<?xml version=\"1.0\"?>\n<sdnList><sdnEntry/></sdnList>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_UN_XML, 0, &c, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "CONSOLIDATED_LIST") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 2);
    t_collect_free(&c);
}

Test(un_edge, entities_section)
{
    const char *doc =
        "<CONSOLIDATED_LIST dateGenerated=\"2024-01-02T00:00:00Z\"><INDIVIDUALS/>\n"
        "<ENTITIES>\n<ENTITY><FIRST_NAME>ACME TRADING</FIRST_NAME>"
        "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER>"
        "<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD ACME</ALIAS_NAME>"
        "</ENTITY_ALIAS><ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>"
        "<ALIAS_NAME>ACME CO</ALIAS_NAME><NOTE>in Arabic script: أكمي</NOTE>"
        "</ENTITY_ALIAS><ENTITY_ADDRESS><CITY>Pyongyang</CITY>"
        "<COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>"
        "</ENTITY>\n</ENTITIES></CONSOLIDATED_LIST>";
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    cr_assert_eq(parse_doc(doc, 0, &c, &err, &info), EMB_OK, "%s", err.msg);
    cr_assert_str_eq(info.published, "2024-01-02");
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_name(e, "OLD ACME", EMB_NAME_PREVIOUS));
    cr_assert(t_has_name(e, "ACME CO", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "أكمي", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "in Arabic script: أكمي", "ACME CO"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "Pyongyang, Democratic People's Republic of Korea"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "kp"));
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "DPRK", "KP"));
    t_collect_free(&c);
}
