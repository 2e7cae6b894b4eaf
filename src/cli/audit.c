/*
 * `embargo audit verify|export|replay`, and the audit record of a `batch --audit` run.
 *
 * A screening record names the snapshot (hash and path), the engine version, the options,
 * the input (path and SHA-256, and its content when the user keeps queries) and the SHA-256
 * of the output lines, so a replay can screen the same input against the same snapshot and
 * say whether the result is the same.
 */
#define _XOPEN_SOURCE 700 /* realpath, mkstemp */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <embargo/store.h>

#include "../server/server.h"
#include "cli.h"

static const char help[] =
    "usage: embargo audit verify [--db FILE]\n"
    "       embargo audit export [--from DATE] [--to DATE] [--output FILE] [--db FILE]\n"
    "       embargo audit replay SEQ [-i INDEX] [--db FILE]\n"
    "\n"
    "verify  walk the hash chain and name every edited, deleted, inserted or reordered\n"
    "        record; prints the head hash (keep it elsewhere to detect removal of the\n"
    "        newest records). Exit 1 when the chain is broken.\n"
    "export  write the records of a period as JSON lines, each with its payload exactly as\n"
    "        hashed, its prev_hash and its hash, so they can be verified independently.\n"
    "        DATE is YYYY-MM-DD (or a longer UTC timestamp); --to includes its whole day.\n"
    "replay  screen a recorded batch, monitor run or server /match request (kept with\n"
    "        `serve --audit-queries`) again against the snapshot it used\n"
    "        (found at its recorded path, or given with -i, and checked by hash) and say\n"
    "        whether the result is the same. Exit 1 when it differs or cannot be replayed.\n";

/* ---------------------------------------------------------------- verify */

static void on_problem(void *ud, int64_t seq, const char *what)
{
    (void)ud;
    printf("audit record %lld: %s\n", (long long)seq, what);
}

static int cmd_verify(emb_store *st)
{
    uint64_t n = 0;
    char head[65];
    emb_error err;
    emb_status s = emb_audit_verify(st, on_problem, NULL, &n, head, &err);
    if (s == EMB_ECORRUPT) {
        printf("audit chain BROKEN (%llu records read)\n", (unsigned long long)n);
        return CLI_ERROR;
    }
    if (s != EMB_OK) {
        cli_print_error(stderr, "audit verify", &err);
        return CLI_ERROR;
    }
    printf("audit chain OK: %llu records, head %s\n", (unsigned long long)n,
           n > 0 ? head : "(empty)");
    return CLI_OK;
}

/* ---------------------------------------------------------------- export */

static int export_one(void *ud, const emb_audit_record *r)
{
    FILE *f = ud;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq", (json_int_t)r->seq, "at",
                          r->at, "kind", r->kind, "actor", r->actor, "payload", r->payload,
                          "prev_hash", r->prev_hash, "hash", r->hash);
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    int bad = s == NULL || fputs(s, f) < 0 || putc('\n', f) == EOF;
    free(s);
    return bad;
}

static int valid_date(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 24)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '-' || c == 'T' || c == ':' || c == '.' || c == 'Z'))
            return 0;
    }
    return 1;
}

static int cmd_export(emb_store *st, const char *from, const char *to, const char *output)
{
    if ((from != NULL && !valid_date(from)) || (to != NULL && !valid_date(to))) {
        fprintf(stderr, "embargo audit: --from and --to take a date such as 2026-11-30\n");
        return CLI_USAGE;
    }
    cli_out out;
    memset(&out, 0, sizeof(out));
    if (cli_out_open(&out, output != NULL ? output : "-", "audit") != 0)
        return CLI_ERROR;
    emb_error err;
    emb_status s = emb_audit_each(st, from, to, export_one, out.f, &err);
    if (s != EMB_OK) {
        if (s == EMB_ESTOPPED)
            fprintf(stderr, "embargo audit: cannot write the export\n");
        else
            cli_print_error(stderr, "audit export", &err);
        cli_out_abort(&out);
        return CLI_ERROR;
    }
    return cli_out_commit(&out, "audit") == 0 ? CLI_OK : CLI_ERROR;
}

/* ---------------------------------------------------------------- replay */

