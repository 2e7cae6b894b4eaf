/*
 * Screening benchmark on one snapshot: open time, size, counts, single-query latency
 * percentiles (Latin and non-Latin queries apart), batch throughput on 1 and N threads (one
 * context per thread, one shared snapshot), peak memory, and a brute-force baseline
 * (emb__screen_exhaustive: the same scorer over every name) run in the same process on the
 * first queries, with the speed ratio and the indexed search's top-5 recall against it.
 *
 * Default query set, deterministic (fixed seed): names drawn from the snapshot and perturbed
 * (typo, dropped token, swapped order, case, diacritics), innocent names from a file made by
 * bench/gen_innocent.py, and the snapshot's non-Latin names as written, shuffled together.
 * --queries FILE replaces it: one name per line, optionally a tab and an FtM schema.
 *
 * Usage: bench_screen SNAPSHOT [--queries FILE] [--innocent FILE] [--sample N] [--threads N]
 *                     [--batch N] [--baseline N] [--floor F] [--limit N] [--threshold T]
 *                     [--seed N] [--verbose]
 */
#include <embargo/embargo.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_rng.h"
#include "match/match.h"

#define TOP_K 5

/* ---------------------------------------------------------------- small utilities */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* "peak RSS X MiB (now: Y MiB own memory, Z MiB of mapped snapshot pages)" */
static void print_rss(const char *when)
{
    long anon = -1, file = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f != NULL) {
        char line[256];
        while (fgets(line, sizeof(line), f) != NULL) {
            if (strncmp(line, "RssAnon:", 8) == 0)
                anon = strtol(line + 8, NULL, 10);
            else if (strncmp(line, "RssFile:", 8) == 0)
                file = strtol(line + 8, NULL, 10);
        }
        fclose(f);
    }
    printf("  peak RSS %s: %.1f MiB (now %.1f MiB own memory + %.1f MiB mapped file pages)\n",
           when, (double)peak_rss_kib() / 1024, (double)anon / 1024, (double)file / 1024);
}

/* the machine's 1-minute load average: other processes skew every figure */
static double load_avg(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    char buf[64] = "";
    if (f == NULL)
        return -1;
    if (fgets(buf, sizeof(buf), f) == NULL)
        buf[0] = '\0';
    fclose(f);
    char *end;
    double v = strtod(buf, &end);
    return end == buf ? -1 : v;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "bench_screen: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "bench_screen: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---------------------------------------------------------------- script of a query */

/* Next code point of valid UTF-8 (snapshot and query text is validated); advances *i. */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t c = s[*i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (*i + n > len) {
        *i = len;
        return 0xFFFD;
    }
    if (n == 2)
        c &= 0x1F;
    else if (n == 3)
        c &= 0x0F;
    else if (n == 4)
        c &= 0x07;
    for (size_t k = 1; k < n; k++)
        c = (c << 6) | (s[*i + k] & 0x3F);
    *i += n;
    return c;
}

/* 1 when a code point is a letter of a script other than Latin. Latin: Basic Latin, Latin-1,
 * Extended-A/B, IPA, Extended Additional, C, D, fullwidth; marks, punctuation and symbols
 * are not letters. */
static int non_latin_letter(uint32_t c)
{
    if (c < 0x0370)
        return 0;
    if ((c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1EFF) || /* marks, Latin ext. */
        (c >= 0x2000 && c <= 0x2BFF) ||                                 /* punctuation, symbols */
        (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0x2E00 && c <= 0x2E7F) ||
        (c >= 0x3000 && c <= 0x303F) ||                                 /* CJK punctuation */
        (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xAB30 && c <= 0xAB6F) ||
        (c >= 0xFB00 && c <= 0xFB06) || (c >= 0xFE00 && c <= 0xFE6F) ||
        (c >= 0xFF00 && c <= 0xFF65) || c == 0xFFFD)
        return 0;
    return 1;
}

static int is_non_latin(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (non_latin_letter(next_cp((const unsigned char *)s, len, &i)))
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- query set */

enum { Q_LIST, Q_INNOCENT, Q_ORIGINAL, Q_FILE, Q_KINDS };
static const char *const g_kind_name[Q_KINDS] = {"perturbed list names", "innocent names",
                                                 "non-Latin list names", "from file"};

typedef struct {
    char *name;
    emb_schema schema;
    int kind;
    int non_latin;
} query;

typedef struct {
    query *q;
    size_t n, cap;
} qset;

static void qpush(qset *s, char *name, emb_schema schema, int kind)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->q = xrealloc(s->q, s->cap * sizeof(query));
    }
    s->q[s->n++] = (query){name, schema, kind, is_non_latin(name, strlen(name))};
}

