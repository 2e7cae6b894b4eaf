/*
 * core: the small toolbox every module uses. Allocation through one replaceable table,
 * arenas for build-time and per-record data, capped growable buffers (curl dynbuf), string
 * slices, error filling, xxh3 hashing, a string-keyed hash map, and the log hook.
 */
#ifndef EMB_CORE_H
#define EMB_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <embargo/embargo.h>

#include "limits.h"

#if defined(__GNUC__)
#define EMB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define EMB_INTERNAL __attribute__((visibility("hidden")))
#else
#define EMB_PRINTF(f, a)
#define EMB_INTERNAL
#endif

/* Defensive checks that stay in release builds (sqlite ALWAYS/NEVER). */
#ifdef NDEBUG
#define EMB_ALWAYS(x) (x)
#define EMB_NEVER(x) (x)
#else
#include <assert.h>
#define EMB_ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define EMB_NEVER(x) ((x) ? (assert(0), 1) : 0)
#endif

#define EMB_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))
#define EMB_STR(lit) ((emb_str){(lit), sizeof(lit) - 1})

/* ------------------------------------------------------------ allocation */

void *emb__malloc(size_t n);
void *emb__calloc(size_t count, size_t size);
void *emb__realloc(void *ptr, size_t n);
void emb__free(void *ptr);
/* Copy of [p, p+n) with a NUL appended; NULL on OOM. */
char *emb__strndup(const char *p, size_t n);

/* Grow *items (each `size` bytes) so that `need` fit, doubling; EMB_ELIMIT when need > max. */
emb_status emb__grow(void **items, size_t *cap, size_t size, size_t need, size_t max);

/* ------------------------------------------------------------ arena */

typedef struct emb__arena_chunk emb__arena_chunk;

/* Bump allocator: many small allocations, freed all at once. Zero-initialise to use. */
typedef struct emb__arena {
    emb__arena_chunk *head;
    size_t used; /* bytes used in head */
    size_t total;
} emb__arena;

void *emb__arena_alloc(emb__arena *a, size_t n);
/* Copy of [p, p+n) plus NUL, in the arena. */
char *emb__arena_strndup(emb__arena *a, const char *p, size_t n);
/* Forget everything but keep the largest chunk for reuse. */
void emb__arena_reset(emb__arena *a);
void emb__arena_free(emb__arena *a);

/* ------------------------------------------------------------ capped buffer */

/* A growable byte buffer with a cap fixed at creation; always NUL-terminated when ptr != NULL. */
typedef struct emb__buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
} emb__buf;

void emb__buf_init(emb__buf *b, size_t max);
emb_status emb__buf_append(emb__buf *b, const void *p, size_t n);
emb_status emb__buf_putc(emb__buf *b, char c);
emb_status emb__buf_printf(emb__buf *b, const char *fmt, ...) EMB_PRINTF(2, 3);
void emb__buf_reset(emb__buf *b);
void emb__buf_free(emb__buf *b);

/* ------------------------------------------------------------ string slices */

static inline emb_str emb__str(const char *p, size_t n)
{
    emb_str s = {p, n};
    return s;
}
emb_str emb__str_cstr(const char *z);
/* Strip ASCII whitespace (and NBSP) from both ends. */
emb_str emb__str_trim(emb_str s);
int emb__str_eq(emb_str a, emb_str b);
/* ASCII case-insensitive equality with a NUL-terminated string. */
int emb__str_ieq(emb_str a, const char *z);
int emb__str_istarts(emb_str a, const char *z);
/* 1 when s is "", "-0-" (OFAC's empty) or only whitespace. */
int emb__str_blank(emb_str s);
/* Parse a decimal unsigned integer spanning all of s. */
int emb__str_to_u64(emb_str s, uint64_t *out);
/* Find the first occurrence of needle (ASCII, case-insensitive); -1 when absent. */
long emb__str_ifind(emb_str hay, const char *needle);

/* ------------------------------------------------------------ errors */

/* Set err (when not NULL) to code and a formatted message; position fields unknown. */
emb_status emb__err(emb_error *err, emb_status code, const char *fmt, ...) EMB_PRINTF(3, 4);
/* Set the position fields of an already-filled error (0 / UINT64_MAX leave them unknown). */
void emb__err_at(emb_error *err, const char *source, uint64_t line, uint64_t column,
                 uint64_t offset);
void emb__err_record(emb_error *err, const char *id, size_t len);
void emb__err_clear(emb_error *err);

/* ------------------------------------------------------------ hashing and map */

uint64_t emb__hash(const void *p, size_t n);

/* Jaro-Winkler similarity of two byte strings, 0..1 (strsim.c). */
double emb__jaro_winkler(emb_str a, emb_str b);
/* Levenshtein distance of two short strings, or cap + 1 once it is over cap. */
size_t emb__edit_distance(emb_str a, emb_str b, size_t cap);

/* Open-addressing map from byte-string keys (copied into its arena) to a uint64 value. */
typedef struct emb__map {
    struct emb__map_slot *slots;
    size_t cap;
    size_t count;
    emb__arena keys;
} emb__map;

void emb__map_init(emb__map *m);
void emb__map_free(emb__map *m);
/* Insert or find key. *slot_value points at the value (0 for a new key); *is_new tells which. */
emb_status emb__map_put(emb__map *m, const char *key, size_t len, uint64_t **slot_value,
                        int *is_new);
/* Value of key, or NULL when absent. */
uint64_t *emb__map_get(const emb__map *m, const char *key, size_t len);
/* Slot i (0 <= i < m->cap) for iteration: 1 and its key and value when used, else 0. */
int emb__map_slot(const emb__map *m, size_t i, const char **key, size_t *len, uint64_t *value);

/* ------------------------------------------------------------ SHA-256 */

typedef struct emb__sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
} emb__sha256;

void emb__sha256_init(emb__sha256 *s);
void emb__sha256_update(emb__sha256 *s, const void *data, size_t n);
/* Finish and write the digest as 64 lower-case hex digits plus NUL. */
void emb__sha256_hex(emb__sha256 *s, char out[65]);

/* ------------------------------------------------------------ logging */

void emb__log(emb_log_level level, const char *component, const char *fmt, ...) EMB_PRINTF(3, 4);

#endif
