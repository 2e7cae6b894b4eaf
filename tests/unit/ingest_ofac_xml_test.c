/* OFAC legacy sdnList XML and OFAC Sanctions List Service enhanced XML. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"
#include "test_util.h"

#define SDN_SAMPLE    "ofac/samples/sdnList_xml_sample_2020-04-22.xml"
#define SDN_ZIP       "ofac/samples/sdnList_xml_sample_zipped.zip"
#define CONS_ENHANCED "ofac/CONS_ENHANCED_2025-01-10.ZIP"

#define parse_mem(text, len, fmt, skip, ds, c, info, err)                                          \
    t_parse_mem(text, len, "test-input", fmt, skip, ds, c, info, err)

static emb_status parse_str(const char *text, emb_format fmt, int skip_bad, t_collect *c,
                            emb_source_info *info, emb_error *err)
{
    return parse_mem(text, strlen(text), fmt, skip_bad, NULL, c, info, err);
}

static const t_value *find_value(const t_entity *e, emb_prop prop, const char *value)
{
    for (size_t i = 0; i < e->n_values; i++) {
        if (e->values[i].prop == prop && strcmp(e->values[i].value, value) == 0)
            return &e->values[i];
    }
    return NULL;
}

/* prop = value with exactly this qualifier */
static void assert_value(const t_entity *e, emb_prop prop, const char *value, const char *qual)
{
    const t_value *v = find_value(e, prop, value);
    cr_assert_not_null(v, "%s: no %s = '%s'", e->source_id, emb_prop_name(prop), value);
    cr_assert_str_eq(v->qualifier, qual, "%s: %s '%s'", e->source_id, emb_prop_name(prop), value);
}

static void assert_name(const t_entity *e, const char *name, emb_name_kind kind)
{
    cr_assert(t_has_name(e, name, (int)kind), "%s: no %s '%s'", e->source_id,
              emb_name_kind_name(kind), name);
}

/* ------------------------------------------------------------ legacy sdnList: real files */

static void check_sdn_sample(const char *path)
{
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_OFAC_XML);
    cr_assert_eq(info.entities, 8, "the sample holds 8 sdnEntry (Record_Count says 8197)");
    cr_assert_eq(c.n, 8);
    cr_assert_eq(info.names, 35, "8 primary names + 27 a.k.a.s, got %llu",
                 (unsigned long long)info.names);
    cr_assert_eq(info.skipped, 0);
    cr_assert_str_eq(info.published, "2020-04-22");
    cr_assert_str_eq(info.dataset, "us_ofac_sdn");
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 6);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 2);
    const t_entity *e = t_find(&c, "10689");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "us_ofac_sdn-10689");
    cr_assert_str_eq(e->caption, "SAEED, Muhammad");
    t_collect_free(&c);
}

Test(ofac_xml, real_sample_counts)
{
    const char *path = test_data(SDN_SAMPLE);
    check_sdn_sample(path);
}

Test(ofac_xml, real_sample_inside_zip)
{
    const char *path = test_data(SDN_ZIP);
    check_sdn_sample(path);
}

Test(ofac_xml, spot_saeed_person)
{
    t_collect c = {0};
    t_parse_ok(test_data(SDN_SAMPLE), NULL, &c);
    const t_entity *e = t_find(&c, "10689");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_eq(e->n_names, 11);
    assert_name(e, "SAEED, Muhammad", EMB_NAME_PRIMARY);
    assert_name(e, "SAEED, Hafiz Muhammad", EMB_NAME_ALIAS);
    assert_name(e, "SAEED HAFIZ, Muhammad", EMB_NAME_ALIAS);
    assert_name(e, "HAFIZ SAHIB", EMB_NAME_WEAK_ALIAS);
    assert_name(e, "TATA JI", EMB_NAME_WEAK_ALIAS);
    assert_value(e, EMB_PROP_PROGRAM, "SDGT", "");
    assert_value(e, EMB_PROP_PASSPORT_NUMBER, "BE5978421", "Passport (Pakistan)");
    assert_value(e, EMB_PROP_PASSPORT_NUMBER, "Booklet A5250088", "Passport (Pakistan)");
    assert_value(e, EMB_PROP_ID_NUMBER, "3520025509842-7", "National ID No. (Pakistan)");
    assert_value(e, EMB_PROP_NATIONALITY, "pk", "");
    assert_value(e, EMB_PROP_BIRTH_DATE, "1950-06-05", "");
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 1);
    assert_value(e, EMB_PROP_BIRTH_PLACE, "Sargodha, Punjab, Pakistan", "");
    assert_value(e, EMB_PROP_ADDRESS,
                 "House No. 116 E, Mohalla Johar, Town: Lahore, Tehsil:, "
                 "Lahore City, Lahore District, Pakistan",
                 "");
    assert_value(e, EMB_PROP_COUNTRY, "pk", "");
    cr_assert_eq(t_count_values(e, EMB_PROP_UNRESOLVED), 0);
    t_collect_free(&c);
}

