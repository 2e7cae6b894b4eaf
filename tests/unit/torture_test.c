/*
 * Allocation failure (curl's torture mode): each parse and a snapshot build are rerun with the
 * Nth allocation of the library failing, for every N until one run needs no failure. Each run
 * must fail cleanly with EMB_ENOMEM (or succeed), never crash, and leak nothing (ASan).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static long g_countdown; /* allocations left before failing; < 0: never fail */
static long g_made;

static void *t_malloc(void *ctx, size_t n)
{
    (void)ctx;
    g_made++;
    if (g_countdown == 0)
        return NULL;
    if (g_countdown > 0)
        g_countdown--;
    return malloc(n);
}

static void *t_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    g_made++;
    if (g_countdown == 0)
        return NULL;
    if (g_countdown > 0)
        g_countdown--;
    return realloc(p, n);
}

static void t_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static int ignore(void *ud, const emb_entity *e)
{
    (void)ud;
    (void)e;
    return 0;
}

/* Run parse with failures at 0, 1, 2, ... until a run succeeds; returns the runs made. */
static long torture_parse(const char *path, const char *dataset, uint64_t want_entities)
{
    emb_allocator alc = {t_malloc, t_realloc, t_free, NULL};
    emb_set_allocator(&alc);
    long n;
    for (n = 0; n < 100000; n++) {
        g_countdown = n;
        emb_parse_opts opts;
        memset(&opts, 0, sizeof(opts));
        opts.dataset = dataset;
        emb_source_info info;
        emb_error err;
        emb_status rc = emb_parse_file(path, &opts, ignore, NULL, &info, &err);
        if (rc == EMB_OK) {
            cr_assert_eq(info.entities, want_entities, "%s after %ld failures", path, n);
            break;
        }
        cr_assert_eq(rc, EMB_ENOMEM, "%s: failing allocation %ld gave '%s' (%s)", path, n,
                     emb_strerror(rc), err.msg);
    }
    emb_set_allocator(NULL);
    return n;
}

Test(torture, parsers_fail_cleanly_on_every_allocation)
{
    char demo[4096];
    snprintf(demo, sizeof(demo), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    cr_assert_gt(torture_parse(demo, "demo", 31), 10);
    const char *un = test_data("un/samples/un_consolidated_sample_2024-10-17.xml");
    cr_assert_gt(torture_parse(un, NULL, 7), 10);
    const char *eu = test_data("eu/samples/eu_fsf_sample_2020-04-15.xml");
    cr_assert_gt(torture_parse(eu, NULL, 7), 10);
    const char *ftm = test_data("opensanctions/yente_fixtures/t1_entities.ftm.json");
    cr_assert_gt(torture_parse(ftm, NULL, 6), 10);
    const char *ofsi = test_data("uk/samples/ofsi_conlist_sample_2020-04-27.csv");
    cr_assert_gt(torture_parse(ofsi, NULL, 6), 10);
    const char *sdn_xml = test_data("ofac/samples/sdnList_xml_sample_2020-04-22.xml");
    cr_assert_gt(torture_parse(sdn_xml, NULL, 8), 10);
}

/* Small real records kept as fuzz seeds, one per remaining format. */
Test(torture, seed_records_of_every_format)
{
    static const struct {
        const char *file;
        uint64_t entities;
    } seeds[] = {
        {"fuzz/corpus/uk_xml/afg0011.xml", 1},
        {"fuzz/corpus/ofac_enhanced_xml/person_passport.xml", 1},
        {"fuzz/corpus/eu_journal_csv/cyber_entities.csv", 2},
        {"fuzz/corpus/us_csl_csv/csl_sample.csv", 10},
        {"fuzz/corpus/os_simple_csv/ua_war_sample.csv", 6},
        {"fuzz/corpus/ofac_csv/sdn_records.csv", 5},
    };
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", EMB_SOURCE_DIR, seeds[i].file);
        cr_assert_gt(torture_parse(path, NULL, seeds[i].entities), 5, "%s", path);
    }
}

Test(torture, snapshot_build_fails_cleanly_on_every_allocation)
{
    char demo[4096], out[64];
    snprintf(demo, sizeof(demo), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    snprintf(out, sizeof(out), "/tmp/emb-torture-%d.emb", (int)getpid());
    emb_build_source src = {demo, "demo"};
    emb_allocator alc = {t_malloc, t_realloc, t_free, NULL};
    emb_set_allocator(&alc);
    long n;
    for (n = 0; n < 100000; n++) {
        g_countdown = n;
        emb_build_stats st;
        emb_error err;
        emb_status rc = emb_index_build(out, &src, 1, NULL, &st, &err);
        if (rc == EMB_OK)
            break;
        cr_assert_eq(rc, EMB_ENOMEM, "failing allocation %ld gave '%s' (%s)", n, emb_strerror(rc),
                     err.msg);
    }
    emb_set_allocator(NULL);
    cr_assert_gt(n, 50);
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(out, &idx, &err), EMB_OK);
    cr_assert_eq(emb_index_entity_count(idx), 31);
    emb_index_close(idx);
    unlink(out);
}
