/*
 * `embargo batch`: screen every row of a CSV or JSON lines file and write one JSON line per
 * row, in input order. A pool of threads shares the read-only snapshot, each with its own
 * emb_ctx. Rows go through in chunks: while the pool screens one chunk the main thread reads
 * the next, then writes the finished one, so memory stays bounded whatever the input size.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <embargo/store.h>
#include <unistd.h>

#include "cli.h"

#define CHUNK_ROWS  1024
#define MAX_THREADS 64
#define MAX_LINE    (1u << 20) /* bytes in one JSON line, as for a CSV record */

static const char help[] =
    "usage: embargo batch [-i INDEX] --input FILE --output FILE [--threads N] [--limit N]\n"
    "                     [--threshold T] [--skip-bad] [--audit [--audit-queries] [--db FILE]]\n"
    "\n"
    "Screen every row of FILE and write one JSON line per row, in input order:\n"
    "  {\"id\": ..., \"matches\": [{\"id\", \"dataset\", \"source_id\", \"schema\", \"caption\",\n"
    "   \"score\", \"match\", \"matched_name\", \"matched_kind\", \"explanations\"}, ...]}\n"
    "\n"
    "The input is JSON lines when its first character is '{', else CSV with a header:\n"
    "  {\"id\", \"name\", \"schema\"?, \"birth_date\"?, \"country\"?, \"identifiers\"?: [...]}\n"
    "  (birth_date and country may be lists too); CSV columns of the same names, several\n"
    "  values in one field separated by ';'. Other keys and columns are ignored.\n"
    "\n"
    "  -i, --index FILE   snapshot (default $EMBARGO_INDEX, else\n"
    "                     ~/.local/share/embargo/default.emb)\n"
    "  --input FILE       rows to screen\n"
    "  --output FILE      written beside FILE and renamed into place only when every row is\n"
    "                     done; '-' writes to standard output as rows finish\n"
    "  --threads N        screening threads, 1..64 (default: the number of online CPUs)\n"
    "  --limit N          at most N matches per row (default 10)\n"
    "  --threshold T      lowest score reported (default 0.70)\n"
    "  --audit            append a \"screening\" record to the audit trail (snapshot, engine,\n"
    "                     options, input SHA-256, counts, output SHA-256) for `audit replay`\n"
    "  --audit-queries    keep the input itself in that record (personal data: off by default)\n"
    "  --db FILE          the store for --audit (default $EMBARGO_HOME/embargo.db)\n"
    "  --require-fresh    refuse (exit 1, nothing screened) when a list of the snapshot is\n"
    "                     stale; without it the lists and their ages end the stderr summary\n"
    "  --max-age DS=DAYS  maximum age of a dataset (see `embargo screen --help`)\n"
    "  --skip-bad         a row that cannot be screened is reported on stderr and written as\n"
    "                     {\"id\": ..., \"error\": \"...\"} instead of failing the command\n";

/* ---------------------------------------------------------------- rows */

typedef struct row {
    uint64_t line;
    json_t *id;  /* as given (string or number); NULL prints as null */
    json_t *doc; /* JSON lines: the parsed object, which owns the strings below */
    char *text;  /* CSV: the row's fields, copied */
    const char *name;
    emb_schema schema;
    const char **vals; /* birth dates, then countries, then identifiers */
    size_t n_dates, n_countries, n_ids;
    int bad;   /* the row cannot be screened; error says why */
    int fatal; /* the command cannot go on; error says why */
    int alert; /* at least one match at or above the threshold */
    char *out; /* the output line, without its newline */
    char error[EMB_ERROR_MSG_MAX];
} row;

__attribute__((format(printf, 2, 3))) static void set_bad(row *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->error, sizeof(r->error), fmt, ap);
    va_end(ap);
    if (n < 0)
        snprintf(r->error, sizeof(r->error), "unreadable row");
    r->bad = 1;
}

static void row_clear(row *r)
{
    json_decref(r->id);
    json_decref(r->doc);
    free(r->text);
    free((void *)r->vals);
    free(r->out);
    memset(r, 0, sizeof(*r));
}

/* Trim spaces and tabs in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int set_schema(row *r, const char *s)
{
    if (s == NULL || s[0] == '\0')
        return 1;
    r->schema = emb_schema_from_name(s, strlen(s));
    if (r->schema == EMB_SCHEMA_UNKNOWN) {
        set_bad(r,
                "unknown schema '%.60s' (Person, Company, Organization, LegalEntity, "
                "Vessel...)",
                s);
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- JSON lines input */

