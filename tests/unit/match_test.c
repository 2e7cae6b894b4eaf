/*
 * Screening behaviour that users of other engines complain about, on the bundled demo list
 * and on real lists: partial names, numbers, generic words, weak aliases, attributes with
 * stated reasons, scores that do not saturate, deterministic order, schema rules, threads.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static char g_dir[] = "/tmp/emb-match-test-XXXXXX";
static emb_index *g_idx;
static emb_ctx *g_ctx;

static void open_snapshot(const emb_build_source *src, size_t n)
{
    cr_assert_not_null(mkdtemp(g_dir));
    char out[256];
    snprintf(out, sizeof(out), "%s/s.emb", g_dir);
    emb_build_stats st;
    emb_error err;
    cr_assert_eq(emb_index_build(out, src, n, NULL, &st, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(emb_index_open(out, &g_idx, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(emb_ctx_new(&g_ctx), EMB_OK);
}

static void demo_setup(void)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    emb_build_source src = {path, "embargo_demo"};
    open_snapshot(&src, 1);
}

static void real_setup(void)
{
    static char p1[4096], p2[4096], p3[4096];
    snprintf(p1, sizeof(p1), "%s", test_data("ofac/sdn_names_2026-08-20_kindrat86.csv"));
    snprintf(p2, sizeof(p2), "%s", test_data("ofac/legacy_csv_2021-07"));
    snprintf(p3, sizeof(p3), "%s", test_data("eu/journal_sanctions_csv/consolidated/32019R0796.csv"));
    emb_build_source src[] = {{p1, "us_ofac_sdn"}, {p2, "us_ofac_sdn_2021"}, {p3, NULL}};
    open_snapshot(src, 3);
}

static void teardown(void)
{
    emb_ctx_free(g_ctx);
    emb_index_close(g_idx);
    test_rmdir(g_dir);
}

typedef struct {
    const emb_match *m;
    size_t n;
} results;

static results screen(const char *name, emb_schema schema, const char *dob, const char *country,
                      const char *id, double threshold)
{
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = name;
    q.schema = schema;
    const char *dobs[1] = {dob}, *ctry[1] = {country}, *ids[1] = {id};
    if (dob) {
        q.birth_dates = dobs;
        q.n_birth_dates = 1;
    }
    if (country) {
        q.countries = ctry;
        q.n_countries = 1;
    }
    if (id) {
        q.identifiers = ids;
        q.n_identifiers = 1;
    }
    emb_screen_opts o = {.limit = 20, .threshold = threshold};
    results r = {NULL, 0};
    emb_error err;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &r.m, &r.n, &err), EMB_OK, "'%s': %s", name,
                 err.msg);
    return r;
}

static const char *source_of(size_t entity)
{
    static char buf[128];
    emb_entity e;
    cr_assert_eq(emb_index_entity(g_idx, g_ctx, entity, &e), EMB_OK);
    snprintf(buf, sizeof(buf), "%.*s", (int)e.source_id.len, e.source_id.ptr);
    return buf;
}

/* Rank (0-based) of the entity with this source id, or -1. */
static long rank_of(results r, const char *source_id)
{
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(source_of(r.m[i].entity), source_id) == 0)
            return (long)i;
    }
    return -1;
}

static const emb_explanation *feature(const emb_match *m, const char *name)
{
    for (size_t i = 0; i < m->n_explanations; i++) {
        if (strcmp(m->explanations[i].feature, name) == 0)
            return &m->explanations[i];
    }
    return NULL;
}

/* ---------------------------------------------------------------- demo list */

Test(match_demo, exact_typo_and_partial_scores_differ, .init = demo_setup, .fini = teardown)
{
    results r = screen("Sichuan Anxun Information Technology Co., Ltd.", EMB_SCHEMA_COMPANY, NULL,
                       NULL, NULL, 0.5);
    cr_assert_eq(rank_of(r, "gb-isoon"), 0);
    double exact = r.m[0].score;
    cr_assert_eq(exact, 1.0);
    cr_assert_not_null(feature(&r.m[0], "name_literal_match"));
    r = screen("Sichuan Anxum Information Technology Co., Ltd.", EMB_SCHEMA_COMPANY, NULL, NULL,
               NULL, 0.5);
    cr_assert_eq(rank_of(r, "gb-isoon"), 0);
    double typo = r.m[0].score;
    r = screen("Anxun Technology", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.3);
    long k = rank_of(r, "gb-isoon");
    cr_assert_geq(k, 0);
    double partial = r.m[k].score;
    cr_assert(exact > typo && exact > partial && typo != partial,
              "exact %.3f, typo %.3f and partial %.3f are distinct, exact first", exact, typo,
              partial);
}

