/* US Consolidated Screening List CSV (trade.gov). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define CSL_FILE "us_csl/consolidated_2022-05.csv.gz"

Test(us_csl, consolidated_2022_05_counts_and_unique_ids)
{
    const char *path = test_data(CSL_FILE);
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_US_CSL_CSV);
    cr_assert_str_eq(info.dataset, "us_trade_csl");
    /* every row is an entity: CAP 15268 is printed twice (the repeat differs in its
     * source_list_url) and is kept as CAP-15268#2 */
    cr_assert_eq(info.entities, 14160);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 5286);
    cr_assert_eq(info.schemas[EMB_SCHEMA_VESSEL], 433);
    cr_assert_eq(info.schemas[EMB_SCHEMA_AIRPLANE], 283);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 4533 + 3625, "Entity and empty type");
    cr_assert_eq(info.names, 34081);
    cr_assert_eq(info.skipped, 0);

    char **ids = malloc(c.n * sizeof(char *));
    for (size_t i = 0; i < c.n; i++)
        ids[i] = c.items[i].id;
    qsort(ids, c.n, sizeof(char *), cmp_str);
    for (size_t i = 1; i < c.n; i++)
        cr_assert(strcmp(ids[i - 1], ids[i]) != 0, "entity id %s is repeated", ids[i]);
    free(ids);

    /* entity_number 18741 is on SDN and SSI: one entity per list */
    cr_assert_not_null(t_find(&c, "18741"));
    const t_entity *ssi = t_find(&c, "SSI-18741");
    cr_assert_not_null(ssi);
    cr_assert_str_eq(ssi->id, "us_trade_csl-SSI-18741");
    cr_assert(t_has_value_q(ssi, EMB_PROP_PROGRAM, "UKRAINE-EO13662", "SSI"));
    cr_assert(
        t_has_value_q(ssi, EMB_PROP_REGISTRATION_NUMBER, "1027700256297", "Registration ID, RU"));
    cr_assert(t_has_value(ssi, EMB_PROP_WEBSITE, "www.aukcion-sbrf.ru"));
    cr_assert(t_has_value_q(ssi, EMB_PROP_NOTES, "Subject to Directive 1",
                          "Executive Order 13662 Directive Determination -"));
    cr_assert_not_null(t_find(&c, "CAP-15268"));
    cr_assert_not_null(t_find(&c, "CAP-15268#2"));
    t_collect_free(&c);
}