/* Count (vals == NULL) or collect the non-empty strings of a string-or-list value. */
static int json_values(row *r, json_t *v, const char *key, const char **vals, size_t *n)
{
    *n = 0;
    if (v == NULL || json_is_null(v))
        return 1;
    if (json_is_string(v)) {
        if (json_string_length(v) > 0) {
            if (vals != NULL)
                vals[0] = json_string_value(v);
            *n = 1;
        }
        return 1;
    }
    if (!json_is_array(v)) {
        set_bad(r, "\"%s\" must be a string or a list of strings", key);
        return 0;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            set_bad(r, "\"%s\" must be a string or a list of strings", key);
            return 0;
        }
        if (json_string_length(e) == 0)
            continue;
        if (vals != NULL)
            vals[*n] = json_string_value(e);
        (*n)++;
    }
    return 1;
}

static const char *const attr_keys[3] = {"birth_date", "country", "identifiers"};

/* 0, or -1 when out of memory. */
static int jsonl_row(row *r, const char *text, size_t len)
{
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL) {
        set_bad(r, "invalid JSON at column %d: %s", je.column, je.text);
        return 0;
    }
    r->doc = doc;
    if (!json_is_object(doc)) {
        set_bad(r, "a row must be a JSON object");
        return 0;
    }
    json_t *id = json_object_get(doc, "id");
    if (json_is_string(id) || json_is_number(id)) {
        r->id = json_incref(id);
    } else if (id != NULL && !json_is_null(id)) {
        set_bad(r, "\"id\" must be a string or a number");
        return 0;
    }
    json_t *name = json_object_get(doc, "name");
    if (!json_is_string(name) || json_string_length(name) == 0) {
        set_bad(r, "row has no name (\"name\" must be a non-empty string)");
        return 0;
    }
    r->name = json_string_value(name);
    json_t *schema = json_object_get(doc, "schema");
    if (schema != NULL && !json_is_null(schema) && !json_is_string(schema)) {
        set_bad(r, "\"schema\" must be a string");
        return 0;
    }
    if (!set_schema(r, json_string_value(schema)))
        return 0;
    size_t counts[3], total = 0;
    for (int k = 0; k < 3; k++) {
        if (!json_values(r, json_object_get(doc, attr_keys[k]), attr_keys[k], NULL, &counts[k]))
            return 0;
        total += counts[k];
    }
    if (total == 0)
        return 0;
    r->vals = malloc(total * sizeof(*r->vals));
    if (r->vals == NULL)
        return -1;
    size_t at = 0;
    for (int k = 0; k < 3; k++) {
        json_values(r, json_object_get(doc, attr_keys[k]), attr_keys[k], r->vals + at, &counts[k]);
        at += counts[k];
    }
    r->n_dates = counts[0];
    r->n_countries = counts[1];
    r->n_ids = counts[2];
    return 0;
}

/* ---------------------------------------------------------------- reader */

enum { COL_ID, COL_NAME, COL_SCHEMA, COL_DOB, COL_COUNTRY, COL_IDS, N_COLS };
static const char *const col_names[N_COLS] = {"id",         "name",    "schema",
                                              "birth_date", "country", "identifiers"};

typedef struct reader {
    FILE *f;
    const char *path;
    int jsonl;
    uint64_t line; /* JSON lines: the next line's number */
    char *buf;     /* JSON lines: the current line */
    size_t cap;
    cli_csv csv;
    int col[N_COLS]; /* CSV: each known column's position, or -1 */
    size_t n_header;
} reader;

