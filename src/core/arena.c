/*
 * Arena: a list of chunks, bump-allocated. Used for per-record entity data (reset after each
 * record) and for map keys. Allocations are 16-byte aligned.
 */
#include <string.h>

#include "core.h"

#define ARENA_MIN_CHUNK ((size_t)64 * 1024)
#define ARENA_ALIGN ((size_t)16)

struct emb__arena_chunk {
    emb__arena_chunk *next;
    size_t size; /* usable bytes after the header */
    /* data follows, aligned */
};

static size_t header_size(void)
{
    return (sizeof(emb__arena_chunk) + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

void *emb__arena_alloc(emb__arena *a, size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    if (a->head == NULL || a->head->size - a->used < n) {
        size_t size = n > ARENA_MIN_CHUNK ? n : ARENA_MIN_CHUNK;
        emb__arena_chunk *c = emb__malloc(header_size() + size);
        if (c == NULL)
            return NULL;
        c->size = size;
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->total += size;
    }
    char *p = (char *)a->head + header_size() + a->used;
    a->used += n;
    return p;
}

char *emb__arena_strndup(emb__arena *a, const char *p, size_t n)
{
    char *z = emb__arena_alloc(a, n + 1);
    if (z == NULL)
        return NULL;
    if (n)
        memcpy(z, p, n);
    z[n] = '\0';
    return z;
}

void emb__arena_reset(emb__arena *a)
{
    emb__arena_chunk *keep = NULL;
    emb__arena_chunk *c = a->head;
    while (c != NULL) {
        emb__arena_chunk *next = c->next;
        if (keep == NULL || c->size > keep->size) {
            emb__free(keep);
            keep = c;
        } else {
            emb__free(c);
        }
        c = next;
    }
    if (keep != NULL)
        keep->next = NULL;
    a->head = keep;
    a->used = 0;
    a->total = keep ? keep->size : 0;
}

void emb__arena_free(emb__arena *a)
{
    emb__arena_chunk *c = a->head;
    while (c != NULL) {
        emb__arena_chunk *next = c->next;
        emb__free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}
