/*
 * `embargo index build -o OUT.emb [--skip-bad] [DATASET=]FILE...` and
 * `embargo index info [-i INDEX]`.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char help[] =
    "usage: embargo index build -o OUT.emb [--skip-bad] [DATASET=]FILE...\n"
    "       embargo index build -o OUT.emb --as-of DATE [--db FILE]\n"
    "       embargo index info [-i INDEX] [--json]\n"
    "\n"
    "build  parse every list file (formats are sniffed from content; a folder holding an\n"
    "       OFAC CSV set is one input; DATASET= names the dataset of a list of your own) and\n"
    "       write one snapshot. Every record is taken or the build fails and OUT is left as\n"
    "       it was; --skip-bad skips malformed records instead, reporting each on stderr.\n"
    "       --as-of DATE (YYYY-MM-DD, or a UTC time) builds instead from the list versions\n"
    "       recorded by `embargo update` that were in force then: the latest fetched at or\n"
    "       before DATE of each source (store: --db FILE, default $EMBARGO_HOME/embargo.db).\n"
    "info   print what a snapshot was built from: sources, dates, SHA-256, counts.\n"
    "\n"
    "The index defaults to $EMBARGO_INDEX, else ~/.local/share/embargo/default.emb.\n";

static void report_skip(void *ud, const emb_error *why)
{
    (void)ud;
    cli_print_error(stderr, "skipped", why);
}

static int build(int argc, char **argv)
{
    const char *out = NULL, *as_of = NULL, *db = NULL;
    int skip_bad = 0;
    emb_build_source *src = calloc((size_t)argc, sizeof(*src));
    char(*ds)[64] = calloc((size_t)argc, 64);
    size_t n = 0;
    int rc = CLI_OK;
    if (src == NULL || ds == NULL) {
        fputs("embargo: out of memory\n", stderr);
        rc = CLI_ERROR;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--skip-bad") == 0) {
            skip_bad = 1;
        } else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
            as_of = argv[++i];
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (cli_is_help(argv[i])) {
            fputs(help, stdout);
            goto done;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "embargo index build: unknown option '%s'\n\n%s", argv[i], help);
            rc = CLI_USAGE;
            goto done;
        } else {
            src[n].path = cli_split_dataset(argv[i], ds[n], 64, &src[n].dataset);
            n++;
        }
    }
    if (out == NULL || (n == 0) == (as_of == NULL)) {
        fputs(help, stderr);
        rc = CLI_USAGE;
        goto done;
    }
    if (as_of != NULL) {
        rc = cli_build_as_of(db, as_of, out);
        goto done;
    }
    emb_build_opts opts = {skip_bad, report_skip, NULL};
    emb_build_stats st;
    emb_error err;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    emb_status s = emb_index_build(out, src, n, &opts, &st, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (s != EMB_OK) {
        cli_print_error(stderr, out, &err);
        fprintf(stderr, "embargo: snapshot not written\n");
        rc = CLI_ERROR;
        goto done;
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr,
            "embargo: wrote %s: %llu sources, %llu entities, %llu names, %llu merged records, "
            "%llu skipped, %.1f MB in %.2f s\n",
            out, (unsigned long long)st.sources, (unsigned long long)st.entities,
            (unsigned long long)st.names, (unsigned long long)st.merged,
            (unsigned long long)st.skipped, (double)st.bytes / 1e6, secs);
done:
    free(src);
    free(ds);
    return rc;
}

const char *cli_default_index(void)
{
    static char path[4096];
    const char *env = getenv("EMBARGO_INDEX");
    if (env != NULL && env[0] != '\0')
        return env;
    const char *home = getenv("HOME");
    snprintf(path, sizeof(path), "%s/.local/share/embargo/default.emb", home ? home : ".");
    return path;
}

static json_t *jstr(emb_str s)
{
    return json_stringn(s.ptr, s.len);
}

json_t *cli_index_json(const emb_index *idx)
{
    json_t *o = json_object();
    json_object_set_new(o, "hash", jstr(emb_index_hash(idx)));
    json_object_set_new(o, "built_at", jstr(emb_index_built_at(idx)));
    json_object_set_new(o, "entities", json_integer((json_int_t)emb_index_entity_count(idx)));
    json_t *arr = json_array();
    for (size_t i = 0; i < emb_index_source_count(idx); i++) {
        emb_source_meta m;
        if (emb_index_source(idx, i, &m) != EMB_OK)
            continue;
        json_t *s = json_object();
        json_object_set_new(s, "file", jstr(m.file));
        json_object_set_new(s, "format", json_string(emb_format_name(m.format)));
        json_object_set_new(s, "dataset", jstr(m.dataset));
        json_object_set_new(s, "published", m.published.len ? jstr(m.published) : json_null());
        json_object_set_new(s, "sha256", jstr(m.sha256));
        json_object_set_new(s, "entities", json_integer((json_int_t)m.entities));
        json_array_append_new(arr, s);
    }
    json_object_set_new(o, "sources", arr);
    return o;
}

static int info(int argc, char **argv)
{
    const char *path = cli_default_index();
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = 1;
        } else {
            fputs(help, cli_is_help(argv[i]) ? stdout : stderr);
            return cli_is_help(argv[i]) ? CLI_OK : CLI_USAGE;
        }
    }
    emb_index *idx;
    emb_error err;
    if (emb_index_open(path, &idx, &err) != EMB_OK) {
        cli_print_error(stderr, path, &err);
        return CLI_ERROR;
    }
    json_t *o = cli_index_json(idx);
    if (as_json) {
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s != NULL)
            puts(s);
        free(s);
    } else {
        printf("snapshot %s (hash %s), built %s, %zu entities\n", path,
               json_string_value(json_object_get(o, "hash")),
               json_string_value(json_object_get(o, "built_at")), emb_index_entity_count(idx));
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(o, "sources"), i, s)
        {
            const char *pub = json_string_value(json_object_get(s, "published"));
            printf("  %-22s %-18s %7lld entities  published %-10s  sha256 %.16s…  %s\n",
                   json_string_value(json_object_get(s, "dataset")),
                   json_string_value(json_object_get(s, "format")),
                   (long long)json_integer_value(json_object_get(s, "entities")),
                   pub ? pub : "-", json_string_value(json_object_get(s, "sha256")),
                   json_string_value(json_object_get(s, "file")));
        }
    }
    json_decref(o);
    emb_index_close(idx);
    return CLI_OK;
}

int cli_index(int argc, char **argv)
{
    if (argc < 2) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "build") == 0)
        return build(argc - 1, argv + 1);
    if (strcmp(argv[1], "info") == 0)
        return info(argc - 1, argv + 1);
    fprintf(stderr, "embargo index: unknown subcommand '%s'\n\n%s", argv[1], help);
    return CLI_USAGE;
}
