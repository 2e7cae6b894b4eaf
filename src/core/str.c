/* String slices: trimming, comparisons and number parsing without NUL termination. */
#include <errno.h>
#include <string.h>

#include "core.h"

emb_str emb__str_cstr(const char *z)
{
    return emb__str(z, z ? strlen(z) : 0);
}

static int is_space_at(const char *p, size_t avail, size_t *width)
{
    unsigned char c = (unsigned char)p[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        *width = 1;
        return 1;
    }
    /* U+00A0 NO-BREAK SPACE, common in EU and UK exports */
    if (c == 0xC2 && avail >= 2 && (unsigned char)p[1] == 0xA0) {
        *width = 2;
        return 1;
    }
    return 0;
}

emb_str emb__str_trim(emb_str s)
{
    size_t w;
    while (s.len > 0 && is_space_at(s.ptr, s.len, &w)) {
        s.ptr += w;
        s.len -= w;
    }
    while (s.len > 0) {
        unsigned char c = (unsigned char)s.ptr[s.len - 1];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            s.len--;
        } else if (c == 0xA0 && s.len >= 2 && (unsigned char)s.ptr[s.len - 2] == 0xC2) {
            s.len -= 2;
        } else {
            break;
        }
    }
    return s;
}

int emb__str_eq(emb_str a, emb_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int emb__str_ieq(emb_str a, const char *z)
{
    size_t n = strlen(z);
    if (a.len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (lower((unsigned char)a.ptr[i]) != lower((unsigned char)z[i]))
            return 0;
    }
    return 1;
}

int emb__str_istarts(emb_str a, const char *z)
{
    size_t n = strlen(z);
    if (a.len < n)
        return 0;
    return emb__str_ieq(emb__str(a.ptr, n), z);
}

int emb__str_blank(emb_str s)
{
    s = emb__str_trim(s);
    return s.len == 0 || (s.len == 3 && memcmp(s.ptr, "-0-", 3) == 0);
}

int emb__str_to_u64(emb_str s, uint64_t *out)
{
    if (s.len == 0 || s.len > 20)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < '0' || c > '9')
            return 0;
        uint64_t d = (uint64_t)(c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

long emb__str_ifind(emb_str hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    for (size_t i = 0; i + n <= hay.len; i++) {
        if (emb__str_ieq(emb__str(hay.ptr + i, n), needle))
            return (long)i;
    }
    return -1;
}
