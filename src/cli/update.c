/*
 * `embargo update [--source NAME]... [--config FILE] [--db FILE] [--list] [--json]`:
 * download the configured lists, record each new version, then publish the snapshot
 * <store dir>/current.emb from the latest version of every source.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <embargo/store.h>

#include "cli.h"

#define MAX_SELECTED 64

static const char help[] =
    "usage: embargo update [--source NAME]... [--config FILE] [--db FILE] [--list] [--json]\n"
    "                      [--allow-shrink]\n"
    "\n"
    "Download each enabled list (or each --source NAME, enabled or not) from its publisher,\n"
    "check that it parses completely and that its entity count is plausible against the\n"
    "previous version, record it as a new version in the store (kept compressed, with its\n"
    "SHA-256, publication date and fetch time), then rebuild the published snapshot\n"
    "<store dir>/current.emb atomically. A list the publisher has not changed (HTTP 304, or\n"
    "the same bytes) is not recorded again. A failed, truncated or implausible download\n"
    "never replaces a good version. Sources and limits: docs/LISTS.md.\n"
    "\n"
    "  --source NAME   update this source only (repeatable)\n"
    "  --config FILE   sources and limits (default $EMBARGO_LISTS_CONFIG, else lists.ini\n"
    "                  beside the store when it exists; on top of the built-in sources)\n"
    "  --db FILE       store (default $EMBARGO_HOME/embargo.db, else\n"
    "                  ~/.local/share/embargo/embargo.db)\n"
    "  --list          print the configured sources and exit\n"
    "  --json          one JSON object per source, then one for the snapshot\n"
    "  --allow-shrink  record a list even when it lost more entities than max_shrink\n"
    "                  allows (after checking that the publisher really removed them)\n"
    "\n"
    "Exit status: 0 when every source is current; 1 when one failed or was held back (the\n"
    "others are still recorded and published); 2 usage.\n";

static double secs_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void emit_json(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    if (s != NULL)
        puts(s);
    free(s);
    json_decref(o);
}

static void report(const emb_list_source *src, const emb_update_result *r, emb_status s,
                   const emb_error *err, double secs, int as_json)
{
    if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_string(src->name));
        json_object_set_new(o, "url", json_string(src->url));
        json_object_set_new(o, "outcome", json_string(emb_update_outcome_name(r->outcome)));
        json_object_set_new(o, "http_status", json_integer(r->http_status));
        json_object_set_new(o, "seconds", json_real(secs));
        json_object_set_new(o, "downloaded", json_integer((json_int_t)r->downloaded));
        if (s == EMB_OK) {
            json_object_set_new(o, "version", json_integer(r->version.version));
            json_object_set_new(o, "entities", json_integer((json_int_t)r->version.entities));
            json_object_set_new(o, "sha256", json_string(r->version.sha256));
            json_object_set_new(o, "published",
                                r->version.published[0] ? json_string(r->version.published)
                                                        : json_null());
        } else {
            json_object_set_new(o, "error", json_string(err->msg));
        }
        emit_json(o);
        return;
    }
    const emb_list_version *v = &r->version;
    switch (r->outcome) {
    case EMB_UPDATE_PUBLISHED:
        printf("%s: published version %lld: %llu entities (was %llu), published %s, "
               "%.1f MB in %.2f s\n",
               src->name, (long long)v->version, (unsigned long long)v->entities,
               (unsigned long long)r->prev_entities, v->published[0] ? v->published : "-",
               (double)v->bytes / 1e6, secs);
        break;
    case EMB_UPDATE_NOT_MODIFIED:
        printf("%s: not modified (HTTP 304); version %lld is current\n", src->name,
               (long long)v->version);
        break;
    case EMB_UPDATE_SAME:
        printf("%s: unchanged (same SHA-256); version %lld is current\n", src->name,
               (long long)v->version);
        break;
    case EMB_UPDATE_HELD_BACK:
    case EMB_UPDATE_FAILED:
        cli_print_error(stderr, src->name, err);
        printf("%s: %s\n", src->name, r->outcome == EMB_UPDATE_HELD_BACK ? "held back" : "failed");
        break;
    }
}

static void list_sources(const emb_lists_config *cfg)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const emb_list_source *s = &cfg->sources[i];
        printf("%-20s %-8s max age %4.1f d  %s\n%21s%s\n", s->name,
               s->enabled ? "enabled" : "disabled", s->max_age_days, s->url, "", s->note);
    }
}

int cli_update(int argc, char **argv)
{
    const char *db = NULL, *config = NULL;
    const char *selected[MAX_SELECTED];
    size_t n_sel = 0;
    int as_json = 0, list_only = 0, allow_shrink = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(a, "--source") == 0 && has) {
            if (n_sel == MAX_SELECTED) {
                fprintf(stderr, "embargo update: at most %d --source\n", MAX_SELECTED);
                return CLI_USAGE;
            }
            selected[n_sel++] = argv[++i];
        } else if (strcmp(a, "--config") == 0 && has) {
            config = argv[++i];
        } else if (strcmp(a, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(a, "--json") == 0) {
            as_json = 1;
        } else if (strcmp(a, "--list") == 0) {
            list_only = 1;
        } else if (strcmp(a, "--allow-shrink") == 0) {
            allow_shrink = 1;
        } else {
            fprintf(stderr, "embargo update: unknown option or argument '%s'\n\n%s", a, help);
            return CLI_USAGE;
        }
    }
    emb_lists_config *cfg = malloc(sizeof(*cfg));
    if (cfg == NULL) {
        fputs("embargo: out of memory\n", stderr);
        return CLI_ERROR;
    }
    emb_error err;
    int rc = CLI_OK;
    emb_store *st = NULL;
    int lock = -1;
    char cbuf[4200];
    if (config == NULL)
        config = cli_lists_config(db, cbuf, sizeof(cbuf));
    if (config != NULL && config[0] != '\0') {
        if (emb_lists_config_load(cfg, config, &err) != EMB_OK) {
            cli_print_error(stderr, config, &err);
            rc = CLI_ERROR;
            goto out;
        }
    } else {
        emb_lists_config_defaults(cfg);
    }
    for (size_t k = 0; k < n_sel; k++) {
        if (emb_lists_config_find(cfg, selected[k]) == NULL) {
            fprintf(stderr, "embargo update: no source named '%s' (see `embargo update --list`)\n",
                    selected[k]);
            rc = CLI_USAGE;
            goto out;
        }
    }
    if (list_only) {
        list_sources(cfg);
        goto out;
    }
    if (cli_open_store(db, &st) != 0) {
        rc = CLI_ERROR;
        goto out;
    }
    if (emb_store_lock_update(st, &lock, &err) != EMB_OK) {
        cli_print_error(stderr, "update", &err);
        rc = CLI_ERROR;
        goto out;
    }
    emb_update_result *res = malloc(sizeof(*res));
    if (res == NULL) {
        fputs("embargo: out of memory\n", stderr);
        rc = CLI_ERROR;
        goto out;
    }
    for (size_t i = 0; i < cfg->n_sources; i++) {
        emb_list_source *src = &cfg->sources[i];
        if (allow_shrink)
            src->max_shrink = 1.0;
        int chosen = n_sel == 0 ? src->enabled : 0;
        for (size_t k = 0; k < n_sel; k++)
            chosen |= strcmp(selected[k], src->name) == 0;
        if (!chosen)
            continue;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        emb_status s = emb_update_fetch(st, src, res, &err);
        report(src, res, s, &err, secs_since(&t0), as_json);
        if (s != EMB_OK)
            rc = CLI_ERROR;
        fflush(stdout);
    }
    free(res);
    /* publish whatever is recorded, also after a failed source: the others stay current,
       and a snapshot left behind by an interrupted update is brought in line */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rebuilt = 0;
    emb_build_stats bs;
    memset(&bs, 0, sizeof(bs));
    char cur[4200];
    emb_store_current_path(st, cur, sizeof(cur));
    emb_status s = emb_store_publish(st, &rebuilt, &bs, &err);
    if (s == EMB_ENOTFOUND) {
        fprintf(stderr, "embargo update: no list version recorded; no snapshot published\n");
        rc = CLI_ERROR;
    } else if (s != EMB_OK) {
        cli_print_error(stderr, cur, &err);
        fprintf(stderr, "embargo update: snapshot not published; the previous one stays\n");
        rc = CLI_ERROR;
    } else if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "snapshot", json_string(cur));
        json_object_set_new(o, "rebuilt", json_boolean(rebuilt));
        if (rebuilt) {
            json_object_set_new(o, "entities", json_integer((json_int_t)bs.entities));
            json_object_set_new(o, "seconds", json_real(secs_since(&t0)));
        }
        emit_json(o);
    } else if (rebuilt) {
        printf("published %s: %llu sources, %llu entities in %.2f s\n", cur,
               (unsigned long long)bs.sources, (unsigned long long)bs.entities, secs_since(&t0));
    } else {
        printf("%s is current\n", cur);
    }
out:
    emb_store_unlock_update(lock);
    emb_store_close(st);
    free(cfg);
    return rc;
}
