/* Capped growable buffer (curl dynbuf): every append can fail with EMB_ENOMEM or EMB_ELIMIT. */
#include <stdio.h>
#include <string.h>

#include "core.h"

void emb__buf_init(emb__buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static emb_status reserve(emb__buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return EMB_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return EMB_OK;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    char *p = emb__realloc(b->ptr, ncap);
    if (p == NULL)
        return EMB_ENOMEM;
    b->ptr = p;
    b->cap = ncap;
    return EMB_OK;
}

emb_status emb__buf_append(emb__buf *b, const void *p, size_t n)
{
    emb_status rc = reserve(b, n);
    if (rc != EMB_OK)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return EMB_OK;
}

emb_status emb__buf_putc(emb__buf *b, char c)
{
    return emb__buf_append(b, &c, 1);
}

emb_status emb__buf_printf(emb__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return EMB_EINVAL;
    emb_status rc = reserve(b, (size_t)n);
    if (rc != EMB_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return EMB_OK;
}

void emb__buf_reset(emb__buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

void emb__buf_free(emb__buf *b)
{
    emb__free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}
