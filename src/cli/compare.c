/*
 * `embargo compare`: the score screening would give one name against another, with its
 * reasons; or, with --pairs, the score of every pair of a CSV file appended as a column.
 * No snapshot is needed.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: embargo compare [--schema S] [--json] NAME1 NAME2\n"
    "       embargo compare --pairs FILE.csv [--output FILE] [--schema S] [--skip-bad]\n"
    "\n"
    "Score NAME2 as a list name for NAME1 as a query (0..1, 3 decimals) and show why.\n"
    "\n"
    "  --schema S       Person, Company, Organization, LegalEntity, Vessel, Airplane...\n"
    "  --json           one JSON object: name1, name2, schema, score, explanations\n"
    "  --pairs FILE     a CSV file with a header and columns name1, name2 and optionally\n"
    "                   schema (which wins over --schema); every row is written, in order,\n"
    "                   with a `score` column appended; other columns are kept\n"
    "  --output FILE    where --pairs writes (default standard output); written beside FILE\n"
    "                   and renamed into place only when every row is done\n"
    "  --skip-bad       a pair that cannot be scored gets an empty score and a report on\n"
    "                   stderr instead of failing the command\n";

static int is_row_error(emb_status s)
{
    return s == EMB_EINVAL || s == EMB_EUTF8 || s == EMB_ELIMIT;
}

static int print_one(emb_ctx *ctx, const char *name1, const char *name2, emb_schema schema,
                     int as_json)
{
    double score = 0;
    const emb_explanation *ex = NULL;
    size_t n = 0;
    emb_error err;
    emb_status s = emb_compare(ctx, name1, name2, schema, &score, &ex, &n, &err);
    if (s != EMB_OK) {
        fprintf(stderr, "embargo compare: %s\n", err.msg[0] ? err.msg : emb_strerror(s));
        return CLI_ERROR;
    }
    if (!as_json) {
        printf("%.3f\n", cli_round3(score));
        for (size_t i = 0; i < n; i++) {
            printf("  %-20s %.3f  %s", ex[i].feature, cli_round3(ex[i].score),
                   ex[i].detail ? ex[i].detail : "");
            /* the words a feature is about, when they are not simply the first name */
            emb_str q = ex[i].query;
            if (q.len > 0 && (q.len != strlen(name1) || memcmp(q.ptr, name1, q.len) != 0))
                printf("  [%.*s]", (int)q.len, q.ptr);
            putchar('\n');
        }
        return CLI_OK;
    }
    json_t *o = json_object();
    json_t *why = cli_explanations_json(ex, n);
    char *text = NULL;
    if (o != NULL && why != NULL) {
        json_object_set_new(o, "name1", json_string(name1));
        json_object_set_new(o, "name2", json_string(name2));
        json_object_set_new(o, "schema",
                            schema != EMB_SCHEMA_UNKNOWN ? json_string(emb_schema_name(schema))
                                                         : json_null());
        json_object_set_new(o, "score", json_real(cli_round3(score)));
        json_object_set_new(o, "explanations", why);
        why = NULL;
        text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    }
    json_decref(why);
    json_decref(o);
    if (text == NULL) {
        fputs("embargo compare: out of memory\n", stderr);
        return CLI_ERROR;
    }
    puts(text);
    free(text);
    return CLI_OK;
}

/* ---------------------------------------------------------------- --pairs */

typedef struct pairs {
    const char *path;
    FILE *out;
    emb_schema schema;
    int skip_bad;
    int col1, col2, col_schema;
    size_t n_header;
    uint64_t rows, skipped;
} pairs;

/* The row as read, padded to the header's width, then the score. */
static int write_row(const pairs *p, const cli_csv *c, const char *score)
{
    size_t i = 0;
    int rc = 0;
    for (; i < c->n_fields && rc == 0; i++)
        rc = cli_csv_put(p->out, c->fields[i], i > 0);
    for (; i < p->n_header && rc == 0; i++)
        rc = cli_csv_put(p->out, "", i > 0);
    if (rc == 0)
        rc = cli_csv_put(p->out, score, i > 0);
    if (rc == 0 && putc('\n', p->out) == EOF)
        rc = -1;
    return rc;
}