Test(match_demo, other_scripts_find_the_same_entities, .init = demo_setup, .fini = teardown)
{
    results r = screen("四川安洵信息技术有限公司", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "gb-isoon"), 0);
    r = screen("Владимир Путин", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.7);
    long a = rank_of(r, "us-putin"), b = rank_of(r, "eu-putin");
    cr_assert(a >= 0 && a < 2 && b >= 0 && b < 2, "both Putin entries first (%ld, %ld)", a, b);
    r = screen("김정은", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "us-kim-jong-un"), 0);
    r = screen("Kim Jong-un", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "us-kim-jong-un"), 0);
}

Test(match_demo, attributes_lower_with_a_reason_never_hide, .init = demo_setup, .fini = teardown)
{
    results r = screen("Vladimir Putin", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.0);
    long k = rank_of(r, "us-putin");
    cr_assert_geq(k, 0);
    double plain = r.m[k].score;
    r = screen("Vladimir Putin", EMB_SCHEMA_PERSON, "1952-10-07", "Russia", NULL, 0.0);
    k = rank_of(r, "us-putin");
    cr_assert_eq(r.m[k].score, plain, "agreeing attributes keep the score");
    cr_assert_not_null(feature(&r.m[k], "dob_match"));
    cr_assert_not_null(feature(&r.m[k], "country_match"));
    r = screen("Vladimir Putin", EMB_SCHEMA_PERSON, "1971", "United States", NULL, 0.0);
    k = rank_of(r, "us-putin");
    cr_assert_geq(k, 0, "a disagreeing birth date lowers the score; the hit does not vanish");
    cr_assert_lt(r.m[k].score, plain);
    const emb_explanation *d = feature(&r.m[k], "dob_year_disjoint");
    cr_assert_not_null(d);
    cr_assert(d->candidate.len == 10 && memcmp(d->candidate.ptr, "1952-10-07", 10) == 0);
    cr_assert_not_null(feature(&r.m[k], "country_mismatch"));
}

Test(match_demo, identifiers_and_schemata, .init = demo_setup, .fini = teardown)
{
    results r = screen("Adrian Daria", EMB_SCHEMA_VESSEL, NULL, NULL, "IMO 9116412", 0.5);
    cr_assert_eq(rank_of(r, "us-adrian-darya"), 0);
    const emb_explanation *id = feature(&r.m[0], "identifier_match");
    cr_assert_not_null(id);
    cr_assert_gt(r.m[0].score, 0.9);
    r = screen("Adrian Darya 1", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.0);
    cr_assert_eq(rank_of(r, "us-adrian-darya"), -1, "a Person query never meets a Vessel");
    /* a Company query meets a LegalEntity (FtM extends) */
    r = screen("Integrity Technology Group Incorporated", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.7);
    cr_assert_geq(rank_of(r, "us-integrity"), 0);
}

Test(match_demo, ties_are_deterministic, .init = demo_setup, .fini = teardown)
{
    results r = screen("Putin", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.0);
    char first[8][64];
    size_t n = r.n < 8 ? r.n : 8;
    for (size_t i = 0; i < n; i++)
        snprintf(first[i], sizeof(first[i]), "%s", source_of(r.m[i].entity));
    for (int round = 0; round < 5; round++) {
        r = screen("Putin", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.0);
        for (size_t i = 0; i < n; i++)
            cr_assert_str_eq(source_of(r.m[i].entity), first[i]);
    }
    for (size_t i = 1; i < r.n; i++)
        cr_assert(r.m[i].score < r.m[i - 1].score ||
                      (r.m[i].score == r.m[i - 1].score && r.m[i].entity > r.m[i - 1].entity),
                  "sorted by score, ties by entity");
}

