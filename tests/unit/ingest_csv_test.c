/* The RFC 4180 reader, a user's own CSV list, and the EU journal CSV. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"
#include "test_util.h"

/* Read every record of text; returns the status and writes "f1|f2\n..." into out. */
static emb_status read_all(const char *text, size_t len, char *out, size_t cap, emb_error *err)
{
    emb__input *in = NULL;
    emb_status rc = emb__input_open_mem(text, len, "mem.csv", &in, err);
    cr_assert_eq(rc, EMB_OK);
    emb__csv c;
    cr_assert_eq(emb__csv_init(&c, in, ','), EMB_OK);
    size_t n = 0;
    out[0] = '\0';
    int got;
    while ((rc = emb__csv_next(&c, &got, err)) == EMB_OK && got) {
        for (size_t i = 0; i < c.n_fields; i++) {
            emb_str f = emb__csv_field(&c, i);
            int k = snprintf(out + n, cap - n, "%s%.*s", i ? "|" : "", (int)f.len, f.ptr);
            n += (size_t)k;
        }
        n += (size_t)snprintf(out + n, cap - n, "\n");
    }
    emb__csv_free(&c);
    emb__input_close(in);
    return rc;
}

Test(csv, rfc4180_and_list_quirks)
{
    char out[512];
    emb_error err;
    const char text[] = "\xEF\xBB\xBFid,name\r\n1,\"ACME, \"\"Ltd\"\"\"\r\n\r\n2,\"two\nlines\" \n3,-0- \n\x1A";
    cr_assert_eq(read_all(text, sizeof(text) - 1, out, sizeof(out), &err), EMB_OK, "%s", err.msg);
    cr_assert_str_eq(out, "id|name\n1|ACME, \"Ltd\"\n2|two\nlines\n3|-0- \n");
}

Test(csv, unterminated_quote_names_its_line)
{
    char out[512];
    emb_error err;
    const char text[] = "a,b\n1,\"open\n2,x\n";
    cr_assert_eq(read_all(text, sizeof(text) - 1, out, sizeof(out), &err), EMB_EPARSE);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.msg, "unterminated") != NULL);
    cr_assert_str_eq(err.source, "mem.csv");
}

Test(csv, invalid_utf8_has_byte_offset)
{
    char out[512];
    emb_error err;
    const char text[] = "a,b\n1,ok\n2,bad\xC3(\n";
    cr_assert_eq(read_all(text, sizeof(text) - 1, out, sizeof(out), &err), EMB_EUTF8);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.byte_offset, 14, "offset of the bad byte, got %llu",
                 (unsigned long long)err.byte_offset);
}

Test(csv, text_after_closing_quote_is_refused)
{
    char out[512];
    emb_error err;
    const char text[] = "a,b\n\"x\"y,2\n";
    cr_assert_eq(read_all(text, sizeof(text) - 1, out, sizeof(out), &err), EMB_EPARSE);
    cr_assert_eq(err.line, 2);
}

Test(csv, field_over_limit_is_refused)
{
    size_t n = EMB_LIMIT_FIELD_BYTES + 16;
    char *text = malloc(n + 8);
    memcpy(text, "a\n", 2);
    memset(text + 2, 'x', n);
    text[n + 2] = '\n';
    char out[64];
    emb_error err;
    emb__input *in = NULL;
    cr_assert_eq(emb__input_open_mem(text, n + 3, "big.csv", &in, &err), EMB_OK);
    emb__csv c;
    emb__csv_init(&c, in, ',');
    int got;
    cr_assert_eq(emb__csv_next(&c, &got, &err), EMB_OK);
    cr_assert_eq(emb__csv_next(&c, &got, &err), EMB_ELIMIT);
    cr_assert_eq(err.line, 2);
    (void)out;
    emb__csv_free(&c);
    emb__input_close(in);
    free(text);
}

static emb_status join_value(void *ud, emb_str v)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "[%.*s]", (int)v.len, v.ptr);
    return EMB_OK;
}

