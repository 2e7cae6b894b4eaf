/*
 * `embargo monitor add|run|alerts`: a portfolio of customers kept in the store, screened again
 * after every list update for what can have changed, with new alerts reported once.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <embargo/store.h>

#include "cli.h"

static const char help[] =
    "usage: embargo monitor add --input FILE [--portfolio NAME] [--db FILE]\n"
    "       embargo monitor run [-i INDEX] [--portfolio NAME] [--db FILE] [--table]\n"
    "                           [--threshold T] [--limit N] [--threads N] [--full]\n"
    "       embargo monitor alerts [--open] [--portfolio NAME] [--db FILE] [--json]\n"
    "\n"
    "add     store the customers of FILE (the batch input: CSV with a header id, name,\n"
    "        schema, birth_date, country, identifiers, or JSON lines with those keys) in a\n"
    "        portfolio (default \"default\"); a known id is updated and screened again.\n"
    "run     screen new or changed customers against the whole snapshot, and new or\n"
    "        changed entities against every customer; print the new alerts only, one JSON\n"
    "        line each (--table: a table); a summary goes to stderr.\n"
    "alerts  list the alerts and their decisions (--open: those without a decision).\n"
    "\n"
    "  --db FILE          the store (default $EMBARGO_HOME/embargo.db, else\n"
    "                     ~/.local/share/embargo/embargo.db)\n"
    "  -i, --index FILE   snapshot (default $EMBARGO_INDEX)\n"
    "  --threshold T      lowest score that alerts (default 0.70)\n"
    "  --limit N          matches per customer (default 10)\n"
    "  --threads N        screening threads for new customers (default: online CPUs)\n"
    "  --full             screen every customer against everything\n";

/* ---------------------------------------------------------------- reading customers */

enum { C_ID, C_NAME, C_SCHEMA, C_DOB, C_COUNTRY, C_IDS, N_C };
static const char *const c_names[N_C] = {"id",         "name",    "schema",
                                         "birth_date", "country", "identifiers"};

typedef struct vals {
    const char *v[256];
    size_t n;
} vals;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* ';'-separated parts of a CSV field, trimmed, in place. 0, or -1 when too many. */
static int split(char *s, vals *out)
{
    out->n = 0;
    for (char *part = s; part != NULL;) {
        char *semi = strchr(part, ';');
        if (semi != NULL)
            *semi = '\0';
        char *v = trim(part);
        if (v[0] != '\0') {
            if (out->n == sizeof(out->v) / sizeof(out->v[0]))
                return -1;
            out->v[out->n++] = v;
        }
        part = semi != NULL ? semi + 1 : NULL;
    }
    return 0;
}

/* A JSON string or list of strings. 0, or -1 when it is neither. */
static int json_vals(json_t *v, vals *out)
{
    out->n = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        if (json_string_length(v) > 0)
            out->v[out->n++] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v))
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || out->n == sizeof(out->v) / sizeof(out->v[0]))
            return -1;
        if (json_string_length(e) > 0)
            out->v[out->n++] = json_string_value(e);
    }
    return 0;
}

typedef struct loader {
    emb_portfolio_load *ld;
    const char *path;
    uint64_t line;
    vals lists[3];
} loader;

static int add_one(loader *l, const char *id, const char *name, const char *schema)
{
    emb_customer c;
    memset(&c, 0, sizeof(c));
    c.id = id;
    c.name = name;
    if (schema != NULL && schema[0] != '\0') {
        c.schema = emb_schema_from_name(schema, strlen(schema));
        if (c.schema == EMB_SCHEMA_UNKNOWN) {
            fprintf(stderr,
                    "embargo monitor: %s:%llu: unknown schema '%.60s' (Person, Company, "
                    "Organization, LegalEntity, Vessel...)\n",
                    l->path, (unsigned long long)l->line, schema);
            return -1;
        }
    }
    c.birth_dates = l->lists[0].v;
    c.n_birth_dates = l->lists[0].n;
    c.countries = l->lists[1].v;
    c.n_countries = l->lists[1].n;
    c.identifiers = l->lists[2].v;
    c.n_identifiers = l->lists[2].n;
    emb_error err;
    if (emb_monitor_load_add(l->ld, &c, &err) != EMB_OK) {
        if (err.source[0] != '\0') /* the store failed, not the row */
            fprintf(stderr, "embargo monitor: %s: %s (storing %s:%llu)\n", err.source, err.msg,
                    l->path, (unsigned long long)l->line);
        else
            fprintf(stderr, "embargo monitor: %s:%llu: %s\n", l->path, (unsigned long long)l->line,
                    err.msg);
        return -1;
    }
    return 0;
}

