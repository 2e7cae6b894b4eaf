/*
 * All library allocations go through one replaceable table so that tests can fail the Nth
 * allocation (curl's torture mode) and embedders can use their own allocator.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void *libc_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void *libc_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return realloc(p, n);
}

static void libc_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static emb_allocator g_alc = {libc_malloc, libc_realloc, libc_free, NULL};

void emb_set_allocator(const emb_allocator *alc)
{
    if (alc == NULL) {
        g_alc.malloc = libc_malloc;
        g_alc.realloc = libc_realloc;
        g_alc.free = libc_free;
        g_alc.ctx = NULL;
        return;
    }
    g_alc = *alc;
}

void *emb__malloc(size_t n)
{
    return g_alc.malloc(g_alc.ctx, n ? n : 1);
}

void *emb__calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = emb__malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *emb__realloc(void *ptr, size_t n)
{
    return g_alc.realloc(g_alc.ctx, ptr, n ? n : 1);
}

void emb__free(void *ptr)
{
    if (ptr != NULL)
        g_alc.free(g_alc.ctx, ptr);
}

char *emb__strndup(const char *p, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *z = emb__malloc(n + 1);
    if (z == NULL)
        return NULL;
    if (n)
        memcpy(z, p, n);
    z[n] = '\0';
    return z;
}

emb_status emb__grow(void **items, size_t *cap, size_t size, size_t need, size_t max)
{
    if (need <= *cap)
        return EMB_OK;
    if (need > max)
        return EMB_ELIMIT;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need)
        ncap = ncap > max / 2 ? max : ncap * 2;
    if (size != 0 && ncap > SIZE_MAX / size)
        return EMB_ENOMEM;
    void *p = emb__realloc(*items, ncap * size);
    if (p == NULL)
        return EMB_ENOMEM;
    *items = p;
    *cap = ncap;
    return EMB_OK;
}