Test(csv, split_multi_values)
{
    emb__buf scratch;
    emb__buf_init(&scratch, 1024);
    char seen[256] = "";
    emb_status rc = emb__split_multi(
        emb__str_cstr(" \"Foo; Bar\"; Baz ;; \"Qu\"\"x\" ;\"Impuls\" LLC"), ';', &scratch,
        join_value, seen);
    cr_assert_eq(rc, EMB_OK);
    cr_assert_str_eq(seen, "[Foo; Bar][Baz][Qu\"x][\"Impuls\" LLC]");
    emb__buf_free(&scratch);
}

/* ---------------------------------------------------------------- user lists */

Test(generic_csv, ofac_names_file_as_user_list)
{
    const char *path = test_data("ofac/sdn_names_2026-08-20_kindrat86.csv");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, "us_ofac_sdn", &c);
    cr_assert_eq(info.format, EMB_FORMAT_GENERIC_CSV);
    cr_assert_eq(info.entities, 19249);
    cr_assert_str_eq(info.dataset, "us_ofac_sdn");
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON] + info.schemas[EMB_SCHEMA_LEGAL_ENTITY] +
                     info.schemas[EMB_SCHEMA_VESSEL] + info.schemas[EMB_SCHEMA_AIRPLANE],
                 19249, "individual/entity/vessel/aircraft map to FtM schemata");
    cr_assert_gt(info.schemas[EMB_SCHEMA_VESSEL], 1000);
    cr_assert_gt(info.schemas[EMB_SCHEMA_AIRPLANE], 100);
    const t_entity *e = t_find(&c, "50543");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->id, "us_ofac_sdn-50543");
    cr_assert_str_eq(e->caption, "INTEGRITY TECHNOLOGY GROUP, INCORPORATED");
    cr_assert_eq(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
    cr_assert(t_has_name(e, "BEIJING INTEGRITY TECHNOLOGY COMPANY, LIMITED", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_PROGRAM, "CYBER2"));
    t_collect_free(&c);
}

Test(generic_csv, synonyms_dataset_and_defaults)
{
    const char *text = "UID,Full Name,Type,DOB,Countries,Aliases,Favourite colour\n"
                       "7,Jane Roe,individual,12 Apr 1975,Russian Federation; UA,J. Roe; Janie,blue\n"
                       "8,Roe Trading,,,,,\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(c.n, 2);
    const t_entity *e = t_find(&c, "7");
    cr_assert_str_eq(e->dataset, "test_input", "dataset from the name when none is given");
    cr_assert_eq(e->schema, EMB_SCHEMA_PERSON);
    cr_assert(t_has_value(e, EMB_PROP_BIRTH_DATE, "1975-04-12"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ru"));
    cr_assert(t_has_value(e, EMB_PROP_COUNTRY, "ua"));
    cr_assert(t_has_name(e, "Janie", EMB_NAME_ALIAS));
    cr_assert(t_has_value(e, EMB_PROP_NOTES, "blue"), "unknown columns are kept as notes");
    cr_assert_eq(t_find(&c, "8")->schema, EMB_SCHEMA_LEGAL_ENTITY, "no type: LegalEntity");
    t_collect_free(&c);
}

Test(generic_csv, bad_rows_fail_or_are_skipped)
{
    const char *text = "id,name,type\n1,Good One,person\n2,,person\n3,Ragged\n4,Bad Type,spaceship\n"
                       "5,Good Two,company\n";
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 3);
    cr_assert_str_eq(err.record_id, "2");
    cr_assert(strstr(err.msg, "no name") != NULL, "%s", err.msg);
    t_collect_free(&c);

    t_collect s = {0};
    cr_assert_eq(t_parse_text(text, EMB_FORMAT_UNKNOWN, 1, &s, &err), EMB_OK);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.n_skipped, 3);
    cr_assert_eq(s.last_skip.line, 5);
    cr_assert(strstr(s.last_skip.msg, "spaceship") != NULL, "%s", s.last_skip.msg);
    t_collect_free(&s);
}

