/* OpenSanctions exports: FollowTheMoney JSON lines and targets.simple.csv. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "test_util.h"

/* Log lines the library writes during a test (each test runs in its own process). */
static char g_log[4096];

static void capture_log(void *ud, emb_log_level level, const char *component, const char *msg)
{
    (void)ud;
    size_t n = strlen(g_log);
    snprintf(g_log + n, sizeof(g_log) - n, "%d %s: %s\n", (int)level, component, msg);
}

/* ---------------------------------------------------------------- FtM JSON, real files */

Test(ftm_json, zala_targets_with_their_sanctions)
{
    const char *path = test_data("opensanctions/yente_fixtures/zala_entities.ftm.json");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_FTM_JSON);
    cr_assert_str_eq(info.dataset, "opensanctions");
    /* 91 lines: 6 Person and 11 Company are targets; 41 Sanction, 11 Address, 14 Ownership,
     * 4 Family, 3 Directorship, 1 Passport are folded in or left out */
    cr_assert_eq(info.entities, 17);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 6);
    cr_assert_eq(info.schemas[EMB_SCHEMA_COMPANY], 11);
    cr_assert_eq(info.names, 245);
    cr_assert_eq(info.skipped, 0);
    cr_assert_str_eq(info.published, "2026-04-29", "newest last_seen");

    const t_entity *z = t_find(&c, "NK-aU5ybkbRFJucf8YMwsJvDw");
    cr_assert_not_null(z);
    cr_assert_str_eq(z->id, "opensanctions-NK-aU5ybkbRFJucf8YMwsJvDw");
    cr_assert_str_eq(z->caption, "Alexander Vyacheslavovich ZAKHAROV");
    cr_assert_str_eq(z->names[0].value, "Alexander Vyacheslavovich ZAKHAROV", "caption first");
    cr_assert_eq(z->schema, EMB_SCHEMA_PERSON);
    cr_assert(t_has_name(z, "Александр Вячеславович Захаров", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(z, "Zakharov Oleksandr Viacheslavovych", EMB_NAME_ALIAS));
    cr_assert_eq(t_count_kind(z, EMB_NAME_ALIAS), 6);
    cr_assert(t_has_value(z, EMB_PROP_BIRTH_DATE, "1965-09-21"));
    cr_assert(t_has_value(z, EMB_PROP_NATIONALITY, "ru"));
    cr_assert(t_has_value(z, EMB_PROP_BIRTH_COUNTRY, "ru"));
    cr_assert(t_has_value(z, EMB_PROP_INN_CODE, "183111242406"));
    cr_assert(t_has_value(z, EMB_PROP_GENDER, "male"));
    cr_assert(t_has_value_q(z, EMB_PROP_ID_NUMBER, "RSCWQEZSPEN9", "uniqueEntityId"));
    /* programs of the Sanction entities pointing at him (OFAC, UK, SECO, Ukraine) */
    cr_assert(t_has_value(z, EMB_PROP_PROGRAM, "RUSSIA-EO14024"));
    cr_assert(
        t_has_value(z, EMB_PROP_PROGRAM, "The Russia (Sanctions) (EU Exit) Regulations 2019"));
    cr_assert(t_has_value(z, EMB_PROP_PROGRAM, "364/2023"));
    cr_assert(t_has_value(z, EMB_PROP_PROGRAM, "US-RUSHAR"));
    cr_assert(t_has_value(z, EMB_PROP_PROGRAM, "EU-UKR"));
    cr_assert(t_has_value_q(z, EMB_PROP_AUTHORITY, "Office of Foreign Assets Control", "us"),
              "the sanctioning country qualifies the authority");
    cr_assert(
        t_has_value_q(z, EMB_PROP_AUTHORITY, "Foreign, Commonwealth & Development Office", "gb"));
    cr_assert(t_has_value(z, EMB_PROP_LISTING_DATE, "2023-12-06"));
    cr_assert(t_has_value(z, EMB_PROP_REASON, "Executive Order 14024 (Russia)"));
    cr_assert(!t_has_value(z, EMB_PROP_COUNTRY, "us"), "a sanction's country is not his");
    /* his Address entity (addressEntity) */
    cr_assert(t_has_value(z, EMB_PROP_ADDRESS, "272 Pushkinskaya Street, Apt 41, Izhevsk, 426008"));
    cr_assert(t_has_value_q(z, EMB_PROP_NOTES, "us_ofac_sdn", "datasets"));

    /* LLC CST: Entity List program from its BIS sanction, addresses from Address entities */
    const t_entity *cst = t_find(&c, "NK-abdzbEBkqyT29GyREbiURZ");
    cr_assert_not_null(cst);
    cr_assert_str_eq(cst->caption, "LLC CST");
    cr_assert(t_has_value(cst, EMB_PROP_PROGRAM, "US-BIS-EL"));
    cr_assert(t_has_value(cst, EMB_PROP_PROGRAM, "NZ-RSA2022"));
    cr_assert(t_has_value(cst, EMB_PROP_ADDRESS,
                          "P.O. Box 9050, UR, Izhevsk, Russian Federation, 426011"));
    cr_assert(t_has_value(cst, EMB_PROP_ADDRESS, "130 Vorovskogo st. Izhevsk, 426063, Russia"));

    /* a related company (target: false) is delivered and marked */
    const t_entity *rel = t_find(&c, "NK-56Edov9bas9puzaChH5pBy");
    cr_assert_not_null(rel);
    cr_assert(t_has_value_q(rel, EMB_PROP_NOTES, "false", "target"));
    cr_assert(t_has_value(rel, EMB_PROP_OGRN_CODE, "1021801671462"));
    cr_assert(t_has_value(rel, EMB_PROP_JURISDICTION, "ru"));
    cr_assert(!t_has_value_q(z, EMB_PROP_NOTES, "false", "target"));
    t_collect_free(&c);
}

