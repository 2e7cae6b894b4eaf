/*
 * Shared body of the parser fuzz targets. Each fuzz_<format>.c defines FUZZ_FORMAT and
 * includes this file. Every input is parsed twice (strict, then skipping bad records), and
 * what comes out is checked: every entity has an id, a caption and valid UTF-8 names, and a
 * failed parse always says why.
 */
#ifndef EMB_FUZZ_COMMON_H
#define EMB_FUZZ_COMMON_H

#include <embargo/embargo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unicode/unicode.h"

#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(emb_str s, int may_be_empty)
{
    if (!may_be_empty && s.len == 0)
        abort();
    if (s.len && (s.ptr == NULL || !emb__utf8_valid(s.ptr, s.len, NULL)))
        abort();
}

static int check_entity(void *ud, const emb_entity *e)
{
    (void)ud;
    check_str(e->id, 0);
    check_str(e->source_id, 0);
    check_str(e->caption, 0);
    if (e->n_names == 0 || e->schema == EMB_SCHEMA_UNKNOWN)
        abort();
    for (size_t i = 0; i < e->n_names; i++)
        check_str(e->names[i].value, 0);
    for (size_t i = 0; i < e->n_values; i++) {
        check_str(e->values[i].value, 0);
        check_str(e->values[i].qualifier, 1);
    }
    return 0;
}

static void on_skip(void *ud, const emb_error *why)
{
    (void)ud;
    if (why->code == EMB_OK || why->msg[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    for (int skip = 0; skip < 2; skip++) {
        emb_parse_opts opts;
        memset(&opts, 0, sizeof(opts));
        opts.format = FUZZ_FORMAT;
        opts.skip_bad = skip;
        opts.on_skip = on_skip;
        emb_source_info info;
        emb_error err;
        emb_status rc = emb_parse_buffer(data, size, "fuzz-input", &opts, check_entity, NULL,
                                         &info, &err);
        if (rc != EMB_OK && (err.code != rc || err.msg[0] == '\0'))
            abort();
    }
    return 0;
}

#endif
