/*
 * `embargo inspect FILE...`: sniff and parse each file, print one JSON object per file
 * (DESIGN.md section 6) with its format, dataset, counts and errors. Exit 1 when any file
 * fails.
 */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: embargo inspect [--skip-bad] [--pretty] [DATASET=]FILE...\n"
    "\n"
    "Sniff each list file's format from its content, parse it, and print one JSON object\n"
    "per file: {file, format, dataset, published, entities, names, schemas, unresolved,\n"
    "skipped, errors}. A folder holding an OFAC CSV set (SDN.CSV + ADD/ALT/COMMENTS) is one\n"
    "input. DATASET= names the dataset of a list of your own.\n"
    "\n"
    "  --skip-bad   skip malformed records (each is listed in errors) instead of failing\n"
    "  --pretty     indent the JSON\n";

typedef struct {
    json_t *errors;
    unsigned long long unresolved;
} run_state;

static json_t *error_json(const emb_error *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(emb_strerror(e->code)));
    json_object_set_new(o, "message", json_string(e->msg));
    if (e->source[0])
        json_object_set_new(o, "source", json_string(e->source));
    if (e->line)
        json_object_set_new(o, "line", json_integer((json_int_t)e->line));
    if (e->column)
        json_object_set_new(o, "column", json_integer((json_int_t)e->column));
    if (e->byte_offset != UINT64_MAX)
        json_object_set_new(o, "byte_offset", json_integer((json_int_t)e->byte_offset));
    if (e->record_id[0])
        json_object_set_new(o, "record_id", json_string(e->record_id));
    return o;
}

static void on_skip(void *ud, const emb_error *why)
{
    run_state *st = ud;
    json_array_append_new(st->errors, error_json(why));
}

static int on_entity(void *ud, const emb_entity *e)
{
    run_state *st = ud;
    for (size_t i = 0; i < e->n_values; i++) {
        if (e->values[i].prop == EMB_PROP_UNRESOLVED)
            st->unresolved++;
    }
    return 0;
}

int cli_inspect(int argc, char **argv)
{
    int skip_bad = 0, pretty = 0, n_files = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(help, stdout);
            return CLI_OK;
        }
        if (strcmp(argv[i], "--skip-bad") == 0) {
            skip_bad = 1;
        } else if (strcmp(argv[i], "--pretty") == 0) {
            pretty = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "embargo inspect: unknown option '%s'\n\n%s", argv[i], help);
            return CLI_USAGE;
        } else {
            n_files++;
        }
    }
    if (n_files == 0) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        char ds[64];
        const char *dataset = NULL;
        const char *path = cli_split_dataset(argv[i], ds, sizeof(ds), &dataset);
        run_state st = {json_array(), 0};
        emb_parse_opts opts;
        memset(&opts, 0, sizeof(opts));
        opts.dataset = dataset;
        opts.skip_bad = skip_bad;
        opts.on_skip = on_skip;
        opts.skip_ud = &st;
        emb_source_info info;
        emb_error err;
        emb_status rc = emb_parse_file(path, &opts, on_entity, &st, &info, &err);
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(path));
        json_object_set_new(o, "format", json_string(emb_format_name(info.format)));
        json_object_set_new(o, "dataset", json_string(info.dataset));
        json_object_set_new(o, "published", info.published[0] ? json_string(info.published) : json_null());
        json_object_set_new(o, "entities", json_integer((json_int_t)info.entities));
        json_object_set_new(o, "names", json_integer((json_int_t)info.names));
        json_t *schemas = json_object();
        for (int s = 1; s < EMB_SCHEMA_MAX_; s++) {
            if (info.schemas[s])
                json_object_set_new(schemas, emb_schema_name((emb_schema)s),
                                    json_integer((json_int_t)info.schemas[s]));
        }
        json_object_set_new(o, "schemas", schemas);
        json_object_set_new(o, "unresolved", json_integer((json_int_t)st.unresolved));
        json_object_set_new(o, "skipped", json_integer((json_int_t)info.skipped));
        json_object_set_new(o, "bytes", json_integer((json_int_t)info.bytes));
        if (rc != EMB_OK) {
            json_array_append_new(st.errors, error_json(&err));
            cli_print_error(stderr, path, &err);
            failed = 1;
        }
        json_object_set_new(o, "errors", st.errors);
        char *s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
        if (s != NULL) {
            puts(s);
            free(s);
        }
        json_decref(o);
    }
    return failed ? CLI_ERROR : CLI_OK;
}