Test(ftm_json, t1_multilingual_names)
{
    const char *path = test_data("opensanctions/yente_fixtures/t1_entities.ftm.json");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.entities, 6, "4 Person + 2 Organization; the Address is folded in");
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 4);
    cr_assert_eq(info.schemas[EMB_SCHEMA_ORGANIZATION], 2);
    const t_entity *e = t_find(&c, "NK-2GdmHtZTeNXjNVrBGEXZNj");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->caption, "RAB „Inter Tobacco“");
    cr_assert_eq(e->n_names, 12, "every language variant of the name");
    cr_assert(t_has_name(e, "Εταιρία περιορισμένης ευθύνης “Inter Tobacco”", EMB_NAME_PRIMARY));
    cr_assert(
        t_has_name(e, "Общество с ограниченной ответственностью “Интер Тобако”", EMB_NAME_PRIMARY));
    cr_assert(t_has_value(e, EMB_PROP_REGISTRATION_NUMBER, "808000714"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "by"));
    const t_entity *irgc = t_find(&c, "NK-2PacmNpiLUmoz4XD2mSt7A");
    cr_assert_not_null(irgc);
    cr_assert(t_has_name(irgc, "Iranian Revolutionary Guard Corps", -1));
    t_collect_free(&c);
}

/* ---------------------------------------------------------------- FtM JSON, edge cases */

static const char ftm_order[] =
    "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"v1\"],"
    "\"program\":[\"Prog A\"],\"authority\":[\"Ministry\"],\"country\":[\"gb\"],"
    "\"startDate\":[\"2022-03-01\"],\"reason\":[\"Tanker\"]}}\n"
    "{\"id\":\"p1\",\"schema\":\"Passport\",\"properties\":{\"holder\":[\"p9\"],"
    "\"number\":[\"X123\"],\"country\":[\"ru\"],\"type\":[\"Passport\"]}}\n"
    "{\"id\":\"v1\",\"schema\":\"Vessel\",\"caption\":\"SEA STAR\",\"properties\":{"
    "\"name\":[\"Sea Star\",\"SEA STAR\"],\"imoNumber\":[\"IMO1234567\"],\"flag\":[\"pa\"],"
    "\"addressEntity\":[\"a1\"],\"weakAlias\":[\"Star\"],\"previousName\":[\"Old Star\"],"
    "\"firstName\":[\"ignored\"]}}\r\n"
    "\n"
    "{\"id\":\"p9\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivan Petrov\"],"
    "\"birthDate\":[\"1970\"],\"nationality\":[\"Russian Federation\",\"Atlantis\"]},"
    "\"datasets\":[\"x_list\"],\"target\":true}\n"
    "{\"id\":\"a1\",\"schema\":\"Address\",\"caption\":\"1 Quay, Panama\","
    "\"properties\":{\"country\":[\"pa\"]}}\n"
    "{\"id\":\"o1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"p9\"],\"asset\":[\"v1\"]}"
    "}\n";

