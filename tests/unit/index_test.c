/* Snapshots: build, open, validation of corrupt files, lookups, merging, screening. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "test_util.h"

static char g_dir[] = "/tmp/emb-index-test-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(g_dir));
}

static void teardown(void)
{
    test_rmdir(g_dir);
}

static const char *tmp_path(const char *name)
{
    static char p[512];
    snprintf(p, sizeof(p), "%s/%s", g_dir, name);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *build_demo(void)
{
    static char out[512];
    snprintf(out, sizeof(out), "%s", tmp_path("demo.emb"));
    char src[4096];
    snprintf(src, sizeof(src), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    emb_build_source s = {src, "embargo_demo"};
    emb_build_stats st;
    emb_error err;
    cr_assert_eq(emb_index_build(out, &s, 1, NULL, &st, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(st.entities, 31);
    cr_assert_eq(st.sources, 1);
    return out;
}

TestSuite(index, .init = setup, .fini = teardown);

Test(index, build_open_lookup_and_provenance)
{
    const char *path = build_demo();
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(path, &idx, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(emb_index_entity_count(idx), 31);
    size_t i;
    cr_assert_eq(emb_index_find(idx, "embargo_demo-gb-isoon", 21, &i), EMB_OK);
    emb_ctx *ctx;
    cr_assert_eq(emb_ctx_new(&ctx), EMB_OK);
    emb_entity e;
    cr_assert_eq(emb_index_entity(idx, ctx, i, &e), EMB_OK);
    cr_assert(e.caption.len == strlen("Sichuan Anxun Information Technology Co., Ltd."));
    cr_assert_eq(e.schema, EMB_SCHEMA_COMPANY);
    int han = 0;
    for (size_t k = 0; k < e.n_names; k++)
        han |= e.names[k].value.len == strlen("四川安洵信息技术有限公司") &&
               memcmp(e.names[k].value.ptr, "四川安洵信息技术有限公司", e.names[k].value.len) == 0;
    cr_assert(han, "the Chinese name survives the round trip");
    cr_assert_eq(emb_index_find(idx, "embargo_demo-nope", 17, &i), EMB_ENOTFOUND);
    /* provenance: the SHA-256 of the source file as read */
    emb_source_meta m;
    cr_assert_eq(emb_index_source(idx, 0, &m), EMB_OK);
    char src[4096];
    snprintf(src, sizeof(src), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    FILE *f = fopen(src, "rb");
    emb__sha256 s;
    emb__sha256_init(&s);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
        emb__sha256_update(&s, buf, k);
    fclose(f);
    char hex[65];
    emb__sha256_hex(&s, hex);
    cr_assert(m.sha256.len == 64 && memcmp(m.sha256.ptr, hex, 64) == 0);
    cr_assert_eq(m.entities, 31);
    cr_assert_eq(m.format, EMB_FORMAT_GENERIC_CSV);
    cr_assert_eq(emb_index_built_at(idx).len, 20);
    emb_ctx_free(ctx);
    emb_index_close(idx);
}

Test(index, screening_ranks_exact_and_original_script)
{
    const char *path = build_demo();
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(path, &idx, &err), EMB_OK);
    emb_ctx *ctx;
    emb_ctx_new(&ctx);
    const emb_match *r;
    size_t n;
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = "Sichuan Anxun Information Technology Co Ltd";
    q.schema = EMB_SCHEMA_COMPANY;
    emb_screen_opts o = {.limit = 5, .threshold = 0.70};
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_OK);
    cr_assert_geq(n, 1);
    emb_entity e;
    emb_index_entity(idx, ctx, r[0].entity, &e);
    cr_assert(e.source_id.len == 8 && memcmp(e.source_id.ptr, "gb-isoon", 8) == 0);
    cr_assert_gt(r[0].score, 0.95);
    for (size_t i = 1; i < n; i++)
        cr_assert_leq(r[i].score, r[i - 1].score, "sorted by score");
    q.name = "四川安洵信息技术有限公司";
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_OK);
    cr_assert_geq(n, 1);
    emb_index_entity(idx, ctx, r[0].entity, &e);
    cr_assert(memcmp(e.source_id.ptr, "gb-isoon", 8) == 0);
    /* a Vessel query never meets a Person */
    q.name = "Vladimir Vladimirovich PUTIN";
    q.schema = EMB_SCHEMA_VESSEL;
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_OK);
    cr_assert_eq(n, 0);
    q.schema = EMB_SCHEMA_PERSON;
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_OK);
    cr_assert_geq(n, 1);
    q.name = "bad\xff";
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_EUTF8);
    emb_ctx_free(ctx);
    emb_index_close(idx);
}

