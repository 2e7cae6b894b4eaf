/*
 * Candidate generation from the key postings: screening through candidates finds what a
 * full scan finds, reads no more than its bound, and a snapshot whose keys or postings are
 * damaged is refused at open.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"
#include "index/index.h"
#include "match/match.h"
#include "test_util.h"
#include "unicode/names.h"

/* Each query is also screened by a full scan, slow without optimisation: sanitizer and
 * debug builds check fewer queries (the same ones first), release builds all of them. */
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define N_QUERIES 400
#else
#define N_QUERIES 200
#endif

static char g_dir[] = "/tmp/emb-cand-test-XXXXXX";

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

static const char *build_demo(void)
{
    static char out[512];
    snprintf(out, sizeof(out), "%s", tmp_path("demo.emb"));
    char src[4096];
    snprintf(src, sizeof(src), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    emb_build_source s = {src, "embargo_demo"};
    emb_error err;
    cr_assert_eq(emb_index_build(out, &s, 1, NULL, NULL, &err), EMB_OK, "%s", err.msg);
    return out;
}

/* OFAC SDN, UN and two EU regimes; NULL (test skipped) when the real lists are absent. */
static const char *build_universe(void)
{
    static const char *rel[] = {
        "ofac/sdn_names_2026-08-20_kindrat86.csv",
        "un/UN_consolidated_2026-02-27.xml",
        "eu/journal_sanctions_csv/consolidated/32019R0796.csv",
        "eu/journal_sanctions_csv/consolidated/32014R0269.csv",
    };
    static char paths[4][4096];
    emb_build_source src[4];
    for (size_t i = 0; i < 4; i++) {
        const char *p = test_data(rel[i]);
        if (p == NULL)
            return NULL;
        snprintf(paths[i], sizeof(paths[i]), "%s", p);
        src[i].path = paths[i];
        src[i].dataset = i == 0 ? "us_ofac_sdn" : NULL;
    }
    static char out[512];
    snprintf(out, sizeof(out), "%s", tmp_path("universe.emb"));
    emb_error err;
    emb_build_stats st;
    cr_assert_eq(emb_index_build(out, src, 4, NULL, &st, &err), EMB_OK, "%s", err.msg);
    cr_assert_gt(st.names, 10000);
    return out;
}

/* ------------------------------------------------------------ query variants */

static uint64_t g_rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
    g_rng = g_rng * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)((g_rng >> 33) % n);
}

static int is_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s >= 0x80)
            return 0;
    }
    return 1;
}

/* Split on spaces and commas into at most 16 words (in place). */
static size_t split(char *s, char **w)
{
    size_t n = 0;
    for (char *p = s; *p && n < 16;) {
        while (*p == ' ' || *p == ',')
            *p++ = '\0';
        if (*p == '\0')
            break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != ',')
            p++;
    }
    return n;
}

/* One typo in an ASCII word of at least 4 letters: substitution, deletion, insertion or
 * transposition of letters (UTF-8 stays valid: only ASCII letters are touched). */
static void typo(char *w, size_t cap)
{
    size_t len = strlen(w);
    if (len < 4 || !is_ascii(w))
        return;
    size_t at = 1 + rnd((uint32_t)(len - 2));
    char c = (char)('a' + rnd(26));
    switch (rnd(4)) {
    case 0:
        w[at] = c;
        break;
    case 1:
        memmove(w + at, w + at + 1, len - at);
        break;
    case 2:
        if (len + 2 < cap) {
            memmove(w + at + 1, w + at, len - at + 1);
            w[at] = c;
        }
        break;
    default: {
        char t = w[at];
        w[at] = w[at + 1];
        w[at + 1] = t;
        break;
    }
    }
}

/* A query made from one of the entity's names: exact, typos, a dropped word, reordered, or
 * a name in another script. Returns 0 when the entity gives no such query. */