Test(ftm_json, secondaries_resolve_in_any_order)
{
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(ftm_order, EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    const t_entity *v = t_find(&c, "v1");
    cr_assert_not_null(v);
    cr_assert_eq(v->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(v->caption, "SEA STAR", "the FtM caption leads");
    cr_assert(t_has_name(v, "Sea Star", EMB_NAME_PRIMARY));
    cr_assert(t_has_name(v, "Star", EMB_NAME_WEAK_ALIAS));
    cr_assert(t_has_name(v, "Old Star", EMB_NAME_PREVIOUS));
    cr_assert(!t_has_name(v, "ignored", -1));
    cr_assert(t_has_value(v, EMB_PROP_IMO_NUMBER, "IMO1234567"));
    cr_assert(t_has_value(v, EMB_PROP_FLAG, "pa"));
    cr_assert(t_has_value(v, EMB_PROP_PROGRAM, "Prog A"), "Sanction seen before its target");
    cr_assert(t_has_value_q(v, EMB_PROP_AUTHORITY, "Ministry", "gb"));
    cr_assert(t_has_value(v, EMB_PROP_LISTING_DATE, "2022-03-01"));
    cr_assert(t_has_value(v, EMB_PROP_REASON, "Tanker"));
    cr_assert(t_has_value(v, EMB_PROP_ADDRESS, "1 Quay, Panama"), "Address seen after");
    cr_assert(t_has_value(v, EMB_PROP_COUNTRY, "pa"));
    const t_entity *p = t_find(&c, "p9");
    cr_assert_not_null(p);
    cr_assert(t_has_value_q(p, EMB_PROP_PASSPORT_NUMBER, "X123", "Passport, ru"));
    cr_assert(t_has_value(p, EMB_PROP_BIRTH_DATE, "1970"));
    cr_assert(t_has_value(p, EMB_PROP_NATIONALITY, "ru"));
    cr_assert(t_has_value_q(p, EMB_PROP_UNRESOLVED, "Atlantis", "nationality"));
    cr_assert(t_has_value_q(p, EMB_PROP_NOTES, "x_list", "datasets"));
    cr_assert_eq(t_count_values(p, EMB_PROP_NOTES), 1, "target: true adds no note");
    t_collect_free(&c);
}

Test(ftm_json, malformed_line_names_its_line)
{
    const char *text = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
                       "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\"]}\n"
                       "{\"id\":\"c\",\"schema\":\"Person\",\"properties\":{\"name\":[\"C\"]}}\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 2);
    cr_assert_str_eq(err.source, "test-input");
    cr_assert(strstr(err.msg, "invalid JSON") != NULL, "%s", err.msg);
    cr_assert_eq(c.n, 0, "nothing is delivered before the whole file has been read");
    t_collect_free(&c);

    t_collect s = {0};
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 1, &s, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.n_skipped, 1);
    cr_assert_eq(s.last_skip.code, EMB_EPARSE);
    cr_assert_eq(s.last_skip.line, 2);
    cr_assert_not_null(t_find(&s, "a"));
    cr_assert_not_null(t_find(&s, "c"));
    t_collect_free(&s);
}

Test(ftm_json, nesting_over_the_depth_limit)
{
    char text[512];
    int n = snprintf(text, sizeof(text),
                     "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
                     "{\"id\":\"d\",\"schema\":\"Person\",\"x\":");
    for (int i = 0; i < EMB_LIMIT_DEPTH; i++)
        text[n++] = '[';
    for (int i = 0; i < EMB_LIMIT_DEPTH; i++)
        text[n++] = ']';
    memcpy(text + n, "}\n", 3);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_ELIMIT);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.msg, "deeper") != NULL, "%s", err.msg);
    t_collect_free(&c);
}

