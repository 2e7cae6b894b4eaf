/*
 * Name normalisation throughput: names/s for Latin-only and for mixed-script names, on one
 * and two threads (one normalizer per thread), and the transliteration cache hit rate on a
 * query stream that repeats names the way payment traffic repeats counterparties (Zipf).
 * Usage: bench_names [DATA_DIR]   (default ../shared/data)
 */
#include <embargo/embargo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "unicode/names.h"
#include "unicode/unicode.h"

typedef struct {
    char **items;
    size_t n, cap;
} list;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    list *latin, *other;
} sink;

static void push(list *l, emb_str s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->items = realloc(l->items, l->cap * sizeof(char *));
    }
    char *p = malloc(s.len + 1);
    memcpy(p, s.ptr, s.len);
    p[s.len] = '\0';
    l->items[l->n++] = p;
}

static int collect(void *ud, const emb_entity *e)
{
    sink *s = ud;
    for (size_t i = 0; i < e->n_names; i++)
        push(emb__has_non_latin(e->names[i].value) ? s->other : s->latin, e->names[i].value);
    return 0;
}

typedef struct {
    list *names;
    size_t from, to, rounds;
    double secs;
    uint64_t hits, misses;
} job;

static void *run(void *arg)
{
    job *j = arg;
    emb__normalizer *nz;
    emb__nname n;
    emb__nname_init(&n);
    if (emb__normalizer_new(4096, &nz) != EMB_OK)
        return NULL;
    double t0 = now();
    for (size_t r = 0; r < j->rounds; r++) {
        for (size_t i = j->from; i < j->to; i++) {
            const char *s = j->names->items[i];
            emb__normalize(nz, emb__str(s, strlen(s)), &n, NULL);
        }
    }
    j->secs = now() - t0;
    emb__normalizer_stats(nz, &j->hits, &j->misses);
    emb__normalizer_free(nz);
    emb__nname_free(&n);
    return NULL;
}

/* names/s over `rounds` passes, split across `threads` threads */
static double rate(list *names, int threads, size_t rounds, uint64_t *hits, uint64_t *misses)
{
    pthread_t th[8];
    job jobs[8];
    size_t per = names->n / (size_t)threads;
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){names, per * (size_t)t, t == threads - 1 ? names->n : per * (size_t)(t + 1),
                        rounds, 0, 0, 0};
        pthread_create(&th[t], NULL, run, &jobs[t]);
    }
    double slowest = 0;
    *hits = *misses = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        if (jobs[t].secs > slowest)
            slowest = jobs[t].secs;
        *hits += jobs[t].hits;
        *misses += jobs[t].misses;
    }
    return (double)names->n * (double)rounds / slowest;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/data";
    list latin = {0}, other = {0};
    sink s = {&latin, &other};
    const char *files[][2] = {
        {"us_ofac_sdn", "ofac/sdn_names_2026-08-20_kindrat86.csv"},
        {NULL, "un/UN_consolidated_2026-02-27.xml"},
        {NULL, "eu/journal_sanctions_csv/consolidated/32014R0269.csv"},
        {NULL, "opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"},
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][1]);
        emb_parse_opts o;
        memset(&o, 0, sizeof(o));
        o.dataset = files[i][0];
        emb_error err;
        if (emb_parse_file(path, &o, collect, &s, NULL, &err) != EMB_OK) {
            fprintf(stderr, "%s: %s\n", path, err.msg);
            return 1;
        }
    }
    printf("names: %zu Latin-only, %zu with other scripts\n", latin.n, other.n);
    uint64_t h, m;
    printf("%-34s %12s %12s\n", "input", "1 thread", "2 threads");
    double l1 = rate(&latin, 1, 5, &h, &m), l2 = rate(&latin, 2, 5, &h, &m);
    printf("%-34s %10.0f/s %10.0f/s\n", "Latin-only names", l1, l2);
    double c1 = rate(&other, 1, 1, &h, &m);
    double c2 = rate(&other, 2, 1, &h, &m);
    printf("%-34s %10.0f/s %10.0f/s   (first pass: every name misses the cache)\n",
           "non-Latin names, cold", c1, c2);
    double w1 = rate(&other, 1, 3, &h, &m);
    printf("%-34s %10.0f/s\n", "non-Latin names, 3 passes", w1);

    /* a query stream: 100,000 draws from the non-Latin names, Zipf s=1.1 over a random order */
    size_t nq = 100000, k = other.n;
    double *cdf = malloc(k * sizeof(double));
    double sum = 0;
    for (size_t i = 0; i < k; i++) {
        sum += 1.0 / pow((double)(i + 1), 1.1);
        cdf[i] = sum;
    }
    list stream = {0};
    srand(42);
    for (size_t q = 0; q < nq; q++) {
        double u = (double)rand() / RAND_MAX * sum;
        size_t lo = 0, hi = k - 1;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cdf[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        const char *p = other.items[(lo * 2654435761u) % k];
        push(&stream, emb__str(p, strlen(p)));
    }
    double z = rate(&stream, 1, 1, &h, &m);
    printf("query stream (Zipf 1.1, %zu queries over %zu names, cache 4096): %.0f names/s, "
           "cache hit rate %.1f%%\n",
           nq, k, z, 100.0 * (double)h / (double)(h + m ? h + m : 1));
    free(cdf);
    return 0;
}