Test(ofac_xml, spot_naqdi_dates_title_and_statements)
{
    t_collect c = {0};
    t_parse_ok(test_data(SDN_SAMPLE), NULL, &c);
    const t_entity *e = t_find(&c, "12057");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "NAQDI, Mohammad Reza");
    assert_name(e, "NAGHDI, Mohammedreza", EMB_NAME_ALIAS);
    cr_assert_eq(t_count_values(e, EMB_PROP_PROGRAM), 6);
    assert_value(e, EMB_PROP_PROGRAM, "IRAN-EO13876", "");
    cr_assert_eq(t_count_values(e, EMB_PROP_TITLE), 1);
    assert_value(e, EMB_PROP_TITLE,
                 "Brigadier General and Commander of the IRGC Basij Resistance Force; President "
                 "of the Organization of the Basij of the Oppressed; Chief of the Mobilization of "
                 "the Oppressed Organization",
                 "");
    assert_value(e, EMB_PROP_NOTES, "Head of the Basij", "");
    /* "Additional Sanctions Information -" is a statement, not an identifier */
    assert_value(e, EMB_PROP_NOTES, "Subject to Secondary Sanctions",
                 "Additional Sanctions Information -");
    cr_assert_null(find_value(e, EMB_PROP_ID_NUMBER, "Subject to Secondary Sanctions"));
    assert_value(e, EMB_PROP_GENDER, "male", "");
    /* "1951 to 1953", "1960 to 1962", "Apr 1961", "1953" */
    const char *years[] = {"1951", "1952", "1953", "1960", "1961", "1962", "1961-04"};
    for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++)
        assert_value(e, EMB_PROP_BIRTH_DATE, years[i], "");
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 7);
    assert_value(e, EMB_PROP_BIRTH_PLACE, "Najaf, Iraq", "");
    assert_value(e, EMB_PROP_BIRTH_PLACE, "Tehran, Iran", "");
    assert_value(e, EMB_PROP_NATIONALITY, "ir", "");
    t_collect_free(&c);
}

Test(ofac_xml, spot_entity_and_circa_date)
{
    t_collect c = {0};
    t_parse_ok(test_data(SDN_SAMPLE), NULL, &c);
    const t_entity *e = t_find(&c, "19187");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(e->caption, "TROLL PROPERTIES, INC.");
    cr_assert_eq(e->n_names, 1);
    assert_value(e, EMB_PROP_TAX_NUMBER, "991715-1-534344", "RUC # (Panama)");
    assert_value(e, EMB_PROP_COUNTRY, "pa", "");
    /* an address that is only a country gives no address line */
    cr_assert_eq(t_count_values(e, EMB_PROP_ADDRESS), 0);
    e = t_find(&c, "18619");
    cr_assert_not_null(e);
    /* "01 Jan 1976 to 31 Dec 1978" and "01 Jan 1977 to 31 Dec 1979" */
    cr_assert_eq(t_count_values(e, EMB_PROP_BIRTH_DATE), 4);
    assert_value(e, EMB_PROP_BIRTH_DATE, "1979", "");
    e = t_find(&c, "12345");
    cr_assert_not_null(e);
    assert_value(e, EMB_PROP_BIRTH_DATE, "1951", ""); /* "circa-1951" */
    t_collect_free(&c);
}

/* ------------------------------------------------------------ legacy sdnList: edge cases */

#define SDN_HEAD                                                                                   \
    "<?xml version=\"1.0\" standalone=\"yes\"?>\n"                                                 \
    "<sdnList xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                            \
    "xmlns=\"http://tempuri.org/sdnList.xsd\">\n"                                                  \
    "<publshInformation><Publish_Date>12/31/2024</Publish_Date>"                                   \
    "<Record_Count>3</Record_Count></publshInformation>\n"
#define SDN_TAIL "</sdnList>\n"
#define SDN_ENTITY(uid, name)                                                                      \
    "<sdnEntry><uid>" uid "</uid><lastName>" name "</lastName><sdnType>Entity</sdnType>"           \
    "<programList><program>SDGT</program></programList></sdnEntry>\n"