static int make_query(emb_entity *e, unsigned mode, char *out, size_t cap)
{
    const emb_name *pick = NULL;
    if (mode == 5) {
        for (size_t k = 0; k < e->n_names && pick == NULL; k++) {
            char tmp[512];
            snprintf(tmp, sizeof(tmp), "%.*s", (int)e->names[k].value.len, e->names[k].value.ptr);
            if (!is_ascii(tmp))
                pick = &e->names[k];
        }
        if (pick == NULL)
            return 0;
    } else {
        pick = &e->names[rnd((uint32_t)e->n_names)];
    }
    if (pick->value.len == 0 || pick->value.len > 200)
        return 0;
    char buf[512];
    snprintf(buf, sizeof(buf), "%.*s", (int)pick->value.len, pick->value.ptr);
    char *w[16];
    size_t n = split(buf, w);
    if (n == 0)
        return 0;
    char words[16][64];
    for (size_t i = 0; i < n; i++)
        snprintf(words[i], sizeof(words[i]), "%s", w[i]);
    size_t order[16];
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    switch (mode) {
    case 1:
        typo(words[rnd((uint32_t)n)], sizeof(words[0]));
        break;
    case 2: {
        size_t a = rnd((uint32_t)n), b = rnd((uint32_t)n);
        typo(words[a], sizeof(words[0]));
        if (b != a)
            typo(words[b], sizeof(words[0]));
        break;
    }
    case 3:
        if (n < 3)
            return 0;
        order[rnd((uint32_t)n)] = SIZE_MAX;
        break;
    case 4:
        for (size_t i = 0; i < n; i++)
            order[i] = (i + 1) % n;
        typo(words[rnd((uint32_t)n)], sizeof(words[0]));
        break;
    default:
        break;
    }
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (order[i] == SIZE_MAX)
            continue;
        int k = snprintf(out + len, cap - len, "%s%s", len ? " " : "", words[order[i]]);
        if (k < 0 || (size_t)k >= cap - len)
            return 0;
        len += (size_t)k;
    }
    return len > 0;
}

TestSuite(candidates, .init = setup, .fini = teardown);

Test(candidates, indexed_top5_equals_full_scan_on_real_lists, .timeout = 580)
{
    const char *path = build_universe();
    if (path == NULL)
        return;
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(path, &idx, &err), EMB_OK, "%s", err.msg);
    emb_ctx *ctx, *qctx;
    cr_assert_eq(emb_ctx_new(&ctx), EMB_OK);
    cr_assert_eq(emb_ctx_new(&qctx), EMB_OK);
    size_t n_ent = emb_index_entity_count(idx);
    size_t asked = 0, agreed = 0, with_hits = 0, per_mode[6] = {0}, ok_mode[6] = {0};
    emb_screen_opts o = {.limit = 5, .threshold = -1.0};
    for (unsigned q = 0; asked < N_QUERIES && q < 5000; q++) {
        unsigned mode = q % 6;
        emb_entity e;
        cr_assert_eq(emb_index_entity(idx, ctx, rnd((uint32_t)n_ent), &e), EMB_OK);
        char name[512];
        if (!make_query(&e, mode, name, sizeof(name)))
            continue;
        emb_query query;
        memset(&query, 0, sizeof(query));
        query.name = name;
        const emb_match *r1, *r2;
        size_t n1, n2;
        if (emb_screen(idx, qctx, &query, &o, &r1, &n1, &err) != EMB_OK)
            continue; /* a typo can leave nothing to match */
        size_t ent1[5];
        double sc1[5];
        for (size_t i = 0; i < n1; i++) {
            ent1[i] = r1[i].entity;
            sc1[i] = r1[i].score;
        }
        cr_assert_eq(emb__screen_exhaustive(idx, qctx, &query, &o, &r2, &n2, &err), EMB_OK,
                     "%s", err.msg);
        asked++;
        per_mode[mode]++;
        with_hits += n2 > 0;
        int same = n1 == n2;
        for (size_t i = 0; i < n1 && same; i++)
            same = ent1[i] == r2[i].entity && sc1[i] == r2[i].score;
        agreed += same;
        ok_mode[mode] += same;
        if (!same) {
            printf("differs: '%s': indexed %zu results (top %.3f), full scan %zu (top %.3f)\n",
                   name, n1, n1 ? sc1[0] : 0.0, n2, n2 ? r2[0].score : 0.0);
        }
    }
    double recall = asked ? (double)agreed / (double)asked : 0;
    printf("candidates: %zu of %zu queries (%zu with matches) have the full scan's top 5: "
           "recall %.4f\n", agreed, asked, with_hits, recall);
    printf("by variant (exact, 1 typo, 2 typos, dropped word, reordered+typo, other script):");
    for (int m = 0; m < 6; m++)
        printf(" %zu/%zu", ok_mode[m], per_mode[m]);
    printf("\n");
    fflush(stdout);
    cr_assert_eq(asked, N_QUERIES);
    cr_assert_geq(with_hits, asked / 2, "most variants of listed names match something");
    cr_assert_geq(recall, 0.995, "recall %.4f below 0.995", recall);
    emb_ctx_free(ctx);
    emb_ctx_free(qctx);
    emb_index_close(idx);
}