typedef struct got_record {
    char *kind;
    json_t *payload;
} got_record;

static int keep_record(void *ud, const emb_audit_record *r)
{
    got_record *g = ud;
    json_error_t je;
    g->kind = strdup(r->kind);
    g->payload = json_loads(r->payload, 0, &je);
    return 0;
}

/* Open the recorded snapshot (or `override`) and check its hash. NULL after printing why. */
static emb_index *replay_index(json_t *snap, const char *override)
{
    const char *want = json_string_value(json_object_get(snap, "hash"));
    const char *path =
        override != NULL ? override : json_string_value(json_object_get(snap, "path"));
    if (want == NULL || path == NULL) {
        printf("cannot replay: the record names no snapshot\n");
        return NULL;
    }
    emb_index *idx = NULL;
    emb_error err;
    if (emb_index_open(path, &idx, &err) != EMB_OK) {
        printf("cannot replay: snapshot %s (hash %s) is not available: %s\n", path, want, err.msg);
        return NULL;
    }
    emb_str h = emb_index_hash(idx);
    if (strlen(want) != h.len || memcmp(want, h.ptr, h.len) != 0) {
        printf("cannot replay: %s has hash %.*s, the record used %s (give the right file "
               "with -i)\n",
               path, (int)h.len, h.ptr, want);
        emb_index_close(idx);
        return NULL;
    }
    return idx;
}

static void engine_note(json_t *pl)
{
    const char *eng = json_string_value(json_object_get(pl, "engine"));
    if (eng != NULL && strcmp(eng, emb_version()) != 0)
        printf("note: recorded with engine %s, replayed with %s\n", eng, emb_version());
}

static int replay_batch(json_t *pl, const char *override, const char *db)
{
    json_t *input = json_object_get(pl, "input");
    json_t *opts = json_object_get(pl, "options");
    const char *want_out = json_string_value(json_object_get(pl, "output_sha256"));
    const char *in_path = json_string_value(json_object_get(input, "path"));
    const char *in_sha = json_string_value(json_object_get(input, "sha256"));
    const char *content = json_string_value(json_object_get(pl, "input_content"));
    if (want_out == NULL || in_sha == NULL) {
        printf("cannot replay: the record lacks the input or output hash\n");
        return CLI_ERROR;
    }
    emb_index *idx = replay_index(json_object_get(pl, "snapshot"), override);
    if (idx == NULL)
        return CLI_ERROR;
    emb_index_close(idx);
    char tmp_in[64] = "", tmp_out[64] = "";
    const char *use_in = NULL;
    int rc = CLI_ERROR;
    char sha[65];
    emb_error err;
    if (content != NULL) {
        snprintf(tmp_in, sizeof(tmp_in), "/tmp/embargo-replay-in-XXXXXX");
        int fd = mkstemp(tmp_in);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        size_t len = json_string_length(json_object_get(pl, "input_content"));
        int bad = f == NULL || fwrite(content, 1, len, f) != len;
        if (f != NULL && fclose(f) != 0)
            bad = 1;
        if (bad) {
            printf("cannot replay: cannot write a temporary file: %s\n", strerror(errno));
            goto out;
        }
        use_in = tmp_in;
    } else if (in_path != NULL && emb_file_sha256(in_path, sha, &err) == EMB_OK &&
               strcmp(sha, in_sha) == 0) {
        use_in = in_path; /* the input file is still there, byte for byte */
    } else {
        printf("cannot replay: the screened input was not kept (run batch with "
               "--audit-queries to keep it) and %s is gone or has changed (SHA-256 %s)\n",
               in_path != NULL ? in_path : "the input file", in_sha);
        goto out;
    }
    snprintf(tmp_out, sizeof(tmp_out), "/tmp/embargo-replay-out-XXXXXX");
    int fd = mkstemp(tmp_out);
    if (fd < 0) {
        printf("cannot replay: cannot create a temporary file: %s\n", strerror(errno));
        goto out;
    }
    close(fd);
    char limit[32], threshold[32];
    snprintf(limit, sizeof(limit), "%lld",
             (long long)json_integer_value(json_object_get(opts, "limit")));
    snprintf(threshold, sizeof(threshold), "%.6g",
             json_number_value(json_object_get(opts, "threshold")));
    const char *snap_path =
        override != NULL
            ? override
            : json_string_value(json_object_get(json_object_get(pl, "snapshot"), "path"));
    /* batch takes a mutable argv: copies of every argument */
    char a_snap[4096], a_in[4096];
    char a_names[8][16] = {"batch",   "-i",          "--input",    "--output",
                           "--limit", "--threshold", "--skip-bad", "--db"};
    char a_db[4096];
    snprintf(a_db, sizeof(a_db), "%s", db != NULL ? db : emb_store_default_path());
    snprintf(a_snap, sizeof(a_snap), "%s", snap_path != NULL ? snap_path : "");
    snprintf(a_in, sizeof(a_in), "%s", use_in);
    char *argv[16];
    int argc = 0;
    argv[argc++] = a_names[0];
    argv[argc++] = a_names[1];
    argv[argc++] = a_snap;
    argv[argc++] = a_names[2];
    argv[argc++] = a_in;
    argv[argc++] = a_names[3];
    argv[argc++] = tmp_out;
    argv[argc++] = a_names[4];
    argv[argc++] = limit;
    argv[argc++] = a_names[5];
    argv[argc++] = threshold;
    if (json_is_true(json_object_get(opts, "skip_bad")))
        argv[argc++] = a_names[6];
    argv[argc++] = a_names[7]; /* the lists' freshness is read from the same store */
    argv[argc++] = a_db;
    argv[argc] = NULL;
    if (cli_batch(argc, argv) != CLI_OK) {
        printf("cannot replay: the screening failed\n");
        goto out;
    }
    if (emb_file_sha256(tmp_out, sha, &err) != EMB_OK) {
        cli_print_error(stderr, tmp_out, &err);
        goto out;
    }
    engine_note(pl);
    if (strcmp(sha, want_out) == 0) {
        printf(
            "same result: %lld rows, output SHA-256 %s\n",
            (long long)json_integer_value(json_object_get(json_object_get(pl, "counts"), "rows")),
            sha);
        rc = CLI_OK;
    } else {
        printf("DIFFERENT result: output SHA-256 %s, recorded %s\n", sha, want_out);
    }
out:
    if (tmp_in[0] != '\0' && strchr(tmp_in, 'X') == NULL)
        remove(tmp_in);
    if (tmp_out[0] != '\0' && strchr(tmp_out, 'X') == NULL)
        remove(tmp_out);
    return rc;
}