/* Score one row into `score`; "" with `why` set when the row is bad. -1 when the command
 * cannot go on. */
static int score_row(const pairs *p, emb_ctx *ctx, const cli_csv *c, char *score, size_t cap,
                     char *why, size_t why_cap)
{
    score[0] = '\0';
    why[0] = '\0';
    if (c->n_fields != p->n_header) {
        snprintf(why, why_cap, "row has %zu fields, the header has %zu", c->n_fields, p->n_header);
        return 0;
    }
    const char *n1 = c->fields[p->col1], *n2 = c->fields[p->col2];
    if (n1[strspn(n1, " \t")] == '\0' || n2[strspn(n2, " \t")] == '\0') {
        snprintf(why, why_cap, "name1 and name2 must both be given");
        return 0;
    }
    emb_schema schema = p->schema;
    if (p->col_schema >= 0) {
        const char *s = c->fields[p->col_schema];
        if (s[0] != '\0') {
            schema = emb_schema_from_name(s, strlen(s));
            if (schema == EMB_SCHEMA_UNKNOWN) {
                snprintf(why, why_cap, "unknown schema '%.60s'", s);
                return 0;
            }
        }
    }
    double v = 0;
    emb_error err;
    emb_status s = emb_compare(ctx, n1, n2, schema, &v, NULL, NULL, &err);
    if (s != EMB_OK) {
        snprintf(why, why_cap, "%s", err.msg[0] ? err.msg : emb_strerror(s));
        return is_row_error(s) ? 0 : -1;
    }
    int n = snprintf(score, cap, "%.3f", cli_round3(v));
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int run_pairs(pairs *p, FILE *in, emb_ctx *ctx)
{
    cli_csv c;
    uint64_t line;
    int first = cli_input_start(in, &line);
    if (first == CLI_START_BAD || first == EOF) {
        fprintf(stderr, "embargo compare: %s: %s\n", p->path,
                first == EOF ? "the file is empty (a header name1,name2 is needed)"
                             : "cannot read the start of the file");
        return CLI_ERROR;
    }
    cli_csv_init(&c, in);
    c.line = line;
    char msg[128];
    int rc = cli_csv_read(&c, msg, sizeof(msg));
    int status = CLI_ERROR;
    if (rc != CLI_CSV_OK) {
        fprintf(stderr, "embargo compare: %s:%llu: %s\n", p->path, (unsigned long long)c.rec_line,
                rc == CLI_CSV_BAD ? msg : "cannot read the CSV header");
        goto out;
    }
    p->n_header = c.n_fields;
    p->col1 = p->col2 = p->col_schema = -1;
    for (size_t i = 0; i < c.n_fields; i++) {
        if (p->col1 < 0 && cli_csv_header_is(c.fields[i], "name1"))
            p->col1 = (int)i;
        else if (p->col2 < 0 && cli_csv_header_is(c.fields[i], "name2"))
            p->col2 = (int)i;
        else if (p->col_schema < 0 && cli_csv_header_is(c.fields[i], "schema"))
            p->col_schema = (int)i;
    }
    if (p->col1 < 0 || p->col2 < 0) {
        fprintf(stderr, "embargo compare: %s:%llu: the header needs columns name1 and name2\n",
                p->path, (unsigned long long)c.rec_line);
        goto out;
    }
    if (write_row(p, &c, "score") != 0)
        goto write_failed;
    for (;;) {
        rc = cli_csv_read(&c, msg, sizeof(msg));
        if (rc == CLI_CSV_END)
            break;
        if (rc == CLI_CSV_FATAL) {
            fprintf(stderr, "embargo compare: %s:%llu: cannot read the input\n", p->path,
                    (unsigned long long)c.line);
            goto out;
        }
        char score[32], why[EMB_ERROR_MSG_MAX];
        score[0] = '\0';
        if (rc == CLI_CSV_BAD) {
            snprintf(why, sizeof(why), "%s", msg);
        } else if (score_row(p, ctx, &c, score, sizeof(score), why, sizeof(why)) != 0) {
            fprintf(stderr, "embargo compare: %s:%llu: %s\n", p->path,
                    (unsigned long long)c.rec_line, why[0] ? why : "out of memory");
            goto out;
        }
        if (why[0] != '\0') {
            fprintf(stderr, "embargo compare: %s:%llu: %s%s\n", p->path,
                    (unsigned long long)c.rec_line, why,
                    p->skip_bad ? " (row written with an empty score)" : "");
            if (!p->skip_bad)
                goto out;
            p->skipped++;
        }
        if (write_row(p, &c, score) != 0)
            goto write_failed;
        p->rows++;
    }
    status = CLI_OK;
    goto out;
write_failed:
    fprintf(stderr, "embargo compare: cannot write the output\n");
out:
    cli_csv_free(&c);
    return status;
}

int cli_compare(int argc, char **argv)
{
    const char *names[2] = {NULL, NULL}, *pairs_path = NULL, *output = NULL;
    emb_schema schema = EMB_SCHEMA_UNKNOWN;
    int as_json = 0, skip_bad = 0, n_names = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(a, "--schema") == 0 && has) {
            const char *s = argv[++i];
            schema = emb_schema_from_name(s, strlen(s));
            if (schema == EMB_SCHEMA_UNKNOWN) {
                fprintf(stderr, "embargo compare: unknown schema '%s'\n", s);
                return CLI_USAGE;
            }
        } else if (strcmp(a, "--json") == 0) {
            as_json = 1;
        } else if (strcmp(a, "--pairs") == 0 && has) {
            pairs_path = argv[++i];
        } else if ((strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) && has) {
            output = argv[++i];
        } else if (strcmp(a, "--skip-bad") == 0) {
            skip_bad = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "embargo compare: unknown option '%s'\n\n%s", a, help);
            return CLI_USAGE;
        } else if (n_names < 2) {
            names[n_names++] = a;
        } else {
            fprintf(stderr, "embargo compare: two names only (quote a name with spaces)\n");
            return CLI_USAGE;
        }
    }
    if (pairs_path != NULL ? n_names != 0 || as_json : n_names != 2 || output || skip_bad) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    emb_ctx *ctx = NULL;
    if (emb_ctx_new(&ctx) != EMB_OK) {
        fputs("embargo: out of memory\n", stderr);
        return CLI_ERROR;
    }
    if (pairs_path == NULL) {
        int rc = print_one(ctx, names[0], names[1], schema, as_json);
        emb_ctx_free(ctx);
        return rc;
    }
    int rc = CLI_ERROR;
    FILE *in = strcmp(pairs_path, "-") == 0 ? stdin : fopen(pairs_path, "rb");
    cli_out out;
    memset(&out, 0, sizeof(out));
    if (in == NULL) {
        fprintf(stderr, "embargo compare: cannot open %s\n", pairs_path);
    } else if (cli_out_open(&out, output ? output : "-", "compare") == 0) {
        pairs p;
        memset(&p, 0, sizeof(p));
        p.path = pairs_path;
        p.out = out.f;
        p.schema = schema;
        p.skip_bad = skip_bad;
        rc = run_pairs(&p, in, ctx);
        if (rc == CLI_OK && cli_out_commit(&out, "compare") != 0)
            rc = CLI_ERROR;
        if (rc != CLI_OK) {
            cli_out_abort(&out);
            if (output != NULL && strcmp(output, "-") != 0)
                fprintf(stderr, "embargo compare: %s not written\n", output);
        } else if (output != NULL && strcmp(output, "-") != 0) {
            fprintf(stderr, "embargo compare: %llu pairs, %llu skipped, written to %s\n",
                    (unsigned long long)p.rows, (unsigned long long)p.skipped, output);
        }
    }
    if (in != NULL && in != stdin)
        fclose(in);
    emb_ctx_free(ctx);
    return rc;
}