Test(ftm_json, invalid_utf8_is_refused)
{
    const char *text =
        "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
        "{\"id\":\"u\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Bad\xC3(\"]}}\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_EUTF8);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.byte_offset, strchr(text, '\n') - text + 1, "offset of the line");
    t_collect_free(&c);
}

Test(ftm_json, sanction_of_a_missing_target_is_reported_not_fatal)
{
    const char *text =
        "{\"id\":\"a\",\"schema\":\"Company\",\"properties\":{\"name\":[\"A Co\"]}}\n"
        "{\"id\":\"s\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"gone\"],"
        "\"program\":[\"P\"]}}\n"
        "{\"id\":\"s2\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"a\"],"
        "\"program\":[\"Q\"]}}\n";
    g_log[0] = '\0';
    emb_set_log(capture_log, NULL);
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_OK, "%s", err.msg);
    emb_set_log(NULL, NULL);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.n_skipped, 0);
    cr_assert(t_has_value(&c.items[0], EMB_PROP_PROGRAM, "Q"));
    cr_assert(!t_has_value(&c.items[0], EMB_PROP_PROGRAM, "P"));
    cr_assert(strstr(g_log, "1 referenced entities are not in the file (first: gone at line 2)") !=
                  NULL,
              "%s", g_log);
    t_collect_free(&c);
}

Test(ftm_json, bad_entities_name_line_and_record)
{
    struct {
        const char *line2;
        emb_status code;
        const char *msg;
        const char *record;
    } cases[] = {
        {"{\"schema\":\"Person\",\"properties\":{}}", EMB_EPARSE, "no \"id\"", ""},
        {"{\"id\":\"x\",\"properties\":{}}", EMB_EPARSE, "no \"schema\"", "x"},
        {"{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":\"X\"}}", EMB_EPARSE,
         "not a list", "x"},
        {"{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":[1]}}", EMB_EPARSE,
         "non-string", "x"},
        {"{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A2\"]}}", EMB_EPARSE,
         "repeated", "a"},
        {"[1,2]", EMB_EPARSE, "not a JSON object", ""},
        {"{\"id\":\"x\",\"id\":\"y\",\"schema\":\"Person\"}", EMB_EPARSE, "duplicate", ""},
        {"{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":[\" \"]}}", EMB_EPARSE,
         "no name", "x"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n%s\n",
                 cases[i].line2);
        t_collect c = {0};
        emb_error err;
        cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), cases[i].code,
                     "case %zu: %s", i, err.msg);
        cr_assert_eq(err.line, 2, "case %zu", i);
        cr_assert(strstr(err.msg, cases[i].msg) != NULL, "case %zu: %s", i, err.msg);
        cr_assert_str_eq(err.record_id, cases[i].record, "case %zu", i);
        t_collect_free(&c);

        t_collect s = {0};
        cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 1, &s, &err), EMB_OK, "case %zu", i);
        cr_assert_eq(s.n, 1, "case %zu", i);
        cr_assert_eq(s.n_skipped, 1, "case %zu", i);
        t_collect_free(&s);
    }
}

Test(ftm_json, truncated_last_line)
{
    const char *text = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
                       "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"na";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 2);
    t_collect_free(&c);
}