typedef struct replay_cust {
    const emb_index *idx;
    emb_ctx *ctx;
    const char *want_fp;
    const char *entity;
    double score, threshold;
    size_t limit;
    int fp_same, found;
    double got;
} replay_cust;

static int screen_cust(void *ud, const emb_customer *c, const char *fp)
{
    replay_cust *r = ud;
    r->fp_same = strcmp(fp, r->want_fp) == 0;
    if (!r->fp_same)
        return 0;
    emb_query q;
    memset(&q, 0, sizeof(q));
    q.name = c->name;
    q.schema = c->schema;
    q.birth_dates = c->birth_dates;
    q.n_birth_dates = c->n_birth_dates;
    q.countries = c->countries;
    q.n_countries = c->n_countries;
    q.identifiers = c->identifiers;
    q.n_identifiers = c->n_identifiers;
    emb_screen_opts o;
    memset(&o, 0, sizeof(o));
    o.limit = r->limit;
    o.threshold = r->threshold;
    const emb_match *res = NULL;
    size_t n = 0;
    emb_error err;
    if (emb_screen(r->idx, r->ctx, &q, &o, &res, &n, &err) != EMB_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        emb_entity e;
        if (emb_index_entity(r->idx, r->ctx, res[i].entity, &e) != EMB_OK)
            continue;
        if (strlen(r->entity) == e.id.len && memcmp(r->entity, e.id.ptr, e.id.len) == 0) {
            r->found = 1;
            r->got = floor(res[i].score * 1000.0 + 0.5) / 1000.0;
        }
    }
    return 0;
}