/* "name" or "name<TAB>Schema" per line; blank lines and lines starting with '#' are skipped */
static size_t read_queries(const char *path, qset *s, int kind, size_t max)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while (n < max && (len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *tab = memchr(line, '\t', (size_t)len);
        emb_schema schema = EMB_SCHEMA_UNKNOWN;
        size_t name_len = (size_t)len;
        if (tab != NULL) {
            name_len = (size_t)(tab - line);
            schema = emb_schema_from_name(tab + 1, strlen(tab + 1));
        }
        qpush(s, xstrndup(line, name_len), schema, kind);
        n++;
    }
    free(line);
    fclose(f);
    return n;
}

/* Growable byte string for building perturbed names. */
typedef struct {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* Tokens of a name split on spaces (byte ranges). */
static size_t split_tokens(const char *s, size_t len, emb_str *tok, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && s[i] == ' ')
            i++;
        size_t start = i;
        while (i < len && s[i] != ' ')
            i++;
        if (i > start)
            tok[n++] = (emb_str){s + start, i - start};
    }
    return n;
}

/* a plain letter, its accented lower-case and upper-case forms */
static const char *const g_accent[][3] = {
    {"a", "\xc3\xa1", "\xc3\x81"}, {"e", "\xc3\xa9", "\xc3\x89"}, {"i", "\xc3\xad", "\xc3\x8d"},
    {"o", "\xc3\xb6", "\xc3\x96"}, {"u", "\xc3\xbc", "\xc3\x9c"}, {"n", "\xc3\xb1", "\xc3\x91"},
    {"c", "\xc3\xa7", "\xc3\x87"}, {"s", "\xc5\xa1", "\xc5\xa0"},
};
#define N_ACCENT (sizeof(g_accent) / sizeof(g_accent[0]))

/* index in g_accent of a letter, or N_ACCENT */
static size_t accent_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
    for (size_t k = 0; k < N_ACCENT; k++) {
        if (c == g_accent[k][0][0])
            return k;
    }
    return N_ACCENT;
}

