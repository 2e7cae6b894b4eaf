/*
 * Thread safety of screening on one shared snapshot, run under ThreadSanitizer (Criterion's
 * forking runner does not start under TSan, so this is a plain program: exit 0 on success).
 * Builds a snapshot of the demo list (plus the UN list when the real data is present), screens
 * Latin and non-Latin names, compares names and analyses names from several threads at once,
 * each with its own context, and checks every thread got what one thread alone gets.
 * Usage: threads_tsan SOURCE_DIR [DATA_DIR]
 */
#include <embargo/embargo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 3

static const char *const g_names[] = {
    "Vladimir Putin", "Владимир Путин", "Sichuan Anxun Information Technology Co Ltd",
    "四川安洵信息技术有限公司", "Kim Jong Un", "김정은", "Bashar al Assad", "بشار الأسد",
    "Maduro", "Hafiz Muhamad Saeed", "ADRIAN DARYA", "Jane Example", "Sberbank Rossii",
    "Islamic Revolutionary Guard Corps", "Ramzan Kadyrov", "Хорошев Дмитрий",
};
#define N_NAMES (sizeof(g_names) / sizeof(g_names[0]))

typedef struct {
    const emb_index *idx;
    char top[N_NAMES][96]; /* id and score of the best match, "" when none */
    double cmp[N_NAMES];
    int failed;
} job;

static void *run(void *arg)
{
    job *j = arg;
    emb_ctx *ctx;
    if (emb_ctx_new(&ctx) != EMB_OK) {
        j->failed = 1;
        return NULL;
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t i = 0; i < N_NAMES; i++) {
            emb_query q;
            memset(&q, 0, sizeof(q));
            q.name = g_names[i];
            emb_screen_opts o = {.limit = 5, .threshold = 0.5};
            const emb_match *m;
            size_t n;
            emb_error err;
            if (emb_screen(j->idx, ctx, &q, &o, &m, &n, &err) != EMB_OK) {
                fprintf(stderr, "screen '%s': %s\n", g_names[i], err.msg);
                j->failed = 1;
                continue;
            }
            j->top[i][0] = '\0';
            if (n > 0) {
                emb_entity e;
                if (emb_index_entity(j->idx, ctx, m[0].entity, &e) != EMB_OK) {
                    j->failed = 1;
                    continue;
                }
                int w = snprintf(j->top[i], sizeof(j->top[i]), "%.*s %.4f", (int)e.id.len,
                                 e.id.ptr, m[0].score);
                if (w < 0 || (size_t)w >= sizeof(j->top[i]))
                    j->failed = 1;
            }
            double s = 0;
            if (emb_compare(ctx, g_names[i], g_names[(i + 1) % N_NAMES], EMB_SCHEMA_UNKNOWN, &s,
                            NULL, NULL, &err) != EMB_OK)
                j->failed = 1;
            j->cmp[i] = s;
            emb_name_analysis a;
            if (emb_name_analyze(ctx, g_names[i], strlen(g_names[i]), &a, &err) != EMB_OK ||
                a.n_tokens == 0)
                j->failed = 1;
        }
    }
    emb_ctx_free(ctx);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: threads_tsan SOURCE_DIR [DATA_DIR]\n");
        return 2;
    }
    char demo[4096], un[4096], dir[] = "/tmp/emb-tsan-XXXXXX", out[4096];
    int w = snprintf(demo, sizeof(demo), "%s/data/demo/demo_sanctions.csv", argv[1]);
    if (w < 0 || (size_t)w >= sizeof(demo)) {
        fprintf(stderr, "source directory path too long\n");
        return 2;
    }
    const char *data = getenv("EMBARGO_DATA_DIR") ? getenv("EMBARGO_DATA_DIR")
                                                   : argc > 2 ? argv[2] : NULL;
    emb_build_source src[2] = {{demo, "embargo_demo"}, {un, NULL}};
    size_t n_src = 1;
    if (data != NULL) {
        w = snprintf(un, sizeof(un), "%s/un/UN_consolidated_2026-02-27.xml", data);
        if (w > 0 && (size_t)w < sizeof(un) && access(un, R_OK) == 0)
            n_src = 2;
    }
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(out, sizeof(out), "%s/s.emb", dir); /* dir is 20 bytes: always fits */
    emb_error err;
    emb_index *idx;
    if (emb_index_build(out, src, n_src, NULL, NULL, &err) != EMB_OK ||
        emb_index_open(out, &idx, &err) != EMB_OK) {
        fprintf(stderr, "snapshot: %s\n", err.msg);
        return 1;
    }
    unlink(out);
    rmdir(dir);

    /* the reference: one thread alone */
    static job ref, jobs[THREADS];
    ref.idx = idx;
    run(&ref);
    int bad = ref.failed;
    if (strncmp(ref.top[0], "embargo_demo-", 13) != 0 || strstr(ref.top[0], "putin") == NULL) {
        fprintf(stderr, "reference: 'Vladimir Putin' found '%s', not Putin\n", ref.top[0]);
        bad = 1;
    }
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t].idx = idx;
        if (pthread_create(&th[t], NULL, run, &jobs[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    for (int t = 0; t < THREADS; t++) {
        bad |= jobs[t].failed;
        for (size_t i = 0; i < N_NAMES; i++) {
            if (strcmp(jobs[t].top[i], ref.top[i]) != 0 || jobs[t].cmp[i] != ref.cmp[i]) {
                fprintf(stderr, "thread %d, '%s': '%s' %.4f, alone: '%s' %.4f\n", t, g_names[i],
                        jobs[t].top[i], jobs[t].cmp[i], ref.top[i], ref.cmp[i]);
                bad = 1;
            }
        }
    }
    emb_index_close(idx);
    printf("%d threads x %d rounds x %zu names on %zu source(s): %s\n", THREADS, ROUNDS, N_NAMES,
           n_src, bad ? "FAILED" : "same results as one thread");
    return bad;
}