/* Each alert of the run again, from the customer's stored data when it is unchanged. */
static int replay_monitor(emb_store *st, json_t *pl, const char *override)
{
    emb_index *idx = replay_index(json_object_get(pl, "snapshot"), override);
    if (idx == NULL)
        return CLI_ERROR;
    emb_ctx *ctx = NULL;
    if (emb_ctx_new(&ctx) != EMB_OK) {
        emb_index_close(idx);
        return CLI_ERROR;
    }
    json_t *opts = json_object_get(pl, "options");
    const char *portfolio = json_string_value(json_object_get(pl, "portfolio"));
    json_t *alerts = json_object_get(pl, "alerts");
    size_t i, same = 0, differ = 0, gone = 0;
    json_t *a;
    engine_note(pl);
    json_array_foreach(alerts, i, a)
    {
        replay_cust r;
        memset(&r, 0, sizeof(r));
        r.idx = idx;
        r.ctx = ctx;
        const char *cust = json_string_value(json_array_get(a, 1));
        r.entity = json_string_value(json_array_get(a, 2));
        r.score = json_number_value(json_array_get(a, 3));
        r.want_fp = json_string_value(json_array_get(a, 4));
        r.threshold = json_number_value(json_object_get(opts, "threshold"));
        r.limit = (size_t)json_integer_value(json_object_get(opts, "limit"));
        if (cust == NULL || r.entity == NULL || r.want_fp == NULL)
            continue;
        emb_error err;
        emb_status s = emb_monitor_customer(st, portfolio, cust, screen_cust, &r, &err);
        if (s != EMB_OK || !r.fp_same) {
            printf("alert %lld: customer %s: input not kept (the customer was changed or "
                   "removed since)\n",
                   (long long)json_integer_value(json_array_get(a, 0)), cust);
            gone++;
        } else if (r.found && fabs(r.got - r.score) < 0.0005) {
            same++;
        } else {
            printf("alert %lld: customer %s, entity %s: recorded score %.3f, replay %s%.3f\n",
                   (long long)json_integer_value(json_array_get(a, 0)), cust, r.entity, r.score,
                   r.found ? "" : "no match, best ", r.got);
            differ++;
        }
    }
    emb_ctx_free(ctx);
    emb_index_close(idx);
    printf("%s: %zu of %zu alerts reproduced, %zu differ, %zu not replayable\n",
           differ == 0 && gone == 0 ? "same result"
           : differ                 ? "DIFFERENT result"
                                    : "partial",
           same, json_array_size(alerts), differ, gone);
    return differ == 0 && gone == 0 ? CLI_OK : CLI_ERROR;
}

static int cmd_replay(emb_store *st, const char *seq_s, const char *override, const char *db)
{
    long seq;
    if (seq_s == NULL || !cli_parse_long(seq_s, 1, 0x7fffffffL, &seq)) {
        fprintf(stderr, "embargo audit replay: give the record's number (SEQ)\n");
        return CLI_USAGE;
    }
    got_record g = {NULL, NULL};
    emb_error err;
    if (emb_audit_get(st, seq, keep_record, &g, &err) != EMB_OK) {
        cli_print_error(stderr, "audit replay", &err);
        return CLI_ERROR;
    }
    int rc = CLI_ERROR;
    if (g.payload == NULL || g.kind == NULL) {
        printf("cannot replay: record %ld has no readable payload\n", seq);
    } else if (strcmp(g.kind, "screening") == 0 &&
               json_is_string(json_object_get(g.payload, "endpoint"))) {
        rc = srv_audit_replay(g.payload, override); /* a POST /match of `embargo serve` */
    } else if (strcmp(g.kind, "screening") == 0) {
        rc = replay_batch(g.payload, override, db);
    } else if (strcmp(g.kind, "monitor_run") == 0) {
        rc = replay_monitor(st, g.payload, override);
    } else {
        printf("cannot replay: record %ld is a %s, not a screening or a monitor run\n", seq,
               g.kind);
    }
    free(g.kind);
    json_decref(g.payload);
    return rc;
}

