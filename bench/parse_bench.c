/*
 * Parsing throughput per list file: MB/s of content and entities/s, best of N runs, and the
 * process's peak resident memory. Usage: bench_parse [-n RUNS] [DATASET=]FILE...
 */
#include <embargo/embargo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count(void *ud, const emb_entity *e)
{
    (void)e;
    (*(unsigned long long *)ud)++;
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 5, first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        char *end = NULL;
        long v = strtol(argv[2], &end, 10);
        if (end == argv[2] || *end != '\0' || v < 1 || v > 1000) {
            fprintf(stderr, "bench_parse: -n takes 1..1000\n");
            return 2;
        }
        runs = (int)v;
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_parse [-n RUNS] [DATASET=]FILE...\n");
        return 2;
    }
    printf("%-60s %-18s %9s %9s %10s %12s\n", "file", "format", "entities", "MB", "MB/s",
           "entities/s");
    int rc = 0;
    for (int i = first; i < argc; i++) {
        char ds[64];
        const char *path = argv[i], *dataset = NULL;
        const char *eq = strchr(path, '=');
        struct stat st;
        if (eq != NULL && (size_t)(eq - path) < sizeof(ds) && stat(path, &st) != 0) {
            memcpy(ds, path, (size_t)(eq - path));
            ds[eq - path] = '\0';
            dataset = ds;
            path = eq + 1;
        }
        emb_parse_opts opts;
        memset(&opts, 0, sizeof(opts));
        opts.dataset = dataset;
        double best = 1e30;
        emb_source_info info;
        memset(&info, 0, sizeof(info));
        for (int r = 0; r < runs; r++) {
            unsigned long long n = 0;
            emb_error err;
            double t0 = now();
            emb_status s = emb_parse_file(path, &opts, count, &n, &info, &err);
            double t = now() - t0;
            if (s != EMB_OK) {
                fprintf(stderr, "%s: %s\n", path, err.msg);
                rc = 1;
                break;
            }
            if (t < best)
                best = t;
        }
        if (best >= 1e30)
            continue;
        double mb = (double)info.bytes / 1e6;
        const char *shown = strlen(path) > 60 ? path + strlen(path) - 60 : path;
        printf("%-60s %-18s %9llu %9.2f %10.1f %12.0f\n", shown, emb_format_name(info.format),
               (unsigned long long)info.entities, mb, mb / best, (double)info.entities / best);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS: %.1f MiB (runs per file: %d, best run shown)\n", (double)ru.ru_maxrss / 1024.0,
           runs);
    return rc;
}
