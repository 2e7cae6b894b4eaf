/* EU Financial Sanctions File XML. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#define parse_doc(text, skip, c, err, info)                                                       \
    t_parse_mem(text, strlen(text), "eu-test.xml", EMB_FORMAT_UNKNOWN, skip, NULL, c, info, err)

#define EU_HEAD                                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" "                                        \
    "generationDate=\"2024-05-06T10:00:00\">\n"
#define EU_TAIL   "</export>\n"
#define EU_PERSON "<subjectType code=\"person\" classificationCode=\"P\"/>"
/* One sanctionEntity on one line. */
#define EU_ENT(id, body)                                                                           \
    "<sanctionEntity logicalId=\"" id "\" euReferenceNumber=\"EU.1.2\">" body "</"                 \
                                                                              "sanctionEntity>\n"
#define EU_NAME(whole) "<nameAlias wholeName=\"" whole "\" strong=\"true\"/>"

/* ---------------------------------------------------------------- real file */

Test(eu_real, sample_counts)
{
    const char *path = test_data("eu/samples/eu_fsf_sample_2020-04-15.xml");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_EU_FSF_XML);
    cr_assert_str_eq(info.dataset, "eu_fsf");
    cr_assert_str_eq(info.published, "2020-04-15");
    /* MANIFEST: 7 entities, 15 nameAlias (logicalId 5468 appears twice in this extract) */
    cr_assert_eq(info.entities, 7);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 7);
    cr_assert_eq(info.names, 15);
    cr_assert_eq(info.skipped, 0);
    t_collect_free(&c);
}

Test(eu_real, entity_927_field_by_field)
{
    const char *path = test_data("eu/samples/eu_fsf_sample_2020-04-15.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "927");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "eu_fsf-927");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "Mohamed Ben Belkacem Aouadi");
    cr_assert_eq(e->n_names, 1);
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "TAQA", "2016/294 (OJ L55)"));
    cr_assert(t_has_value(e, EMB_PROP_SOURCE_URL,
                          "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/"
                          "?uri=OJ:JOL_2016_055_R_0004&from=EN"));
    cr_assert(t_has_value_q(e, EMB_PROP_ID_NUMBER, "EU.3343.85", "EU reference number"));
    cr_assert(t_has_value(e, EMB_PROP_AUTHORITY, "European Union"));
    cr_assert_eq(t_count_values(e, EMB_PROP_LISTING_DATE), 0, "no designationDate");
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "tn"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1974-12-11"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "Tunis, TUNISIA"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_COUNTRY, "tn"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "23 50th Street, Zehrouni, Tunis, TUNISIA"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "tn"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "Italian Fiscal Code: DAOMMD74T11Z352Z",
                          "23 50th Street, Zehrouni, Tunis, TUNISIA"));
    cr_assert(
        t_has_value_q(e, EMB_PROP_ID_NUMBER, "04643632", "National identification card, TUNISIA"));
    cr_assert(t_has_value_q(e, EMB_PROP_PASSPORT_NUMBER, "L191609", "National passport, TUNISIA"));
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 0);
    t_collect_free(&c);
}

Test(eu_real, aliases_dates_and_places)
{
    const char *path = test_data("eu/samples/eu_fsf_sample_2020-04-15.xml");
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);
    const t_entity *e = t_find(&c, "5295");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Abid Hammadou");
    cr_assert_eq(e->n_names, 5);
    cr_assert(t_has_name(e, "Abdelhamid Abou Zeid", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "Amor Mohamed Ghedeir", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_LISTING_DATE, "2008-07-03"));
    cr_assert(t_has_value(e, EMB_PROP_NATIONALITY, "dz"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1965-12-12"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1958"), "circa year");
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE,
                          "Deb-Deb, Amenas, Wilaya (province) of Illizi, ALGERIA"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES,
                          "(a) Mother's name is Benarouba Bachira; (b) Father's name is Mabrouk. "
                          "Other information: Reportedly deceased as of 24 February 2013.",
                          "Amor Mohamed Ghedeir"));

    /* city "-" is no place; countryIso2Code "00" UNKNOWN is no country */
    e = t_find(&c, "191");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "Fahd Bin Adballah BIN KHALID");
    cr_assert(t_has_value(e, EMB_PROP_GENDER, "male"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_PLACE, "PAKISTAN"));
    cr_assert(t_has_value_q(e, EMB_PROP_PASSPORT_NUMBER, "488555", "National passport"));
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 0);

    e = t_find(&c, "5463");
    cr_assert_not_null(e);
    cr_assert(t_has_value(e, EMB_PROP_POSITION,
                          "Director of Korea Ryongaksan General Trading Corporation"));
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "PRK", "2017/1509 (OJ L224)"));
    t_collect_free(&c);
}

/* ---------------------------------------------------------------- small inputs */

