/*
 * unicode: everything that looks at text as characters. At this layer: UTF-8 validation with
 * the offset of the first bad sequence, and script detection by code point.
 */
#ifndef EMB_UNICODE_H
#define EMB_UNICODE_H

#include "../core/core.h"

/*
 * 1 when [p, p+n) is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF),
 * else 0 with *bad set to the byte offset of the first ill-formed sequence (bad may be NULL).
 */
int emb__utf8_valid(const char *p, size_t n, size_t *bad);

/* Decode one code point at p (n bytes available, input already valid); returns its length. */
size_t emb__utf8_decode(const char *p, size_t n, uint32_t *cp);

/* 1 when s contains a letter outside the Latin, Common and Inherited scripts. */
int emb__has_non_latin(emb_str s);

/*
 * Fold a name for comparison into out: NFKC, case fold, strip marks, punctuation and spaces
 * to single spaces, trimmed. Input must be valid UTF-8.
 */
emb_status emb__fold(emb_str in, emb__buf *out);

#endif