Test(ofac_xml, vessel_and_labels)
{
    const char *text = SDN_HEAD
        "<sdnEntry><uid>9001</uid><lastName>OCEAN STAR</lastName><sdnType>Vessel</sdnType>\n"
        "<programList><program>IRAN</program><program>SDGT</program></programList>\n"
        "<idList>\n"
        "<id><uid>1</uid><idType>Vessel Registration Identification</idType>"
        "<idNumber>IMO 9187629</idNumber></id>\n"
        "<id><uid>2</uid><idType>MMSI</idType><idNumber>422026700</idNumber></id>\n"
        "<id><uid>3</uid><idType>Other Vessel Flag</idType><idNumber>Panama</idNumber></id>\n"
        "<id><uid>4</uid><idType>Former Vessel Flag</idType><idNumber>Malta</idNumber></id>\n"
        "<id><uid>5</uid><idType>Vessel Year of Build</idType><idNumber>1998</idNumber></id>\n"
        "</idList>\n"
        "<akaList><aka><uid>7</uid><type>f.k.a.</type><category>strong</category>"
        "<lastName>SEA PEARL</lastName></aka>"
        "<aka><uid>8</uid><type>n.k.a.</type><category>strong</category>"
        "<lastName>NEW STAR</lastName></aka></akaList>\n"
        "<vesselInfo><callSign>9BQL</callSign><vesselType>Crude Oil Tanker</vesselType>"
        "<vesselFlag>Iran</vesselFlag><vesselOwner>NITC</vesselOwner><tonnage>150,000</tonnage>"
        "<grossRegisteredTonnage>80,000</grossRegisteredTonnage></vesselInfo>\n"
        "</sdnEntry>\n"
        "<sdnEntry><uid>9002</uid><firstName>Ivan</firstName><lastName>PETROV</lastName>"
        "<sdnType>Individual</sdnType><programList><program>CYBER2</program></programList>\n"
        "<idList>\n"
        "<id><uid>11</uid><idType>Digital Currency Address - XBT</idType>"
        "<idNumber>1AbCdEf</idNumber></id>\n"
        "<id><uid>12</uid><idType>Email Address</idType><idNumber>x@example.ru</idNumber></id>\n"
        "<id><uid>13</uid><idType>Tax ID No.</idType><idNumber>7700000000</idNumber>"
        "<idCountry>Russia</idCountry></id>\n"
        "<id><uid>14</uid><idType>Registration ID</idType><idNumber>1027700000000</idNumber>"
        "<idCountry>Russia</idCountry></id>\n"
        "<id><uid>15</uid><idType>SWIFT/BIC</idType><idNumber>ABCDRUMM</idNumber></id>\n"
        "<id><uid>16</uid><idType>Kenyan ID No.</idType><idNumber>K123</idNumber>"
        "<idCountry>Kenya</idCountry></id>\n"
        "</idList>\n"
        "<akaList><aka><uid>17</uid><type>a.k.a.</type><category>weak</category>"
        "<lastName>VANYA</lastName></aka></akaList>\n"
        "<citizenshipList><citizenship><uid>18</uid><country>Russia</country>"
        "<mainEntry>true</mainEntry></citizenship></citizenshipList>\n"
        "<dateOfBirthList><dateOfBirthItem><uid>19</uid><dateOfBirth>circa 1970</dateOfBirth>"
        "</dateOfBirthItem><dateOfBirthItem><uid>20</uid><dateOfBirth>10 Dec 1948</dateOfBirth>"
        "</dateOfBirthItem><dateOfBirthItem><uid>21</uid><dateOfBirth>sometime</dateOfBirth>"
        "</dateOfBirthItem></dateOfBirthList>\n"
        "<addressList><address><uid>22</uid><address1>1 Main St</address1><city>Moscow</city>"
        "<postalCode>101000</postalCode><country>Atlantis</country></address></addressList>\n"
        "</sdnEntry>\n" SDN_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_UNKNOWN, 0, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(info.format, EMB_FORMAT_OFAC_XML, "sniffed from the sdnList root");
    cr_assert_str_eq(info.published, "2024-12-31", "Publish_Date is MM/DD/YYYY");
    cr_assert_eq(c.n, 2);
    const t_entity *v = t_find(&c, "9001");
    cr_assert_eq(v->schema, EMB_SCHEMA_VESSEL);
    assert_name(v, "OCEAN STAR", EMB_NAME_PRIMARY);
    assert_name(v, "SEA PEARL", EMB_NAME_PREVIOUS);
    assert_name(v, "NEW STAR", EMB_NAME_ALIAS);
    assert_value(v, EMB_PROP_IMO_NUMBER, "IMO 9187629", "Vessel Registration Identification");
    assert_value(v, EMB_PROP_MMSI, "422026700", "MMSI");
    assert_value(v, EMB_PROP_FLAG, "pa", "");
    assert_value(v, EMB_PROP_FLAG, "ir", "");
    assert_value(v, EMB_PROP_NOTES, "Malta", "Former Vessel Flag");
    assert_value(v, EMB_PROP_BUILD_DATE, "1998", "");
    assert_value(v, EMB_PROP_CALL_SIGN, "9BQL", "");
    assert_value(v, EMB_PROP_VESSEL_TYPE, "Crude Oil Tanker", "");
    assert_value(v, EMB_PROP_NOTES, "NITC", "Vessel Owner");
    assert_value(v, EMB_PROP_NOTES, "150,000", "Tonnage");
    assert_value(v, EMB_PROP_NOTES, "80,000", "Gross Registered Tonnage");
    const t_entity *p = t_find(&c, "9002");
    cr_assert_str_eq(p->caption, "PETROV, Ivan");
    assert_name(p, "VANYA", EMB_NAME_WEAK_ALIAS);
    assert_value(p, EMB_PROP_CRYPTO_WALLET, "1AbCdEf", "Digital Currency Address - XBT");
    assert_value(p, EMB_PROP_EMAIL, "x@example.ru", "");
    assert_value(p, EMB_PROP_TAX_NUMBER, "7700000000", "Tax ID No. (Russia)");
    assert_value(p, EMB_PROP_REGISTRATION_NUMBER, "1027700000000", "Registration ID (Russia)");
    assert_value(p, EMB_PROP_SWIFT_BIC, "ABCDRUMM", "SWIFT/BIC");
    assert_value(p, EMB_PROP_ID_NUMBER, "K123", "Kenyan ID No. (Kenya)");
    assert_value(p, EMB_PROP_CITIZENSHIP, "ru", "");
    assert_value(p, EMB_PROP_BIRTH_DATE, "1970", "");
    assert_value(p, EMB_PROP_BIRTH_DATE, "1948-12-10", "");
    /* unreadable date and unknown country are kept, not dropped */
    assert_value(p, EMB_PROP_UNRESOLVED, "sometime", "birthDate");
    assert_value(p, EMB_PROP_UNRESOLVED, "Atlantis", "country");
    assert_value(p, EMB_PROP_ADDRESS, "1 Main St, Moscow, 101000, Atlantis", "");
    t_collect_free(&c);
}

