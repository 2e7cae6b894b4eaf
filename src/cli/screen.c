/*
 * `embargo screen [-i INDEX] [--schema S] [--limit N] [--threshold T] [--json] NAME`:
 * screen one name and print the ranked matches (a table, or JSON).
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: embargo screen [-i INDEX] [--schema S] [--limit N] [--threshold T] [--json] NAME\n"
    "\n"
    "Screen NAME against every name and alias of the snapshot and print the entities that\n"
    "may be the same party, best first, with their score (0..1; `match` when at or above\n"
    "the threshold, default 0.70).\n"
    "\n"
    "  -i, --index FILE   snapshot (default $EMBARGO_INDEX, else ~/.local/share/embargo/default.emb)\n"
    "  --schema S         Person, Company, Organization, LegalEntity, Vessel, Airplane...\n"
    "  --limit N          at most N results (default 10)\n"
    "  --threshold T      lowest score shown (default 0.70)\n"
    "  --json             one JSON object with the snapshot and the matches\n";

static int parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || v < 0.0 || v > 1.0)
        return 0;
    *out = v;
    return 1;
}

static int parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 1000)
        return 0;
    *out = (size_t)v;
    return 1;
}

static json_t *jstr(emb_str s)
{
    return json_stringn(s.ptr, s.len);
}

int cli_screen(int argc, char **argv)
{
    const char *path = cli_default_index(), *name = NULL;
    emb_query q;
    memset(&q, 0, sizeof(q));
    emb_screen_opts opts = {10, 0.70};
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if ((strcmp(a, "-i") == 0 || strcmp(a, "--index") == 0) && has) {
            path = argv[++i];
        } else if (strcmp(a, "--schema") == 0 && has) {
            const char *s = argv[++i];
            q.schema = emb_schema_from_name(s, strlen(s));
            if (q.schema == EMB_SCHEMA_UNKNOWN) {
                fprintf(stderr, "embargo screen: unknown schema '%s'\n", s);
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--limit") == 0 && has) {
            if (!parse_size(argv[++i], &opts.limit)) {
                fprintf(stderr, "embargo screen: --limit takes 1..1000\n");
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--threshold") == 0 && has) {
            if (!parse_double(argv[++i], &opts.threshold)) {
                fprintf(stderr, "embargo screen: --threshold takes 0..1\n");
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--json") == 0) {
            as_json = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "embargo screen: unknown option '%s'\n\n%s", a, help);
            return CLI_USAGE;
        } else if (name == NULL) {
            name = a;
        } else {
            fprintf(stderr, "embargo screen: one NAME only (quote a name with spaces)\n");
            return CLI_USAGE;
        }
    }
    if (name == NULL) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    q.name = name;
    emb_index *idx = NULL;
    emb_ctx *ctx = NULL;
    emb_error err;
    if (emb_index_open(path, &idx, &err) != EMB_OK) {
        cli_print_error(stderr, path, &err);
        return CLI_ERROR;
    }
    if (emb_ctx_new(&ctx) != EMB_OK) {
        emb_index_close(idx);
        fputs("embargo: out of memory\n", stderr);
        return CLI_ERROR;
    }
    const emb_match *res;
    size_t n = 0;
    int rc = CLI_OK;
    if (emb_screen(idx, ctx, &q, &opts, &res, &n, &err) != EMB_OK) {
        cli_print_error(stderr, "query", &err);
        rc = CLI_ERROR;
        goto out;
    }
    if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "query", json_string(name));
        json_object_set_new(o, "snapshot", cli_index_json(idx));
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            emb_entity e;
            emb_index_entity(idx, ctx, res[i].entity, &e);
            json_t *m = json_object();
            json_object_set_new(m, "id", jstr(e.id));
            json_object_set_new(m, "dataset", jstr(e.dataset));
            json_object_set_new(m, "source_id", jstr(e.source_id));
            json_object_set_new(m, "schema", json_string(emb_schema_name(e.schema)));
            json_object_set_new(m, "caption", jstr(e.caption));
            json_object_set_new(m, "score", json_real((double)(long)(res[i].score * 1000 + 0.5) / 1000));
            json_object_set_new(m, "match", json_boolean(res[i].score >= 0.70));
            json_object_set_new(m, "matched_name", jstr(res[i].matched_name));
            json_object_set_new(m, "matched_kind", json_string(emb_name_kind_name(res[i].matched_kind)));
            json_array_append_new(arr, m);
        }
        json_object_set_new(o, "matches", arr);
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
        if (s != NULL)
            puts(s);
        free(s);
        json_decref(o);
    } else {
        printf("%-5s  %-12s %-22s %-20s %s\n", "score", "schema", "dataset", "source id",
               "caption  [matched name]");
        for (size_t i = 0; i < n; i++) {
            emb_entity e;
            emb_index_entity(idx, ctx, res[i].entity, &e);
            printf("%.3f  %-12s %-22.*s %-20.*s %.*s  [%.*s]\n", res[i].score,
                   emb_schema_name(e.schema), (int)e.dataset.len, e.dataset.ptr,
                   (int)e.source_id.len, e.source_id.ptr, (int)e.caption.len, e.caption.ptr,
                   (int)res[i].matched_name.len, res[i].matched_name.ptr);
        }
        if (n == 0)
            printf("no match at or above %.2f\n", opts.threshold);
    }
out:
    emb_ctx_free(ctx);
    emb_index_close(idx);
    return rc;
}