Test(us_csl, consolidated_2022_05_records)
{
    const char *path = test_data(CSL_FILE);
    t_collect c = {0};
    t_parse_ok(path, NULL, &c);

    /* an SDN individual: OFAC uid, aliases, DOB, nationalities, passport with country */
    const t_entity *p = t_find(&c, "9935");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->id, "us_trade_csl-9935");
    cr_assert_eq(p->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(p->caption, "'ABD AL-RAZZIQ, Abu Sufian al-Salamabi Muhammed Ahmed");
    cr_assert_eq(p->n_names, 15);
    cr_assert(t_has_name(p, "DJOLAIBA THE SUDANESE", EMB_NAME_ALIAS));
    cr_assert(t_has_value(p, EMB_PROP_BIRTH_DATE, "1962-08-06"));
    cr_assert(t_has_value(p, EMB_PROP_NATIONALITY, "ca"));
    cr_assert(t_has_value(p, EMB_PROP_NATIONALITY, "sd"));
    cr_assert(t_has_value(p, EMB_PROP_BIRTH_PLACE, "Albaouga, Sudan"));
    cr_assert(t_has_value_q(p, EMB_PROP_PASSPORT_NUMBER, "BC166787", "Passport, CA"));
    cr_assert(t_has_value_q(p, EMB_PROP_PROGRAM, "SDGT", "SDN"));
    cr_assert(t_has_value(p, EMB_PROP_AUTHORITY,
                          "Specially Designated Nationals (SDN) - Treasury Department"));

    /* expiry and issue dates between country and number */
    const t_entity *q = t_find(&c, "17291");
    cr_assert_not_null(q);
    cr_assert(t_has_value_q(q, EMB_PROP_PASSPORT_NUMBER, "K475336", "Passport, JO"));
    cr_assert(t_has_value_q(q, EMB_PROP_ID_NUMBER, "28940000602", "National ID No., QA"));

    /* a vessel: flag by name, IMO from "Vessel Registration Identification" */
    const t_entity *v = t_find(&c, "23156");
    cr_assert_not_null(v);
    cr_assert_eq(v->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(v->caption, "7-28");
    cr_assert(t_has_value(v, EMB_PROP_FLAG, "kp"));
    cr_assert(t_has_value(v, EMB_PROP_IMO_NUMBER, "IMO 8898831"));
    cr_assert(t_has_value(v, EMB_PROP_PROGRAM, "DPRK4"));
    cr_assert(t_has_value(v, EMB_PROP_NOTES, "(Linked To: YUSONG SHIPPING CO)"));
    cr_assert(t_has_value_q(v, EMB_PROP_NOTES,
                          "North Korea Sanctions Regulations, sections 510.201 "
                          "and 510.210",
                          "Secondary sanctions risk:"),
              "a statement with commas stays whole");

    /* an aircraft */
    const t_entity *a = t_find(&c, "15445");
    cr_assert_not_null(a);
    cr_assert_eq(a->schema, EMB_SCHEMA_AIRPLANE);
    cr_assert(t_has_value(a, EMB_PROP_BUILD_DATE, "1988-05-17"));
    cr_assert(t_has_value_q(a, EMB_PROP_NOTES, "A300B4-605R", "Aircraft Model"));
    cr_assert(t_count_values(a, EMB_PROP_PROGRAM) == 3);

    /* a BIS Denied Persons row: no entity_number, no type, no programs */
    const t_entity *d = t_find(&c, "deb7a1d5743a85c354ca1a2c7f2664e2104b32d7");
    cr_assert_not_null(d);
    cr_assert_eq(d->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_str_eq(d->caption, "I. ASH");
    cr_assert(t_has_value(d, EMB_PROP_LISTING_DATE, "2003-06-19"));
    cr_assert(t_has_value_q(d, EMB_PROP_NOTES, "2056-06-29", "end_date"));
    cr_assert(t_has_value_q(d, EMB_PROP_PROGRAM, "Denied Persons List (DPL)", "DPL"));
    cr_assert(t_has_value(d, EMB_PROP_COUNTRY, "us"), "country at the end of the address");
    cr_assert(t_has_value(d, EMB_PROP_ADDRESS,
                          "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI "
                          "SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US"));

    const t_entity *r = t_find(&c, "21944");
    cr_assert_not_null(r);
    cr_assert(t_has_value(r, EMB_PROP_POSITION, "Scientific Studies and Research Center Employee"));
    t_collect_free(&c);
}

static const char csl_header[] =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids\n";

#define SDN "Specially Designated Nationals (SDN) - Treasury Department"
#define EL  "Entity List (EL) - Bureau of Industry and Security"

Test(us_csl, ids_dates_and_repeats)
{
    char text[4096];
    snprintf(
        text, sizeof(text), "%s%s", csl_header,
        "1," SDN
        ",1,Individual,SDGT; IRAN,\"DOE, John\",,\"Street 1, Tehran, IR; Nowhere, Atlantis\","
        ",,,,,,,,,,,,,,\"DOE, J.; DOE, Johnny\",IR,circa 1960; 1961-02-03,IR; Iranian,Tehran,,"
        "\"JO, 2014-08-30, 2009-08-31, K475336, Passport; 1Abc, Digital Currency Address - XBT; "
        "Male, Gender; 123, Unknown Label\"\n"
        "h2," EL ",,,,\"ACME, Ltd.\",,,,2020-01-02,,,,,,,,,,,,,,,,,,,\n"
        "h2," EL ",,,,\"ACME, Ltd.\",,,,2020-01-02,,,,,,,,,,,,,,,,,,,\n"
        "h2," EL ",,,,\"ACME, Ltd.\",,,,2020-01-03,,,,,,,,,,,,,,,,,,,\n");
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 3, "the exact repeat is dropped, the differing one kept");
    const t_entity *p = t_find(&c, "1");
    cr_assert_not_null(p);
    cr_assert(t_has_name(p, "DOE, Johnny", EMB_NAME_ALIAS));
    cr_assert(t_has_value(p, EMB_PROP_BIRTH_DATE, "1960"));
    cr_assert(t_has_value(p, EMB_PROP_BIRTH_DATE, "1961-02-03"));
    cr_assert(t_has_value(p, EMB_PROP_CITIZENSHIP, "ir"));
    cr_assert(t_has_value(p, EMB_PROP_NATIONALITY, "ir"));
    cr_assert(t_has_value(p, EMB_PROP_COUNTRY, "ir"));
    cr_assert(t_has_value(p, EMB_PROP_ADDRESS, "Nowhere, Atlantis"));
    cr_assert_eq(t_count_values(p, EMB_PROP_COUNTRY), 1, "an unknown address country is left out");
    cr_assert(t_has_value_q(p, EMB_PROP_PROGRAM, "IRAN", "SDN"));
    cr_assert(t_has_value_q(p, EMB_PROP_PASSPORT_NUMBER, "K475336", "Passport, JO"));
    cr_assert(t_has_value_q(p, EMB_PROP_CRYPTO_WALLET, "1Abc", "XBT"));
    cr_assert(t_has_value_q(p, EMB_PROP_GENDER, "Male", ""));
    cr_assert(t_has_value_q(p, EMB_PROP_ID_NUMBER, "123", "Unknown Label"));
    const t_entity *h = t_find(&c, "h2");
    cr_assert_not_null(h);
    cr_assert_eq(h->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_value(h, EMB_PROP_LISTING_DATE, "2020-01-02"));
    cr_assert(t_has_value_q(h, EMB_PROP_PROGRAM, "Entity List (EL)", "EL"));
    const t_entity *h2 = t_find(&c, "h2#2");
    cr_assert_not_null(h2);
    cr_assert(t_has_value(h2, EMB_PROP_LISTING_DATE, "2020-01-03"));
    t_collect_free(&c);
}

Test(us_csl, bad_rows_fail_or_are_skipped)
{
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", csl_header,
             "1," SDN ",1,Individual,,Good One,,,,,,,,,,,,,,,,,,,,,,,\n"
             "2," SDN ",2,Spaceship,,Bad Type,,,,,,,,,,,,,,,,,,,,,,,\n"
             "3," SDN ",3,Entity,,,,,,,,,,,,,,,,,,,,,,,,,\n"
             ",,,,,Ragged\n"
             "," EL ",,,,No Id,,,,,,,,,,,,,,,,,,,,,,,\n"
             "6," SDN ",6,Vessel,,Good Ship,,,,,,,,,,,,,,,,,,,,,,,\n");
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_US_CSL_CSV, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 3);
    cr_assert_str_eq(err.record_id, "2");
    cr_assert(strstr(err.msg, "Spaceship") != NULL, "%s", err.msg);
    t_collect_free(&c);

    t_collect s = {0};
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_US_CSL_CSV, 1, &s, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.n_skipped, 4, "bad type, no name, ragged row, no id");
    cr_assert_eq(s.last_skip.line, 6);
    cr_assert(strstr(s.last_skip.msg, "neither entity_number nor _id") != NULL, "%s",
              s.last_skip.msg);
    cr_assert_not_null(t_find(&s, "6"));
    t_collect_free(&s);
}