Test(ofac_xml, missing_uid_fails_with_place)
{
    const char *text = SDN_HEAD SDN_ENTITY(
        "1", "ALPHA") "<sdnEntry><lastName>BETA</lastName>"
                      "<sdnType>Entity</sdnType></sdnEntry>\n" SDN_ENTITY("3", "GAMMA") SDN_TAIL;
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_XML, 0, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE);
    cr_assert(strstr(err.msg, "no uid") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "BETA") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 5, "line of the sdnEntry, got %llu", (unsigned long long)err.line);
    cr_assert_str_eq(err.source, "test-input");
    cr_assert_str_eq(err.record_id, "");
    t_collect_free(&c);
}

Test(ofac_xml, missing_uid_skipped_with_skip_bad)
{
    const char *text = SDN_HEAD SDN_ENTITY(
        "1", "ALPHA") "<sdnEntry><lastName>BETA</lastName>"
                      "<sdnType>Entity</sdnType></sdnEntry>\n" SDN_ENTITY("3", "GAMMA") SDN_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.n_skipped, 1);
    cr_assert_eq(c.last_skip.code, EMB_EPARSE);
    cr_assert_eq(c.last_skip.line, 5);
    cr_assert_not_null(t_find(&c, "1"));
    cr_assert_not_null(t_find(&c, "3"));
    t_collect_free(&c);
}

/* A name over the name limit inside an entry: the entry is skipped whole, the next is read. */
Test(ofac_xml, record_over_limit_skipped_mid_entry)
{
    size_t big = EMB_LIMIT_NAME_BYTES + 10;
    const char *head = SDN_HEAD "<sdnEntry><uid>2</uid><lastName>";
    const char *tail = "</lastName><sdnType>Entity</sdnType><akaList><aka><uid>5</uid>"
                       "<type>a.k.a.</type><category>strong</category><lastName>X</lastName>"
                       "</aka></akaList></sdnEntry>\n" SDN_ENTITY("3", "GAMMA") SDN_TAIL;
    size_t n = strlen(head) + big + strlen(tail);
    char *text = malloc(n + 1);
    memcpy(text, head, strlen(head));
    memset(text + strlen(head), 'N', big);
    memcpy(text + strlen(head) + big, tail, strlen(tail) + 1);
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    cr_assert_eq(parse_mem(text, n, EMB_FORMAT_OFAC_XML, 0, NULL, &c, &info, &err), EMB_ELIMIT);
    cr_assert_str_eq(err.record_id, "2");
    t_collect_free(&c);
    emb_status rc = parse_mem(text, n, EMB_FORMAT_OFAC_XML, 1, NULL, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(info.skipped, 1);
    cr_assert_str_eq(c.last_skip.record_id, "2");
    cr_assert_eq(c.n, 1);
    cr_assert_not_null(t_find(&c, "3"));
    free(text);
    t_collect_free(&c);
}

/* A field over EMB_LIMIT_FIELD_BYTES stops the reader inside the element; the entry is
 * skipped from there. */
Test(ofac_xml, field_over_limit_skipped)
{
    size_t big = EMB_LIMIT_FIELD_BYTES + 10;
    const char *head = SDN_HEAD "<sdnEntry><uid>2</uid><lastName>X</lastName><remarks>";
    const char *tail =
        "</remarks><sdnType>Entity</sdnType></sdnEntry>\n" SDN_ENTITY("3", "G") SDN_TAIL;
    size_t n = strlen(head) + big + strlen(tail);
    char *text = malloc(n + 1);
    memcpy(text, head, strlen(head));
    memset(text + strlen(head), 'r', big);
    memcpy(text + strlen(head) + big, tail, strlen(tail) + 1);
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    emb_status rc = parse_mem(text, n, EMB_FORMAT_OFAC_XML, 1, NULL, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.last_skip.code, EMB_ELIMIT);
    cr_assert_eq(c.n, 1);
    cr_assert_not_null(t_find(&c, "3"));
    free(text);
    t_collect_free(&c);
}

/* Elements the parser does not use are passed over whatever their size. */
Test(ofac_xml, unused_element_over_limit_is_ignored)
{
    size_t big = EMB_LIMIT_FIELD_BYTES + 10;
    const char *head = SDN_HEAD "<sdnEntry><uid>2</uid><lastName>X</lastName><futureField>";
    const char *tail = "</futureField><sdnType>Entity</sdnType></sdnEntry>\n" SDN_TAIL;
    size_t n = strlen(head) + big + strlen(tail);
    char *text = malloc(n + 1);
    memcpy(text, head, strlen(head));
    memset(text + strlen(head), 'f', big);
    memcpy(text + strlen(head) + big, tail, strlen(tail) + 1);
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    emb_status rc = parse_mem(text, n, EMB_FORMAT_OFAC_XML, 0, NULL, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.items[0].schema, EMB_SCHEMA_LEGAL_ENTITY);
    free(text);
    t_collect_free(&c);
}

Test(ofac_xml, truncated_file_fails_with_line)
{
    const char *text = SDN_HEAD SDN_ENTITY("1", "ALPHA") "<sdnEntry><uid>2</uid><lastName>BE";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE, "%s", err.msg);
    cr_assert_gt(err.line, 0);
    cr_assert_str_eq(err.source, "test-input");
    t_collect_free(&c);
}

