/*
 * `embargo versions [--source NAME] [--json] [--db FILE]`: the list versions recorded in the
 * store; and SOURCE@N arguments (diff) resolved to a decompressed temporary copy.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <embargo/store.h>

#include "cli.h"

static const char help[] =
    "usage: embargo versions [--source NAME] [--json] [--verify] [--db FILE]\n"
    "\n"
    "List every list version recorded by `embargo update`: source, version number, entity\n"
    "count, publication date (as the list states it), fetch time, last time the publisher\n"
    "confirmed it current, SHA-256 of the file as published, URL.\n"
    "\n"
    "  --source NAME   one source only\n"
    "  --json          one JSON object per line\n"
    "  --verify        decompress every stored version and check it against its SHA-256\n"
    "                  (exit status 1 when one is missing or damaged)\n"
    "  --db FILE       store (default $EMBARGO_HOME/embargo.db, else\n"
    "                  ~/.local/share/embargo/embargo.db)\n";

static json_t *version_json(const emb_list_version *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string(v->source));
    json_object_set_new(o, "version", json_integer(v->version));
    json_object_set_new(o, "dataset", json_string(v->dataset));
    json_object_set_new(o, "format", json_string(v->format));
    json_object_set_new(o, "entities", json_integer((json_int_t)v->entities));
    json_object_set_new(o, "names", json_integer((json_int_t)v->names));
    json_object_set_new(o, "published", v->published[0] ? json_string(v->published) : json_null());
    json_object_set_new(o, "fetched_at", json_string(v->fetched_at));
    json_object_set_new(o, "checked_at", json_string(v->checked_at));
    json_object_set_new(o, "sha256", json_string(v->sha256));
    json_object_set_new(o, "bytes", json_integer((json_int_t)v->bytes));
    json_object_set_new(o, "stored_bytes", json_integer((json_int_t)v->stored_bytes));
    json_object_set_new(o, "url", json_string(v->url));
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "etag", v->etag[0] ? json_string(v->etag) : json_null());
    json_object_set_new(o, "last_modified",
                        v->last_modified[0] ? json_string(v->last_modified) : json_null());
    return o;
}

typedef struct vctx {
    int as_json, verify;
    size_t n, bad;
} vctx;

static int print_version(void *ud, const emb_list_version *v)
{
    vctx *c = ud;
    c->n++;
    if (c->verify) {
        emb_error err;
        if (emb_version_extract(v, NULL, &err) != EMB_OK) {
            c->bad++;
            cli_print_error(stderr, v->source, &err);
            printf("%s@%lld damaged\n", v->source, (long long)v->version);
        } else {
            printf("%s@%lld ok\n", v->source, (long long)v->version);
        }
        return ferror(stdout) ? 1 : 0;
    }
    if (c->as_json) {
        json_t *o = version_json(v);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (s != NULL)
            puts(s);
        free(s);
        json_decref(o);
    } else {
        printf("%-20s %4lld  %7llu entities  published %-10.10s  fetched %.19s  checked %.19s  "
               "sha256 %.16s  %s\n",
               v->source, (long long)v->version, (unsigned long long)v->entities,
               v->published[0] ? v->published : "-", v->fetched_at, v->checked_at, v->sha256,
               v->url);
    }
    return ferror(stdout) ? 1 : 0;
}

int cli_open_store(const char *db, emb_store **st)
{
    emb_error err;
    const char *path = db ? db : emb_store_default_path();
    if (emb_store_open(path, st, &err) != EMB_OK) {
        cli_print_error(stderr, path, &err);
        /* SQLite says only "unable to open": name the usual cause */
        char dir[4096];
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : 0;
        if (n == 0 || n >= sizeof(dir)) {
            dir[0] = '.';
            n = 1;
        } else {
            memcpy(dir, path, n);
        }
        dir[n] = '\0';
        if (access(dir, W_OK) != 0 && errno != ENOENT)
            fprintf(stderr, "embargo: %s: the store directory is not writable: %s\n", dir,
                    strerror(errno));
        return -1;
    }
    return 0;
}