Test(ftm_json, line_over_the_record_limit)
{
    size_t big = EMB_LIMIT_RECORD_BYTES + 10;
    const char head[] = "{\"id\":\"big\",\"schema\":\"Person\",\"properties\":{\"notes\":[\"";
    const char good[] =
        "{\"id\":\"ok\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ok\"]}}\n";
    char *text = malloc(big + sizeof(head) + sizeof(good) + 16);
    size_t n = 0;
    memcpy(text, head, sizeof(head) - 1);
    n += sizeof(head) - 1;
    memset(text + n, 'x', big);
    n += big;
    memcpy(text + n, "\"]}}\n", 5);
    n += 5;
    memcpy(text + n, good, sizeof(good));
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 0, &c, &err), EMB_ELIMIT);
    cr_assert_eq(err.line, 1);
    t_collect_free(&c);
    t_collect s = {0};
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_FTM_JSON, 1, &s, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(s.n, 1, "the line after the long one is read");
    cr_assert_str_eq(s.items[0].source_id, "ok");
    cr_assert_eq(s.n_skipped, 1);
    t_collect_free(&s);
    free(text);
}

/* ---------------------------------------------------------------- targets.simple.csv */

Test(os_simple, ua_war_sanctions_export)
{
    const char *path = test_data("opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_OS_SIMPLE_CSV);
    cr_assert_str_eq(info.dataset, "opensanctions");
    cr_assert_eq(info.entities, 5600);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 1543);
    cr_assert_eq(info.schemas[EMB_SCHEMA_COMPANY], 1524);
    cr_assert_eq(info.schemas[EMB_SCHEMA_VESSEL], 1340);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 1193);
    cr_assert_eq(info.names, 13330);
    cr_assert_str_eq(info.published, "2026-03-13");

    const t_entity *v = t_find(&c, "NK-24cf2zYe7LEKhr2zFck73j");
    cr_assert_not_null(v);
    cr_assert_eq(v->schema, EMB_SCHEMA_VESSEL);
    cr_assert_str_eq(v->caption, "ROSALIN");
    cr_assert(t_has_name(v, "Ceram Sea", EMB_NAME_ALIAS));
    cr_assert(t_has_name(v, "Nurkez", EMB_NAME_ALIAS));
    cr_assert(t_has_value(v, EMB_PROP_IMO_NUMBER, "IMO9253325"));
    cr_assert_eq(t_count_values(v, EMB_PROP_COUNTRY), 4);
    cr_assert(t_has_value(v, EMB_PROP_COUNTRY, "st"));
    cr_assert(t_has_value(v, EMB_PROP_PROGRAM, "UA-WS-MARE"));
    cr_assert(t_has_value_q(v, EMB_PROP_NOTES, "Ukraine War and Sanctions", "dataset"));
    cr_assert_eq(t_count_values(v, EMB_PROP_NOTES), 1,
                 "an empty `\"\"` sanctions cell adds nothing");

    const t_entity *p = t_find(&c, "NK-26WkuEefVYLmYk8aTHMC9E");
    cr_assert_not_null(p);
    cr_assert_eq(p->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(p->caption, "IVAKHA Denis Vladimirovich");
    cr_assert(t_has_name(p, "ІВАХА Денис Володимирович", EMB_NAME_ALIAS));
    cr_assert(t_has_name(p, "ИВАХА Денис Владимирович", EMB_NAME_ALIAS));
    cr_assert(t_has_value(p, EMB_PROP_PROGRAM, "UA-WS-EXECUTIVES"));

    const t_entity *s = t_find(&c, "NK-29njFUEpfdb6449xarJxnw");
    cr_assert_not_null(s);
    cr_assert_str_eq(s->caption, "SIVOZHELEZOV Ignat Vladimirovich");
    cr_assert(t_has_value(s, EMB_PROP_BIRTH_DATE, "1987-08-01"));
    cr_assert(t_has_value(s, EMB_PROP_ID_NUMBER, "560913574494"));
    cr_assert(t_has_value_q(s, EMB_PROP_NOTES,
                          "He was involved in illegal archaeological excavations in 2017 on the "
                          "temporarily occupied territory of the Autonomous Republic of Crimea "
                          "and the city of Sevastopol, namely: \"Frontovoye 4 settlement\"",
                          "sanctions"),
              "the quoted sanction text is unescaped");

    const t_entity *co = t_find(&c, "NK-24ZomtS59XsEEB94Qcqy7S");
    cr_assert_not_null(co);
    cr_assert(t_has_value(co, EMB_PROP_IMO_NUMBER, "IMO6495856"), "a company's IMO number");
    cr_assert(t_has_value(co, EMB_PROP_COUNTRY, "hk"));
    t_collect_free(&c);
}