Test(ofac_xml, malformed_xml_fails)
{
    const char *text = SDN_HEAD "<sdnEntry><uid>1</uid><lastName>A</firstName></sdnEntry>" SDN_TAIL;
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, NULL, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "malformed XML") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 4, "got %llu", (unsigned long long)err.line);
    t_collect_free(&c);
}

Test(ofac_xml, doctype_entity_bomb_refused)
{
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE sdnList [<!ENTITY a \"aaaaaaaaaa\">"
                       "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                       "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
                       "<sdnList><sdnEntry><uid>1</uid><lastName>&c;</lastName>"
                       "<sdnType>Entity</sdnType></sdnEntry></sdnList>\n";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE, "%s", err.msg);
    /* refused either by our DOCTYPE check or by libxml2's own entity guard, whichever the
     * read-ahead reaches first; never expanded */
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL || strstr(err.msg, "entity") != NULL, "%s",
              err.msg);
    cr_assert_gt(err.line, 0);
    cr_assert_eq(c.n, 0);
    t_collect_free(&c);
}

/* libxml2 stops at the first byte that is not UTF-8: the file fails there, as an encoding
 * error (EMB_EUTF8) or a malformed document (EMB_EPARSE), never as a skippable record. */
Test(ofac_xml, invalid_utf8_fails_with_line)
{
    const char *text =
        SDN_HEAD SDN_ENTITY("1", "ALPHA") "<sdnEntry><uid>2</uid>\n"
                                          "<lastName>BAD\xC3(NAME</lastName>"
                                          "<sdnType>Entity</sdnType></sdnEntry>\n" SDN_TAIL;
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, NULL, &err);
    cr_assert(rc == EMB_EUTF8 || rc == EMB_EPARSE, "got %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "UTF-8") != NULL, "%s", err.msg);
    cr_assert_eq(c.n_skipped, 0, "a broken file is not a skipped record");
    cr_assert_eq(err.line, 6, "got %llu", (unsigned long long)err.line);
    t_collect_free(&c);
}

Test(ofac_xml, wrong_root_is_format_error)
{
    const char *text = "<?xml version=\"1.0\"?><sanctionsData><entities/></sanctionsData>";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_XML, 0, &c, NULL, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "sanctionsData") != NULL, "%s", err.msg);
    t_collect_free(&c);
}

Test(ofac_xml, unknown_sdn_type_is_bad_record)
{
    const char *text =
        SDN_HEAD "<sdnEntry><uid>7</uid><lastName>Q</lastName>"
                 "<sdnType>Spaceship</sdnType></sdnEntry>\n" SDN_ENTITY("8", "R") SDN_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_XML, 0, &c, &info, &err), EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "7");
    t_collect_free(&c);
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_XML, 1, &c, &info, &err), EMB_OK);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.n, 1);
    t_collect_free(&c);
}

/* ------------------------------------------------------------ enhanced XML: real file */

Test(ofac_enhanced, real_cons_counts)
{
    t_collect c = {0};
    emb_source_info info = t_parse_ok(test_data(CONS_ENHANCED), NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_OFAC_ENHANCED_XML);
    cr_assert_eq(info.entities, 443);
    cr_assert_eq(info.names, 1623, "got %llu", (unsigned long long)info.names);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 80);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 363);
    cr_assert_eq(info.skipped, 0);
    cr_assert_str_eq(info.published, "2025-01-10");
    cr_assert_str_eq(info.dataset, "us_ofac_cons", "the file is filtered to the Consolidated List");
    size_t original = 0, unresolved = 0;
    for (size_t i = 0; i < c.n; i++) {
        for (size_t k = 0; k < c.items[i].n_names; k++)
            original += c.items[i].names[k].kind == EMB_NAME_ORIGINAL_SCRIPT;
        unresolved += t_count_values(&c.items[i], EMB_PROP_UNRESOLVED);
    }
    /* 56 non-Latin translations (50 Cyrillic, 6 Chinese): 44 distinct within their entity
     * (counted with Python's ElementTree), plus one of a low-quality alias, kept weak */
    cr_assert_eq(original, 44, "got %zu", original);
    cr_assert_eq(unresolved, 0);
    t_collect_free(&c);
}

Test(ofac_enhanced, dataset_override)
{
    t_collect c = {0};
    emb_source_info info = t_parse_ok(test_data(CONS_ENHANCED), "my_ofac", &c);
    cr_assert_str_eq(info.dataset, "my_ofac");
    cr_assert_str_eq(c.items[0].id, "my_ofac-9639");
    t_collect_free(&c);
}