Test(eu_edge, inline_record_every_field)
{
    const char *doc = EU_HEAD EU_ENT(
        "42",
        "<remark>Listed for cyber attacks.</remark>"
        "<regulation programme=\"CYB\" numberTitle=\"2019/796\">"
        "<publicationUrl>https://eur-lex.europa.eu/x</publicationUrl></regulation>"
        "<subjectType code=\"enterprise\" classificationCode=\"E\"/>"
        "<nameAlias wholeName=\"\" firstName=\"Acme\" middleName=\"\" lastName=\"Cyber\" "
        "strong=\"true\" function=\"front company\"/>"
        "<nameAlias wholeName=\"Акме\" nameLanguage=\"RU\" strong=\"true\"/>"
        "<nameAlias wholeName=\"Acme Ltd\" strong=\"true\"/>"
        "<nameAlias wholeName=\"ACM\" strong=\"false\"><remark>low quality</remark></nameAlias>"
        "<identification number=\"1234\" identificationTypeCode=\"regnumber\" "
        "identificationTypeDescription=\"Registration number\" countryIso2Code=\"CN\" "
        "countryDescription=\"CHINA\" knownFalse=\"true\" nameOnDocument=\"ACME CO\"/>"
        "<identification number=\"ABCDUS33\" identificationTypeCode=\"swiftbic\"/>"
        "<address street=\"1 Road\" city=\"Beijing\" countryIso2Code=\"CN\" "
        "countryDescription=\"CHINA\"><contactInfo key=\"EMAIL\" value=\"a@acme.cn; "
        "b@acme.cn\"/><contactInfo key=\"PHONE\" value=\"+86 1\"/></address>"
        "<citizenship countryIso2Code=\"XX\" countryDescription=\"Atlantis\"/>") EU_TAIL;
    t_collect c = {0};
    emb_error err;
    emb_source_info info;
    cr_assert_eq(parse_doc(doc, 0, &c, &err, &info), EMB_OK, "%s", err.msg);
    cr_assert_eq(info.format, EMB_FORMAT_EU_FSF_XML, "sniffed");
    cr_assert_str_eq(info.published, "2024-05-06");
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_eq(e->schema, EMB_SCHEMA_ORGANIZATION);
    cr_assert_str_eq(e->caption, "Acme Cyber");
    cr_assert(t_has_name(e, "Акме", EMB_NAME_ORIGINAL_SCRIPT));
    cr_assert(t_has_name(e, "Acme Ltd", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "ACM", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(e, "ACME CO", EMB_NAME_ALIAS), "nameOnDocument");
    cr_assert(t_has_value(e, EMB_PROP_NOTES, "Listed for cyber attacks."));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "front company", "function"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "low quality", "ACM"));
    cr_assert(t_has_value_q(e, EMB_PROP_PROGRAM, "CYB", "2019/796"));
    cr_assert(t_has_value(e, EMB_PROP_SOURCE_URL, "https://eur-lex.europa.eu/x"));
    cr_assert(t_has_value_q(e, EMB_PROP_REGISTRATION_NUMBER, "1234",
                          "Registration number, CHINA; known false"));
    cr_assert(t_has_value(e, EMB_PROP_SWIFT_BIC, "ABCDUS33"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "1 Road, Beijing, CHINA"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "cn"));
    cr_assert(t_has_value(e, EMB_PROP_EMAIL, "a@acme.cn"));
    cr_assert(t_has_value(e, EMB_PROP_EMAIL, "b@acme.cn"));
    cr_assert(t_has_value(e, EMB_PROP_PHONE, "+86 1"));
    cr_assert(t_has_value_q(e, EMB_PROP_UNRESOLVED, "Atlantis", "nationality"));
    cr_assert(t_has_value_q(e, EMB_PROP_ID_NUMBER, "EU.1.2", "EU reference number"));
    t_collect_free(&c);
}

Test(eu_edge, birth_date_forms)
{
    const char *doc = EU_HEAD EU_ENT(
        "43",
        EU_PERSON EU_NAME(
            "Jane Roe") "<birthdate year=\"1970\" monthOfYear=\"4\" dayOfMonth=\"5\" "
                        "calendarType=\"GREGORIAN\"/>"
                        "<birthdate year=\"1971\" monthOfYear=\"13\"/>"
                        "<birthdate yearRangeFrom=\"1960\" yearRangeTo=\"1962\"/>"
                        "<birthdate birthdate=\"1402-06-24\" calendarType=\"ISLAMIC\"/>"
                        "<citizenship countryIso2Code=\"00\" countryDescription=\"UNKNOWN\"/>")
        EU_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1970-04-05"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1971"), "a month of 13 is left out");
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1960"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1961"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1962"));
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 5);
    cr_assert(t_has_value_q(e, EMB_PROP_UNRESOLVED, "1402-06-24 (ISLAMIC)", "birthDate"));
    cr_assert_eq(t_count_values(e, EMB_PROP_NATIONALITY), 0);
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 1);
    t_collect_free(&c);
}