/* One perturbation of an ASCII-only list name, chosen by the PRNG. */
static char *perturb(const char *name, size_t len)
{
    sbuf b = {0};
    emb_str tok[64];
    size_t nt = split_tokens(name, len, tok, 64);
    size_t op = rnd_below(10);
    if (op == 2 && nt < 3)
        op = 0; /* dropping a token of a two-word name leaves a different query class */
    if (op == 3 && nt < 2)
        op = 0;
    switch (op) {
    case 0:
    case 1: { /* typo: substitute, delete, double or swap one letter */
        sb_add(&b, name, len);
        size_t letters[512], nl = 0;
        for (size_t i = 0; i < b.n && nl < 512; i++) {
            char c = b.p[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                letters[nl++] = i;
        }
        if (nl < 4)
            break;
        size_t at = letters[1 + rnd_below(nl - 2)], kind = rnd_below(4);
        if (kind == 0) {
            char c = b.p[at];
            char base = c >= 'a' ? 'a' : 'A';
            b.p[at] = (char)(base + (c - base + 1 + (int)rnd_below(25)) % 26);
        } else if (kind == 1) {
            memmove(b.p + at, b.p + at + 1, b.n - at);
            b.n--;
        } else if (kind == 2) {
            char c = b.p[at];
            sb_add(&b, " ", 1);
            memmove(b.p + at + 1, b.p + at, b.n - at - 1);
            b.p[at] = c;
        } else if (at + 1 < b.n && b.p[at + 1] != ' ') {
            char c = b.p[at];
            b.p[at] = b.p[at + 1];
            b.p[at + 1] = c;
        }
        break;
    }
    case 2: { /* drop one token */
        size_t drop = rnd_below(nt);
        for (size_t t = 0; t < nt; t++) {
            if (t == drop)
                continue;
            if (b.n)
                sb_add(&b, " ", 1);
            sb_add(&b, tok[t].ptr, tok[t].len);
        }
        break;
    }
    case 3: /* swapped order: the last token first */
    case 4:
        sb_add(&b, tok[nt - 1].ptr, tok[nt - 1].len);
        for (size_t t = 0; t + 1 < nt; t++) {
            sb_add(&b, " ", 1);
            sb_add(&b, tok[t].ptr, tok[t].len);
        }
        break;
    case 5:
    case 6: { /* case: all lower, or first letter of each word upper */
        sb_add(&b, name, len);
        int title = op == 6;
        for (size_t i = 0; i < b.n; i++) {
            char c = b.p[i];
            int start = i == 0 || b.p[i - 1] == ' ' || b.p[i - 1] == '-';
            if (c >= 'A' && c <= 'Z' && !(title && start))
                b.p[i] = (char)(c - 'A' + 'a');
            else if (c >= 'a' && c <= 'z' && title && start)
                b.p[i] = (char)(c - 'a' + 'A');
        }
        break;
    }
    case 7:
    case 8: { /* diacritics: one or two plain letters written with an accent */
        size_t cands[512], nc = 0;
        for (size_t i = 0; i < len && nc < 512; i++) {
            if (accent_of(name[i]) < N_ACCENT)
                cands[nc++] = i;
        }
        size_t pick1 = nc ? cands[rnd_below(nc)] : len, pick2 = nc ? cands[rnd_below(nc)] : len;
        for (size_t i = 0; i < len; i++) {
            size_t k = accent_of(name[i]);
            if ((i == pick1 || i == pick2) && k < N_ACCENT) {
                const char *acc = g_accent[k][name[i] >= 'a' ? 1 : 2];
                sb_add(&b, acc, strlen(acc));
            } else {
                sb_add(&b, name + i, 1);
            }
        }
        break;
    }
    default: /* as listed */
        sb_add(&b, name, len);
        break;
    }
    if (b.n == 0)
        sb_add(&b, name, len);
    return b.p;
}

static int ascii_only(emb_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if ((unsigned char)s.ptr[i] >= 0x80)
            return 0;
    }
    return 1;
}

/* Names of the snapshot, and how many are not in Latin script: a walk over every entity,
 * done after the measurements since it pages the whole snapshot in. */
static size_t count_names(const emb_index *idx, emb_ctx *ctx, size_t *n_non_latin)
{
    size_t count = emb_index_entity_count(idx), names = 0;
    *n_non_latin = 0;
    for (size_t i = 0; i < count; i++) {
        emb_entity e;
        if (emb_index_entity(idx, ctx, i, &e) != EMB_OK)
            continue;
        names += e.n_names;
        for (size_t k = 0; k < e.n_names; k++) {
            emb_str v = e.names[k].value;
            *n_non_latin += !ascii_only(v) && is_non_latin(v.ptr, v.len);
        }
    }
    return names;
}