int cli_versions(int argc, char **argv)
{
    const char *db = NULL, *source = NULL;
    vctx c = {0, 0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(a, "--json") == 0) {
            c.as_json = 1;
        } else if (strcmp(a, "--verify") == 0) {
            c.verify = 1;
        } else if (strcmp(a, "--source") == 0 && i + 1 < argc) {
            source = argv[++i];
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else {
            fprintf(stderr, "embargo versions: unknown option or argument '%s'\n\n%s", a, help);
            return CLI_USAGE;
        }
    }
    emb_store *st;
    if (cli_open_store(db, &st) != 0)
        return CLI_ERROR;
    emb_error err;
    int rc = CLI_OK;
    if (emb_versions_list(st, source, print_version, &c, &err) != EMB_OK) {
        cli_print_error(stderr, "versions", &err);
        rc = CLI_ERROR;
    } else if (c.bad > 0) {
        fprintf(stderr, "embargo versions: %zu of %zu stored versions are damaged\n", c.bad, c.n);
        rc = CLI_ERROR;
    } else if (c.n == 0 && !c.as_json) {
        printf("no list version recorded%s%s (run `embargo update`)\n", source ? " for " : "",
               source ? source : "");
    }
    emb_store_close(st);
    return rc;
}

int cli_version_arg(const char *db, const char *arg, char *tmp, size_t cap, emb_build_source *src)
{
    tmp[0] = '\0';
    const char *at = strrchr(arg, '@');
    struct stat sb;
    if (at == NULL || at == arg || stat(arg, &sb) == 0)
        return 0; /* a plain file (whose name may hold '@') */
    long n;
    int back = 0; /* @latest: 0, @previous: 1 */
    if (strcmp(at + 1, "latest") == 0 || strcmp(at + 1, "previous") == 0) {
        back = at[1] == 'p';
        n = 0;
    } else if (!cli_parse_long(at + 1, 1, 1L << 40, &n)) {
        return 0;
    }
    char source[64];
    size_t len = (size_t)(at - arg);
    if (len >= sizeof(source))
        return 0;
    memcpy(source, arg, len);
    source[len] = '\0';
    const char *dbpath = db ? db : emb_store_default_path();
    if (stat(dbpath, &sb) != 0) {
        fprintf(stderr,
                "embargo: %s: no such file, and no store at %s to find a version of "
                "'%s' in (--db FILE)\n",
                arg, dbpath, source);
        return -1;
    }
    emb_store *st;
    if (cli_open_store(dbpath, &st) != 0)
        return -1;
    emb_list_version *v = malloc(sizeof(*v));
    emb_error err;
    int rc = -1;
    if (v == NULL) {
        fputs("embargo: out of memory\n", stderr);
        goto out;
    }
    if (emb_version_get(st, source, n, v, &err) != EMB_OK) {
        cli_print_error(stderr, arg, &err);
        goto out;
    }
    if (back) {
        if (v->version <= 1) {
            fprintf(stderr, "embargo: %s: '%s' has only one version\n", arg, source);
            goto out;
        }
        if (emb_version_get(st, source, v->version - 1, v, &err) != EMB_OK) {
            cli_print_error(stderr, arg, &err);
            goto out;
        }
    }
    const char *tdir = getenv("TMPDIR");
    int w = snprintf(tmp, cap, "%s/embargo-%s-XXXXXX", tdir && tdir[0] ? tdir : "/tmp", v->name);
    if (w < 0 || (size_t)w >= cap) {
        fprintf(stderr, "embargo: temporary path too long\n");
        tmp[0] = '\0';
        goto out;
    }
    /* a directory keeps the published file name (and so its extension) for the parser */
    if (mkdtemp(tmp) == NULL) {
        fprintf(stderr, "embargo: cannot create a temporary directory: %s\n", strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    size_t dl = strlen(tmp);
    w = snprintf(tmp + dl, cap - dl, "/%s", v->name);
    if (w < 0 || (size_t)w >= cap - dl) {
        rmdir(tmp);
        tmp[0] = '\0';
        goto out;
    }
    if (emb_version_extract(v, tmp, &err) != EMB_OK) {
        cli_print_error(stderr, arg, &err);
        cli_version_tmp_remove(tmp);
        goto out;
    }
    src->path = tmp;
    src->dataset = NULL;
    rc = 0;
out:
    free(v);
    emb_store_close(st);
    return rc;
}

void cli_version_tmp_remove(char *tmp)
{
    if (tmp[0] == '\0')
        return;
    unlink(tmp);
    char *slash = strrchr(tmp, '/');
    if (slash != NULL) {
        *slash = '\0';
        rmdir(tmp);
    }
    tmp[0] = '\0';
}

int cli_build_as_of(const char *db, const char *as_of, const char *out)
{
    emb_store *st;
    if (cli_open_store(db, &st) != 0)
        return CLI_ERROR;
    emb_build_stats bs;
    emb_error err;
    int rc = CLI_OK;
    if (emb_store_build_snapshot(st, as_of, out, &bs, &err) != EMB_OK) {
        cli_print_error(stderr, out, &err);
        fprintf(stderr, "embargo: snapshot not written\n");
        rc = CLI_ERROR;
    } else {
        fprintf(stderr, "embargo: wrote %s as of %s: %llu sources, %llu entities\n", out, as_of,
                (unsigned long long)bs.sources, (unsigned long long)bs.entities);
    }
    emb_store_close(st);
    return rc;
}

/* ---------------------------------------------------------------- freshness */

int cli_fresh_option(cli_fresh *f, const char *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--require-fresh") == 0) {
        f->require = 1;
        return 1;
    }
    if (strcmp(a, "--max-age") != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "embargo %s: --max-age takes DATASET=DAYS\n", cmd);
        return -1;
    }
    const char *v = argv[++*i];
    const char *eq = strchr(v, '=');
    char *end = NULL;
    double days = eq ? strtod(eq + 1, &end) : -1;
    size_t n = eq ? (size_t)(eq - v) : 0;
    if (eq == NULL || n == 0 || n >= sizeof(f->names[0]) || end == eq + 1 || *end != '\0' ||
        !(days > 0 && days <= 3650)) {
        fprintf(stderr,
                "embargo %s: --max-age takes DATASET=DAYS (DAYS in 0..3650; DATASET may end "
                "in '*'), not '%s'\n",
                cmd, v);
        return -1;
    }
    if (f->n_rules == CLI_FRESH_MAX_RULES) {
        fprintf(stderr, "embargo %s: too many --max-age\n", cmd);
        return -1;
    }
    memcpy(f->names[f->n_rules], v, n);
    f->names[f->n_rules][n] = '\0';
    f->rules[f->n_rules].dataset = f->names[f->n_rules];
    f->rules[f->n_rules].max_age_days = days;
    f->n_rules++;
    return 1;
}

