/*
 * Accuracy on the evaluation sets (../shared/eval and ../shared/data/variants):
 *   - OpenSanctions' name benchmark: 826 labelled pairs through emb_compare, F1 at 0.70
 *     (reference: logic-v2, F1 0.790);
 *   - the cyber seed cases against the universe snapshot: rank of the expected entity;
 *   - watchman's cross-script pairs: share scoring at least 0.70;
 *   - the Putin variants against OFAC: share finding Putin's OFAC entry first;
 *   - innocent names (build/innocent_names.txt, made by bench/gen_innocent.py): share raising
 *     an alert at 0.70 against the universe.
 * Usage: bench_accuracy [DATA_DIR] [EVAL_DIR] [INNOCENT_NAMES]
 */
#include <dirent.h>
#include <embargo/embargo.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THRESHOLD 0.70

static const char *g_data, *g_eval;

static const char *path_of(const char *dir, const char *rel)
{
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
    return buf[k];
}

/* Minimal CSV field splitter for the evaluation files (quotes, doubled quotes). */
static size_t split_csv(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line, *out = line;
    while (n < max) {
        f[n++] = out;
        int quoted = *p == '"';
        if (quoted)
            p++;
        for (;;) {
            if (*p == '\0' || *p == '\n' || *p == '\r') {
                *out = '\0';
                return n;
            }
            if (quoted && *p == '"') {
                if (p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                    continue;
                }
                quoted = 0;
                p++;
                continue;
            }
            if (!quoted && *p == ',') {
                *out++ = '\0';
                p++;
                break;
            }
            *out++ = *p++;
        }
    }
    return n;
}

static emb_schema schema_of(const char *s)
{
    return s ? emb_schema_from_name(s, strlen(s)) : EMB_SCHEMA_UNKNOWN;
}

static void name_bench(emb_ctx *ctx)
{
    FILE *f = fopen(path_of(g_data, "variants/nomenklatura/name_bench_cases.csv"), "r");
    if (f == NULL) {
        printf("name benchmark: file not found\n");
        return;
    }
    char line[4096];
    size_t tp = 0, fp = 0, tn = 0, fn = 0, errors = 0;
    int header = 1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (header) {
            header = 0;
            continue;
        }
        char *c[8];
        if (split_csv(line, c, 8) < 5)
            continue;
        double s = 0;
        emb_error err;
        if (emb_compare(ctx, c[2], c[3], schema_of(c[1]), &s, NULL, NULL, &err) != EMB_OK) {
            errors++;
            s = 0;
        }
        int truth = strcmp(c[4], "true") == 0, pred = s >= THRESHOLD;
        tp += truth && pred;
        fp += !truth && pred;
        tn += !truth && !pred;
        fn += truth && !pred;
    }
    fclose(f);
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    printf("name benchmark (826 pairs): precision %.3f recall %.3f F1 %.3f at %.2f "
           "(TP %zu FP %zu TN %zu FN %zu, %zu unreadable); logic-v2 reference F1 0.790\n",
           p, r, p + r > 0 ? 2 * p * r / (p + r) : 0, THRESHOLD, tp, fp, tn, fn, errors);
}

static void cross_script(emb_ctx *ctx)
{
    FILE *f = fopen(path_of(g_data, "variants/watchman_cross_script_pairs.csv"), "r");
    if (f == NULL)
        return;
    char line[1024];
    size_t n = 0, ok = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *c[4];
        if (split_csv(line, c, 4) < 2)
            continue;
        double s = 0;
        emb_error err;
        emb_compare(ctx, c[0], c[1], EMB_SCHEMA_UNKNOWN, &s, NULL, NULL, &err);
        n++;
        ok += s >= THRESHOLD;
        if (s < THRESHOLD)
            printf("  cross-script below %.2f: %s / %s: %.3f\n", THRESHOLD, c[0], c[1], s);
    }
    fclose(f);
    printf("cross-script pairs: %zu of %zu score >= %.2f\n", ok, n, THRESHOLD);
}

static long rank_of(const emb_index *idx, emb_ctx *ctx, const emb_match *m, size_t n,
                    json_t *expect)
{
    for (size_t i = 0; i < n; i++) {
        emb_entity e;
        emb_index_entity(idx, ctx, m[i].entity, &e);
        size_t k;
        json_t *v;
        json_array_foreach(expect, k, v)
        {
            const char *want = json_string_value(v);
            if (want && strlen(want) == e.source_id.len &&
                memcmp(want, e.source_id.ptr, e.source_id.len) == 0)
                return (long)i;
        }
    }
    return -1;
}

static void seed_cases(const emb_index *idx, emb_ctx *ctx)
{
    FILE *f = fopen(path_of(g_eval, "seed_cases.jsonl"), "r");
    if (f == NULL)
        return;
    char line[4096];
    size_t n = 0, first = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (o == NULL)
            continue;
        emb_query q;
        memset(&q, 0, sizeof(q));
        q.name = json_string_value(json_object_get(o, "name"));
        q.schema = schema_of(json_string_value(json_object_get(o, "schema")));
        const char *dob = json_string_value(json_object_get(o, "birth_date"));
        const char *ctry = json_string_value(json_object_get(o, "country"));
        if (dob) {
            q.birth_dates = &dob;
            q.n_birth_dates = 1;
        }
        if (ctry) {
            q.countries = &ctry;
            q.n_countries = 1;
        }
        emb_screen_opts opts = {.limit = 10, .threshold = 0.0};
        const emb_match *m;
        size_t k = 0;
        emb_error err;
        long r = -1;
        if (emb_screen(idx, ctx, &q, &opts, &m, &k, &err) == EMB_OK)
            r = rank_of(idx, ctx, m, k, json_object_get(o, "expect_source_ids"));
        n++;
        first += r == 0;
        printf("  seed %-4s %-50s expected at rank %ld (score %.3f)\n",
               json_string_value(json_object_get(o, "id")), q.name, r + 1,
               r >= 0 ? m[r].score : 0.0);
        json_decref(o);
    }
    fclose(f);
    printf("seed cases: expected entity first in %zu of %zu\n", first, n);
}