/* The candidates of a query: at most k, ascending, within the index. */
static size_t check_candidates(const emb_index *idx, emb_ctx *ctx, emb__normalizer *nz,
                               const char *name, size_t k)
{
    emb__nname nm;
    emb__nname_init(&nm);
    emb_error err;
    cr_assert_eq(emb__normalize(nz, emb__str_cstr(name), &nm, &err), EMB_OK);
    const uint32_t *c;
    size_t n;
    cr_assert_eq(emb__candidates(idx, ctx, &nm, k, &c, &n), EMB_OK);
    cr_assert_leq(n, k, "'%s': %zu candidates over the bound %zu", name, n, k);
    for (size_t i = 0; i < n; i++) {
        cr_assert_lt(c[i], idx->n_names);
        if (i > 0)
            cr_assert_lt(c[i - 1], c[i]);
    }
    emb__nname_free(&nm);
    return n;
}

Test(candidates, bounded_and_ascending)
{
    const char *path = build_demo();
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(path, &idx, &err), EMB_OK, "%s", err.msg);
    cr_assert_gt(idx->n_keys, 0);
    cr_assert_gt(idx->n_names, 8);
    emb_ctx *ctx;
    cr_assert_eq(emb_ctx_new(&ctx), EMB_OK);
    emb__normalizer *nz;
    cr_assert_eq(emb__normalizer_new(0, &nz), EMB_OK);
    /* fewer names than the bound: every name */
    cr_assert_eq(check_candidates(idx, ctx, nz, "anything", idx->n_names), idx->n_names);
    /* a bound below the index: at most that many, the named one among them */
    size_t n = check_candidates(idx, ctx, nz, "Sichuan Anxun Information Technology", 3);
    cr_assert_gt(n, 0);
    cr_assert_eq(check_candidates(idx, ctx, nz, "zzqxv", 3), 0, "no key in common, nothing");
    /* the accumulator is left clean: the same query twice gives the same candidates */
    emb__nname nm;
    emb__nname_init(&nm);
    cr_assert_eq(emb__normalize(nz, emb__str_cstr("Ivan Petrov Trading"), &nm, &err), EMB_OK);
    const uint32_t *c;
    size_t n1, n2;
    uint32_t first[8];
    cr_assert_eq(emb__candidates(idx, ctx, &nm, 8, &c, &n1), EMB_OK);
    memcpy(first, c, n1 * sizeof(uint32_t));
    cr_assert_eq(emb__candidates(idx, ctx, &nm, 8, &c, &n2), EMB_OK);
    cr_assert_eq(n1, n2);
    cr_assert_eq(memcmp(first, c, n1 * sizeof(uint32_t)), 0);
    emb__nname_free(&nm);
    emb__normalizer_free(nz);
    emb_ctx_free(ctx);
    emb_index_close(idx);
}