/* A filter drops entities before scoring, so the next one takes the place (not a short list). */
static int not_this_entity(void *ud, const emb_index *idx, size_t entity)
{
    (void)idx;
    return entity != *(const size_t *)ud;
}

Test(match_demo, filter_leaves_entities_out_before_ranking, .init = demo_setup, .fini = teardown)
{
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = "Sichuan Anxun Information Technology";
    const emb_match *m;
    size_t n;
    emb_error err;
    emb_screen_opts o = {.limit = 1, .threshold = 0.0};
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(n, 1);
    size_t top = m[0].entity;
    cr_assert_str_eq(source_of(top), "gb-isoon");
    o.filter = not_this_entity;
    o.filter_ud = &top;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(n, 1, "another entity takes the excluded one's place");
    cr_assert_neq(m[0].entity, top);
}

/* The lists' "entity" (LegalEntity) may be anyone; one whose names carry a legal form or an
 * organisation word is an organisation, which a Person query is not looking for. */
Test(match_demo, person_query_passes_over_organisations_by_name, .init = demo_setup,
     .fini = teardown)
{
    results r = screen("Heiying Information Technology", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.5);
    cr_assert_geq(rank_of(r, "us-heiying"), 0, "found with no schema");
    r = screen("Heiying Information Technology", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.5);
    cr_assert_geq(rank_of(r, "us-heiying"), 0, "a Company query meets a LegalEntity");
    r = screen("Heiying Information Technology", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.0);
    cr_assert_eq(rank_of(r, "us-heiying"), -1, "a Person query passes over an organisation");
}

/* The candidates option bounds the names scored: one candidate, one result at most. */
Test(match_demo, candidates_option_bounds_the_names_scored, .init = demo_setup, .fini = teardown)
{
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = "Integrity Technology Group";
    const emb_match *m;
    size_t n;
    emb_error err;
    emb_screen_opts o = {.limit = 10, .threshold = 0.0};
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_gt(n, 1, "several entities share these words");
    size_t top = m[0].entity;
    o.candidates = 1;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(n, 1);
    cr_assert_eq(m[0].entity, top, "the best candidate is the best match");
}

Test(match_demo, bad_queries, .init = demo_setup, .fini = teardown)
{
    emb_query q;
    memset(&q, 0, sizeof(q));
    emb_screen_opts o = {.limit = 5, .threshold = 0.7};
    const emb_match *m;
    size_t n;
    emb_error err;
    q.name = "";
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_EINVAL);
    q.name = "?!. --";
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_EINVAL);
    cr_assert(strstr(err.msg, "nothing to match") != NULL, "%s", err.msg);
    q.name = "bad\xff";
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_EUTF8);
    static char big[100 * 1024 + 1];
    memset(big, 'a', sizeof(big) - 1);
    q.name = big;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_ELIMIT);
    q.name = "Vladimir Putin";
    const char *bad_dob[] = {"the seventh of never"};
    q.birth_dates = bad_dob;
    q.n_birth_dates = 1;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_EINVAL);
    cr_assert(strstr(err.msg, "birth date") != NULL);
    q.n_birth_dates = 0;
    const char *bad_ctry[] = {"Atlantis"};
    q.countries = bad_ctry;
    q.n_countries = 1;
    cr_assert_eq(emb_screen(g_idx, g_ctx, &q, &o, &m, &n, &err), EMB_EINVAL);
    cr_assert(strstr(err.msg, "country") != NULL);
}

typedef struct {
    char top[4][64];
} thread_out;

static void *screen_thread(void *arg)
{
    thread_out *out = arg;
    emb_ctx *ctx;
    if (emb_ctx_new(&ctx) != EMB_OK)
        return NULL;
    const char *names[4] = {"Putin", "Sichuan Anxun", "Lazarus Group", "Kim Jong Un"};
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 4; i++) {
            emb_query q;
            memset(&q, 0, sizeof(q));
            q.name = names[i];
            emb_screen_opts o = {.limit = 3, .threshold = 0.5};
            const emb_match *m;
            size_t n;
            emb_error err;
            if (emb_screen(g_idx, ctx, &q, &o, &m, &n, &err) == EMB_OK && n > 0) {
                emb_entity e;
                emb_index_entity(g_idx, ctx, m[0].entity, &e);
                snprintf(out->top[i], 64, "%.*s", (int)e.id.len, e.id.ptr);
            }
        }
    }
    emb_ctx_free(ctx);
    return NULL;
}

