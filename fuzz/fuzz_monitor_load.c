/*
 * Fuzz target: loading monitored customers. Each input line is one customer, fields separated
 * by tabs (id, name, birth dates, countries, identifiers; list values by '|'), as hostile as
 * the bytes come. Every customer is accepted or refused with a reason; an accepted load reads
 * back byte for byte, a refused one leaves nothing, and the audit chain always verifies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <embargo/store.h>

#define FUZZ_MAX_INPUT (64 * 1024)
#define MAX_VALS       16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct want {
    const char *name;
    int seen;
} want;

static int check(void *ud, const emb_customer *c, const char *fp)
{
    want *w = ud;
    if (strcmp(c->name, w->name) != 0 || strlen(fp) != 32)
        abort();
    w->seen = 1;
    return 0;
}

static size_t split(char *s, char sep, char **parts, size_t max)
{
    size_t n = 0;
    while (s != NULL && n < max) {
        char *next = strchr(s, sep);
        if (next != NULL)
            *next++ = '\0';
        parts[n++] = s;
        s = next;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    emb_store *st = NULL;
    emb_error err;
    if (emb_store_open(":memory:", &st, &err) != EMB_OK)
        abort();
    emb_portfolio_load *ld = NULL;
    if (emb_monitor_load_begin(st, "fuzz", "fuzzer", &ld, &err) != EMB_OK)
        abort();
    char *lines[64];
    size_t n_lines = split(text, '\n', lines, 64);
    int ok = 1;
    const char *last_id = NULL, *last_name = NULL;
    for (size_t i = 0; i < n_lines && ok; i++) {
        char *f[5] = {NULL, NULL, NULL, NULL, NULL};
        size_t nf = split(lines[i], '\t', f, 5);
        if (nf < 2)
            continue;
        char *vals[3][MAX_VALS];
        size_t nv[3] = {0, 0, 0};
        for (int k = 0; k < 3; k++) {
            if (f[2 + k] != NULL)
                nv[k] = split(f[2 + k], '|', vals[k], MAX_VALS);
        }
        emb_customer c;
        memset(&c, 0, sizeof(c));
        c.id = f[0];
        c.name = f[1];
        c.birth_dates = (const char *const *)vals[0];
        c.n_birth_dates = nv[0];
        c.countries = (const char *const *)vals[1];
        c.n_countries = nv[1];
        c.identifiers = (const char *const *)vals[2];
        c.n_identifiers = nv[2];
        emb_status s = emb_monitor_load_add(ld, &c, &err);
        if (s != EMB_OK) {
            if (err.msg[0] == '\0')
                abort(); /* a refusal always says why */
            ok = 0;
        } else {
            last_id = f[0];
            last_name = f[1];
        }
    }
    if (ok) {
        emb_load_stats ls;
        if (emb_monitor_load_commit(ld, &ls, &err) != EMB_OK)
            abort();
        if (last_id != NULL) {
            /* a later line with the same id replaced it: read back only when it is the last */
            want w = {last_name, 0};
            emb_status s = emb_monitor_customer(st, "fuzz", last_id, check, &w, &err);
            if (s != EMB_OK || !w.seen)
                abort();
        }
    } else {
        emb_monitor_load_abort(ld);
        if (last_id != NULL &&
            emb_monitor_customer(st, "fuzz", last_id, check, NULL, &err) != EMB_ENOTFOUND)
            abort(); /* nothing of a refused load is kept */
    }
    if (emb_audit_verify(st, NULL, NULL, NULL, NULL, &err) != EMB_OK)
        abort();
    emb_store_close(st);
    free(text);
    return 0;
}