/* Sniff the input and read a CSV header. 0, or -1 after printing why. */
static int reader_open(reader *rd, const char *path)
{
    memset(rd, 0, sizeof(*rd));
    rd->path = path;
    rd->f = fopen(path, "rb");
    if (rd->f == NULL) {
        fprintf(stderr, "embargo batch: cannot open %s\n", path);
        return -1;
    }
    int first = cli_input_start(rd->f, &rd->line);
    if (first == CLI_START_BAD || ferror(rd->f)) {
        fprintf(stderr, "embargo batch: %s: cannot read the start of the file\n", path);
        return -1;
    }
    rd->jsonl = first == '{';
    cli_csv_init(&rd->csv, rd->f);
    rd->csv.line = rd->line;
    if (rd->jsonl || first == EOF)
        return 0;
    char msg[128];
    int rc = cli_csv_read(&rd->csv, msg, sizeof(msg));
    if (rc != CLI_CSV_OK) {
        fprintf(stderr, "embargo batch: %s:%llu: %s\n", path, (unsigned long long)rd->csv.rec_line,
                rc == CLI_CSV_BAD ? msg : "cannot read the CSV header");
        return -1;
    }
    rd->n_header = rd->csv.n_fields;
    for (int k = 0; k < N_COLS; k++) {
        rd->col[k] = -1;
        for (size_t i = 0; i < rd->csv.n_fields && rd->col[k] < 0; i++) {
            if (cli_csv_header_is(rd->csv.fields[i], col_names[k]))
                rd->col[k] = (int)i;
        }
    }
    if (rd->col[COL_NAME] < 0) {
        fprintf(stderr,
                "embargo batch: %s:%llu: the CSV header has no 'name' column (columns: id, "
                "name, schema, birth_date, country, identifiers)\n",
                path, (unsigned long long)rd->csv.rec_line);
        return -1;
    }
    return 0;
}

static void reader_close(reader *rd)
{
    if (rd->f != NULL)
        fclose(rd->f);
    cli_csv_free(&rd->csv);
    free(rd->buf);
}

/* One line, newline and CR dropped: 1, 0 at the end, -1 on a read error or out of memory.
 * A line over MAX_LINE is read to its end but not kept (*too_long). */
static int read_line(reader *rd, size_t *len, int *too_long)
{
    size_t n = 0;
    int c;
    *too_long = 0;
    while ((c = getc(rd->f)) != EOF && c != '\n') {
        if (n + 1 >= MAX_LINE) {
            *too_long = 1;
            continue;
        }
        if (n + 1 >= rd->cap) {
            size_t cap = rd->cap ? rd->cap * 2 : 4096;
            char *p = realloc(rd->buf, cap);
            if (p == NULL)
                return -1;
            rd->buf = p;
            rd->cap = cap;
        }
        rd->buf[n++] = (char)c;
    }
    if (ferror(rd->f))
        return -1;
    if (c == EOF && n == 0 && !*too_long)
        return 0;
    if (n > 0 && rd->buf[n - 1] == '\r')
        n--;
    if (rd->buf != NULL)
        rd->buf[n] = '\0';
    *len = n;
    return 1;
}

static int read_jsonl_row(reader *rd, row *r)
{
    for (;;) {
        size_t len = 0;
        int too_long = 0;
        int rc = read_line(rd, &len, &too_long);
        if (rc <= 0)
            return rc;
        r->line = rd->line++;
        if (too_long) {
            set_bad(r, "line is over the limit of 1 MiB");
            return 1;
        }
        size_t i = 0;
        while (i < len && (rd->buf[i] == ' ' || rd->buf[i] == '\t'))
            i++;
        if (i == len)
            continue; /* blank lines are not rows */
        return jsonl_row(r, rd->buf, len) == 0 ? 1 : -1;
    }
}

/* Parts of a ';'-separated field: an upper bound, for sizing. */
static size_t count_parts(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return 0;
    size_t n = 1;
    for (; *s != '\0'; s++)
        n += *s == ';';
    return n;
}

/* Split a ';'-separated field in place into its trimmed, non-empty parts. */
static size_t split_values(char *s, const char **vals)
{
    size_t n = 0;
    for (char *part = s; part != NULL;) {
        char *semi = strchr(part, ';');
        if (semi != NULL)
            *semi = '\0';
        char *v = trim(part);
        if (v[0] != '\0')
            vals[n++] = v;
        part = semi != NULL ? semi + 1 : NULL;
    }
    return n;
}