const char *cli_lists_config(const char *db, char *buf, size_t cap)
{
    const char *env = getenv("EMBARGO_LISTS_CONFIG");
    if (env != NULL && env[0] != '\0')
        return env;
    const char *path = db ? db : emb_store_default_path();
    const char *slash = strrchr(path, '/');
    int w = slash ? snprintf(buf, cap, "%.*s/lists.ini", (int)(slash - path), path)
                  : snprintf(buf, cap, "lists.ini");
    struct stat sb;
    if (w < 0 || (size_t)w >= cap || stat(buf, &sb) != 0)
        return NULL;
    return buf;
}

/* Max ages from the sources config, after the --max-age ones. */
static void config_rules(cli_fresh *f, const char *db)
{
    char buf[4200];
    const char *path = cli_lists_config(db, buf, sizeof(buf));
    if (path == NULL)
        return;
    emb_lists_config *cfg = malloc(sizeof(*cfg));
    emb_error err;
    if (cfg == NULL)
        return;
    if (emb_lists_config_load(cfg, path, &err) != EMB_OK) {
        cli_print_error(stderr, path, &err);
        free(cfg);
        return;
    }
    for (size_t i = 0; i < cfg->n_sources && f->n_rules < CLI_FRESH_MAX_RULES; i++) {
        const emb_list_source *s = &cfg->sources[i];
        const char *ds = s->dataset[0] ? s->dataset : s->name;
        snprintf(f->names[f->n_rules], sizeof(f->names[0]), "%s", ds);
        f->rules[f->n_rules].dataset = f->names[f->n_rules];
        f->rules[f->n_rules].max_age_days = s->max_age_days;
        f->n_rules++;
    }
    free(cfg);
}

