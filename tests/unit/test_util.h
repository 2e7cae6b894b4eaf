/*
 * Shared helpers for the unit tests: where the real lists are (EMBARGO_DATA_DIR, else
 * ../shared/data beside the checkout), skipping with a message when they are absent, and a
 * collector that keeps deep copies of parsed entities so tests can assert field by field.
 */
#ifndef EMB_TEST_UTIL_H
#define EMB_TEST_UTIL_H

#include <criterion/criterion.h>
#include <embargo/embargo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Full path of a file under the real-data folder, or NULL (test skipped) when absent. */
static inline const char *test_data(const char *rel)
{
    static char path[4096];
    const char *dir = getenv("EMBARGO_DATA_DIR");
    if (dir == NULL || dir[0] == '\0')
        dir = EMB_TEST_DATA_DIR;
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    struct stat st;
    if (stat(path, &st) != 0) {
        cr_skip_test("real list data not found at %s (set EMBARGO_DATA_DIR)", path);
        return NULL;
    }
    return path;
}

/* Remove a test's temporary directory and everything in it. */
static inline void test_rmdir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0, "cannot remove %s", dir);
}

/* Path of a small fixture committed under tests/data. */
static inline const char *test_fixture(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", EMB_TEST_FIXTURES, rel);
    return path;
}

typedef struct {
    char *value;
    emb_name_kind kind;
} t_name;

typedef struct {
    emb_prop prop;
    char *value;
    char *qualifier;
} t_value;

typedef struct {
    char *id, *dataset, *source_id, *caption;
    emb_schema schema;
    t_name *names;
    size_t n_names;
    t_value *values;
    size_t n_values;
} t_entity;

typedef struct {
    t_entity *items;
    size_t n, cap;
    size_t n_skipped;
    emb_error last_skip;
} t_collect;

static inline char *t_dup(emb_str s)
{
    char *p = malloc(s.len + 1);
    memcpy(p, s.ptr, s.len);
    p[s.len] = '\0';
    return p;
}

static inline int t_collect_fn(void *ud, const emb_entity *e)
{
    t_collect *c = ud;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->items = realloc(c->items, c->cap * sizeof(t_entity));
    }
    t_entity *t = &c->items[c->n++];
    t->id = t_dup(e->id);
    t->dataset = t_dup(e->dataset);
    t->source_id = t_dup(e->source_id);
    t->caption = t_dup(e->caption);
    t->schema = e->schema;
    t->n_names = e->n_names;
    t->names = calloc(e->n_names + 1, sizeof(t_name));
    for (size_t i = 0; i < e->n_names; i++) {
        t->names[i].value = t_dup(e->names[i].value);
        t->names[i].kind = e->names[i].kind;
    }
    t->n_values = e->n_values;
    t->values = calloc(e->n_values + 1, sizeof(t_value));
    for (size_t i = 0; i < e->n_values; i++) {
        t->values[i].prop = e->values[i].prop;
        t->values[i].value = t_dup(e->values[i].value);
        t->values[i].qualifier = t_dup(e->values[i].qualifier);
    }
    return 0;
}

static inline void t_skip_fn(void *ud, const emb_error *why)
{
    t_collect *c = ud;
    c->n_skipped++;
    c->last_skip = *why;
}

static inline void t_collect_free(t_collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        t_entity *t = &c->items[i];
        free(t->id);
        free(t->dataset);
        free(t->source_id);
        free(t->caption);
        for (size_t k = 0; k < t->n_names; k++)
            free(t->names[k].value);
        for (size_t k = 0; k < t->n_values; k++) {
            free(t->values[k].value);
            free(t->values[k].qualifier);
        }
        free(t->names);
        free(t->values);
    }
    free(c->items);
    memset(c, 0, sizeof(*c));
}

/* Parse a file into c; asserts success and returns the source info. */
static inline emb_source_info t_parse_ok(const char *path, const char *dataset, t_collect *c)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.dataset = dataset;
    emb_source_info info;
    emb_error err;
    emb_status rc = emb_parse_file(path, &opts, t_collect_fn, c, &info, &err);
    cr_assert_eq(rc, EMB_OK, "parse of %s failed: %s (line %llu, record %s)", path, err.msg,
                 (unsigned long long)err.line, err.record_id);
    return info;
}

static inline const t_entity *t_find(const t_collect *c, const char *source_id)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->items[i].source_id, source_id) == 0)
            return &c->items[i];
    }
    return NULL;
}

/* 1 when the entity has a name with this exact value (and kind, unless kind < 0). */
static inline int t_has_name(const t_entity *e, const char *value, int kind)
{
    for (size_t i = 0; i < e->n_names; i++) {
        if (strcmp(e->names[i].value, value) == 0 && (kind < 0 || (int)e->names[i].kind == kind))
            return 1;
    }
    return 0;
}

/* 1 when the entity has prop = value (qualifier ignored). */
static inline int t_has_value(const t_entity *e, emb_prop prop, const char *value)
{
    for (size_t i = 0; i < e->n_values; i++) {
        if (e->values[i].prop == prop && strcmp(e->values[i].value, value) == 0)
            return 1;
    }
    return 0;
}

static inline size_t t_count_values(const t_entity *e, emb_prop prop)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_values; i++)
        n += e->values[i].prop == prop;
    return n;
}

/* 1 when the entity has prop = value with exactly this qualifier. */
static inline int t_has_value_q(const t_entity *e, emb_prop prop, const char *value,
                                const char *qual)
{
    for (size_t i = 0; i < e->n_values; i++) {
        const t_value *v = &e->values[i];
        if (v->prop == prop && strcmp(v->value, value) == 0 && strcmp(v->qualifier, qual) == 0)
            return 1;
    }
    return 0;
}

/* The qualifier of the first value prop = value, or NULL. */
static inline const char *t_qualifier_of(const t_entity *e, emb_prop prop, const char *value)
{
    for (size_t i = 0; i < e->n_values; i++) {
        if (e->values[i].prop == prop && strcmp(e->values[i].value, value) == 0)
            return e->values[i].qualifier;
    }
    return NULL;
}

/* Names of one kind on an entity. */
static inline size_t t_count_kind(const t_entity *e, emb_name_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_names; i++)
        n += e->names[i].kind == kind;
    return n;
}

/* Parse len bytes of text named `name` (for errors) with every option a test sets. */
static inline emb_status t_parse_mem(const char *text, size_t len, const char *name,
                                     emb_format fmt, int skip_bad, const char *dataset,
                                     t_collect *c, emb_source_info *info, emb_error *err)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.format = fmt;
    opts.skip_bad = skip_bad;
    opts.dataset = dataset;
    opts.on_skip = t_skip_fn;
    opts.skip_ud = c;
    return emb_parse_buffer(text, len, name, &opts, t_collect_fn, c, info, err);
}

/* Parse in-memory text; returns the status and fills err. */
static inline emb_status t_parse_text(const char *text, emb_format fmt, int skip_bad,
                                      t_collect *c, emb_error *err)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.format = fmt;
    opts.skip_bad = skip_bad;
    opts.on_skip = t_skip_fn;
    opts.skip_ud = c;
    return emb_parse_buffer(text, strlen(text), "test-input", &opts, t_collect_fn, c, NULL, err);
}

#endif
