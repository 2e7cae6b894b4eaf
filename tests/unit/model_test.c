/* model: partial dates, countries, schemata and the entity builder. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "model/model.h"

typedef struct {
    char text[48];
    int order;
    int n;
    char first[11];
    char last[11];
} date_case;

ParameterizedTestParameters(model, dates)
{
    static date_case cases[] = {
        {"1975-04-12", EMB__DMY, 1, "1975-04-12", ""},
        {"1975-04", EMB__DMY, 1, "1975-04", ""},
        {"1975", EMB__DMY, 1, "1975", ""},
        {"10 Dec 1948", EMB__DMY, 1, "1948-12-10", ""},
        {"4 October 1983", EMB__DMY, 1, "1983-10-04", ""},
        {"Dec 1948", EMB__DMY, 1, "1948-12", ""},
        {"12.3.1960", EMB__DMY, 1, "1960-03-12", ""},
        {"(a) 12.3.1960", EMB__DMY, 1, "1960-03-12", ""},
        {"04/05/1975", EMB__DMY, 1, "1975-05-04", ""},
        {"04/05/1975", EMB__MDY, 1, "1975-04-05", ""},
        {"13/05/1975", EMB__MDY, 1, "1975-05-13", ""},  /* impossible month decides */
        {"00/00/1968", EMB__DMY, 1, "1968", ""},       /* UK placeholder */
        {"dd/mm/1968", EMB__DMY, 1, "1968", ""},
        {"circa 1948", EMB__DMY, 1, "1948", ""},
        {"Approximately 1952", EMB__DMY, 1, "1952", ""},
        {"1960 to 1963", EMB__DMY, 4, "1960", "1963"},
        {"Between 1960 and 1962", EMB__DMY, 3, "1960", "1962"},
        {"1960-1961", EMB__DMY, 2, "1960", "1961"},
        {"1958 or 1959", EMB__DMY, 2, "1958", "1959"},
        {"circa 1979-1982", EMB__DMY, 4, "1979", "1982"},
        {"1959/1960", EMB__DMY, 2, "1959", "1960"},
        {"established 2009", EMB__DMY, 1, "2009", ""},
        {"2026-02-27T00:00:09.554Z", EMB__DMY, 1, "2026-02-27", ""},
        {"2015-03-27-04:00", EMB__DMY, 1, "2015-03-27", ""},
        {"2015-03-27Z", EMB__DMY, 1, "2015-03-27", ""},
        {"30 Feb 1970", EMB__DMY, 0, "", ""},
        {"1900 to 1990", EMB__DMY, 0, "", ""},          /* range too wide to mean anything */
        {"unknown", EMB__DMY, 0, "", ""},
        {"12/13/14", EMB__DMY, 0, "", ""},
    };
    return cr_make_param_array(date_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(date_case *c, model, dates)
{
    char out[EMB__DATE_MAX_OUT][11];
    size_t n = emb__date_parse(emb__str_cstr(c->text), (emb__date_order)c->order, out,
                               EMB__DATE_MAX_OUT);
    cr_assert_eq(n, (size_t)c->n, "'%s' gave %zu dates", c->text, n);
    if (n > 0)
        cr_assert_str_eq(out[0], c->first, "'%s'", c->text);
    if (n > 1)
        cr_assert_str_eq(out[n - 1], c->last, "'%s'", c->text);
}

typedef struct {
    char text[64];
    char code[8];
} country_case;

ParameterizedTestParameters(model, countries)
{
    static country_case cases[] = {
        {"Russia", "ru"},
        {"Russian Federation", "ru"},
        {"Russian", "ru"},
        {"RU", "ru"},
        {"RUS", "ru"},
        {"Iran (Islamic Republic of)", "ir"},
        {"Korea, North", "kp"},
        {"Democratic People's Republic of Korea", "kp"},
        {"Côte d'Ivoire", "ci"},
        {"Cote d'Ivoire", "ci"},
        {"Democratic Republic of the Congo", "cd"},
        {"United Kingdom", "gb"},
        {"the Netherlands", "nl"},
        {"Türkiye", "tr"},
        {"Syrian Arab Republic", "sy"},
        {"Chinese", "cn"},
        {"Hong Kong", "hk"},
        {"Soviet Union", "suhh"},
        {"St. Kitts & Nevis", "kn"},
        {"Man, Isle of", "im"},
        {"Brunei", "bn"},
        {"Macedonia, The Former Yugoslav Republic of", "mk"},
        {"China, Hong Kong Special Administrative Region", "hk"},
        {"former Soviet Union", "suhh"},
        {"Narnia", ""},
        {"", ""},
    };
    return cr_make_param_array(country_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(country_case *c, model, countries)
{
    const char *code = emb__country_code(emb__str_cstr(c->text));
    if (c->code[0] == '\0')
        cr_assert_null(code, "'%s' should be unknown, got %s", c->text, code);
    else
        cr_assert(code != NULL && strcmp(code, c->code) == 0, "'%s' -> %s, want %s", c->text,
                  code ? code : "(null)", c->code);
}

Test(model, schema_extends)
{
    cr_assert(emb_schema_is_a(EMB_SCHEMA_COMPANY, EMB_SCHEMA_LEGAL_ENTITY));
    cr_assert(emb_schema_is_a(EMB_SCHEMA_PERSON, EMB_SCHEMA_LEGAL_ENTITY));
    cr_assert(emb_schema_is_a(EMB_SCHEMA_VESSEL, EMB_SCHEMA_THING));
    cr_assert_not(emb_schema_is_a(EMB_SCHEMA_VESSEL, EMB_SCHEMA_LEGAL_ENTITY));
    cr_assert_not(emb_schema_is_a(EMB_SCHEMA_LEGAL_ENTITY, EMB_SCHEMA_COMPANY));
    cr_assert_eq(emb_schema_from_name("Company", 7), EMB_SCHEMA_COMPANY);
    cr_assert_eq(emb__schema_loose(emb__str_cstr("individual")), EMB_SCHEMA_PERSON);
    cr_assert_eq(emb__schema_loose(emb__str_cstr("Aircraft")), EMB_SCHEMA_AIRPLANE);
    cr_assert_eq(emb__schema_loose(emb__str_cstr("entity")), EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert_eq(emb__schema_loose(emb__str_cstr("spaceship")), EMB_SCHEMA_UNKNOWN);
    cr_assert_eq(emb_prop_from_name("imoNumber", 9), EMB_PROP_IMO_NUMBER);
    cr_assert_str_eq(emb_prop_name(EMB_PROP_BIRTH_DATE), "birthDate");
}

Test(model, builder_normalises_and_dedupes)
{
    emb__eb b;
    emb__eb_init(&b);
    emb_error err;
    cr_assert_eq(emb__eb_begin(&b, EMB_STR("demo"), EMB_STR(" 42 "), 7, &err), EMB_OK);
    emb__eb_schema(&b, EMB_SCHEMA_PERSON);
    cr_assert_eq(emb__eb_name(&b, EMB_NAME_ALIAS, EMB_STR("  Abu \n  Abbas "), EMB_STR(""), &err), EMB_OK);
    cr_assert_eq(emb__eb_name(&b, EMB_NAME_PRIMARY, EMB_STR("Abu Abbas"), EMB_STR(""), &err), EMB_OK);
    cr_assert_eq(emb__eb_name(&b, EMB_NAME_WEAK_ALIAS, EMB_STR("-0-"), EMB_STR(""), &err), EMB_OK);
    cr_assert_eq(emb__eb_date(&b, EMB_PROP_BIRTH_DATE, EMB_STR("10 Dec 1948"), EMB__DMY, &err), EMB_OK);
    cr_assert_eq(emb__eb_date(&b, EMB_PROP_BIRTH_DATE, EMB_STR("1948-12-10"), EMB__DMY, &err), EMB_OK);
    cr_assert_eq(emb__eb_date(&b, EMB_PROP_BIRTH_DATE, EMB_STR("sometime"), EMB__DMY, &err), EMB_OK);
    cr_assert_eq(emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Palestinian"), &err), EMB_OK);
    cr_assert_eq(emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Atlantis"), &err), EMB_OK);
    emb_entity e;
    cr_assert_eq(emb__eb_finish(&b, &e, &err), EMB_OK);
    cr_assert_eq(e.n_names, 1, "same name twice is kept once");
    cr_assert_eq(e.names[0].kind, EMB_NAME_PRIMARY, "with its strongest kind");
    cr_assert(e.caption.len == 9 && memcmp(e.caption.ptr, "Abu Abbas", 9) == 0);
    cr_assert(e.id.len == 7 && memcmp(e.id.ptr, "demo-42", 7) == 0);
    size_t dob = 0, unresolved = 0, nat = 0;
    for (size_t i = 0; i < e.n_values; i++) {
        dob += e.values[i].prop == EMB_PROP_BIRTH_DATE;
        nat += e.values[i].prop == EMB_PROP_NATIONALITY;
        unresolved += e.values[i].prop == EMB_PROP_UNRESOLVED;
    }
    cr_assert_eq(dob, 1);
    cr_assert_eq(nat, 1);
    cr_assert_eq(unresolved, 2, "unreadable date and unknown country are kept, not dropped");
    emb__eb_free(&b);
}

Test(model, compound_countries_and_dates)
{
    emb__eb b;
    emb__eb_init(&b);
    emb_error err;
    cr_assert_eq(emb__eb_begin(&b, EMB_STR("demo"), EMB_STR("1"), 1, &err), EMB_OK);
    emb__eb_schema(&b, EMB_SCHEMA_PERSON);
    emb__eb_name(&b, EMB_NAME_PRIMARY, EMB_STR("X"), EMB_STR(""), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("(a) German, (b) Moroccan"), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Ukrainian and/or Russian"), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Pakistani (presumed)"), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Italian since 1990"), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("Syrian/Iranian"), &err);
    emb__eb_country(&b, EMB_PROP_NATIONALITY, EMB_STR("(a) Jordanian (b) American"), &err);
    emb__eb_country(&b, EMB_PROP_COUNTRY, EMB_STR("Gaza Strip, Atlantis"), &err);
    emb__eb_date(&b, EMB_PROP_BIRTH_DATE, EMB_STR("(a) 30.12.1960, (b) 13.12.1960"), EMB__DMY, &err);
    emb_entity e;
    cr_assert_eq(emb__eb_finish(&b, &e, &err), EMB_OK);
    static const char *const want[] = {"de", "ma", "ua", "ru", "pk", "it", "sy", "ir", "jo", "us"};
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
        int found = 0;
        for (size_t i = 0; i < e.n_values; i++)
            found |= e.values[i].prop == EMB_PROP_NATIONALITY &&
                     emb__str_eq(e.values[i].value, emb__str_cstr(want[k]));
        cr_assert(found, "nationality %s missing", want[k]);
    }
    size_t unresolved = 0, dobs = 0;
    for (size_t i = 0; i < e.n_values; i++) {
        unresolved += e.values[i].prop == EMB_PROP_UNRESOLVED;
        dobs += e.values[i].prop == EMB_PROP_BIRTH_DATE;
    }
    cr_assert_eq(unresolved, 1, "only the text with an unknown part is kept as published");
    cr_assert_eq(dobs, 2);
    emb__eb_free(&b);
}

Test(model, builder_refuses_bad_records)
{
    emb__eb b;
    emb__eb_init(&b);
    emb_error err;
    emb__err_clear(&err);
    cr_assert_eq(emb__eb_begin(&b, EMB_STR("demo"), EMB_STR("1"), 1, &err), EMB_OK);
    emb__eb_schema(&b, EMB_SCHEMA_PERSON);
    emb_entity e;
    cr_assert_eq(emb__eb_finish(&b, &e, &err), EMB_EPARSE);
    cr_assert(strstr(err.msg, "no name") != NULL);
    cr_assert_eq(emb__eb_begin(&b, EMB_STR("demo"), EMB_STR("2"), 1, &err), EMB_OK);
    cr_assert_eq(emb__eb_name(&b, EMB_NAME_PRIMARY, EMB_STR("ab\xFF"), EMB_STR(""), &err), EMB_EUTF8);
    cr_assert(strstr(err.msg, "byte 2") != NULL, "%s", err.msg);
    char big[EMB_LIMIT_NAME_BYTES + 10];
    memset(big, 'a', sizeof(big));
    cr_assert_eq(emb__eb_name(&b, EMB_NAME_PRIMARY, emb__str(big, sizeof(big)), EMB_STR(""), &err),
                 EMB_ELIMIT);
    emb__eb_free(&b);
}