/* The store that knows the snapshot's files, opened only when it exists already. */
static emb_store *fresh_store(const cli_fresh *f, const char *index_path, char *found, size_t cap)
{
    char beside[4200];
    const char *cands[3] = {f->db, NULL, NULL};
    if (f->db == NULL) {
        const char *slash = strrchr(index_path, '/');
        int n = slash ? (int)(slash - index_path) : 1;
        int w = snprintf(beside, sizeof(beside), "%.*s/embargo.db", n, slash ? index_path : ".");
        if (w > 0 && (size_t)w < sizeof(beside))
            cands[1] = beside;
        cands[2] = emb_store_default_path();
    }
    for (int i = 0; i < 3; i++) {
        struct stat sb;
        emb_store *st;
        emb_error err;
        if (cands[i] == NULL || stat(cands[i], &sb) != 0)
            continue;
        if (emb_store_open(cands[i], &st, &err) == EMB_OK) {
            snprintf(found, cap, "%s", cands[i]);
            return st;
        }
        cli_print_error(stderr, cands[i], &err);
    }
    return NULL;
}

json_t *cli_source_freshness_json(const emb_source_freshness *f)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "dataset", json_stringn(f->dataset.ptr, f->dataset.len));
    json_object_set_new(o, "published", f->published.len
                                            ? json_stringn(f->published.ptr, f->published.len)
                                            : json_null());
    json_object_set_new(o, "sha256", json_stringn(f->sha256.ptr, f->sha256.len));
    json_object_set_new(o, "basis", json_string(f->basis));
    json_object_set_new(o, "as_of", f->as_of[0] ? json_string(f->as_of) : json_null());
    json_object_set_new(o, "age_days",
                        f->age_days >= 0 ? json_real(cli_round3(f->age_days)) : json_null());
    json_object_set_new(o, "max_age_days", json_real(f->max_age_days));
    json_object_set_new(o, "stale", json_boolean(f->stale));
    return o;
}

