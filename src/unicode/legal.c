/*
 * legal: lookups in the generated tables of legal_table.inc.
 *
 * Latin phrases are grouped by their first token. A lookup projects the token (dropping
 * apostrophes and the like) and hashes it in one pass, rejects most tokens with a bit mask of
 * the first tokens' lengths per initial character, then probes an open-addressing table of
 * first tokens (at most a third full), then tries the group's phrases longest first.
 * Han/Kana/Hangul phrases are sorted by first code point, longest first.
 */
#include "legal.h"

#include <string.h>

typedef struct legal_entry {
    const char *rest; /* tokens after the first, space-separated; "" for one-token phrases */
    uint8_t n_rest;
    int16_t canon;    /* index into legal_canon */
    uint8_t kind;     /* emb__legal_kind */
    uint8_t ambiguous;
} legal_entry;

typedef struct legal_group {
    const char *word; /* first token */
    uint8_t len;
    uint16_t start;   /* first entry in legal_entries */
    uint16_t count;
} legal_group;

typedef struct legal_class_entry {
    const char *name;
    emb__legal_class cls;
} legal_class_entry;

typedef struct legal_cjk_entry {
    uint32_t cp;      /* first code point */
    uint8_t len;      /* bytes */
    const char *utf8;
    int16_t canon;    /* -1 for phrases that only block a shorter match */
    uint8_t kind;
} legal_cjk_entry;

#include "legal_table.inc"

/* Longest token worth looking at: every table word is shorter. */
#define LEGAL_TOKEN_MAX 64

/* Projection of a token used for comparison: a-z and 0-9 kept, A-Z lowered, the rest
 * (apostrophes, transliteration marks such as U+02BF) dropped. */
static inline int proj_byte(unsigned char c, unsigned char *out)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        *out = c;
        return 1;
    }
    if (c >= 'A' && c <= 'Z') {
        *out = (unsigned char)(c - 'A' + 'a');
        return 1;
    }
    return 0;
}

/* Compare the projection of t with the plain word w[0..wlen), as strcmp would. */
static int tok_cmp(emb_str t, const char *w, size_t wlen)
{
    size_t k = 0;
    for (size_t j = 0; j < t.len; j++) {
        unsigned char c;
        if (!proj_byte((unsigned char)t.ptr[j], &c))
            continue;
        if (k == wlen)
            return 1;
        unsigned char d = (unsigned char)w[k++];
        if (c != d)
            return c < d ? -1 : 1;
    }
    return k == wlen ? 0 : -1;
}

/* Project a token into key (at most 31 bytes, the longest table word being shorter) and hash
 * it (FNV-1a, as scripts/gen-legal.py); 0 when it is empty or longer. */
static size_t tok_key(emb_str t, char key[32], uint32_t *hash)
{
    size_t n = 0;
    uint32_t h = 2166136261u;
    if (t.ptr == NULL || t.len > LEGAL_TOKEN_MAX)
        return 0;
    for (size_t j = 0; j < t.len; j++) {
        unsigned char c;
        if (!proj_byte((unsigned char)t.ptr[j], &c))
            continue;
        if (n == 31)
            return 0;
        key[n++] = (char)c;
        h = (h ^ c) * 16777619u;
    }
    *hash = h;
    return n;
}

/* 1 when tokens[i..] continue with the space-separated words of rest (n_rest of them). */
static int rest_matches(const emb_str *tokens, size_t n_tokens, size_t i, const char *rest,
                        size_t n_rest)
{
    if (n_rest > n_tokens - i - 1)
        return 0;
    const char *w = rest;
    for (size_t k = 0; k < n_rest; k++) {
        const char *end = strchr(w, ' ');
        size_t wlen = end ? (size_t)(end - w) : strlen(w);
        emb_str t = tokens[i + 1 + k];
        if (t.ptr == NULL || tok_cmp(t, w, wlen) != 0)
            return 0;
        w += wlen + (end ? 1 : 0);
    }
    return 1;
}