static int read_csv_row(reader *rd, row *r)
{
    char msg[128];
    int rc = cli_csv_read(&rd->csv, msg, sizeof(msg));
    if (rc == CLI_CSV_END)
        return 0;
    if (rc == CLI_CSV_FATAL)
        return -1;
    const cli_csv *c = &rd->csv;
    r->line = c->rec_line;
    int id_col = rd->col[COL_ID];
    if (id_col >= 0 && (size_t)id_col < c->n_fields)
        r->id = json_string(c->fields[id_col]); /* NULL (null) when not UTF-8 */
    if (rc == CLI_CSV_BAD) {
        set_bad(r, "%s", msg);
        return 1;
    }
    if (c->n_fields != rd->n_header) {
        set_bad(r, "row has %zu fields, the header has %zu", c->n_fields, rd->n_header);
        return 1;
    }
    if (id_col >= 0 && r->id == NULL) {
        set_bad(r, "id is not valid UTF-8");
        return 1;
    }
    /* copy what screening needs: the reader's buffer is reused by the next record */
    size_t size = 0;
    for (int k = COL_NAME; k < N_COLS; k++) {
        if (rd->col[k] >= 0)
            size += strlen(c->fields[rd->col[k]]) + 1;
    }
    r->text = malloc(size);
    if (r->text == NULL)
        return -1;
    char *field[N_COLS] = {NULL};
    size_t at = 0;
    for (int k = COL_NAME; k < N_COLS; k++) {
        if (rd->col[k] < 0)
            continue;
        size_t n = strlen(c->fields[rd->col[k]]) + 1;
        field[k] = memcpy(r->text + at, c->fields[rd->col[k]], n);
        at += n;
    }
    r->name = field[COL_NAME];
    if (strspn(r->name, " \t") == strlen(r->name)) {
        set_bad(r, "row has no name");
        return 1;
    }
    if (field[COL_SCHEMA] != NULL && !set_schema(r, trim(field[COL_SCHEMA])))
        return 1;
    size_t counts[3] = {0, 0, 0}, total = 0;
    for (int k = 0; k < 3; k++)
        total += count_parts(field[COL_DOB + k]);
    if (total == 0)
        return 1;
    r->vals = malloc(total * sizeof(*r->vals));
    if (r->vals == NULL)
        return -1;
    size_t got = 0;
    for (int k = 0; k < 3; k++) {
        if (field[COL_DOB + k] != NULL)
            counts[k] = split_values(field[COL_DOB + k], r->vals + got);
        got += counts[k];
    }
    r->n_dates = counts[0];
    r->n_countries = counts[1];
    r->n_ids = counts[2];
    return 1;
}