Test(index, records_sharing_an_id_are_merged)
{
    char list[512];
    snprintf(list, sizeof(list), "%s", tmp_path("dup.csv"));
    write_text(list, "id,name,aliases,programs\n1,Alpha Trading,Alpha Co,P1\n2,Beta,,P1\n"
                     "1,Alpha Trading,Alpha Ltd,P2\n");
    emb_build_source s = {list, "dups"};
    emb_build_stats st;
    emb_error err;
    char out[512];
    snprintf(out, sizeof(out), "%s", tmp_path("dup.emb"));
    cr_assert_eq(emb_index_build(out, &s, 1, NULL, &st, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(st.entities, 2);
    cr_assert_eq(st.merged, 1);
    emb_index *idx;
    cr_assert_eq(emb_index_open(out, &idx, &err), EMB_OK);
    emb_ctx *ctx;
    emb_ctx_new(&ctx);
    size_t i;
    cr_assert_eq(emb_index_find(idx, "dups-1", 6, &i), EMB_OK);
    emb_entity e;
    emb_index_entity(idx, ctx, i, &e);
    cr_assert_eq(e.n_names, 3, "Alpha Trading, Alpha Co, Alpha Ltd");
    size_t programs = 0;
    for (size_t k = 0; k < e.n_values; k++)
        programs += e.values[k].prop == EMB_PROP_PROGRAM;
    cr_assert_eq(programs, 2);
    emb_ctx_free(ctx);
    emb_index_close(idx);
}

static emb_status open_status(const char *path, emb_error *err)
{
    emb_index *idx = NULL;
    emb_status rc = emb_index_open(path, &idx, err);
    emb_index_close(idx);
    return rc;
}

static void copy_with(const char *from, const char *to, long truncate_at, long flip_at)
{
    FILE *f = fopen(from, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    if (flip_at >= 0)
        buf[flip_at] ^= 0x5a;
    FILE *g = fopen(to, "wb");
    fwrite(buf, 1, (size_t)(truncate_at >= 0 ? truncate_at : n), g);
    fclose(g);
    free(buf);
}

Test(index, corrupt_and_truncated_files_are_refused)
{
    const char *good = build_demo();
    char bad[512];
    snprintf(bad, sizeof(bad), "%s", tmp_path("bad.emb"));
    emb_error err;
    struct stat st;
    stat(good, &st);
    copy_with(good, bad, st.st_size - 100, -1);
    cr_assert_eq(open_status(bad, &err), EMB_ECORRUPT);
    cr_assert(strstr(err.msg, "truncated") != NULL, "%s", err.msg);
    cr_assert_str_eq(err.source, bad);
    /* one flipped byte anywhere in the data is caught by the section checksums */
    for (long at = 200; at < st.st_size; at += 997) {
        copy_with(good, bad, -1, at);
        cr_assert_eq(open_status(bad, &err), EMB_ECORRUPT, "flip at %ld went unnoticed", at);
    }
    copy_with(good, bad, -1, 3); /* magic */
    cr_assert_eq(open_status(bad, &err), EMB_ECORRUPT);
    write_text(bad, "");
    cr_assert_eq(open_status(bad, &err), EMB_ECORRUPT);
    write_text(bad, "id,name\n1,x\n");
    cr_assert_eq(open_status(bad, &err), EMB_ECORRUPT);
    cr_assert_eq(open_status(tmp_path("missing.emb"), &err), EMB_ENOTFOUND);
}

Test(index, failed_build_leaves_the_target_untouched)
{
    const char *good = build_demo();
    struct stat before;
    stat(good, &before);
    char list[512];
    snprintf(list, sizeof(list), "%s", tmp_path("broken.csv"));
    write_text(list, "id,name\n1,Fine\n2,\"unterminated\n");
    emb_build_source s[2] = {{list, "x"}, {list, "x"}};
    emb_build_stats st;
    emb_error err;
    cr_assert_eq(emb_index_build(good, s, 2, NULL, &st, &err), EMB_EPARSE);
    cr_assert_eq(err.line, 3);
    struct stat after;
    stat(good, &after);
    cr_assert_eq(before.st_size, after.st_size);
    cr_assert_eq(before.st_mtime, after.st_mtime);
    emb_error e2;
    cr_assert_eq(open_status(good, &e2), EMB_OK, "the old snapshot still opens");
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "ls %s | grep -c tmp", g_dir);
    FILE *p = popen(cmd, "r");
    char line[32] = "";
    cr_assert_not_null(fgets(line, sizeof(line), p));
    pclose(p);
    cr_assert_str_eq(line, "0\n", "no temporary file is left behind");
}