static const char os_header[] =
    "\"id\",\"schema\",\"name\",\"aliases\",\"birth_date\",\"countries\",\"addresses\","
    "\"identifiers\",\"sanctions\",\"phones\",\"emails\",\"program_ids\",\"dataset\","
    "\"first_seen\",\"last_seen\",\"last_change\"\n";

Test(os_simple, identifiers_and_multi_values)
{
    char text[1024];
    snprintf(text, sizeof(text), "%s%s", os_header,
             "x1,Person,Jane Roe,\"J. Roe;\"\"Janie\"\" R\",1975-04-12;1976,ru;Narnia,"
             "\"1 Main St, Town\",IMO1234567;IMO12345;7707083893,\"\"\"A; B\"\";C\","
             "+1 555;+1 556,j@x.org,P1;P2,Some DS,2024-01-01,2025-01-02T10:00:00,\n");
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 1);
    const t_entity *e = &c.items[0];
    cr_assert_str_eq(e->id, "opensanctions-x1");
    cr_assert(t_has_name(e, "J. Roe", EMB_NAME_ALIAS));
    cr_assert(t_has_name(e, "\"Janie\" R", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1975-04-12"));
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1976"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ru"));
    cr_assert(t_has_value_q(e, EMB_PROP_UNRESOLVED, "Narnia", "country"));
    cr_assert(t_has_value(e, EMB_PROP_ADDRESS, "1 Main St, Town"));
    cr_assert(t_has_value(e, EMB_PROP_IMO_NUMBER, "IMO1234567"));
    cr_assert(t_has_value(e, EMB_PROP_ID_NUMBER, "IMO12345"), "not IMO + 7 digits");
    cr_assert(t_has_value(e, EMB_PROP_ID_NUMBER, "7707083893"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "A; B", "sanctions"));
    cr_assert(t_has_value_q(e, EMB_PROP_NOTES, "C", "sanctions"));
    cr_assert(t_has_value(e, EMB_PROP_PHONE, "+1 556"));
    cr_assert(t_has_value(e, EMB_PROP_EMAIL, "j@x.org"));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "P2"));
    t_collect_free(&c);
}

Test(os_simple, bad_rows_and_missing_columns)
{
    char text[1024];
    snprintf(text, sizeof(text), "%s%s", os_header,
             "a,Person,Good,,,,,,,,,,,,,\n"
             "b,Spaceship,Bad Schema,,,,,,,,,,,,,\n"
             "c,Person,Ragged\n"
             ",Person,No Id,,,,,,,,,,,,,\n"
             "d,Company,,,,,,,,,,,,,,\n"
             "e,Company,Bad\xC3(,,,,,,,,,,,,,\n"
             "f,Vessel,Good Ship,,,,,,,,,,,,,\n");
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_OS_SIMPLE_CSV, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 3);
    cr_assert_str_eq(err.record_id, "b");
    cr_assert(strstr(err.msg, "Spaceship") != NULL, "%s", err.msg);
    t_collect_free(&c);

    t_collect s = {0};
    /* invalid UTF-8 is a fault of the file (the CSV reader stops there), not of a record */
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_OS_SIMPLE_CSV, 1, &s, &err), EMB_EUTF8);
    cr_assert_eq(err.line, 7);
    cr_assert_eq(s.n_skipped, 4, "bad schema, ragged row, no id, no name");
    cr_assert_eq(s.last_skip.line, 6);
    cr_assert_str_eq(s.last_skip.record_id, "d");
    cr_assert_eq(s.n, 1);
    t_collect_free(&s);

    t_collect m = {0};
    cr_assert_eq(t_parse_text("id,schema,aliases,first_seen\nx,Person,A,\n",
                              EMB_FORMAT_OS_SIMPLE_CSV, 0, &m, &err),
                 EMB_EFORMAT);
    cr_assert(strstr(err.msg, "missing required column 'name'") != NULL, "%s", err.msg);
    cr_assert_eq(err.line, 1);
    t_collect_free(&m);
}