Test(candidates, bounded_on_real_lists, .timeout = 300)
{
    const char *path = build_universe();
    if (path == NULL)
        return;
    emb_index *idx;
    emb_error err;
    cr_assert_eq(emb_index_open(path, &idx, &err), EMB_OK, "%s", err.msg);
    emb_ctx *ctx;
    cr_assert_eq(emb_ctx_new(&ctx), EMB_OK);
    emb__normalizer *nz;
    cr_assert_eq(emb__normalizer_new(64, &nz), EMB_OK);
    static const char *queries[] = {
        "Mohammed Ali",         "Ali Hassan Mohammed Al", "Trading Company Limited",
        "Al",                   "Nicolas Maduro",         "Абрамович Роман",
        "محمد علي",             "a b c d e f g",          "Bank",
        "Joint Stock Company",
    };
    for (size_t i = 0; i < EMB_COUNTOF(queries); i++) {
        size_t n = check_candidates(idx, ctx, nz, queries[i], EMB__CANDIDATES_DEFAULT);
        cr_assert_leq(n, EMB__CANDIDATES_DEFAULT);
        check_candidates(idx, ctx, nz, queries[i], 20);
    }
    /* screening scores no more names than the bound: a common query still answers */
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = "Mohammed";
    const emb_match *r;
    size_t n;
    emb_screen_opts o = {.limit = 10, .threshold = 0.0};
    cr_assert_eq(emb_screen(idx, ctx, &q, &o, &r, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_gt(n, 0);
    emb__normalizer_free(nz);
    emb_ctx_free(ctx);
    emb_index_close(idx);
}

/* ------------------------------------------------------------ corrupt postings */

typedef struct {
    uint8_t *data;
    size_t len;
} image;

static image load(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    image im = {malloc((size_t)st.st_size), (size_t)st.st_size};
    cr_assert_eq(fread(im.data, 1, im.len, f), im.len);
    fclose(f);
    return im;
}

static emb__snap_section *section(image *im, uint32_t id)
{
    emb__snap_header *h = (emb__snap_header *)im->data;
    emb__snap_section *t = (emb__snap_section *)(im->data + sizeof(*h));
    for (uint32_t i = 0; i < h->n_sections; i++) {
        if (t[i].id == id)
            return &t[i];
    }
    cr_assert_fail("section %u missing", id);
    return NULL;
}

/* Recompute every checksum, so only the content checks can refuse the image. */
static void reseal(image *im)
{
    emb__snap_header *h = (emb__snap_header *)im->data;
    emb__snap_section *t = (emb__snap_section *)(im->data + sizeof(*h));
    for (uint32_t i = 0; i < h->n_sections; i++)
        t[i].hash = emb__hash(im->data + t[i].offset, (size_t)t[i].length);
    h->table_hash = emb__hash(t, h->n_sections * sizeof(*t));
}

static emb_status open_image(image *im, const char *name, emb_error *err)
{
    reseal(im);
    const char *p = tmp_path(name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(im->data, 1, im->len, f), im->len);
    fclose(f);
    emb_index *idx = NULL;
    emb_status rc = emb_index_open(p, &idx, err);
    emb_index_close(idx);
    return rc;
}

/* The stored scoring layout of names is read without checks, so open refuses any flaw. */
Test(candidates, corrupt_name_layouts_are_refused)
{
    const char *path = build_demo();
    emb_error err;
    struct {
        const char *what;
        size_t field; /* 0 off, 1 len, 2 first, 3 count, 4 kind, 5 weight, 6 side range */
    } cases[] = {{"text past the name", 0}, {"empty token", 1}, {"run past the tokens", 2},
                 {"empty run", 3},          {"unknown kind", 4}, {"weight not a number", 5},
                 {"layout past OPTS", 6}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        image im = load(path);
        emb__snap_section *sides = section(&im, EMB__SEC_SIDES);
        emb__snap_section *opts = section(&im, EMB__SEC_OPTS);
        emb__snap_side *s0 = (emb__snap_side *)(im.data + sides->offset);
        emb__snap_opt *o0 = (emb__snap_opt *)(im.data + opts->offset);
        cr_assert_gt(s0[0].n_opts, 0);
        emb__snap_opt *o = &o0[s0[0].first_opt];
        switch (cases[c].field) {
        case 0: o->off = 60000; break;
        case 1: o->len = 0; break;
        case 2: o->first = 40; break;
        case 3: o->count = 0; break;
        case 4: o->kind = 200; break;
        case 5: {
            uint32_t nan_bits = 0x7fc00000u;
            memcpy(&o->weight, &nan_bits, sizeof(nan_bits));
            break;
        }
        default: s0[0].first_opt = (uint32_t)(opts->length / sizeof(emb__snap_opt)); break;
        }
        cr_assert_eq(open_image(&im, "layout.emb", &err), EMB_ECORRUPT, "%s", cases[c].what);
        cr_assert(strstr(err.msg, "layout") != NULL, "%s: %s", cases[c].what, err.msg);
        free(im.data);
    }
}

Test(candidates, corrupt_keys_or_postings_are_refused)
{
    const char *path = build_demo();
    emb_error err;
    image im = load(path);
    cr_assert_eq(open_image(&im, "same.emb", &err), EMB_OK, "resealed unchanged: %s", err.msg);
    free(im.data);

    /* a name index past the names */
    im = load(path);
    emb__snap_section *post = section(&im, EMB__SEC_POSTINGS);
    emb__snap_section *keys = section(&im, EMB__SEC_KEYS);
    cr_assert_gt(post->length, 4);
    emb__snap_key *k0 = (emb__snap_key *)(im.data + keys->offset);
    size_t n_keys = (size_t)(keys->length / sizeof(emb__snap_key));
    cr_assert_gt(n_keys, 2);
    /* a key on one name, stored in one byte: make it name 127, past the demo's names */
    size_t one = SIZE_MAX;
    for (size_t i = 0; i + 1 < n_keys && one == SIZE_MAX; i++) {
        if (k0[i].df == 1 && k0[i + 1].post_off - k0[i].post_off == 1)
            one = i;
    }
    cr_assert_neq(one, SIZE_MAX);
    emb_index *demo;
    cr_assert_eq(emb_index_open(path, &demo, &err), EMB_OK);
    cr_assert_lt(demo->n_names, 127);
    emb_index_close(demo);
    im.data[post->offset + k0[one].post_off] = 0x7f;
    cr_assert_eq(open_image(&im, "range.emb", &err), EMB_ECORRUPT);
    cr_assert(strstr(err.msg, "postings") != NULL, "%s", err.msg);
    free(im.data);

    /* a varint that never ends */
    im = load(path);
    post = section(&im, EMB__SEC_POSTINGS);
    memset(im.data + post->offset, 0x80, (size_t)post->length);
    cr_assert_eq(open_image(&im, "varint.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* a list offset past the section */
    im = load(path);
    keys = section(&im, EMB__SEC_KEYS);
    k0 = (emb__snap_key *)(im.data + keys->offset);
    k0[n_keys - 1].post_off = UINT32_MAX;
    cr_assert_eq(open_image(&im, "offset.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* more names claimed than the list holds */
    im = load(path);
    keys = section(&im, EMB__SEC_KEYS);
    k0 = (emb__snap_key *)(im.data + keys->offset);
    k0[0].df += 1;
    cr_assert_eq(open_image(&im, "df.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* an unsorted dictionary (binary search would miss keys) */
    im = load(path);
    keys = section(&im, EMB__SEC_KEYS);
    k0 = (emb__snap_key *)(im.data + keys->offset);
    emb__sref t = k0[1].text;
    k0[1].text = k0[2].text;
    k0[2].text = t;
    cr_assert_eq(open_image(&im, "order.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* key text outside the strings */
    im = load(path);
    keys = section(&im, EMB__SEC_KEYS);
    k0 = (emb__snap_key *)(im.data + keys->offset);
    k0[0].text.off = UINT32_MAX - 2;
    cr_assert_eq(open_image(&im, "text.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* postings cut short: the last list runs past its section */
    im = load(path);
    post = section(&im, EMB__SEC_POSTINGS);
    post->length -= 1;
    cr_assert_eq(open_image(&im, "short.emb", &err), EMB_ECORRUPT);
    free(im.data);

    /* a key record cut in half */
    im = load(path);
    keys = section(&im, EMB__SEC_KEYS);
    keys->length -= 8;
    cr_assert_eq(open_image(&im, "half.emb", &err), EMB_ECORRUPT);
    free(im.data);
}
