/* UTF-8 validation per RFC 3629 / Unicode Table 3-7 (well-formed byte sequences). */
#include "unicode.h"

int emb__utf8_valid(const char *p, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            goto fail;
        }
        if (n - i < len)
            goto fail;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto fail;
        for (size_t k = 2; k < len; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                goto fail;
        }
        i += len;
    }
    return 1;
fail:
    if (bad != NULL)
        *bad = i;
    return 0;
}

size_t emb__utf8_decode(const char *p, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    if (n == 0) {
        *cp = 0;
        return 0;
    }
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (s[0] < 0xF0 || n < 4) {
        if (n < 3) {
            *cp = s[0];
            return 1;
        }
        *cp = ((uint32_t)(s[0] & 0x0Fu) << 12) | ((uint32_t)(s[1] & 0x3Fu) << 6) |
              (s[2] & 0x3Fu);
        return 3;
    }
    *cp = ((uint32_t)(s[0] & 0x07u) << 18) | ((uint32_t)(s[1] & 0x3Fu) << 12) |
          ((uint32_t)(s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return 4;
}

int emb__has_non_latin(emb_str s)
{
    size_t i = 0;
    while (i < s.len) {
        uint32_t cp;
        size_t w = emb__utf8_decode(s.ptr + i, s.len - i, &cp);
        i += w ? w : 1;
        /* Latin blocks end at U+024F (plus IPA/phonetic extensions and Latin Extended
         * Additional); general punctuation, symbols and combining marks are Common/Inherited. */
        if (cp < 0x0250 || (cp >= 0x0300 && cp < 0x0370) || (cp >= 0x1E00 && cp < 0x1F00) ||
            (cp >= 0x2000 && cp < 0x2E80) || (cp >= 0xFF00 && cp < 0xFF60))
            continue;
        return 1;
    }
    return 0;
}
