/* Country names, codes and demonyms to FtM country codes (binary search, generated table). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "model.h"

static const struct {
    const char *key;
    const char *code;
} table[] = {
#include "country_table.inc"
};

static int cmp(const void *k, const void *e)
{
    return strcmp((const char *)k, *(const char *const *)e);
}

/* The generator's folding: strip marks, lower case, [a-z0-9] words with single spaces,
 * apostrophes removed ("Cote d'Ivoire" -> "cote divoire"). */
static size_t fold(emb_str s, char *out, size_t cap)
{
    size_t n = 0;
    int space = 0;
    size_t i = 0;
    while (i < s.len && n + 2 < cap) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)s.ptr + i,
                                              (utf8proc_ssize_t)(s.len - i), &cp);
        if (w <= 0)
            return 0;
        i += (size_t)w;
        if (cp == '\'' || cp == 0x2019)
            continue;
        utf8proc_int32_t dec[8];
        int opts = UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD;
        utf8proc_ssize_t nd = utf8proc_decompose_char(cp, dec, 8, (utf8proc_option_t)opts, NULL);
        for (utf8proc_ssize_t k = 0; k < nd && k < 8; k++) {
            utf8proc_int32_t c = dec[k];
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (space && n > 0)
                    out[n++] = ' ';
                space = 0;
                if (n + 1 < cap)
                    out[n++] = (char)c;
            } else {
                space = 1;
            }
        }
    }
    out[n] = '\0';
    return n;
}

const char *emb__country_code(emb_str name)
{
    char key[128];
    name = emb__str_trim(name);
    if (name.len == 0 || name.len >= sizeof(key))
        return NULL;
    if (fold(name, key, sizeof(key)) == 0)
        return NULL;
    const char *const *hit =
        bsearch(key, table, EMB_COUNTOF(table), sizeof(table[0]), cmp);
    if (hit != NULL)
        return hit[1];
    /* "the Netherlands", "Republic of Moldova (the)" */
    if (strncmp(key, "the ", 4) == 0) {
        hit = bsearch(key + 4, table, EMB_COUNTOF(table), sizeof(table[0]), cmp);
        if (hit != NULL)
            return hit[1];
    }
    size_t n = strlen(key);
    if (n > 4 && strcmp(key + n - 4, " the") == 0) {
        key[n - 4] = '\0';
        hit = bsearch(key, table, EMB_COUNTOF(table), sizeof(table[0]), cmp);
        if (hit != NULL)
            return hit[1];
    }
    return NULL;
}