int cli_fresh_check(cli_fresh *f, const char *cmd, const char *index_path, const emb_index *idx,
                    json_t **lists, int *any_stale)
{
    *any_stale = 0;
    if (lists)
        *lists = NULL;
    size_t cap = emb_index_source_count(idx), n = 0;
    emb_source_freshness *fr = calloc(cap ? cap : 1, sizeof(*fr));
    if (fr == NULL) {
        fputs("embargo: out of memory\n", stderr);
        return -1;
    }
    size_t n_cli = f->n_rules;
    char db[4200];
    emb_store *st = fresh_store(f, index_path, db, sizeof(db));
    config_rules(f, st ? db : f->db);
    emb_freshness_policy pol = {f->rules, f->n_rules, 0};
    int64_t now = (int64_t)time(NULL);
    emb_error err;
    emb_status s = st ? emb_store_freshness(st, idx, now, &pol, fr, cap, &n, any_stale, &err)
                      : emb_index_freshness(idx, now, &pol, fr, cap, &n, any_stale);
    emb_store_close(st);
    f->n_rules = n_cli;
    if (s != EMB_OK) {
        if (st)
            cli_print_error(stderr, "freshness", &err);
        else
            fprintf(stderr, "embargo %s: cannot tell the age of the lists: %s\n", cmd,
                    emb_strerror(s));
        free(fr);
        *any_stale = 1;
        return f->require ? -1 : 0;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, cli_source_freshness_json(&fr[i]));
    int rc = 0;
    if (*any_stale && f->require) {
        fprintf(stderr,
                "embargo %s: refused: the snapshot %s uses stale lists "
                "(--require-fresh):\n",
                cmd, index_path);
        for (size_t i = 0; i < n; i++) {
            if (!fr[i].stale)
                continue;
            if (strcmp(fr[i].basis, "unknown") == 0)
                fprintf(stderr,
                        "  %.*s: age unknown (the list states no publication date and "
                        "no store records it)\n",
                        (int)fr[i].dataset.len, fr[i].dataset.ptr);
            else if (strcmp(fr[i].basis, "superseded") == 0)
                fprintf(stderr,
                        "  %.*s: a newer version is recorded (run `embargo update` or "
                        "screen against current.emb)\n",
                        (int)fr[i].dataset.len, fr[i].dataset.ptr);
            else
                fprintf(stderr, "  %.*s: %s %s, %.1f days ago; the maximum is %.1f days\n",
                        (int)fr[i].dataset.len, fr[i].dataset.ptr, fr[i].basis, fr[i].as_of,
                        fr[i].age_days, fr[i].max_age_days);
        }
        rc = -1;
    }
    free(fr);
    if (lists != NULL && rc == 0)
        *lists = arr;
    else
        json_decref(arr);
    return rc;
}

void cli_fresh_footer(FILE *out, json_t *lists)
{
    /* one entry per dataset: a list split over many files (the EU annexes) would otherwise
     * bury the line; the dataset's oldest file speaks for it, and a stale file makes it stale */
    size_t i, j;
    json_t *o, *p;
    int first = 1;
    fputs("lists:", out);
    json_array_foreach(lists, i, o)
    {
        const char *ds = json_string_value(json_object_get(o, "dataset"));
        int seen = 0;
        json_array_foreach(lists, j, p)
        {
            if (j >= i)
                break;
            const char *d2 = json_string_value(json_object_get(p, "dataset"));
            if (ds != NULL && d2 != NULL && strcmp(ds, d2) == 0)
                seen = 1;
        }
        if (seen)
            continue;
        size_t files = 0, stale = 0;
        json_t *oldest = o;
        json_array_foreach(lists, j, p)
        {
            const char *d2 = json_string_value(json_object_get(p, "dataset"));
            if (ds == NULL || d2 == NULL || strcmp(ds, d2) != 0)
                continue;
            files++;
            stale += json_is_true(json_object_get(p, "stale"));
            json_t *a1 = json_object_get(p, "age_days"), *a0 = json_object_get(oldest, "age_days");
            if (!json_is_real(a1) || (json_is_real(a0) && json_real_value(a1) > json_real_value(a0)))
                oldest = p;
        }
        const char *pub = json_string_value(json_object_get(oldest, "published"));
        json_t *age = json_object_get(oldest, "age_days");
        fprintf(out, "%s %s", first ? "" : ";", ds ? ds : "-");
        first = 0;
        if (files > 1)
            fprintf(out, " (%zu files) oldest published %s, ", files, pub ? pub : "-");
        else
            fprintf(out, " published %s, sha256 %.12s, ", pub ? pub : "-",
                    json_string_value(json_object_get(oldest, "sha256")));
        if (json_is_real(age))
            fprintf(out, "%s %.1f d ago (max %.0f d)",
                    json_string_value(json_object_get(oldest, "basis")), json_real_value(age),
                    json_real_value(json_object_get(oldest, "max_age_days")));
        else
            fputs("age unknown", out);
        if (stale > 0)
            fputs(", STALE", out);
    }
    fputc('\n', out);
}