/* Up to CHUNK_ROWS rows; *fatal set (and reported) on a read error or out of memory. */
static size_t read_chunk(reader *rd, row *rows, int *fatal)
{
    size_t n = 0;
    *fatal = 0;
    if (rd->f == NULL || feof(rd->f))
        return 0;
    while (n < CHUNK_ROWS) {
        int rc = rd->jsonl ? read_jsonl_row(rd, &rows[n]) : read_csv_row(rd, &rows[n]);
        if (rc < 0) {
            fprintf(stderr, "embargo batch: %s:%llu: cannot read the input (or out of memory)\n",
                    rd->path, (unsigned long long)(rd->jsonl ? rd->line : rd->csv.line));
            *fatal = 1;
            row_clear(&rows[n]);
            break;
        }
        if (rc == 0) {
            row_clear(&rows[n]);
            break;
        }
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------- screening */

typedef struct batch {
    const emb_index *idx;
    emb_screen_opts opts;
    /* the chunk being screened; workers take rows one at a time */
    pthread_mutex_t mu;
    pthread_cond_t work; /* a chunk was posted, or stop */
    pthread_cond_t done; /* the chunk is finished */
    row *rows;
    size_t n_rows, next, n_done;
    int stop;
} batch;

typedef struct worker {
    batch *b;
    emb_ctx *ctx;
    pthread_t thread;
    int started;
} worker;

/* A JSON string of text that may hold invalid UTF-8 (an error message quoting the input). */
static json_t *text_json(const char *s)
{
    json_t *v = json_string(s);
    if (v != NULL)
        return v;
    char clean[EMB_ERROR_MSG_MAX];
    size_t n = 0;
    for (; s[n] != '\0' && n + 1 < sizeof(clean); n++) {
        clean[n] = s[n];
        if ((unsigned char)s[n] >= 0x80)
            clean[n] = '?';
    }
    clean[n] = '\0';
    return json_string(clean);
}

static json_t *matches_json(batch *b, emb_ctx *ctx, const emb_match *res, size_t n, row *r)
{
    json_t *arr = json_array();
    if (arr == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *m = cli_match_json(b->idx, ctx, &res[i], b->opts.threshold);
        if (m == NULL || json_array_append_new(arr, m) != 0) {
            json_decref(arr);
            return NULL;
        }
        if (res[i].score >= b->opts.threshold)
            r->alert = 1;
    }
    return arr;
}

static void screen_row(batch *b, emb_ctx *ctx, row *r)
{
    json_t *o = json_object();
    int ok = o != NULL && json_object_set(o, "id", r->id != NULL ? r->id : json_null()) == 0;
    if (ok && !r->bad) {
        emb_query q;
        memset(&q, 0, sizeof(q));
        q.name = r->name;
        q.schema = r->schema;
        q.birth_dates = r->vals;
        q.n_birth_dates = r->n_dates;
        q.countries = r->vals != NULL ? r->vals + r->n_dates : NULL;
        q.n_countries = r->n_countries;
        q.identifiers = r->vals != NULL ? r->vals + r->n_dates + r->n_countries : NULL;
        q.n_identifiers = r->n_ids;
        const emb_match *res = NULL;
        size_t n = 0;
        emb_error err;
        emb_status s = emb_screen(b->idx, ctx, &q, &b->opts, &res, &n, &err);
        if (s == EMB_EINVAL || s == EMB_EUTF8 || s == EMB_ELIMIT) {
            /* the row's own content: a bad row, not a failure of the command */
            set_bad(r, "%s", err.msg[0] ? err.msg : emb_strerror(s));
        } else if (s != EMB_OK) {
            snprintf(r->error, sizeof(r->error), "%s", err.msg[0] ? err.msg : emb_strerror(s));
            r->fatal = 1;
            json_decref(o);
            return;
        } else {
            json_t *arr = matches_json(b, ctx, res, n, r);
            ok = arr != NULL && json_object_set_new(o, "matches", arr) == 0;
        }
    }
    if (ok && r->bad)
        ok = json_object_set_new(o, "error", text_json(r->error)) == 0;
    if (ok)
        r->out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    json_decref(o);
    if (r->out == NULL) {
        snprintf(r->error, sizeof(r->error), "out of memory");
        r->fatal = 1;
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->next >= b->n_rows)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->stop)
            break;
        row *r = &b->rows[b->next++];
        pthread_mutex_unlock(&b->mu);
        screen_row(b, w->ctx, r);
        pthread_mutex_lock(&b->mu);
        if (++b->n_done == b->n_rows)
            pthread_cond_signal(&b->done);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void post_chunk(batch *b, row *rows, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->rows = rows;
    b->n_rows = n;
    b->next = 0;
    b->n_done = 0;
    pthread_cond_broadcast(&b->work);
    pthread_mutex_unlock(&b->mu);
}

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct progress {
    int tty;
    double start, last;
    uint64_t rows, alerts, skipped;
    emb_digest *digest; /* --audit: the output lines, in order */
} progress;

static void show_progress(progress *p, uint64_t rows)
{
    double t = now_secs();
    if (!p->tty || t - p->last < 0.2)
        return;
    p->last = t;
    fprintf(stderr, "\rembargo batch: %llu rows, %.0f rows/s ", (unsigned long long)rows,
            (double)rows / (t - p->start > 0 ? t - p->start : 1));
    fflush(stderr);
}

/* Wait for the posted chunk, showing progress while it runs. */
static void wait_chunk(batch *b, progress *p)
{
    pthread_mutex_lock(&b->mu);
    while (b->n_done < b->n_rows) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&b->done, &b->mu, &until);
        size_t done = b->n_done;
        pthread_mutex_unlock(&b->mu);
        show_progress(p, p->rows + done);
        pthread_mutex_lock(&b->mu);
    }
    pthread_mutex_unlock(&b->mu);
}

/* Write a finished chunk in order. 0, or -1 after reporting the row that stops the command. */
static int write_chunk(row *rows, size_t n, FILE *out, const char *input, int skip_bad, progress *p)
{
    for (size_t i = 0; i < n; i++) {
        row *r = &rows[i];
        if (r->fatal) {
            fprintf(stderr, "embargo batch: %s:%llu: %s\n", input, (unsigned long long)r->line,
                    r->error);
            return -1;
        }
        if (r->bad) {
            fprintf(stderr, "embargo batch: %s:%llu: %s%s\n", input, (unsigned long long)r->line,
                    r->error, skip_bad ? " (row written as an error)" : "");
            if (!skip_bad)
                return -1;
            p->skipped++;
        }
        if (fputs(r->out, out) < 0 || putc('\n', out) == EOF) {
            fprintf(stderr, "embargo batch: cannot write the output\n");
            return -1;
        }
        p->rows++;
        p->alerts += (uint64_t)r->alert;
        if (p->digest != NULL) {
            emb_digest_update(p->digest, r->out, strlen(r->out));
            emb_digest_update(p->digest, "\n", 1);
        }
    }
    return 0;
}

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

