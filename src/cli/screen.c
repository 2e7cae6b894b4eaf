/*
 * `embargo screen [-i INDEX] [--schema S] [--dob D] [--country C] [--id ID] [--limit N]
 * [--threshold T] [--json] NAME`: screen one name and print the ranked matches (a table, or
 * JSON).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ATTRS 16 /* values per attribute, as the library takes them */

static const char help[] =
    "usage: embargo screen [-i INDEX] [--schema S] [--dob D] [--country C] [--id ID]\n"
    "                      [--limit N] [--threshold T] [--json]\n"
    "                      [--require-fresh] [--max-age DATASET=DAYS]... [--db FILE] NAME\n"
    "\n"
    "Screen NAME against every name and alias of the snapshot and print the entities that\n"
    "may be the same party, best first, with their score (0..1; `match` when at or above\n"
    "the threshold, default 0.70).\n"
    "\n"
    "  -i, --index FILE   snapshot (default $EMBARGO_INDEX, else ~/.local/share/embargo/default.emb)\n"
    "  --schema S         Person, Company, Organization, LegalEntity, Vessel, Airplane...\n"
    "  --dob D            a birth date (1952-10-07, 7 Oct 1952, 1952); repeatable\n"
    "  --country C        a country (name, demonym or code); repeatable\n"
    "  --id ID            an identifier (passport, registration, IMO, LEI...); repeatable\n"
    "                     Each lowers or raises a name's score with a stated reason.\n"
    "  --limit N          at most N results (default 10)\n"
    "  --threshold T      lowest score shown (default 0.70)\n"
    "  --json             one JSON object with the snapshot, its lists and the matches\n"
    "  --require-fresh    refuse (exit 1) when a list of the snapshot is stale: older than\n"
    "                     its maximum age, superseded by a newer recorded version, or of\n"
    "                     unknown age. Without it a stale list is only flagged.\n"
    "  --max-age DS=DAYS  maximum age of a dataset (DS may end in '*'); defaults: OFAC and\n"
    "                     UK 3 days, others 7 (docs/LISTS.md)\n"
    "  --db FILE          store whose fetch times date the lists (default: embargo.db beside\n"
    "                     the snapshot, else $EMBARGO_HOME/embargo.db, when it exists)\n";

int cli_screen(int argc, char **argv)
{
    const char *path = cli_default_index(), *name = NULL;
    emb_query q;
    memset(&q, 0, sizeof(q));
    emb_screen_opts opts = {.limit = 10, .threshold = 0.70};
    int as_json = 0, took;
    const char *dobs[MAX_ATTRS], *countries[MAX_ATTRS], *ids[MAX_ATTRS];
    cli_fresh fr;
    memset(&fr, 0, sizeof(fr));
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
        } else if ((strcmp(a, "--dob") == 0 || strcmp(a, "--country") == 0 ||
                    strcmp(a, "--id") == 0) &&
                   has) {
            const char **list = a[2] == 'd' ? dobs : a[2] == 'c' ? countries : ids;
            size_t *count = a[2] == 'd' ? &q.n_birth_dates
                            : a[2] == 'c' ? &q.n_countries
                                          : &q.n_identifiers;
            if (*count >= MAX_ATTRS) {
                fprintf(stderr, "embargo screen: at most %d values of %s\n", MAX_ATTRS, a);
                return CLI_USAGE;
            }
            list[(*count)++] = argv[++i];
        } else if (strcmp(a, "--limit") == 0 && has) {
            long v;
            if (!cli_parse_long(argv[++i], 1, 1000, &v)) {
                fprintf(stderr, "embargo screen: --limit takes 1..1000\n");
                return CLI_USAGE;
            }
            opts.limit = (size_t)v;
        } else if (strcmp(a, "--threshold") == 0 && has) {
            if (!cli_parse_score(argv[++i], &opts.threshold)) {
                fprintf(stderr, "embargo screen: --threshold takes 0..1\n");
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--json") == 0) {
            as_json = 1;
        } else if ((took = cli_fresh_option(&fr, "screen", argc, argv, &i)) != 0) {
            if (took < 0)
                return CLI_USAGE;
        } else if (strcmp(a, "--db") == 0 && has) {
            fr.db = argv[++i];
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
    q.birth_dates = dobs;
    q.countries = countries;
    q.identifiers = ids;
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
    int rc = CLI_OK, stale = 0;
    json_t *lists = NULL;
    if (cli_fresh_check(&fr, "screen", path, idx, &lists, &stale) != 0) {
        rc = CLI_ERROR;
        goto out;
    }
    if (emb_screen(idx, ctx, &q, &opts, &res, &n, &err) != EMB_OK) {
        cli_print_error(stderr, "query", &err);
        rc = CLI_ERROR;
        goto out;
    }
    if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "query", json_string(name));
        json_object_set_new(o, "snapshot", cli_index_json(idx));
        json_object_set(o, "lists", lists);
        json_object_set_new(o, "stale", json_boolean(stale));
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *m = cli_match_json(idx, ctx, &res[i], opts.threshold);
            if (m == NULL || json_array_append_new(arr, m) != 0) {
                fputs("embargo: out of memory\n", stderr);
                json_decref(o);
                json_decref(arr);
                rc = CLI_ERROR;
                goto out;
            }
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
            /* the reasons in brief; --json has their details */
            fputs("       ", stdout);
            for (size_t k = 0; k < res[i].n_explanations; k++)
                printf("%s%s %.3f", k ? ", " : "", res[i].explanations[k].feature,
                       res[i].explanations[k].score);
            putchar('\n');
        }
        if (n == 0)
            printf("no match at or above %.2f\n", opts.threshold);
        cli_fresh_footer(stdout, lists);
    }
out:
    json_decref(lists);
    emb_ctx_free(ctx);
    emb_index_close(idx);
    return rc;
}