/* Up to `want` non-Latin names as written, from entities drawn at random. */
static void sample_original_names(const emb_index *idx, emb_ctx *ctx, qset *s, size_t want)
{
    size_t count = emb_index_entity_count(idx);
    for (size_t tries = 0, got = 0; got < want && tries < want * 200; tries++) {
        emb_entity e;
        if (emb_index_entity(idx, ctx, rnd_below(count), &e) != EMB_OK || e.n_names == 0)
            continue;
        const emb_name *nm = &e.names[rnd_below(e.n_names)];
        if (ascii_only(nm->value) || !is_non_latin(nm->value.ptr, nm->value.len) ||
            nm->value.len > 300)
            continue;
        qpush(s, xstrndup(nm->value.ptr, nm->value.len), EMB_SCHEMA_UNKNOWN, Q_ORIGINAL);
        got++;
    }
}

/* `want` perturbed names of entities drawn at random (ASCII names: primary, alias, weak). */
static void sample_list_names(const emb_index *idx, emb_ctx *ctx, qset *s, size_t want)
{
    size_t count = emb_index_entity_count(idx);
    for (size_t tries = 0, got = 0; got < want && tries < want * 20; tries++) {
        emb_entity e;
        if (emb_index_entity(idx, ctx, rnd_below(count), &e) != EMB_OK || e.n_names == 0)
            continue;
        const emb_name *nm = &e.names[rnd_below(e.n_names)];
        if (!ascii_only(nm->value) || nm->value.len < 4 || nm->value.len > 300)
            continue;
        qpush(s, perturb(nm->value.ptr, nm->value.len), EMB_SCHEMA_UNKNOWN, Q_LIST);
        got++;
    }
}

/* ---------------------------------------------------------------- measurements */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)n);
    return sorted[i < n ? i : n - 1];
}

static double mean_of(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return n ? s / (double)n : 0;
}

static void print_latency(const char *label, double *us, size_t n)
{
    if (n == 0) {
        printf("  %-22s (no queries)\n", label);
        return;
    }
    qsort(us, n, sizeof(double), cmp_double);
    printf("  %-22s %7zu  %8.1f %8.1f %8.1f %8.1f %9.1f %9.1f\n", label, n, mean_of(us, n),
           pct(us, n, 50), pct(us, n, 90), pct(us, n, 99), pct(us, n, 99.9), us[n - 1]);
}

static void fill_query(emb_query *q, const query *src)
{
    memset(q, 0, sizeof(*q));
    q->name = src->name;
    q->schema = src->schema;
}

typedef struct {
    const emb_index *idx;
    const qset *qs;
    const emb_screen_opts *opts;
    size_t from, step, total; /* queries from, from+step, ... below total, cycling the set */
    size_t alerts, errors;
    double secs;
} batch_job;

static void *batch_run(void *arg)
{
    batch_job *j = arg;
    emb_ctx *ctx;
    if (emb_ctx_new(&ctx) != EMB_OK) {
        j->errors = j->total;
        return NULL;
    }
    double t0 = now();
    for (size_t i = j->from; i < j->total; i += j->step) {
        emb_query q;
        fill_query(&q, &j->qs->q[i % j->qs->n]);
        const emb_match *m;
        size_t n;
        emb_error err;
        if (emb_screen(j->idx, ctx, &q, j->opts, &m, &n, &err) != EMB_OK)
            j->errors++;
        else
            j->alerts += n > 0;
    }
    j->secs = now() - t0;
    emb_ctx_free(ctx);
    return NULL;
}

static double batch(const emb_index *idx, const qset *qs, const emb_screen_opts *opts,
                    size_t total, int threads, size_t *alerts, size_t *errors)
{
    pthread_t th[64];
    batch_job jobs[64];
    double t0 = now();
    for (int t = 0; t < threads; t++) {
        jobs[t] = (batch_job){idx, qs, opts, (size_t)t, (size_t)threads, total, 0, 0, 0};
        if (pthread_create(&th[t], NULL, batch_run, &jobs[t]) != 0) {
            fprintf(stderr, "bench_screen: pthread_create failed\n");
            exit(1);
        }
    }
    *alerts = *errors = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        *alerts += jobs[t].alerts;
        *errors += jobs[t].errors;
    }
    return (double)total / (now() - t0);
}