typedef struct args {
    const char *index, *input, *output;
    int threads, skip_bad, audit, audit_queries;
    const char *db;
    emb_screen_opts opts;
    cli_fresh fresh;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof(*a));
    a->index = cli_default_index();
    a->threads = default_threads();
    a->opts.limit = 10;
    a->opts.threshold = 0.70;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        long v;
        if (cli_is_help(s)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if ((strcmp(s, "-i") == 0 || strcmp(s, "--index") == 0) && has) {
            a->index = argv[++i];
        } else if (strcmp(s, "--input") == 0 && has) {
            a->input = argv[++i];
        } else if ((strcmp(s, "--output") == 0 || strcmp(s, "-o") == 0) && has) {
            a->output = argv[++i];
        } else if (strcmp(s, "--threads") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, MAX_THREADS, &v)) {
                fprintf(stderr, "embargo batch: --threads takes 1..%d\n", MAX_THREADS);
                return CLI_USAGE;
            }
            a->threads = (int)v;
        } else if (strcmp(s, "--limit") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 1000, &v)) {
                fprintf(stderr, "embargo batch: --limit takes 1..1000\n");
                return CLI_USAGE;
            }
            a->opts.limit = (size_t)v;
        } else if (strcmp(s, "--threshold") == 0 && has) {
            if (!cli_parse_score(argv[++i], &a->opts.threshold)) {
                fprintf(stderr, "embargo batch: --threshold takes 0..1\n");
                return CLI_USAGE;
            }
        } else if (strcmp(s, "--skip-bad") == 0) {
            a->skip_bad = 1;
        } else if (strcmp(s, "--audit") == 0) {
            a->audit = 1;
        } else if (strcmp(s, "--audit-queries") == 0) {
            a->audit = a->audit_queries = 1;
        } else if (strcmp(s, "--db") == 0 && has) {
            a->db = argv[++i];
        } else if ((v = cli_fresh_option(&a->fresh, "batch", argc, argv, &i)) != 0) {
            if (v < 0)
                return CLI_USAGE;
        } else {
            fprintf(stderr, "embargo batch: unknown option or argument '%s'\n\n%s", s, help);
            return CLI_USAGE;
        }
    }
    if (a->input == NULL || a->output == NULL) {
        fprintf(stderr, "embargo batch: --input and --output are required\n\n%s", help);
        return CLI_USAGE;
    }
    return -1;
}

static int run(const args *a, emb_index *idx, reader *rd, cli_out *out, progress *res)
{
    batch b;
    memset(&b, 0, sizeof(b));
    b.idx = idx;
    b.opts = a->opts;
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.done, NULL);
    worker *ws = calloc((size_t)a->threads, sizeof(*ws));
    row *chunk[2] = {calloc(CHUNK_ROWS, sizeof(row)), calloc(CHUNK_ROWS, sizeof(row))};
    size_t n_chunk[2] = {0, 0};
    int rc = CLI_ERROR, n_started = 0;
    progress p;
    memset(&p, 0, sizeof(p));
    p.tty = isatty(STDERR_FILENO);
    p.start = p.last = now_secs();
    if (a->audit && emb_digest_new(&p.digest) != EMB_OK) {
        fputs("embargo batch: out of memory\n", stderr);
        goto out;
    }
    if (ws == NULL || chunk[0] == NULL || chunk[1] == NULL) {
        fputs("embargo batch: out of memory\n", stderr);
        goto out;
    }
    /* jansson seeds its hash function on first use; do it before there are threads */
    json_object_seed(0);
    for (int t = 0; t < a->threads; t++) {
        ws[t].b = &b;
        if (emb_ctx_new(&ws[t].ctx) != EMB_OK ||
            pthread_create(&ws[t].thread, NULL, worker_main, &ws[t]) != 0) {
            fputs("embargo batch: cannot start the screening threads\n", stderr);
            goto out;
        }
        ws[t].started = 1;
        n_started++;
    }
    int read_failed = 0;
    n_chunk[0] = read_chunk(rd, chunk[0], &read_failed);
    int cur = 0;
    while (n_chunk[cur] > 0 && !read_failed) {
        post_chunk(&b, chunk[cur], n_chunk[cur]);
        int nxt = 1 - cur;
        n_chunk[nxt] = n_chunk[cur] == CHUNK_ROWS ? read_chunk(rd, chunk[nxt], &read_failed) : 0;
        wait_chunk(&b, &p);
        if (write_chunk(chunk[cur], n_chunk[cur], out->f, rd->path, a->skip_bad, &p) != 0)
            goto out;
        for (size_t i = 0; i < n_chunk[cur]; i++)
            row_clear(&chunk[cur][i]);
        n_chunk[cur] = 0;
        cur = nxt;
    }
    if (read_failed)
        goto out;
    rc = CLI_OK;