Test(eu_edge, united_nations_id_for_cross_reference)
{
    const char *doc = EU_HEAD "<sanctionEntity logicalId=\"44\" unitedNationId=\"QDi.017\" "
                              "designationDate=\"2001-10-06\">" EU_PERSON EU_NAME(
                                  "Tharwat Salah Shihata") "</sanctionEntity>\n" EU_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    cr_assert(t_has_value_q(&c.items[0], EMB_PROP_ID_NUMBER, "QDi.017", "UN reference number"));
    cr_assert(t_has_value(&c.items[0], EMB_PROP_LISTING_DATE, "2001-10-06"));
    t_collect_free(&c);
}

Test(eu_edge, truncated_file)
{
    const char *doc =
        EU_HEAD EU_ENT("45", EU_PERSON EU_NAME("A B")) "<sanctionEntity logicalId=\"46\">"
                                                       "<nameAlias wholeName=\"C";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_EPARSE);
    cr_assert_geq(err.line, 4);
    cr_assert_str_eq(err.source, "test-input");
    cr_assert_eq(c.n, 1);
    t_collect_free(&c);
}

Test(eu_edge, doctype_and_entity_bomb_refused)
{
    const char *doc = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE export [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n"
                      "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"&b;\"/>"
                      "</sanctionEntity></export>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 0);
    t_collect_free(&c);
}

Test(eu_edge, invalid_utf8_in_a_name)
{
    const char *doc = EU_HEAD EU_ENT("47", EU_PERSON EU_NAME("Good Name"))
        EU_ENT("48", EU_PERSON "<nameAlias wholeName=\"Bad \xc3\x28 name\" strong=\"true\"/>")
            EU_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_EUTF8);
    cr_assert(strstr(err.msg, "UTF-8") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 4);
    /* libxml2 finds the byte while the reader is still in record 47: that one is not blamed */
    cr_assert_str_neq(err.record_id, "47");
    t_collect_free(&c);
}

Test(eu_edge, missing_logical_id)
{
    const char *doc = EU_HEAD EU_ENT(
        "49",
        EU_PERSON EU_NAME("First One")) "<sanctionEntity euReferenceNumber=\"EU.9.9\">" EU_PERSON
        EU_NAME("No Id") "<birthdate year=\"1970\"/></sanctionEntity>\n"
                         "<sanctionEntity logicalId=\" \"/>\n" EU_ENT(
                             "50", EU_PERSON EU_NAME("Last One")) EU_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 4);
    cr_assert(strstr(err.msg, "logicalId") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    t_collect_free(&c);

    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.n_skipped, 2, "the record with children and the empty one");
    cr_assert_eq(c.last_skip.line, 5);
    cr_assert_str_eq(c.items[1].source_id, "50");
    cr_assert_eq(c.items[1].n_names, 1, "nothing of the skipped record leaks into the next");
    t_collect_free(&c);
}

Test(eu_edge, record_without_a_name)
{
    const char *doc = EU_HEAD EU_ENT("51", EU_PERSON "<nameAlias wholeName=\" \" strong=\"true\"/>")
        EU_ENT("52", EU_PERSON EU_NAME("Named")) EU_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "51");
    cr_assert_eq(err.line, 3);
    t_collect_free(&c);
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "51");
    t_collect_free(&c);
}

Test(eu_edge, attribute_over_the_limit_is_skipped)
{
    size_t big = (1u << 20) + 10;
    size_t cap = big + 1024;
    char *doc = malloc(cap);
    const char *head = EU_HEAD EU_ENT(
        "53", EU_PERSON EU_NAME("Before")) "<sanctionEntity logicalId=\"54\">" EU_PERSON
        EU_NAME("Huge") "<address street=\"";
    const char *tail = "\"/></sanctionEntity>\n" EU_ENT("55", EU_PERSON EU_NAME("After")) EU_TAIL;
    size_t hl = strlen(head), tl = strlen(tail);
    memcpy(doc, head, hl);
    memset(doc + hl, 'x', big);
    memcpy(doc + hl + big, tail, tl + 1);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_ELIMIT, "%s", err.msg);
    cr_assert_str_eq(err.record_id, "54");
    t_collect_free(&c);
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 1, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_str_eq(c.items[1].source_id, "55");
    t_collect_free(&c);
    free(doc);
}

Test(eu_edge, wrong_root_element)
{
    const char *doc = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST/>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(doc, EMB_FORMAT_EU_FSF_XML, 0, &c, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "export") != NULL, "%s", err.msg);
    t_collect_free(&c);
}