/* ---------------------------------------------------------------- batch --audit */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, cap);
            if (p == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int cli_audit_batch(const cli_batch_audit *b)
{
    emb_error err;
    char in_sha[65];
    if (emb_file_sha256(b->input, in_sha, &err) != EMB_OK) {
        cli_print_error(stderr, b->input, &err);
        return -1;
    }
    char snap_abs[4096], in_abs[4096];
    if (realpath(b->index_path, snap_abs) == NULL)
        snprintf(snap_abs, sizeof(snap_abs), "%s", b->index_path);
    if (realpath(b->input, in_abs) == NULL)
        snprintf(in_abs, sizeof(in_abs), "%s", b->input);
    json_t *snap = cli_index_json(b->idx);
    if (snap != NULL)
        json_object_set_new(snap, "path", json_string(snap_abs));
    json_t *pl = json_pack(
        "{s:s, s:o, s:s, s:{s:f, s:I, s:b}, s:{s:s, s:s}, s:{s:I, s:I, s:I}, s:s, s:b}", "command",
        "batch", "snapshot", snap != NULL ? snap : json_object(), "engine", emb_version(),
        "options", "threshold", b->threshold, "limit", (json_int_t)b->limit, "skip_bad",
        b->skip_bad, "input", "path", in_abs, "sha256", in_sha, "counts", "rows",
        (json_int_t)b->rows, "alerts", (json_int_t)b->alerts, "skipped", (json_int_t)b->skipped,
        "output_sha256", b->output_sha256, "queries_kept", b->keep_queries);
    if (pl == NULL) {
        fprintf(stderr, "embargo batch: cannot build the audit record (file names must be "
                        "UTF-8)\n");
        return -1;
    }
    if (b->keep_queries) {
        size_t len = 0;
        char *text = read_all(b->input, &len);
        json_t *v = text != NULL ? json_stringn(text, len) : NULL;
        free(text);
        if (v == NULL || json_object_set_new(pl, "input_content", v) != 0) {
            fprintf(stderr,
                    "embargo batch: %s: cannot keep the input in the audit record "
                    "(unreadable or not UTF-8)\n",
                    b->input);
            json_decref(pl);
            return -1;
        }
    }
    char *payload = json_dumps(pl, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(pl);
    if (payload == NULL) {
        fprintf(stderr, "embargo batch: out of memory\n");
        return -1;
    }
    emb_store *st = NULL;
    int rc = -1;
    if (cli_open_store(b->db, &st) == 0) {
        int64_t seq = 0;
        const char *user = getenv("USER");
        if (emb_store_audit_append(st, "screening", user != NULL && user[0] ? user : "embargo",
                                   payload, &seq, &err) != EMB_OK) {
            cli_print_error(stderr, b->db != NULL ? b->db : emb_store_default_path(), &err);
        } else {
            fprintf(stderr, "embargo batch: audit record %lld\n", (long long)seq);
            rc = 0;
        }
    }
    emb_store_close(st);
    free(payload);
    return rc;
}

int cli_audit(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    const char *sub = argv[1];
    const char *db = NULL, *from = NULL, *to = NULL, *output = NULL, *index = NULL, *seq = NULL;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(s)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(s, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(s, "--from") == 0 && has) {
            from = argv[++i];
        } else if (strcmp(s, "--to") == 0 && has) {
            to = argv[++i];
        } else if ((strcmp(s, "--output") == 0 || strcmp(s, "-o") == 0) && has) {
            output = argv[++i];
        } else if ((strcmp(s, "-i") == 0 || strcmp(s, "--index") == 0) && has) {
            index = argv[++i];
        } else if (s[0] != '-' && seq == NULL && strcmp(sub, "replay") == 0) {
            seq = s;
        } else {
            fprintf(stderr, "embargo audit: unknown option or argument '%s'\n\n%s", s, help);
            return CLI_USAGE;
        }
    }
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "export") != 0 && strcmp(sub, "replay") != 0) {
        fprintf(stderr, "embargo audit: unknown subcommand '%s'\n\n%s", sub, help);
        return CLI_USAGE;
    }
    emb_store *st = NULL;
    if (cli_open_store(db, &st) != 0)
        return CLI_ERROR;
    int rc;
    if (strcmp(sub, "verify") == 0)
        rc = cmd_verify(st);
    else if (strcmp(sub, "export") == 0)
        rc = cmd_export(st, from, to, output);
    else
        rc = cmd_replay(st, seq, index, db);
    emb_store_close(st);
    return rc;
}