out:
    if (n_started > 0) {
        pthread_mutex_lock(&b.mu);
        b.stop = 1;
        pthread_cond_broadcast(&b.work);
        pthread_mutex_unlock(&b.mu);
    }
    for (int t = 0; ws != NULL && t < a->threads; t++) {
        if (ws[t].started)
            pthread_join(ws[t].thread, NULL);
        emb_ctx_free(ws[t].ctx);
    }
    for (int c = 0; c < 2; c++) {
        for (size_t i = 0; chunk[c] != NULL && i < CHUNK_ROWS; i++)
            row_clear(&chunk[c][i]);
        free(chunk[c]);
    }
    free(ws);
    pthread_cond_destroy(&b.done);
    pthread_cond_destroy(&b.work);
    pthread_mutex_destroy(&b.mu);
    if (p.tty)
        fputs("\r\033[K", stderr);
    if (rc == CLI_OK) {
        double secs = now_secs() - p.start;
        fprintf(stderr,
                "embargo batch: %llu rows, %llu alerts, %llu skipped in %.2f s (%.0f rows/s)\n",
                (unsigned long long)p.rows, (unsigned long long)p.alerts,
                (unsigned long long)p.skipped, secs, secs > 0 ? (double)p.rows / secs : 0.0);
    }
    *res = p;
    return rc;
}

int cli_batch(int argc, char **argv)
{
    args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    emb_index *idx = NULL;
    emb_error err;
    if (emb_index_open(a.index, &idx, &err) != EMB_OK) {
        cli_print_error(stderr, a.index, &err);
        return CLI_ERROR;
    }
    /* the lists are judged before any row is screened: a refusal screens nothing */
    json_t *lists = NULL;
    int stale = 0;
    a.fresh.db = a.db;
    if (cli_fresh_check(&a.fresh, "batch", a.index, idx, &lists, &stale) != 0) {
        emb_index_close(idx);
        return CLI_ERROR;
    }
    reader rd;
    cli_out out;
    memset(&out, 0, sizeof(out));
    rc = CLI_ERROR;
    if (reader_open(&rd, a.input) == 0 && cli_out_open(&out, a.output, "batch") == 0) {
        progress p;
        rc = run(&a, idx, &rd, &out, &p);
        if (rc == CLI_OK && cli_out_commit(&out, "batch") != 0)
            rc = CLI_ERROR;
        char out_sha[65] = "";
        if (p.digest != NULL)
            emb_digest_finish(p.digest, out_sha);
        if (rc == CLI_OK && a.audit) {
            cli_batch_audit au = {a.db, a.index, idx, a.input, a.audit_queries,
                                  a.opts.threshold, a.opts.limit, a.skip_bad, out_sha,
                                  p.rows, p.alerts, p.skipped};
            if (cli_audit_batch(&au) != 0)
                rc = CLI_ERROR; /* the output stands; its record is what failed */
        }
        if (rc != CLI_OK) {
            cli_out_abort(&out);
            if (strcmp(a.output, "-") != 0)
                fprintf(stderr, "embargo batch: %s not written\n", a.output);
        }
    }
    reader_close(&rd);
    if (rc == CLI_OK) {
        fputs("embargo batch: ", stderr);
        cli_fresh_footer(stderr, lists);
    }
    json_decref(lists);
    emb_index_close(idx);
    return rc;
}