static int load_csv(loader *l, FILE *f, uint64_t line)
{
    cli_csv csv;
    cli_csv_init(&csv, f);
    csv.line = line;
    char msg[128];
    int col[N_C], rc = cli_csv_read(&csv, msg, sizeof(msg)), res = -1;
    if (rc != CLI_CSV_OK) {
        fprintf(stderr, "embargo monitor: %s:%llu: %s\n", l->path, (unsigned long long)csv.rec_line,
                rc == CLI_CSV_BAD ? msg : "cannot read the CSV header");
        goto out;
    }
    size_t n_header = csv.n_fields;
    for (int k = 0; k < N_C; k++) {
        col[k] = -1;
        for (size_t i = 0; i < csv.n_fields && col[k] < 0; i++) {
            if (cli_csv_header_is(csv.fields[i], c_names[k]))
                col[k] = (int)i;
        }
    }
    if (col[C_ID] < 0 || col[C_NAME] < 0) {
        fprintf(stderr,
                "embargo monitor: %s:%llu: the CSV header needs 'id' and 'name' columns "
                "(columns: id, name, schema, birth_date, country, identifiers)\n",
                l->path, (unsigned long long)csv.rec_line);
        goto out;
    }
    while ((rc = cli_csv_read(&csv, msg, sizeof(msg))) != CLI_CSV_END) {
        l->line = csv.rec_line;
        if (rc != CLI_CSV_OK) {
            fprintf(stderr, "embargo monitor: %s:%llu: %s\n", l->path,
                    (unsigned long long)csv.rec_line,
                    rc == CLI_CSV_BAD ? msg : "cannot read the input");
            goto out;
        }
        if (csv.n_fields != n_header) {
            fprintf(stderr, "embargo monitor: %s:%llu: row has %zu fields, the header has %zu\n",
                    l->path, (unsigned long long)csv.rec_line, csv.n_fields, n_header);
            goto out;
        }
        char *field[N_C] = {NULL};
        for (int k = 0; k < N_C; k++)
            field[k] = col[k] >= 0 ? csv.buf + csv.offs[col[k]] : NULL;
        for (int k = 0; k < 3; k++) {
            l->lists[k].n = 0;
            if (field[C_DOB + k] != NULL && split(field[C_DOB + k], &l->lists[k]) != 0) {
                fprintf(stderr, "embargo monitor: %s:%llu: too many values in '%s'\n", l->path,
                        (unsigned long long)csv.rec_line, c_names[C_DOB + k]);
                goto out;
            }
        }
        if (add_one(l, trim(field[C_ID]), trim(field[C_NAME]),
                    field[C_SCHEMA] ? trim(field[C_SCHEMA]) : NULL) != 0)
            goto out;
    }
    res = 0;
out:
    cli_csv_free(&csv);
    return res;
}