Test(ofac_enhanced, spot_person_with_passport)
{
    t_collect c = {0};
    t_parse_ok(test_data(CONS_ENHANCED), NULL, &c);
    const t_entity *e = t_find(&c, "26182");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "us_ofac_cons-26182");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "KAYAKIRAN, Evren");
    cr_assert_eq(e->n_names, 1);
    assert_value(e, EMB_PROP_PROGRAM, "FSE-IR", "");
    assert_value(e, EMB_PROP_PASSPORT_NUMBER, "U00242309", "Passport (Turkey)");
    assert_value(e, EMB_PROP_BIRTH_DATE, "1980-02-08", "");
    assert_value(e, EMB_PROP_CITIZENSHIP, "tr", "");
    assert_value(e, EMB_PROP_GENDER, "male", "");
    assert_value(e, EMB_PROP_COUNTRY, "tr", "");
    assert_value(e, EMB_PROP_LISTING_DATE, "2019-02-07", "");
    assert_value(e, EMB_PROP_NOTES, "FSE List", "Sanctions list");
    assert_value(e, EMB_PROP_NOTES, "Executive Order 13608 (Iran/Syria)", "Legal authority");
    t_collect_free(&c);
}

Test(ofac_enhanced, spot_bank_with_cyrillic_name)
{
    t_collect c = {0};
    t_parse_ok(test_data(CONS_ENHANCED), NULL, &c);
    const t_entity *e = t_find(&c, "17013");
    cr_assert_not_null(e);
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(e->caption, "VTB BANK PUBLIC JOINT STOCK COMPANY");
    assert_name(e, "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", EMB_NAME_ORIGINAL_SCRIPT);
    assert_name(e, "БАНК ВТБ ПАО", EMB_NAME_ORIGINAL_SCRIPT);
    assert_name(e, "VTB BANK PJSC", EMB_NAME_ALIAS);
    assert_name(e, "VNESHTORGBANK", EMB_NAME_PREVIOUS);
    assert_name(e, "JSC VTB BANK NEW DELHI BRANCH", EMB_NAME_WEAK_ALIAS);
    cr_assert_eq(e->n_names, 31);
    assert_value(e, EMB_PROP_PROGRAM, "UKRAINE-EO13662", "");
    assert_value(e, EMB_PROP_PROGRAM, "RUSSIA-EO14024", "");
    assert_value(e, EMB_PROP_SWIFT_BIC, "VTBRRUMM", "SWIFT/BIC");
    assert_value(e, EMB_PROP_WEBSITE, "www.vtb.ru", "");
    assert_value(e, EMB_PROP_REGISTRATION_NUMBER, "1027739609391", "Registration ID (Russia)");
    assert_value(e, EMB_PROP_TAX_NUMBER, "7702070139", "Tax ID No. (Russia)");
    assert_value(e, EMB_PROP_LEI_CODE, "253400V1H6ART1UQ0N98", "Legal Entity Number (Russia)");
    assert_value(e, EMB_PROP_INCORPORATION_DATE, "1990-10-17", "");
    assert_value(e, EMB_PROP_ADDRESS, "29, Bolshaya Morskaya str., St. Petersburg, 190000, Russia",
                 "");
    assert_value(e, EMB_PROP_COUNTRY, "ru", "");
    assert_value(e, EMB_PROP_COUNTRY, "in", "");
    assert_value(e, EMB_PROP_LISTING_DATE, "2014-07-29", "");
    assert_value(e, EMB_PROP_LISTING_DATE, "2022-02-24", "");
    cr_assert_null(find_value(e, EMB_PROP_LISTING_DATE, "2014-10-10"),
                   "the Consolidated List's own start date is not a listing date");
    assert_value(e, EMB_PROP_NOTES, "SDN List", "Sanctions list");
    assert_value(e, EMB_PROP_NOTES, "See Section 11 of Executive Order 14024.",
                 "Secondary sanctions risk:");
    t_collect_free(&c);
}

Test(ofac_enhanced, spot_chinese_name_and_inn)
{
    t_collect c = {0};
    t_parse_ok(test_data(CONS_ENHANCED), NULL, &c);
    const t_entity *e = t_find(&c, "33091");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "MEGVII TECHNOLOGY LIMITED");
    assert_name(e, "旷视科技有限公司", EMB_NAME_ORIGINAL_SCRIPT);
    assert_value(e, EMB_PROP_PROGRAM, "CMIC-EO13959", "");
    assert_value(e, EMB_PROP_COUNTRY, "ky", "");
    assert_value(e, EMB_PROP_LISTING_DATE, "2021-12-16", "");
    /* the relationship and the Russian register named as issuing authority */
    e = t_find(&c, "9647");
    cr_assert_not_null(e);
    assert_value(e, EMB_PROP_NOTES, "HAMAS", "Acting for or on behalf of");
    assert_value(e, EMB_PROP_NATIONALITY, "ps", "");
    assert_name(e, "ZAHAR, Mahmoud", EMB_NAME_WEAK_ALIAS);
    size_t inn = 0;
    for (size_t i = 0; i < c.n; i++)
        inn += t_count_values(&c.items[i], EMB_PROP_INN_CODE);
    cr_assert_eq(inn, 12, "12 Tax ID No. documents issued by INN, got %zu", inn);
    t_collect_free(&c);
}

/* ------------------------------------------------------------ enhanced XML: edge cases */

