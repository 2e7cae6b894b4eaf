/*
 * `embargo diff [--json] [--summary] OLD NEW`: what changed between two versions of a list,
 * by source_id. OLD and NEW are list files ([DATASET=]PATH) or recorded versions (SOURCE@N).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include <embargo/store.h>

#include "cli.h"

static const char help[] =
    "usage: embargo diff [--json] [--summary] [--db FILE] OLD NEW\n"
    "\n"
    "Compare two versions of a list and report the entities added, removed and changed\n"
    "(names, aliases, identifiers, programs, birth dates, countries...), keyed by the\n"
    "publisher's id (source_id). OLD and NEW are each a list file, [DATASET=]PATH as for\n"
    "`index build`, or a version recorded by `embargo update`: SOURCE@N (see\n"
    "`embargo versions`), SOURCE@latest or SOURCE@previous (the one before the latest).\n"
    "Both are parsed completely; a malformed record fails the diff.\n"
    "\n"
    "  --json       one JSON object: old, new, summary, added, removed, changed\n"
    "  --summary    counts only\n"
    "  --db FILE    store holding the versions (default $EMBARGO_HOME/embargo.db)\n";

typedef struct dctx {
    int as_json, summary_only;
    json_t *added, *removed, *changed;
    int oom;
} dctx;

static json_t *jstr(emb_str s)
{
    return json_stringn(s.ptr, s.len);
}

static json_t *entity_json(const emb_entity *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "source_id", jstr(e->source_id));
    json_object_set_new(o, "id", jstr(e->id));
    json_object_set_new(o, "schema", json_string(emb_schema_name(e->schema)));
    json_object_set_new(o, "caption", jstr(e->caption));
    return o;
}

static int on_change(void *ud, const emb_diff_change *ch)
{
    dctx *d = ud;
    const emb_entity *e = ch->new_entity ? ch->new_entity : ch->old_entity;
    if (d->summary_only)
        return 0;
    if (!d->as_json) {
        static const char mark[] = {'+', '-', '~'};
        printf("%c %-10.*s %-12s %.*s\n", mark[ch->kind], (int)ch->source_id.len, ch->source_id.ptr,
               emb_schema_name(e->schema), (int)e->caption.len, e->caption.ptr);
        for (size_t i = 0; i < ch->n_fields; i++) {
            const emb_diff_field *f = &ch->fields[i];
            printf("    %c %s: %.*s", f->added ? '+' : '-', f->field, (int)f->value.len,
                   f->value.ptr);
            if (f->qualifier.len)
                printf(" (%.*s)", (int)f->qualifier.len, f->qualifier.ptr);
            putchar('\n');
        }
        return ferror(stdout) ? 1 : 0;
    }
    json_t *o = entity_json(e);
    if (o == NULL) {
        d->oom = 1;
        return 1;
    }
    if (ch->kind == EMB_DIFF_CHANGED) {
        json_t *arr = json_array();
        for (size_t i = 0; i < ch->n_fields; i++) {
            const emb_diff_field *f = &ch->fields[i];
            json_t *c = json_object();
            json_object_set_new(c, "field", json_string(f->field));
            json_object_set_new(c, "op", json_string(f->added ? "added" : "removed"));
            json_object_set_new(c, "value", jstr(f->value));
            if (f->qualifier.len)
                json_object_set_new(c, "qualifier", jstr(f->qualifier));
            json_array_append_new(arr, c);
        }
        json_object_set_new(o, "changes", arr);
    }
    json_t *dest = ch->kind == EMB_DIFF_ADDED     ? d->added
                   : ch->kind == EMB_DIFF_REMOVED ? d->removed
                                                  : d->changed;
    if (json_array_append_new(dest, o) != 0) {
        d->oom = 1;
        return 1;
    }
    return 0;
}

static json_t *side_json(const char *arg, const emb_source_info *in, uint64_t entities)
{
    json_t *o = json_object();
    json_object_set_new(o, "input", json_string(arg));
    json_object_set_new(o, "format", json_string(emb_format_name(in->format)));
    json_object_set_new(o, "dataset", json_string(in->dataset));
    json_object_set_new(o, "published",
                        in->published[0] ? json_string(in->published) : json_null());
    json_object_set_new(o, "entities", json_integer((json_int_t)entities));
    return o;
}

int cli_diff(int argc, char **argv)
{
    dctx d;
    memset(&d, 0, sizeof(d));
    const char *args[2] = {NULL, NULL}, *db = NULL;
    int n_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(a, "--json") == 0) {
            d.as_json = 1;
        } else if (strcmp(a, "--summary") == 0) {
            d.summary_only = 1;
        } else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "embargo diff: unknown option '%s'\n\n%s", a, help);
            return CLI_USAGE;
        } else if (n_args < 2) {
            args[n_args++] = a;
        } else {
            fprintf(stderr, "embargo diff: two inputs only (OLD NEW)\n\n%s", help);
            return CLI_USAGE;
        }
    }
    if (n_args != 2) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    emb_build_source src[2];
    char ds[2][64], tmp[2][4096];
    tmp[0][0] = tmp[1][0] = '\0';
    int rc = CLI_OK;
    for (int k = 0; k < 2; k++) {
        src[k].path = cli_split_dataset(args[k], ds[k], sizeof(ds[k]), &src[k].dataset);
        if (src[k].dataset == NULL &&
            cli_version_arg(db, src[k].path, tmp[k], sizeof(tmp[k]), &src[k]) != 0) {
            rc = CLI_ERROR;
            goto out;
        }
    }
    if (d.as_json) {
        d.added = json_array();
        d.removed = json_array();
        d.changed = json_array();
    }
    emb_diff_stats st;
    emb_error err;
    emb_status s = emb_diff_files(&src[0], &src[1], on_change, &d, &st, &err);
    if (s != EMB_OK) {
        if (d.oom)
            fputs("embargo diff: out of memory\n", stderr);
        else if (s == EMB_ESTOPPED)
            fputs("embargo diff: cannot write the output\n", stderr);
        else
            cli_print_error(stderr, "diff", &err);
        rc = CLI_ERROR;
        goto out;
    }
    if (d.as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "old", side_json(args[0], &st.old_info, st.old_entities));
        json_object_set_new(o, "new", side_json(args[1], &st.new_info, st.new_entities));
        json_t *sum = json_object();
        json_object_set_new(sum, "added", json_integer((json_int_t)st.added));
        json_object_set_new(sum, "removed", json_integer((json_int_t)st.removed));
        json_object_set_new(sum, "changed", json_integer((json_int_t)st.changed));
        json_object_set_new(sum, "unchanged", json_integer((json_int_t)st.unchanged));
        json_object_set_new(o, "summary", sum);
        if (!d.summary_only) {
            json_object_set(o, "added", d.added);
            json_object_set(o, "removed", d.removed);
            json_object_set(o, "changed", d.changed);
        }
        if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
            rc = CLI_ERROR;
        putchar('\n');
        json_decref(o);
    } else {
        printf("%s (%llu entities) -> %s (%llu entities): %llu added, %llu removed, "
               "%llu changed, %llu unchanged\n",
               args[0], (unsigned long long)st.old_entities, args[1],
               (unsigned long long)st.new_entities, (unsigned long long)st.added,
               (unsigned long long)st.removed, (unsigned long long)st.changed,
               (unsigned long long)st.unchanged);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("embargo diff: cannot write the output\n", stderr);
        rc = CLI_ERROR;
    }
out:
    json_decref(d.added);
    json_decref(d.removed);
    json_decref(d.changed);
    for (int k = 0; k < 2; k++)
        cli_version_tmp_remove(tmp[k]);
    return rc;
}