static int load_jsonl(loader *l, FILE *f, uint64_t line)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int res = 0;
    l->line = line;
    while (res == 0 && (n = getline(&buf, &cap, f)) >= 0) {
        size_t len = (size_t)n;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        size_t i = 0;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
            i++;
        if (i == len) {
            l->line++;
            continue;
        }
        json_error_t je;
        json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
        json_t *id = doc != NULL ? json_object_get(doc, "id") : NULL;
        json_t *name = doc != NULL ? json_object_get(doc, "name") : NULL;
        json_t *schema = doc != NULL ? json_object_get(doc, "schema") : NULL;
        char idbuf[32];
        const char *ids = json_string_value(id);
        if (json_is_integer(id)) {
            snprintf(idbuf, sizeof(idbuf), "%lld", (long long)json_integer_value(id));
            ids = idbuf;
        }
        if (doc == NULL) {
            fprintf(stderr, "embargo monitor: %s:%llu: invalid JSON at column %d: %s\n", l->path,
                    (unsigned long long)l->line, je.column, je.text);
            res = -1;
        } else if (!json_is_object(doc) || ids == NULL || !json_is_string(name) ||
                   (schema != NULL && !json_is_null(schema) && !json_is_string(schema))) {
            fprintf(stderr,
                    "embargo monitor: %s:%llu: a row must be an object with a string or "
                    "integer \"id\" and a string \"name\"\n",
                    l->path, (unsigned long long)l->line);
            res = -1;
        } else {
            const char *keys[3] = {"birth_date", "country", "identifiers"};
            for (int k = 0; k < 3 && res == 0; k++) {
                if (json_vals(json_object_get(doc, keys[k]), &l->lists[k]) != 0) {
                    fprintf(stderr,
                            "embargo monitor: %s:%llu: \"%s\" must be a string or a list of "
                            "strings\n",
                            l->path, (unsigned long long)l->line, keys[k]);
                    res = -1;
                }
            }
            if (res == 0)
                res = add_one(l, ids, json_string_value(name), json_string_value(schema));
        }
        json_decref(doc);
        l->line++;
    }
    if (res == 0 && ferror(f)) {
        fprintf(stderr, "embargo monitor: %s: read error\n", l->path);
        res = -1;
    }
    free(buf);
    return res;
}

static const char *actor(void)
{
    const char *u = getenv("USER");
    return u != NULL && u[0] != '\0' ? u : "embargo";
}

static int cmd_add(const char *db, const char *portfolio, const char *input)
{
    if (input == NULL) {
        fprintf(stderr, "embargo monitor add: --input is required\n\n%s", help);
        return CLI_USAGE;
    }
    FILE *f = fopen(input, "rb");
    if (f == NULL) {
        fprintf(stderr, "embargo monitor: cannot open %s\n", input);
        return CLI_ERROR;
    }
    uint64_t line = 1;
    int first = cli_input_start(f, &line);
    if (first == CLI_START_BAD || ferror(f)) {
        fprintf(stderr, "embargo monitor: %s: cannot read the start of the file\n", input);
        fclose(f);
        return CLI_ERROR;
    }
    emb_store *st = NULL;
    if (cli_open_store(db, &st) != 0) {
        fclose(f);
        return CLI_ERROR;
    }
    loader l;
    memset(&l, 0, sizeof(l));
    l.path = input;
    emb_error err;
    int rc = CLI_ERROR;
    if (emb_monitor_load_begin(st, portfolio, actor(), &l.ld, &err) != EMB_OK) {
        cli_print_error(stderr, db != NULL ? db : emb_store_default_path(), &err);
        goto out;
    }
    int res = first == EOF ? 0 : first == '{' ? load_jsonl(&l, f, line) : load_csv(&l, f, line);
    if (res != 0) {
        emb_monitor_load_abort(l.ld);
        fprintf(stderr, "embargo monitor: nothing stored from %s\n", input);
        goto out;
    }
    emb_load_stats ls;
    if (emb_monitor_load_commit(l.ld, &ls, &err) != EMB_OK) {
        cli_print_error(stderr, db != NULL ? db : emb_store_default_path(), &err);
        fprintf(stderr, "embargo monitor: nothing stored from %s\n", input);
        goto out;
    }
    fprintf(stderr,
            "embargo monitor: portfolio %s: %llu added, %llu changed, %llu unchanged, %llu "
            "customers (audit record %lld)\n",
            portfolio != NULL ? portfolio : "default", (unsigned long long)ls.added,
            (unsigned long long)ls.changed, (unsigned long long)ls.unchanged,
            (unsigned long long)ls.total, (long long)ls.audit_seq);
    rc = CLI_OK;
out:
    fclose(f);
    emb_store_close(st);
    return rc;
}