#define ENH_HEAD                                                                                   \
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"                                                 \
    "<sanctionsData xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/"                      \
    "PublicationPreview/exports/ENHANCED_XML\">\n"                                                 \
    "<publicationInfo><dataAsOf>2025-02-03T00:00:00</dataAsOf><filters><sanctionsLists>"           \
    "<sanctionsList refId=\"1550\">SDN List</sanctionsList></sanctionsLists></filters>"            \
    "</publicationInfo>\n"                                                                         \
    "<referenceValues>\n"                                                                          \
    "<referenceValue refId=\"600\"><type>SDN TYPE</type><value>Individual</value>"                 \
    "</referenceValue>\n"                                                                          \
    "<referenceValue refId=\"1401\"><type>ALIAS TYPE</type><value>F.K.A.</value>"                  \
    "</referenceValue>\n"                                                                          \
    "<referenceValue refId=\"20107\"><type>SCRIPT</type><value>Cyrillic</value>"                   \
    "</referenceValue>\n"                                                                          \
    "<referenceValue refId=\"1571\"><type>ID DOCUMENT TYPE</type><value>Passport</value>"          \
    "</referenceValue>\n"                                                                          \
    "<referenceValue refId=\"11171\"><type>COUNTRY</type><value>Russia</value>"                    \
    "</referenceValue>\n"                                                                          \
    "</referenceValues>\n"                                                                         \
    "<featureTypes><featureType featureTypeId=\"8\"><type>Birthdate</type></featureType>"          \
    "</featureTypes>\n<entities>\n"
#define ENH_TAIL "</entities>\n</sanctionsData>\n"
#define ENH_NAME(primary, alias, text)                                                             \
    "<name><isPrimary>" primary "</isPrimary>" alias "<isLowQuality>false</isLowQuality>"          \
    "<translations><translation><isPrimary>true</isPrimary><script refId=\"20122\">Latin"          \
    "</script><formattedFullName>" text "</formattedFullName></translation></translations>"        \
    "</name>"
#define ENH_ENTITY(id, name)                                                                       \
    "<entity id=\"" id "\"><generalInfo><entityType refId=\"601\">Entity</entityType>"             \
    "</generalInfo><names>" ENH_NAME("true", "", name) "</names></entity>\n"

/* Coded values with no text are resolved through referenceValues / featureTypes. */
Test(ofac_enhanced, coded_values_resolved_by_reference)
{
    const char *text = ENH_HEAD
        "<entity id=\"500\"><generalInfo><entityType refId=\"600\"/></generalInfo>"
        "<sanctionsLists><sanctionsList refId=\"1550\" datePublished=\"2024-03-01\">SDN List"
        "</sanctionsList></sanctionsLists>"
        "<sanctionsPrograms><sanctionsProgram refId=\"9\">RUSSIA-EO14024</sanctionsProgram>"
        "</sanctionsPrograms><names>"
        "<name><isPrimary>true</isPrimary><isLowQuality>false</isLowQuality><translations>"
        "<translation><isPrimary>true</isPrimary><script refId=\"20122\">Latin</script>"
        "<nameParts><namePart><type refId=\"1521\">First Name</type><value>Ivan</value>"
        "</namePart><namePart><type refId=\"1520\">Last Name</type><value>PETROV</value>"
        "</namePart></nameParts></translation>"
        "<translation><isPrimary>false</isPrimary><script refId=\"20107\"></script>"
        "<formattedFullName>ПЕТРОВ, Иван</formattedFullName></translation>"
        "</translations></name>"
        "<name><isPrimary>false</isPrimary><aliasType refId=\"1401\"/>"
        "<isLowQuality>false</isLowQuality><translations><translation>"
        "<formattedFullName>SIDOROV, Ivan</formattedFullName></translation></translations>"
        "</name></names>"
        "<features><feature><type featureTypeId=\"8\"></type><value>circa 1970</value>"
        "</feature><feature><type featureTypeId=\"8\">Birthdate</type>"
        "<valueDate><fromDateBegin>1975-01-01</fromDateBegin>"
        "<toDateEnd>1977-12-31</toDateEnd></valueDate></feature>"
        "<feature><type featureTypeId=\"10\">Nationality Country</type>"
        "<valueRefId>11171</valueRefId></feature></features>"
        "<identityDocuments><identityDocument><type refId=\"1571\"></type>"
        "<documentNumber>7500000</documentNumber>"
        "<issuingCountry refId=\"11171\"/></identityDocument></identityDocuments>"
        "</entity>\n" ENH_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_UNKNOWN, 0, &c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "%s (line %llu)", err.msg, (unsigned long long)err.line);
    cr_assert_eq(info.format, EMB_FORMAT_OFAC_ENHANCED_XML);
    cr_assert_str_eq(info.dataset, "us_ofac_sdn", "the file is filtered to the SDN List");
    cr_assert_str_eq(info.published, "2025-02-03");
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_str_eq(e->id, "us_ofac_sdn-500");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(e->caption, "Ivan PETROV", "name parts in document order");
    assert_name(e, "ПЕТРОВ, Иван", EMB_NAME_ORIGINAL_SCRIPT);
    assert_name(e, "SIDOROV, Ivan", EMB_NAME_PREVIOUS);
    assert_value(e, EMB_PROP_BIRTH_DATE, "1970", "");
    assert_value(e, EMB_PROP_BIRTH_DATE, "1975", "");
    assert_value(e, EMB_PROP_BIRTH_DATE, "1977", "");
    assert_value(e, EMB_PROP_NATIONALITY, "ru", "");
    assert_value(e, EMB_PROP_PASSPORT_NUMBER, "7500000", "Passport (Russia)");
    assert_value(e, EMB_PROP_LISTING_DATE, "2024-03-01", "");
    t_collect_free(&c);
}