Test(match_demo, threads_share_one_snapshot, .init = demo_setup, .fini = teardown)
{
    pthread_t t[4];
    thread_out out[4];
    memset(out, 0, sizeof(out));
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, screen_thread, &out[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 1; i < 4; i++) {
        for (int k = 0; k < 4; k++)
            cr_assert_str_eq(out[i].top[k], out[0].top[k]);
    }
    cr_assert_str_eq(out[0].top[1], "embargo_demo-gb-isoon");
}

Test(match_demo, compare_two_names)
{
    emb_ctx *ctx;
    cr_assert_eq(emb_ctx_new(&ctx), EMB_OK);
    double s;
    const emb_explanation *ex;
    size_t n;
    emb_error err;
    cr_assert_eq(emb_compare(ctx, "Vladimir Putin", "PUTIN, Vladimir", EMB_SCHEMA_PERSON, &s, &ex,
                             &n, &err), EMB_OK);
    cr_assert_eq(s, 1.0, "order does not matter: the same words are the same name");
    cr_assert_geq(n, 1);
    cr_assert_str_eq(ex[0].feature, "name_literal_match");
    cr_assert_eq(emb_compare(ctx, "Vladimir Putin", "PUTIN, Vladimir Vladimirovich",
                             EMB_SCHEMA_PERSON, &s, &ex, &n, &err), EMB_OK);
    cr_assert_str_eq(ex[0].feature, "name_match");
    cr_assert_lt(s, 1.0, "a name with a word more is not identical");
    double t;
    cr_assert_eq(emb_compare(ctx, "Владимир Путин", "Vladimir Putin", EMB_SCHEMA_UNKNOWN, &t, &ex,
                             &n, &err), EMB_OK);
    cr_assert_gt(t, 0.95);
    cr_assert_eq(emb_compare(ctx, "Vladimir Putin", "Vladimir Pushkin", EMB_SCHEMA_UNKNOWN, &t,
                             &ex, &n, &err), EMB_OK);
    cr_assert_lt(t, 0.7);
    /* one typo, or two neighbouring letters swapped, is still the name */
    static const char *const typos[][2] = {{"Vladimir Putn", "Vladimir Putin"},
                                           {"Bashar al-Asasd", "Bashar al-Assad"},
                                           {"Kim Jong-uun", "Kim Jong-un"}};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(emb_compare(ctx, typos[i][0], typos[i][1], EMB_SCHEMA_PERSON, &t, &ex, &n,
                                 &err), EMB_OK);
        cr_assert_geq(t, 0.7, "%s / %s: %.3f", typos[i][0], typos[i][1], t);
    }
    /* vowels are a transliteration's guess: Arabic writes Putin "bwtyn" and Vladimir
     * "fladymyr" */
    cr_assert_eq(emb_compare(ctx, "فلاديمير بوتين", "Vladimir Putin", EMB_SCHEMA_PERSON, &t, &ex,
                             &n, &err), EMB_OK);
    cr_assert_geq(t, 0.7, "Arabic Putin: %.3f", t);
    /* a one-word name met only by a near spelling is weak; a Latin acronym is not a
     * vowelless transliteration; a join absorbs no whole word */
    static const char *const weak[][2] = {{"Paris", "PARS OIL CO."},
                                          {"Ruiz", "YRZ"},
                                          {"Viktor Orbach", "Viktor Orban"}};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(emb_compare(ctx, weak[i][0], weak[i][1], EMB_SCHEMA_UNKNOWN, &t, &ex, &n,
                                 &err), EMB_OK);
        cr_assert_lt(t, 0.7, "%s / %s: %.3f", weak[i][0], weak[i][1], t);
    }
    /* a name in Han or Hangul must meet a listed name nearly whole: two syllables of three
     * are chance; a province before a company's name is not */
    cr_assert_eq(emb_compare(ctx, "梅 石", "SUN, Shih Mei", EMB_SCHEMA_PERSON, &t, &ex, &n, &err),
                 EMB_OK);
    cr_assert_lt(t, 0.7, "two syllables of a three-syllable name: %.3f", t);
    cr_assert_eq(emb_compare(ctx, "周帅", "Zhou Shuai", EMB_SCHEMA_PERSON, &t, &ex, &n, &err),
                 EMB_OK);
    cr_assert_eq(t, 1.0);
    cr_assert_eq(emb_compare(ctx, "四川安洵信息技术有限公司", "安洵信息技术有限公司",
                             EMB_SCHEMA_COMPANY, &t, &ex, &n, &err), EMB_OK);
    cr_assert_geq(t, 0.7, "the listed name whole inside a longer one: %.3f", t);
    cr_assert_eq(emb_compare(ctx, "", "x", EMB_SCHEMA_UNKNOWN, &t, &ex, &n, &err), EMB_EINVAL);
    emb_ctx_free(ctx);
}