Test(us_csl, missing_required_columns)
{
    t_collect c = {0};
    emb_error err;
    const char *text = "_id,source,entity_number,type,alt_names,programs\n1,x,1,Entity,,\n";
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_US_CSL_CSV, 0, &c, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "missing required column 'name'") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 1);
    cr_assert_eq(t_parse_text("", EMB_FORMAT_US_CSL_CSV, 0, &c, &err), EMB_EFORMAT);
    t_collect_free(&c);
}

Test(us_csl, invalid_utf8_names_its_line)
{
    char text[2048];
    snprintf(text, sizeof(text), "%s%s", csl_header,
             "1," SDN ",1,Individual,,Good One,,,,,,,,,,,,,,,,,,,,,,,\n"
             "2," SDN ",2,Individual,,Bad \xC3( Name,,,,,,,,,,,,,,,,,,,,,,,\n");
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_US_CSL_CSV, 0, &c, &err), EMB_EUTF8);
    cr_assert_eq(err.line, 3);
    t_collect_free(&c);
}

/* A .gz cut in the middle: the parse fails with the place instead of delivering a partial list
 * as complete. */
Test(us_csl, truncated_gzip_fails)
{
    const char *path = test_data(CSL_FILE);
    FILE *in = fopen(path, "rb");
    cr_assert_not_null(in);
    static char buf[600 * 1024];
    size_t n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    cr_assert_eq(n, sizeof(buf), "the real file is larger than the cut");
    char tmpl[] = "/tmp/emb_csl_XXXXXX";
    int fd = mkstemp(tmpl);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, buf, n), (ssize_t)n);
    close(fd);

    t_collect c = {0};
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    emb_error err;
    emb_source_info info;
    emb_status rc = emb_parse_file(tmpl, &opts, t_collect_fn, &c, &info, &err);
    cr_assert_eq(rc, EMB_ECORRUPT, "status %d: %s", rc, err.msg);
    cr_assert(strstr(err.msg, "truncated") != NULL, "%s", err.msg);
    cr_assert_str_eq(err.source, tmpl);
    cr_assert_gt(err.line, info.entities, "the line of the row being read (%llu)",
                 (unsigned long long)err.line);
    cr_assert_str_eq(err.record_id, "", "no earlier row is blamed");
    cr_assert_gt(info.entities, 1000, "rows before the cut were read");
    cr_assert_lt(info.entities, 14160);

    opts.skip_bad = 1;
    t_collect s = {0};
    rc = emb_parse_file(tmpl, &opts, t_collect_fn, &s, NULL, &err);
    unlink(tmpl);
    cr_assert_neq(rc, EMB_OK, "a truncated file is not a bad record");
    cr_assert_eq(s.n_skipped, 0);
    t_collect_free(&c);
    t_collect_free(&s);
}