static void putin_variants(const emb_index *idx, emb_ctx *ctx)
{
    FILE *f = fopen(path_of(g_data, "variants/nomenklatura/putin_names.txt"), "r");
    if (f == NULL)
        return;
    char line[512];
    size_t n = 0, first = 0;
    json_t *want = json_pack("[s]", "35096");
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        emb_query q;
        memset(&q, 0, sizeof(q));
        q.name = line;
        emb_screen_opts opts = {.limit = 5, .threshold = 0.0};
        const emb_match *m;
        size_t k = 0;
        emb_error err;
        long r = -1;
        if (emb_screen(idx, ctx, &q, &opts, &m, &k, &err) == EMB_OK)
            r = rank_of(idx, ctx, m, k, want);
        n++;
        first += r == 0;
        if (r != 0)
            printf("  putin variant not first: %s (rank %ld)\n", line, r + 1);
    }
    json_decref(want);
    fclose(f);
    printf("Putin variants: OFAC entry first for %zu of %zu names (the file also holds titles "
           "and forms that are not his name alone)\n", first, n);
}

static void innocents(const emb_index *idx, emb_ctx *ctx, const char *file)
{
    FILE *f = fopen(file, "r");
    if (f == NULL) {
        printf("innocent names: %s not found (make it with /usr/bin/python3 bench/gen_innocent.py > build/innocent_names.txt)\n", file);
        return;
    }
    char line[512];
    size_t n = 0, alerts = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        emb_query q;
        memset(&q, 0, sizeof(q));
        char *tab = strchr(line, '\t');
        if (tab != NULL) {
            *tab = '\0';
            q.schema = schema_of(tab + 1);
        }
        q.name = line;
        emb_screen_opts opts = {.limit = 1, .threshold = THRESHOLD};
        const emb_match *m;
        size_t k = 0;
        emb_error err;
        n++;
        if (emb_screen(idx, ctx, &q, &opts, &m, &k, &err) == EMB_OK && k > 0) {
            alerts++;
            /* EMB_ALL_ALERTS=1 lists every alert, for study */
            if (alerts <= 15 || getenv("EMB_ALL_ALERTS") != NULL) {
                emb_entity e;
                emb_index_entity(idx, ctx, m[0].entity, &e);
                printf("  alert: %s -> %.*s [%.*s] (%.3f)\n", line, (int)e.caption.len,
                       e.caption.ptr, (int)m[0].matched_name.len, m[0].matched_name.ptr,
                       m[0].score);
            }
        }
    }
    fclose(f);
    printf("innocent names: %zu of %zu raise an alert at %.2f (%.2f%%)\n", alerts, n, THRESHOLD,
           n ? 100.0 * (double)alerts / (double)n : 0.0);
}

int main(int argc, char **argv)
{
    g_data = argc > 1 ? argv[1] : "../shared/data";
    g_eval = argc > 2 ? argv[2] : "../shared/eval";
    emb_ctx *ctx;
    if (emb_ctx_new(&ctx) != EMB_OK)
        return 1;
    name_bench(ctx);
    cross_script(ctx);

    char out[] = "/tmp/emb-accuracy-XXXXXX";
    int fd = mkstemp(out);
    if (fd < 0)
        return 1;
    close(fd);
    /* every EU journal file, from the data folder given */
    char *eu[64];
    size_t n_eu = 0;
    static const char *const eu_dirs[] = {"eu/journal_sanctions_csv/consolidated",
                                          "eu/journal_sanctions_csv/amendments"};
    for (size_t d = 0; d < 2; d++) {
        const char *dir = path_of(g_data, eu_dirs[d]);
        DIR *dp = opendir(dir);
        struct dirent *de;
        while (dp != NULL && n_eu < 64 && (de = readdir(dp)) != NULL) {
            if (strstr(de->d_name, ".csv") == NULL)
                continue;
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
            eu[n_eu++] = strdup(p);
        }
        if (dp != NULL)
            closedir(dp);
    }
    emb_build_source src[80];
    size_t n = 0;
    src[n++] = (emb_build_source){path_of(g_data, "ofac/sdn_names_2026-08-20_kindrat86.csv"),
                                  "us_ofac_sdn"};
    src[n++] = (emb_build_source){path_of(g_data, "un/UN_consolidated_2026-02-27.xml"), NULL};
    for (size_t i = 0; i < n_eu; i++)
        src[n++] = (emb_build_source){eu[i], NULL};
    src[n++] = (emb_build_source){
        path_of(g_data, "opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"), NULL};
    emb_build_stats st;
    emb_error err;
    emb_index *idx;
    if (emb_index_build(out, src, n, NULL, &st, &err) != EMB_OK ||
        emb_index_open(out, &idx, &err) != EMB_OK) {
        fprintf(stderr, "universe: %s (%s)\n", err.msg, err.source);
        return 1;
    }
    printf("universe snapshot: %llu entities, %llu names\n", (unsigned long long)st.entities,
           (unsigned long long)st.names);
    seed_cases(idx, ctx);
    putin_variants(idx, ctx);
    innocents(idx, ctx, argc > 3 ? argv[3] : "build/innocent_names.txt");
    emb_index_close(idx);
    unlink(out);
    for (size_t i = 0; i < n_eu; i++)
        free(eu[i]);
    emb_ctx_free(ctx);
    return 0;
}