/* ---------------------------------------------------------------- real lists */

Test(match_real, surname_alone_finds_its_people, .init = real_setup, .fini = teardown)
{
    results r = screen("Maduro", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.7);
    long k = rank_of(r, "22790"); /* MADURO MOROS, Nicolas */
    cr_assert(k >= 0 && k < 5, "Maduro finds Nicolas Maduro Moros (rank %ld)", k);
    /* people who carry the name rank above near-spellings ("Mauro") */
    int seen_other = 0;
    for (size_t i = 0; i < r.n; i++) {
        char nm[256];
        snprintf(nm, sizeof(nm), "%.*s", (int)r.m[i].matched_name.len, r.m[i].matched_name.ptr);
        int carries = strstr(nm, "MADURO") != NULL || strstr(nm, "Maduro") != NULL;
        cr_assert(!(carries && seen_other), "%s ranked below a near-spelling", nm);
        seen_other |= !carries;
    }
}

Test(match_real, numbers_are_part_of_names, .init = real_setup, .fini = teardown)
{
    results r = screen("11420 CORP.", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.7);
    cr_assert_geq(r.n, 1);
    cr_assert_eq(rank_of(r, "24430"), 0);
    r = screen("11421 CORP.", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "24430"), -1, "another number is another company");
    for (size_t i = 0; i < r.n; i++)
        cr_assert_lt(r.m[i].score, 0.7);
}

Test(match_real, generic_words_never_carry_a_match, .init = real_setup, .fini = teardown)
{
    const char *generic[] = {"Trading Company", "International Trading Co Ltd", "Emma LLC Group",
                             "Technology Group Incorporated"};
    for (size_t g = 0; g < 4; g++) {
        results r = screen(generic[g], EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.0);
        for (size_t i = 0; i < r.n; i++) {
            cr_assert_lt(r.m[i].score, 1.0, "'%s' scored 1.0 against %s", generic[g],
                         source_of(r.m[i].entity));
        }
    }
    results r = screen("Trading Company", EMB_SCHEMA_UNKNOWN, NULL, NULL, NULL, 0.7);
    cr_assert_eq(r.n, 0, "only generic words: no alert");
}

Test(match_real, weak_aliases_are_searched_and_marked, .init = real_setup, .fini = teardown)
{
    /* OFAC keeps low-quality a.k.a.s in its remarks: uid 2674 ABBAS, Abu has 'ABU ABBAS' */
    results r = screen("Abul Abbas", EMB_SCHEMA_PERSON, NULL, NULL, NULL, 0.5);
    int weak = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.m[i].matched_kind == EMB_NAME_WEAK_ALIAS) {
            weak = 1;
            cr_assert_not_null(feature(&r.m[i], "weak_alias_match"));
        }
    }
    cr_assert(weak || r.n > 0);
}

Test(match_real, i_soon_and_integrity_tech, .init = real_setup, .fini = teardown)
{
    results r = screen("四川安洵信息技术有限公司", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "32019R0796#7"), 0);
    r = screen("i-Soon", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "32019R0796#7"), 0);
    r = screen("Beijing Integrity Technology Co Ltd", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.7);
    long a = rank_of(r, "50543"), b = rank_of(r, "32019R0796#5");
    cr_assert(a == 0 || b == 0, "Integrity Technology first (%ld, %ld)", a, b);
    r = screen("永信至诚科技集团股份有限公司", EMB_SCHEMA_COMPANY, NULL, NULL, NULL, 0.7);
    cr_assert_eq(rank_of(r, "32019R0796#5"), 0);
}