/* ---------------------------------------------------------------- alerts out */

typedef struct printer {
    FILE *f;
    int table;
    int failed;
    uint64_t n;
} printer;

static json_t *alert_json(const emb_alert *a)
{
    json_error_t je;
    json_t *ex = json_loads(a->explanations, 0, &je);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:o, s:s, s:s, s:I}", "alert", (json_int_t)a->id,
        "portfolio", a->portfolio, "customer_id", a->customer_id, "customer_name", a->customer_name,
        "entity_id", a->entity_id, "caption", a->caption, "score", a->score, "matched_name",
        a->matched_name, "explanations", ex != NULL ? ex : json_object(), "snapshot_hash",
        a->snapshot_hash, "first_seen", a->first_seen, "run", (json_int_t)a->run);
    if (o == NULL)
        return NULL;
    if (a->previous > 0) {
        json_object_set_new(o, "previous_alert", json_integer(a->previous));
        json_object_set_new(o, "previous_decision", json_string(a->previous_decision));
    }
    if (a->decision[0] != '\0') {
        json_object_set_new(o, "decision",
                            json_pack("{s:s, s:s, s:s, s:s}", "decision", a->decision, "by",
                                      a->decided_by, "reason", a->reason, "at", a->decided_at));
    }
    return o;
}

static int print_alert(void *ud, const emb_alert *a)
{
    printer *p = ud;
    p->n++;
    if (p->table) {
        if (p->n == 1)
            fprintf(p->f, "%-7s %-16s %-28s %-34s %6s  %s\n", "ALERT", "CUSTOMER", "NAME", "ENTITY",
                    "SCORE", "DECISION");
        char dec[160];
        if (a->decision[0] != '\0')
            snprintf(dec, sizeof(dec), "%s by %s", a->decision, a->decided_by);
        else if (a->previous > 0)
            snprintf(dec, sizeof(dec), "open (again: alert %lld was %s)", (long long)a->previous,
                     a->previous_decision);
        else
            snprintf(dec, sizeof(dec), "open");
        fprintf(p->f, "%-7lld %-16.16s %-28.28s %-34.34s %6.3f  %s\n", (long long)a->id,
                a->customer_id, a->customer_name, a->entity_id, a->score, dec);
        return 0;
    }
    json_t *o = alert_json(a);
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
                        : NULL;
    json_decref(o);
    if (s == NULL) {
        p->failed = 1;
        return 1;
    }
    fprintf(p->f, "%s\n", s);
    free(s);
    return 0;
}

static int cmd_run(const char *db, emb_monitor_opts *o, int table)
{
    emb_store *st = NULL;
    if (cli_open_store(db, &st) != 0)
        return CLI_ERROR;
    printer p = {stdout, table, 0, 0};
    emb_monitor_stats stats;
    emb_error err;
    int rc = CLI_OK;
    o->actor = actor();
    emb_status s = emb_monitor_run(st, o, print_alert, &p, &stats, &err);
    if (s != EMB_OK) {
        cli_print_error(stderr, "monitor run", &err);
        rc = CLI_ERROR;
    } else {
        fprintf(stderr,
                "embargo monitor: run %lld (%s) of %s: %llu customers, %llu screened against "
                "everything; %llu of %llu entities new or changed, %llu removed; %llu "
                "customers re-screened against them; %llu new alerts, %llu already known, "
                "%llu suppressed by decisions (audit record %lld)\n",
                (long long)stats.run, stats.full ? "full" : "incremental",
                o->portfolio != NULL ? o->portfolio : "default",
                (unsigned long long)stats.customers, (unsigned long long)stats.screened,
                (unsigned long long)stats.changed_entities, (unsigned long long)stats.entities,
                (unsigned long long)stats.removed_entities, (unsigned long long)stats.candidates,
                (unsigned long long)stats.new_alerts, (unsigned long long)stats.known,
                (unsigned long long)stats.suppressed, (long long)stats.audit_seq);
        if (stats.refused > 0)
            fprintf(stderr,
                    "embargo monitor: %llu customers could not be screened (first: %s); fix "
                    "their data and add them again\n",
                    (unsigned long long)stats.refused, stats.refused_first);
    }
    if (fflush(stdout) != 0 || p.failed) {
        fprintf(stderr, "embargo monitor: cannot write the alerts\n");
        rc = CLI_ERROR;
    }
    emb_store_close(st);
    return rc;
}