Test(ofac_enhanced, missing_entity_id)
{
    const char *text = ENH_HEAD ENH_ENTITY(
        "1", "ALPHA") "<entity><generalInfo><entityType>Entity</entityType></"
                      "generalInfo><names>" ENH_NAME(
                          "true", "", "BETA") "</names></entity>\n" ENH_ENTITY("3", "GAMMA")
                          ENH_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 0, &c, &info, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "no id") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 14, "got %llu", (unsigned long long)err.line);
    cr_assert_eq(c.n, 1);
    t_collect_free(&c);
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 1, &c, &info, &err), EMB_OK);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.last_skip.line, 14);
    cr_assert_eq(c.n, 2);
    cr_assert_not_null(t_find(&c, "3"));
    t_collect_free(&c);
}

Test(ofac_enhanced, entity_without_primary_name_is_bad)
{
    const char *text = ENH_HEAD
        "<entity id=\"44\"><generalInfo><entityType>Entity</entityType>"
        "</generalInfo><names>" ENH_NAME(
            "false", "", "ONLY AN ALIAS") "</names></entity>\n" ENH_ENTITY("45", "OK") ENH_TAIL;
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 0, &c, &info, &err), EMB_EPARSE);
    cr_assert_str_eq(err.record_id, "44");
    t_collect_free(&c);
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 1, &c, &info, &err), EMB_OK);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.n, 1);
    t_collect_free(&c);
}

Test(ofac_enhanced, truncated_file_fails)
{
    const char *text = ENH_HEAD ENH_ENTITY("1", "ALPHA") "<entity id=\"2\"><names><name>";
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 1, &c, NULL, &err);
    cr_assert_eq(rc, EMB_EPARSE, "%s", err.msg);
    cr_assert_gt(err.line, 0);
    cr_assert_eq(c.n_skipped, 0, "a broken file is not a skipped record");
    t_collect_free(&c);
}

Test(ofac_enhanced, doctype_refused)
{
    const char *text = "<?xml version=\"1.0\"?>\n<!DOCTYPE sanctionsData [<!ENTITY x \"y\">]>\n"
                       "<sanctionsData><entities/></sanctionsData>\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 1, &c, NULL, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "DOCTYPE") != NULL, "%s", err.msg);
    t_collect_free(&c);
}

Test(ofac_enhanced, invalid_utf8_fails)
{
    const char *text = ENH_HEAD ENH_ENTITY("1", "ALPHA") ENH_ENTITY("2", "B\xFF\xFEX") ENH_TAIL;
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_str(text, EMB_FORMAT_OFAC_ENHANCED_XML, 1, &c, NULL, &err);
    cr_assert(rc == EMB_EUTF8 || rc == EMB_EPARSE, "got %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "UTF-8") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 14, "got %llu", (unsigned long long)err.line);
    t_collect_free(&c);
}

Test(ofac_enhanced, deep_nesting_refused)
{
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof(text), "%s<entity id=\"1\"><generalInfo>", ENH_HEAD);
    for (int i = 0; i < EMB_LIMIT_DEPTH + 4; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "<x>");
    for (int i = 0; i < EMB_LIMIT_DEPTH + 4; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "</x>");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "</generalInfo></entity>%s", ENH_TAIL);
    t_collect c = {0};
    emb_error err;
    emb_status rc = parse_mem(text, n, EMB_FORMAT_OFAC_ENHANCED_XML, 1, NULL, &c, NULL, &err);
    cr_assert_eq(rc, EMB_ELIMIT, "got %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "nesting") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 0);
    t_collect_free(&c);
}

Test(ofac_enhanced, overlong_entity_id_is_bad_record)
{
    char id[EMB_LIMIT_ID_BYTES + 20];
    memset(id, '7', sizeof(id) - 1);
    id[sizeof(id) - 1] = '\0';
    char text[8192];
    int n = snprintf(
        text, sizeof(text),
        "%s" ENH_ENTITY(
            "1", "ALPHA") "<entity id=\"%s\"><generalInfo><entityType>Entity</entityType>"
                          "</generalInfo><names>" ENH_NAME(
                              "true", "", "LONG") "</names></entity>\n" ENH_ENTITY("3", "GAMMA")
                              ENH_TAIL,
        ENH_HEAD, id);
    cr_assert(n > 0 && (size_t)n < sizeof(text));
    t_collect c = {0};
    emb_source_info info;
    emb_error err;
    cr_assert_eq(parse_mem(text, (size_t)n, EMB_FORMAT_OFAC_ENHANCED_XML, 0, NULL, &c, &info, &err),
                 EMB_ELIMIT);
    cr_assert_eq(err.line, 14);
    cr_assert_str_eq(err.record_id, "");
    t_collect_free(&c);
    cr_assert_eq(parse_mem(text, (size_t)n, EMB_FORMAT_OFAC_ENHANCED_XML, 1, NULL, &c, &info, &err),
                 EMB_OK);
    cr_assert_eq(info.skipped, 1);
    cr_assert_eq(c.n, 2);
    t_collect_free(&c);
}