typedef struct {
    size_t entity;
    double score;
} hit;

/* top-k entities of a result list, at or above floor */
static size_t top_entities(const emb_match *m, size_t n, double floor_, hit *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < TOP_K; i++) {
        if (m[i].score >= floor_)
            out[k++] = (hit){m[i].entity, m[i].score};
    }
    return k;
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_screen SNAPSHOT [--queries FILE] [--innocent FILE] [--sample N]\n"
            "                    [--threads N] [--batch N] [--baseline N] [--floor F]\n"
            "                    [--limit N] [--threshold T] [--seed N] [--verbose]\n"
            "  --queries FILE   one query per line (name, optionally TAB schema) instead of\n"
            "                   the generated set\n"
            "  --innocent FILE  innocent names for the generated set (default\n"
            "                   build/innocent_names.txt, from bench/gen_innocent.py)\n"
            "  --sample N       size of the generated set (default 6000)\n"
            "  --threads N      throughput on 1 and N threads (default 2)\n"
            "  --batch N        queries per throughput run (default 100000)\n"
            "  --baseline N     queries also run through the full scan (default 200; 0: none)\n"
            "  --floor F        score floor of the recall comparison (default 0.5)\n"
            "  --limit N, --threshold T   screening options (default 10, 0.70)\n");
    exit(2);
}

static long num_arg(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "bench_screen: '%s' is not a number from %ld to %ld\n", s, min, max);
        exit(2);
    }
    return v;
}