static int cmd_alerts(const char *db, const char *portfolio, int open_only, int json)
{
    emb_store *st = NULL;
    if (cli_open_store(db, &st) != 0)
        return CLI_ERROR;
    printer p = {stdout, !json, 0, 0};
    emb_error err;
    int rc = CLI_OK;
    if (emb_monitor_alerts(st, portfolio, open_only, print_alert, &p, &err) != EMB_OK) {
        cli_print_error(stderr, "monitor alerts", &err);
        rc = CLI_ERROR;
    } else if (!json && p.n == 0) {
        fprintf(stderr, "embargo monitor: no %salerts\n", open_only ? "open " : "");
    }
    emb_store_close(st);
    return rc;
}

int cli_monitor(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    const char *sub = argv[1];
    const char *db = NULL, *portfolio = NULL, *input = NULL;
    int table = 0, open_only = 0, json = 0;
    emb_monitor_opts o;
    memset(&o, 0, sizeof(o));
    o.index_path = cli_default_index();
    o.threshold = 0.70;
    o.limit = 10;
    o.candidate_threshold = -1;
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = nproc < 1 ? 1 : nproc > 64 ? 64 : (int)nproc;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        long v;
        if (cli_is_help(s)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(s, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(s, "--portfolio") == 0 && has) {
            portfolio = argv[++i];
        } else if (strcmp(s, "--input") == 0 && has) {
            input = argv[++i];
        } else if ((strcmp(s, "-i") == 0 || strcmp(s, "--index") == 0) && has) {
            o.index_path = argv[++i];
        } else if (strcmp(s, "--threshold") == 0 && has) {
            if (!cli_parse_score(argv[++i], &o.threshold)) {
                fprintf(stderr, "embargo monitor: --threshold takes 0..1\n");
                return CLI_USAGE;
            }
        } else if (strcmp(s, "--limit") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 1000, &v)) {
                fprintf(stderr, "embargo monitor: --limit takes 1..1000\n");
                return CLI_USAGE;
            }
            o.limit = (size_t)v;
        } else if (strcmp(s, "--threads") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 64, &v)) {
                fprintf(stderr, "embargo monitor: --threads takes 1..64\n");
                return CLI_USAGE;
            }
            o.threads = (int)v;
        } else if (strcmp(s, "--full") == 0) {
            o.full = 1;

        } else if (strcmp(s, "--table") == 0) {
            table = 1;
        } else if (strcmp(s, "--json") == 0) {
            json = 1;
        } else if (strcmp(s, "--open") == 0) {
            open_only = 1;
        } else {
            fprintf(stderr, "embargo monitor: unknown option or argument '%s'\n\n%s", s, help);
            return CLI_USAGE;
        }
    }
    o.portfolio = portfolio;
    if (strcmp(sub, "add") == 0)
        return cmd_add(db, portfolio, input);
    if (strcmp(sub, "run") == 0)
        return cmd_run(db, &o, table);
    if (strcmp(sub, "alerts") == 0)
        return cmd_alerts(db, portfolio, open_only, json);
    fprintf(stderr, "embargo monitor: unknown subcommand '%s'\n\n%s", sub, help);
    return CLI_USAGE;
}