Test(generic_csv, missing_name_column_is_refused)
{
    t_collect c = {0};
    emb_error err;
    cr_assert_eq(t_parse_text("id,label\n1,x\n", EMB_FORMAT_UNKNOWN, 0, &c, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "name") != NULL, "%s", err.msg);
    cr_assert_eq(t_parse_text("id,label\n1,x\n", EMB_FORMAT_GENERIC_CSV, 0, &c, &err), EMB_EFORMAT);
    cr_assert(strstr(err.msg, "missing required column 'name'") != NULL, "%s", err.msg);
    t_collect_free(&c);
}

/* ---------------------------------------------------------------- EU journal */

Test(eu_journal, cyber_regime_records)
{
    const char *path = test_data("eu/journal_sanctions_csv/consolidated/32019R0796.csv");
    t_collect c = {0};
    emb_source_info info = t_parse_ok(path, NULL, &c);
    cr_assert_eq(info.format, EMB_FORMAT_EU_JOURNAL_CSV);
    cr_assert_str_eq(info.dataset, "eu_journal_sanctions");
    cr_assert_eq(info.entities, 38);
    cr_assert_eq(info.schemas[EMB_SCHEMA_PERSON], 27);
    cr_assert_eq(info.schemas[EMB_SCHEMA_LEGAL_ENTITY], 11);
    /* i-Soon: recordId 7 of annex I.B; person 7 of annex I.A shares the number */
    const t_entity *isoon = NULL;
    for (size_t i = 0; i < c.n; i++) {
        if (strcmp(c.items[i].id, "eu_journal_sanctions-32019R0796#I.B#7") == 0)
            isoon = &c.items[i];
    }
    cr_assert_not_null(isoon);
    cr_assert_str_eq(isoon->source_id, "32019R0796#7");
    cr_assert_str_eq(isoon->caption, "Anxun Information Technology Co. Ltd.");
    cr_assert(t_has_name(isoon, "安洵信息技术有限公司", EMB_NAME_ALIAS));
    cr_assert(t_has_name(isoon, "i-Soon", EMB_NAME_ALIAS));
    cr_assert(t_has_value(isoon, EMB_PROP_PROGRAM, "EU-CYB"));
    const t_entity *gao = t_find(&c, "32019R0796#1");
    cr_assert_not_null(gao);
    cr_assert_eq(gao->schema, EMB_SCHEMA_PERSON);
    cr_assert_str_eq(gao->caption, "GAO Qiang");
    cr_assert(t_has_value(gao, EMB_PROP_BIRTH_DATE, "1983-10-04"));
    cr_assert(t_has_value(gao, EMB_PROP_NATIONALITY, "cn"));
    cr_assert(t_has_value(gao, EMB_PROP_GENDER, "male"));
    cr_assert(t_has_value(gao, EMB_PROP_LISTING_DATE, "2020-07-30"));
    t_collect_free(&c);
}

Test(eu_journal, every_file_parses)
{
    const char *dirs[] = {"eu/journal_sanctions_csv/consolidated",
                          "eu/journal_sanctions_csv/amendments"};
    uint64_t total = 0, files = 0;
    for (size_t d = 0; d < 2; d++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s", test_data(dirs[d]));
        DIR *dp = opendir(dir);
        cr_assert_not_null(dp);
        struct dirent *de;
        while ((de = readdir(dp)) != NULL) {
            if (strstr(de->d_name, ".csv") == NULL)
                continue;
            char path[8192];
            snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
            t_collect c = {0};
            emb_source_info info = t_parse_ok(path, NULL, &c);
            cr_assert_eq(info.format, EMB_FORMAT_EU_JOURNAL_CSV, "%s", path);
            total += info.entities;
            files++;
            t_collect_free(&c);
        }
        closedir(dp);
    }
    cr_assert_eq(files, 56);
    cr_assert_eq(total, 8017 + 417, "every row of the 56 files is one entity");
}