static double real_arg(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || v < 0 || v > 1) {
        fprintf(stderr, "bench_screen: '%s' is not a number from 0 to 1\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *snap = NULL, *qfile = NULL, *innocent = "build/innocent_names.txt";
    size_t sample = 6000, batch_n = 100000, baseline_n = 200, limit = 10;
    int threads = 2, verbose = 0;
    double floor_ = 0.5, threshold = 0.70;
    uint64_t seed = 20260301;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--queries") == 0 && more)
            qfile = argv[++i];
        else if (strcmp(a, "--innocent") == 0 && more)
            innocent = argv[++i];
        else if (strcmp(a, "--sample") == 0 && more)
            sample = (size_t)num_arg(argv[++i], 1, 10000000);
        else if (strcmp(a, "--threads") == 0 && more)
            threads = (int)num_arg(argv[++i], 1, 64);
        else if (strcmp(a, "--batch") == 0 && more)
            batch_n = (size_t)num_arg(argv[++i], 0, 100000000);
        else if (strcmp(a, "--baseline") == 0 && more)
            baseline_n = (size_t)num_arg(argv[++i], 0, 10000000);
        else if (strcmp(a, "--limit") == 0 && more)
            limit = (size_t)num_arg(argv[++i], TOP_K, 1000);
        else if (strcmp(a, "--seed") == 0 && more)
            seed = (uint64_t)num_arg(argv[++i], 0, 0x7fffffffL);
        else if (strcmp(a, "--floor") == 0 && more)
            floor_ = real_arg(argv[++i]);
        else if (strcmp(a, "--threshold") == 0 && more)
            threshold = real_arg(argv[++i]);
        else if (strcmp(a, "--verbose") == 0)
            verbose = 1;
        else if (a[0] == '-' || snap != NULL)
            usage();
        else
            snap = a;
    }
    if (snap == NULL)
        usage();
    g_rng = seed;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows through a pipe or a log file */
    double load_start = load_avg();

    /* open: first with the file's pages dropped from the page cache (cold-ish: they are
       dropped only where no other process maps them), then again warm */
    struct stat st;
    if (stat(snap, &st) != 0) {
        fprintf(stderr, "bench_screen: %s: %s\n", snap, strerror(errno));
        return 1;
    }
    int fd = open(snap, O_RDONLY);
    if (fd >= 0) {
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        close(fd);
    }
    emb_index *idx;
    emb_error err;
    double t0 = now();
    if (emb_index_open(snap, &idx, &err) != EMB_OK) {
        fprintf(stderr, "bench_screen: %s: %s\n", snap, err.msg);
        return 1;
    }
    double open_cold = now() - t0;
    emb_index_close(idx);
    t0 = now();
    if (emb_index_open(snap, &idx, &err) != EMB_OK) {
        fprintf(stderr, "bench_screen: %s: %s\n", snap, err.msg);
        return 1;
    }
    double open_warm = now() - t0;

    emb_ctx *ctx;
    if (emb_ctx_new(&ctx) != EMB_OK)
        return 1;
    qset qs = {0};
    size_t want_orig = sample / 5, want_innocent = sample * 3 / 10;
    printf("snapshot %s: %zu entities, %.1f MB\n", snap, emb_index_entity_count(idx),
           (double)st.st_size / 1e6);
    printf("open: %.2f ms cold-ish (pages dropped from the cache first), %.2f ms warm\n",
           open_cold * 1e3, open_warm * 1e3);
    print_rss("after open");

    if (qfile != NULL) {
        if (read_queries(qfile, &qs, Q_FILE, SIZE_MAX) == 0) {
            fprintf(stderr, "bench_screen: no queries in %s\n", qfile);
            return 1;
        }
    } else {
        size_t got = read_queries(innocent, &qs, Q_INNOCENT, want_innocent);
        if (got == 0)
            fprintf(stderr, "bench_screen: no innocent names (%s missing: run "
                    "/usr/bin/python3 bench/gen_innocent.py > %s)\n", innocent, innocent);
        sample_original_names(idx, ctx, &qs, want_orig);
        sample_list_names(idx, ctx, &qs, sample > qs.n ? sample - qs.n : 0);
        /* Fisher-Yates: the baseline's first queries are a mix of every kind */
        for (size_t i = qs.n; i > 1; i--) {
            size_t j = rnd_below(i);
            query tmp = qs.q[i - 1];
            qs.q[i - 1] = qs.q[j];
            qs.q[j] = tmp;
        }
    }
    if (qs.n == 0) {
        fprintf(stderr, "bench_screen: no queries (an empty snapshot and no innocent names)\n");
        return 1;
    }
    size_t per_kind[Q_KINDS] = {0}, n_nl = 0;
    for (size_t i = 0; i < qs.n; i++) {
        per_kind[qs.q[i].kind]++;
        n_nl += (size_t)qs.q[i].non_latin;
    }
    printf("queries: %zu (", qs.n);
    for (int k = 0, first = 1; k < Q_KINDS; k++) {
        if (per_kind[k]) {
            printf("%s%zu %s", first ? "" : ", ", per_kind[k], g_kind_name[k]);
            first = 0;
        }
    }
    printf("); %zu Latin, %zu non-Latin; seed %llu\n", qs.n - n_nl, n_nl,
           (unsigned long long)seed);

    emb_screen_opts opts = {.limit = limit, .threshold = threshold};
    /* warm-up on its own context: pages of the snapshot in, the measuring context cold */
    {
        emb_ctx *warm;
        if (emb_ctx_new(&warm) != EMB_OK)
            return 1;
        for (size_t i = 0; i < qs.n && i < 1000; i++) {
            emb_query q;
            fill_query(&q, &qs.q[i]);
            const emb_match *m;
            size_t n;
            emb_screen(idx, warm, &q, &opts, &m, &n, &err);
        }
        emb_ctx_free(warm);
    }

    /* single queries, one after another on one context */
    double *lat = xmalloc(qs.n * sizeof(double)), *lat_nl = xmalloc(qs.n * sizeof(double));
    size_t n_lat = 0, n_lat_nl = 0, errors = 0, alerts = 0, kind_alerts[Q_KINDS] = {0};
    for (size_t i = 0; i < qs.n; i++) {
        emb_query q;
        fill_query(&q, &qs.q[i]);
        const emb_match *m;
        size_t n;
        double a = now();
        emb_status rc = emb_screen(idx, ctx, &q, &opts, &m, &n, &err);
        double us = (now() - a) * 1e6;
        if (rc != EMB_OK) {
            errors++;
            if (verbose)
                printf("  query refused: '%s': %s\n", qs.q[i].name, err.msg);
            continue;
        }
        alerts += n > 0;
        kind_alerts[qs.q[i].kind] += n > 0;
        if (qs.q[i].non_latin)
            lat_nl[n_lat_nl++] = us;
        else
            lat[n_lat++] = us;
    }
    printf("\nsingle-query latency, one thread, limit %zu, threshold %.2f (microseconds):\n",
           limit, threshold);
    printf("  %-22s %7s  %8s %8s %8s %8s %9s %9s\n", "", "queries", "mean", "p50", "p90", "p99",
           "p99.9", "max");
    double *all = xmalloc((n_lat + n_lat_nl + 1) * sizeof(double));
    memcpy(all, lat, n_lat * sizeof(double));
    memcpy(all + n_lat, lat_nl, n_lat_nl * sizeof(double));
    print_latency("Latin queries", lat, n_lat);
    print_latency("non-Latin queries", lat_nl, n_lat_nl);
    print_latency("all", all, n_lat + n_lat_nl);
    uint64_t th, tm;
    emb_ctx_translit_stats(ctx, &th, &tm);
    printf("  %zu with an alert (", alerts);
    for (int k = 0, first = 1; k < Q_KINDS; k++) {
        if (per_kind[k]) {
            printf("%s%s %zu of %zu", first ? "" : ", ", g_kind_name[k], kind_alerts[k],
                   per_kind[k]);
            first = 0;
        }
    }
    printf("), %zu refused;\n  transliteration cache %llu hits, %llu misses\n", errors,
           (unsigned long long)th, (unsigned long long)tm);
    print_rss("after the single queries");

    /* throughput */
    if (batch_n > 0) {
        printf("\nbatch of %zu queries (the set cycled), one context per thread:\n", batch_n);
        int runs[2] = {1, threads};
        for (int r = 0; r < (threads > 1 ? 2 : 1); r++) {
            size_t ba, be;
            double qps = batch(idx, &qs, &opts, batch_n, runs[r], &ba, &be);
            printf("  %d thread%s: %10.0f queries/s  (%zu with an alert, %zu refused)\n", runs[r],
                   runs[r] > 1 ? "s" : " ", qps, ba, be);
        }
        print_rss("after the batches");
    }

    /* brute-force baseline on the first queries, the same options for both */
    size_t nb = baseline_n < qs.n ? baseline_n : qs.n;
    if (nb > 0) {
        emb_screen_opts bo = {.limit = limit, .threshold = floor_};
        double *ti = xmalloc(nb * sizeof(double)), *tx = xmalloc(nb * sizeof(double));
        size_t want = 0, found = 0, ties = 0, nmiss = 0, done = 0, want_alert = 0, found_alert = 0;
        typedef struct {
            size_t q;
            hit h;
        } miss;
        miss *misses = xmalloc(nb * TOP_K * sizeof(miss));
        printf("\nbrute-force baseline (every name of every entity, same scorer), first %zu "
               "queries, limit %zu, threshold %.2f for both:\n", nb, limit, floor_);
        fflush(stdout);
        for (size_t i = 0; i < nb; i++) {
            emb_query q;
            fill_query(&q, &qs.q[i]);
            const emb_match *m;
            size_t n;
            hit hi[TOP_K], hx[TOP_K];
            double a = now();
            if (emb_screen(idx, ctx, &q, &bo, &m, &n, &err) != EMB_OK)
                continue;
            ti[done] = (now() - a) * 1e6;
            size_t ki = top_entities(m, n, floor_, hi);
            a = now();
            if (emb__screen_exhaustive(idx, ctx, &q, &bo, &m, &n, &err) != EMB_OK)
                continue;
            tx[done] = (now() - a) * 1e6;
            done++;
            size_t kx = top_entities(m, n, floor_, hx);
            for (size_t x = 0; x < kx; x++) {
                int ok = 0;
                for (size_t y = 0; y < ki && !ok; y++)
                    ok = hi[y].entity == hx[x].entity;
                want++;
                found += (size_t)ok;
                if (hx[x].score >= threshold) {
                    want_alert++;
                    found_alert += (size_t)ok;
                }
                /* left out at the cut for entities that score as well: the same top-5 */
                if (!ok && ki == TOP_K && hx[x].score <= hi[TOP_K - 1].score + 1e-9)
                    ties++;
                else if (!ok)
                    misses[nmiss++] = (miss){i, hx[x]};
            }
        }
        double mi = mean_of(ti, done), mx = mean_of(tx, done);
        qsort(ti, done, sizeof(double), cmp_double);
        qsort(tx, done, sizeof(double), cmp_double);
        printf("  indexed     p50 %10.1f us   p99 %10.1f us   mean %10.1f us\n", pct(ti, done, 50),
               pct(ti, done, 99), mi);
        printf("  full scan   p50 %10.1f us   p99 %10.1f us   mean %10.1f us\n", pct(tx, done, 50),
               pct(tx, done, 99), mx);
        printf("  speed ratio: %.0fx at p50, %.0fx mean/mean\n",
               pct(ti, done, 50) > 0 ? pct(tx, done, 50) / pct(ti, done, 50) : 0,
               mi > 0 ? mx / mi : 0);
        printf("  recall: %zu of the full scan's %zu top-%d entities scoring >= %.2f are in the "
               "indexed top-%d: %.2f%%\n",
               found, want, TOP_K, floor_, TOP_K, want ? 100.0 * (double)found / (double)want : 100);
        printf("  recall counting ties at the cut as found (%zu left out for entities the indexed "
               "search scored as high): %.2f%%\n", ties,
               want ? 100.0 * (double)(found + ties) / (double)want : 100);
        printf("  recall of the full scan's top-%d entities scoring >= %.2f (alerts): %zu of %zu, "
               "%.2f%%\n", TOP_K, threshold, found_alert, want_alert,
               want_alert ? 100.0 * (double)found_alert / (double)want_alert : 100);
        if (verbose && nmiss > 0) {
            printf("  misses, ties left out (query, entity, full-scan score):\n");
            for (size_t k = 0; k < nmiss; k++) {
                emb_entity e;
                if (emb_index_entity(idx, ctx, misses[k].h.entity, &e) != EMB_OK)
                    continue;
                printf("    '%s'  %.*s (%.*s)  %.3f\n", qs.q[misses[k].q].name, (int)e.id.len,
                       e.id.ptr, (int)e.caption.len, e.caption.ptr, misses[k].h.score);
            }
        }
        free(misses);
        free(ti);
        free(tx);
        print_rss("after the baseline");
    }
    size_t non_latin_total;
    double t_count = now();
    size_t names = count_names(idx, ctx, &non_latin_total);
    printf("\nnames in the snapshot: %zu, of which %zu not in Latin script (counted in %.2f s)\n",
           names, non_latin_total, now() - t_count);
    printf("\npeak RSS of the whole run: %.1f MiB; load average %.2f at the start, %.2f at the end "
           "(%ld cores)\n", (double)peak_rss_kib() / 1024, load_start, load_avg(),
           sysconf(_SC_NPROCESSORS_ONLN));

    for (size_t i = 0; i < qs.n; i++)
        free(qs.q[i].name);
    free(qs.q);
    free(lat);
    free(lat_nl);
    free(all);
    emb_ctx_free(ctx);
    emb_index_close(idx);
    return 0;
}