size_t emb__legal_match_flags(const emb_str *tokens, size_t n_tokens, size_t i,
                              const char **canon, emb__legal_kind *kind, unsigned *flags)
{
    *canon = NULL;
    *kind = EMB__LEGAL_NONE;
    if (flags != NULL)
        *flags = 0;
    if (tokens == NULL || i >= n_tokens)
        return 0;
    char key[32];
    uint32_t h;
    size_t klen = tok_key(tokens[i], key, &h);
    if (klen == 0)
        return 0;
    unsigned char k0 = (unsigned char)key[0];
    unsigned first = k0 >= 'a' ? (unsigned)(k0 - 'a') : 26u + (unsigned)(k0 - '0');
    if (!(legal_len_mask[first] & (1u << klen)))
        return 0;

    const legal_group *g = NULL;
    for (uint32_t s = h & (LEGAL_HASH_SIZE - 1);; s = (s + 1) & (LEGAL_HASH_SIZE - 1)) {
        uint16_t gi = legal_hash[s];
        if (gi == UINT16_MAX)
            return 0;
        if (legal_groups[gi].len == klen && memcmp(legal_groups[gi].word, key, klen) == 0) {
            g = &legal_groups[gi];
            break;
        }
    }
    /* Entries of a group are sorted longest first: the first that fits wins. */
    for (size_t e = g->start; e < (size_t)g->start + g->count; e++) {
        const legal_entry *en = &legal_entries[e];
        if (!rest_matches(tokens, n_tokens, i, en->rest, en->n_rest))
            continue;
        *canon = legal_canon[en->canon];
        *kind = (emb__legal_kind)en->kind;
        if (flags != NULL)
            *flags = en->ambiguous ? EMB__LEGAL_AMBIGUOUS : 0;
        return (size_t)en->n_rest + 1;
    }
    return 0;
}

size_t emb__legal_match(const emb_str *tokens, size_t n_tokens, size_t i, const char **canon,
                        emb__legal_kind *kind)
{
    return emb__legal_match_flags(tokens, n_tokens, i, canon, kind, NULL);
}

/* Decode one code point of well-formed UTF-8 at p (n bytes); 0 when ill-formed or cut. */
static size_t cjk_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0u) != 0x80u)
            return 0;
        v = (v << 6) | (p[k] & 0x3Fu);
    }
    *cp = v;
    return len;
}

size_t emb__legal_match_cjk(emb_str text, size_t at, const char **canon, emb__legal_kind *kind)
{
    *canon = NULL;
    *kind = EMB__LEGAL_NONE;
    if (text.ptr == NULL || at >= text.len)
        return 0;
    const unsigned char *p = (const unsigned char *)text.ptr + at;
    size_t avail = text.len - at;
    uint32_t cp;
    /* Entries start above U+007F or with '(' ("(株)"): other ASCII is rejected at once. */
    if ((p[0] < 0x80 && p[0] != '(') || cjk_decode(p, avail, &cp) == 0)
        return 0;

    size_t lo = 0, hi = EMB_COUNTOF(legal_cjk);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (legal_cjk[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t e = lo; e < EMB_COUNTOF(legal_cjk) && legal_cjk[e].cp == cp; e++) {
        const legal_cjk_entry *en = &legal_cjk[e];
        if (en->len > avail || memcmp(p, en->utf8, en->len) != 0)
            continue;
        if (en->canon < 0)
            return 0;
        *canon = legal_canon[en->canon];
        *kind = (emb__legal_kind)en->kind;
        return en->len;
    }
    return 0;
}

emb__legal_class emb__legal_class_of(const char *canon)
{
    if (canon == NULL)
        return EMB__LEGAL_CLASS_NONE;
    size_t lo = 0, hi = EMB_COUNTOF(legal_classes);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(canon, legal_classes[mid].name);
        if (c == 0)
            return legal_classes[mid].cls;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return EMB__LEGAL_CLASS_NONE;
}

int emb__legal_compatible(const char *a, const char *b)
{
    emb__legal_class ca = emb__legal_class_of(a);
    emb__legal_class cb = emb__legal_class_of(b);
    if (ca == EMB__LEGAL_CLASS_NONE || cb == EMB__LEGAL_CLASS_NONE)
        return 1;
    return ca == cb;
}
