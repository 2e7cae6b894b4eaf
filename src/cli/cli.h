/*
 * The `embargo` program: one file per subcommand, all on the public API only
 * (include/embargo/embargo.h), as curl's tool uses only libcurl's.
 */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include <embargo/embargo.h>
#include <stdio.h>

/* Exit codes (DESIGN.md section 6). */
#define CLI_OK 0
#define CLI_ERROR 1
#define CLI_USAGE 2

int cli_inspect(int argc, char **argv);
int cli_index(int argc, char **argv);
int cli_screen(int argc, char **argv);
int cli_normalize(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_monitor(int argc, char **argv);
int cli_decide(int argc, char **argv);
int cli_audit(int argc, char **argv);

/* The audit record of a `batch --audit` run (audit.c): 0, or -1 after printing why. */
typedef struct cli_batch_audit {
    const char *db; /* NULL: the default store */
    const char *index_path;
    const emb_index *idx;
    const char *input;
    int keep_queries; /* keep the input itself (the screened names) in the record */
    double threshold;
    size_t limit;
    int skip_bad;
    const char *output_sha256; /* of the output lines, in order */
    uint64_t rows, alerts, skipped;
} cli_batch_audit;
int cli_audit_batch(const cli_batch_audit *b);
/* src/server/serve.c */
int cli_serve(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_versions(int argc, char **argv);
int cli_update(int argc, char **argv);

/* ---------------------------------------------------------------- list store (versions.c) */

struct emb_store;
/* Open the store at db (NULL: the default): 0, or -1 after printing why. */
int cli_open_store(const char *db, struct emb_store **st);
/* When arg is SOURCE@N (and no such file exists), decompress that recorded version into a
 * temporary file named in tmp and point src at it: 0; -1 after printing why. A plain file
 * leaves src and tmp as they are (tmp ""). Remove with cli_version_tmp_remove. */
int cli_version_arg(const char *db, const char *arg, char *tmp, size_t cap,
                    emb_build_source *src);
void cli_version_tmp_remove(char *tmp);
/* The sources config: $EMBARGO_LISTS_CONFIG, else lists.ini beside the store (db, or the
 * default store) when it exists, else NULL. buf holds the latter. */
const char *cli_lists_config(const char *db, char *buf, size_t cap);
/* `index build --as-of`: snapshot of the versions in force at as_of; an exit code. */
int cli_build_as_of(const char *db, const char *as_of, const char *out);

/* List freshness for screen and batch: --require-fresh, --max-age DATASET=DAYS. */
struct json_t;
#define CLI_FRESH_MAX_RULES 128
typedef struct cli_fresh {
    int require;
    const char *db; /* store giving fetch times; NULL: embargo.db beside the index, else the
                       default store, when it exists */
    emb_freshness_rule rules[CLI_FRESH_MAX_RULES];
    char names[CLI_FRESH_MAX_RULES][64];
    size_t n_rules;
} cli_fresh;

/* Take argv[*i] (and its value) when it is a freshness option: 1 taken, 0 not one, -1 bad
 * value (message printed, prefixed with cmd). */
int cli_fresh_option(cli_fresh *f, const char *cmd, int argc, char **argv, int *i);

/*
 * Judge the snapshot's lists: *lists receives a JSON array (caller releases; may be NULL),
 * one object per source: dataset, published, sha256, basis, as_of, age_days, max_age_days,
 * stale. Returns 0, or -1 when --require-fresh and a list is stale (the refusal printed;
 * *lists then NULL).
 */
int cli_fresh_check(cli_fresh *f, const char *cmd, const char *index_path, const emb_index *idx,
                    struct json_t **lists, int *any_stale);

/* One list's freshness as the JSON object screen, batch and serve print: dataset, published,
 * sha256, basis, as_of, age_days, max_age_days, stale. NULL on allocation failure. */
struct json_t *cli_source_freshness_json(const emb_source_freshness *f);

/* "lists: DATASET published ..., N d old (max M d)[, STALE]; ..." for human output. */
void cli_fresh_footer(FILE *out, struct json_t *lists);

/* $EMBARGO_INDEX, else ~/.local/share/embargo/default.emb */
const char *cli_default_index(void);

/* The snapshot's identity and sources as JSON (jansson object; caller releases). */
struct json_t;
struct json_t *cli_index_json(const emb_index *idx);

/* "DATASET=PATH" -> dataset and path (dataset NULL when the argument is a plain path).
 * Writes into ds (cap bytes). */
const char *cli_split_dataset(const char *arg, char *ds, size_t cap, const char **dataset);

/* Print an error in one line: "embargo: FILE:LINE:COL: (byte N) record ID: message". */
void cli_print_error(FILE *f, const char *what, const emb_error *err);

/* 1 when the argument is -h or --help. */
int cli_is_help(const char *arg);

/* Option values: a score in 0..1, an integer in lo..hi. 1 when valid, else 0. */
int cli_parse_score(const char *s, double *out);
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* ---------------------------------------------------------------- JSON output (json_out.c) */

/* Scores are shown with 3 decimals everywhere, so JSON and tables agree. */
double cli_round3(double v);

/* {feature: {score, detail, query, candidate}, ...}; NULL on allocation failure. */
struct json_t *cli_explanations_json(const emb_explanation *ex, size_t n);

/*
 * One screening result as printed by `screen --json` and `batch`: id, dataset, source_id,
 * schema, caption, score, match (score >= threshold), matched_name, matched_kind,
 * explanations. Reads the entity with ctx. NULL on failure; caller releases.
 */
struct json_t *cli_match_json(const emb_index *idx, emb_ctx *ctx, const emb_match *m,
                              double threshold);

/* ---------------------------------------------------------------- files (csv_io.c) */

/*
 * An output that appears whole or not at all: written to a temporary file beside `path`
 * and renamed over it by cli_out_commit. "-" writes to stdout as it goes.
 */
typedef struct cli_out {
    FILE *f;
    const char *path;
    char *tmp; /* NULL for stdout */
} cli_out;

/* 0, or -1 after printing why (prefixed with `cmd`). */
int cli_out_open(cli_out *o, const char *path, const char *cmd);
/* Flush, sync, close and rename into place: 0, or -1 after printing why (and removing the
 * temporary file). */
int cli_out_commit(cli_out *o, const char *cmd);
/* Close and remove the temporary file; the destination is left as it was. */
void cli_out_abort(cli_out *o);

#define CLI_CSV_MAX_RECORD (1u << 20) /* bytes in one CSV record */
#define CLI_CSV_MAX_FIELDS 1024

/*
 * A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes,
 * a leading UTF-8 byte order mark skipped, blank lines skipped. A malformed record is still
 * read to its end, so a caller may skip it and go on.
 */
typedef struct cli_csv {
    FILE *f;
    uint64_t line;     /* physical line of the next byte, 1-based */
    uint64_t rec_line; /* line where the last record read starts */
    char *buf;         /* the record's fields, each NUL-terminated */
    size_t len, cap;
    size_t *offs;
    size_t n_fields, cap_fields;
    const char **fields; /* n_fields pointers into buf, set by cli_csv_read */
    int started;
} cli_csv;

#define CLI_START_BAD (-2)

/*
 * Skip a UTF-8 byte order mark and leading white space of an input; return its first other
 * byte (left unread), EOF when there is none, or CLI_START_BAD (a broken byte order mark).
 * *line is the line that byte is on.
 */
int cli_input_start(FILE *f, uint64_t *line);

enum { CLI_CSV_END = 0, CLI_CSV_OK = 1, CLI_CSV_BAD = 2, CLI_CSV_FATAL = 3 };

void cli_csv_init(cli_csv *r, FILE *f);
void cli_csv_free(cli_csv *r);
/* Read the next record. CLI_CSV_OK; CLI_CSV_BAD (the record was malformed: msg says why, the
 * reader is at the next record); CLI_CSV_END; CLI_CSV_FATAL (read error or out of memory). */
int cli_csv_read(cli_csv *r, char *msg, size_t cap);

/* 1 when a header field names `want` (lower case), ignoring case and surrounding blanks. */
int cli_csv_header_is(const char *field, const char *want);

/* Write one field, after a comma when `sep`, quoted when it holds a comma, a quote or a line
 * break. The caller ends the record with '\n'. 0, or -1 on a write error. */
int cli_csv_put(FILE *f, const char *field, int sep);

#endif
