/*
 * The name pipeline (see names.h). Everything here runs once per list name at build time and
 * once per query at screening time, so the Latin path touches each byte a few times and never
 * allocates once the buffers have grown; only non-Latin runs reach ICU, through a cache.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "legal.h"
#include "metaphone.h"
#include "names.h"
#include "unicode.h"

struct emb__normalizer {
    emb__translit *tr;
    emb__buf fixed;    /* the folded name after homoglyph repair */
    emb__buf latin;    /* pending Latin text: [a-z0-9], spaces and '-' */
    emb__buf run;      /* pending non-Latin run, UTF-8 */
    emb__buf tl;       /* transliteration output */
    emb__buf seg;      /* an unmatched Han segment */
    emb__script run_script;
    emb__tok *scratch; /* the token list being rewritten by the legal-form pass */
    size_t cap_scratch;
};

static const char *const tok_kind_names[EMB__TOK_KIND_MAX_] = {
    "word", "number", "initial", "legal", "org"};
static const char *const key_kind_names[EMB__KEY_KIND_MAX_] = {
    "token", "joined", "ngram", "phonetic", "skeleton", "initials", "original", "script"};

const char *emb__tok_kind_name(emb__tok_kind k)
{
    return (unsigned)k < EMB__TOK_KIND_MAX_ ? tok_kind_names[k] : "";
}

const char *emb__key_kind_name(emb__key_kind k)
{
    return (unsigned)k < EMB__KEY_KIND_MAX_ ? key_kind_names[k] : "";
}

void emb__nname_init(emb__nname *n)
{
    memset(n, 0, sizeof(*n));
    emb__buf_init(&n->text, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&n->original, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&n->compare, EMB_LIMIT_FIELD_BYTES);
}

void emb__nname_free(emb__nname *n)
{
    emb__buf_free(&n->text);
    emb__buf_free(&n->original);
    emb__buf_free(&n->compare);
    emb__free(n->toks);
    memset(n, 0, sizeof(*n));
}

emb_status emb__normalizer_new(size_t cache_entries, emb__normalizer **out)
{
    emb__normalizer *nz = emb__calloc(1, sizeof(*nz));
    if (nz == NULL)
        return EMB_ENOMEM;
    emb_status rc = emb__translit_new(cache_entries, &nz->tr);
    if (rc != EMB_OK) {
        emb__free(nz);
        return rc;
    }
    emb__buf_init(&nz->fixed, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&nz->latin, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&nz->run, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&nz->tl, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&nz->seg, EMB_LIMIT_FIELD_BYTES);
    *out = nz;
    return EMB_OK;
}

void emb__normalizer_free(emb__normalizer *nz)
{
    if (nz == NULL)
        return;
    emb__translit_free(nz->tr);
    emb__buf_free(&nz->fixed);
    emb__buf_free(&nz->latin);
    emb__buf_free(&nz->run);
    emb__buf_free(&nz->tl);
    emb__buf_free(&nz->seg);
    emb__free(nz->scratch);
    emb__free(nz);
}

void emb__normalizer_stats(const emb__normalizer *nz, uint64_t *hits, uint64_t *misses)
{
    emb__translit_stats(nz->tr, hits, misses);
}

/* ------------------------------------------------------------ tokens */

static emb__tok_kind kind_of(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            return EMB__TOK_NUMBER;
    }
    return n == 1 ? EMB__TOK_INITIAL : EMB__TOK_WORD;
}

static emb_status push_tok(emb__nname *out, const char *p, size_t n, emb__tok_kind kind,
                           emb__script script, unsigned flags)
{
    if (n == 0)
        return EMB_OK;
    if (n > UINT16_MAX)
        return EMB_ELIMIT;
    if (out->n_toks >= EMB__NAME_MAX_TOKENS)
        return EMB_ELIMIT;
    emb_status rc = emb__grow((void **)&out->toks, &out->cap_toks, sizeof(emb__tok),
                              out->n_toks + 1, EMB__NAME_MAX_TOKENS);
    if (rc != EMB_OK)
        return rc;
    emb__tok *t = &out->toks[out->n_toks];
    t->off = (uint32_t)out->text.len;
    t->len = (uint16_t)n;
    t->kind = (uint8_t)kind;
    t->script = (uint8_t)script;
    t->flags = (uint8_t)flags;
    rc = emb__buf_append(&out->text, p, n);
    if (rc == EMB_OK)
        rc = emb__buf_putc(&out->text, '\0');
    if (rc == EMB_OK)
        out->n_toks++;
    return rc;
}

/* Split space-separated words and push each; canonical legal text may hold several words. */
static emb_status push_words(emb__nname *out, emb_str s, int kind, emb__script script,
                             unsigned flags)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && s.ptr[i] == ' ')
            i++;
        size_t j = i;
        while (j < s.len && s.ptr[j] != ' ')
            j++;
        if (j > i) {
            emb__tok_kind k = kind >= 0 ? (emb__tok_kind)kind : kind_of(s.ptr + i, j - i);
            /* a one-letter syllable (Korean 이 "i", Chinese 鄂 "e") is a word, not an initial */
            if (k == EMB__TOK_INITIAL && (flags & EMB__TOKF_SYLLABLE))
                k = EMB__TOK_WORD;
            emb_status rc = push_tok(out, s.ptr + i, j - i, k, script, flags);
            if (rc != EMB_OK)
                return rc;
        }
        i = j;
    }
    return EMB_OK;
}

/* Push the adjacent joins of the syllable tokens [first, n_toks): bigrams, and the whole
 * segment when it has three or four syllables (city and brand names: 乌鲁木齐 wulumuqi). */
static emb_status push_joins(emb__nname *out, size_t first, emb__script script)
{
    size_t last = out->n_toks;
    char buf[256];
    for (size_t i = first; i + 1 < last; i++) {
        emb_str a = emb__nname_tok(out, i), b = emb__nname_tok(out, i + 1);
        if (a.len + b.len >= sizeof(buf))
            continue;
        memcpy(buf, a.ptr, a.len);
        memcpy(buf + a.len, b.ptr, b.len);
        emb_status rc = push_tok(out, buf, a.len + b.len, EMB__TOK_WORD, script,
                                 EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
        if (rc != EMB_OK)
            return rc;
    }
    size_t n = last - first;
    if (n == 3 || n == 4) {
        size_t len = 0;
        for (size_t i = first; i < last; i++) {
            emb_str a = emb__nname_tok(out, i);
            if (len + a.len >= sizeof(buf))
                return EMB_OK;
            memcpy(buf + len, a.ptr, a.len);
            len += a.len;
        }
        return push_tok(out, buf, len, EMB__TOK_WORD, script,
                        EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
    }
    return EMB_OK;
}

/* Tokenise pending Latin text: words and numbers split on spaces; a hyphenated word gives its
 * parts and, as an alternative, the parts joined ("al-qaida": al, qaida, alqaida). */
static emb_status flush_latin(emb__normalizer *nz, emb__nname *out)
{
    emb__buf *b = &nz->latin;
    size_t i = 0;
    emb_status rc = EMB_OK;
    while (i < b->len && rc == EMB_OK) {
        while (i < b->len && (b->ptr[i] == ' ' || b->ptr[i] == '-'))
            i++;
        size_t j = i;
        while (j < b->len && b->ptr[j] != ' ')
            j++;
        /* [i, j) is a word that may hold hyphens */
        size_t parts = 0, k = i;
        char joined[256];
        size_t jl = 0;
        while (k < j && rc == EMB_OK) {
            size_t e = k;
            while (e < j && b->ptr[e] != '-')
                e++;
            if (e > k) {
                rc = push_tok(out, b->ptr + k, e - k, kind_of(b->ptr + k, e - k),
                              EMB__SCRIPT_LATIN, 0);
                if (jl + (e - k) < sizeof(joined)) {
                    memcpy(joined + jl, b->ptr + k, e - k);
                    jl += e - k;
                }
                parts++;
            }
            k = e + 1;
        }
        if (rc == EMB_OK && parts > 1)
            rc = push_tok(out, joined, jl, kind_of(joined, jl), EMB__SCRIPT_LATIN,
                          EMB__TOKF_JOINED);
        i = j;
    }
    emb__buf_reset(b);
    return rc;
}

/* Transliterate one Han/Kana segment into syllable tokens plus their joins. */
static emb_status flush_segment(emb__normalizer *nz, emb__nname *out, emb__script script)
{
    if (nz->seg.len == 0)
        return EMB_OK;
    emb__buf_reset(&nz->tl);
    emb_status rc = emb__translit_run(nz->tr, script, emb__str(nz->seg.ptr, nz->seg.len), &nz->tl);
    emb__buf_reset(&nz->seg);
    if (rc != EMB_OK)
        return rc;
    size_t first = out->n_toks;
    unsigned flags = EMB__TOKF_TRANSLIT | (script == EMB__SCRIPT_HAN ? EMB__TOKF_SYLLABLE : 0u);
    rc = push_words(out, emb__str(nz->tl.ptr, nz->tl.len), -1, script, flags);
    if (rc == EMB_OK && script == EMB__SCRIPT_HAN)
        rc = push_joins(out, first, script);
    return rc;
}

/* Ukrainian and Belarusian г is h, Russian г is g: the same person is Hennadiy in one list
 * and Gennadiy in another. A transliterated word with a lone h also gets its g spelling. */
static emb_status push_g_variants(emb__nname *out, size_t first)
{
    size_t last = out->n_toks;
    for (size_t i = first; i < last; i++) {
        emb_str t = emb__nname_tok(out, i);
        char buf[128];
        if (t.len >= sizeof(buf))
            continue;
        int any = 0;
        for (size_t k = 0; k < t.len; k++) {
            char c = t.ptr[k];
            char prev = k > 0 ? t.ptr[k - 1] : 0;
            if (c == 'h' && prev != 'k' && prev != 'z' && prev != 's' && prev != 'c') {
                c = 'g';
                any = 1;
            }
            buf[k] = c;
        }
        if (any) {
            emb_status rc = push_tok(out, buf, t.len, kind_of(buf, t.len), EMB__SCRIPT_CYRILLIC,
                                     EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
            if (rc != EMB_OK)
                return rc;
        }
    }
    return EMB_OK;
}

/* Korean names on lists are mostly written in McCune-Reischauer or in the customary
 * spellings (Kim Jong Un, Park Geun-hye), not in the Revised Romanization the transliterator
 * gives (gim jeong eun, bak geun hye). Each syllable also gets its customary spelling: the
 * surnames lists use, then MR's unvoiced initials (g k, d t, b p) and its vowels (eo o,
 * eu u); the variants are joined pairwise like the syllables themselves. */
static const struct {
    const char *rr, *popular;
} korean_surnames[] = {
    {"gim", "kim"},   {"bak", "park"},  {"i", "lee"},     {"choe", "choi"}, {"jeong", "jung"},
    {"gang", "kang"}, {"jo", "cho"},    {"yun", "yoon"},  {"jang", "jang"}, {"im", "lim"},
    {"han", "han"},   {"o", "oh"},      {"seo", "suh"},   {"sin", "shin"},  {"gwon", "kwon"},
    {"hwang", "hwang"}, {"ri", "ri"},   {"gu", "koo"},    {"no", "roh"},    {"ryu", "ryu"},
};

static size_t korean_variant(emb_str t, int first_syllable, char *out, size_t cap)
{
    if (first_syllable) {
        for (size_t k = 0; k < EMB_COUNTOF(korean_surnames); k++) {
            if (emb__str_ieq(t, korean_surnames[k].rr)) {
                size_t n = strlen(korean_surnames[k].popular);
                memcpy(out, korean_surnames[k].popular, n);
                return n;
            }
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < t.len && n + 2 < cap; i++) {
        char c = t.ptr[i];
        if (i == 0 && (c == 'g' || c == 'd' || c == 'b')) {
            out[n++] = c == 'g' ? 'k' : (c == 'd' ? 't' : 'p');
            continue;
        }
        if (c == 'e' && i + 1 < t.len && (t.ptr[i + 1] == 'o' || t.ptr[i + 1] == 'u')) {
            out[n++] = t.ptr[i + 1] == 'o' ? 'o' : 'u';
            i++;
            continue;
        }
        out[n++] = c;
    }
    return n;
}

static emb_status push_hangul_variants(emb__nname *out, size_t first)
{
    size_t last = out->n_toks;
    char prev[64];
    size_t prev_len = 0;
    for (size_t i = first; i < last; i++) {
        if (!(out->toks[i].flags & EMB__TOKF_SYLLABLE))
            continue;
        emb_str t = emb__nname_tok(out, i);
        char v[64];
        if (t.len >= sizeof(v))
            continue;
        size_t n = korean_variant(t, i == first, v, sizeof(v));
        emb_status rc = EMB_OK;
        if (n > 0 && !emb__str_eq(emb__str(v, n), t))
            rc = push_tok(out, v, n, kind_of(v, n), EMB__SCRIPT_HANGUL,
                          EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
        /* the given name joined in its customary spelling: "jong" + "un" */
        if (rc == EMB_OK && prev_len > 0 && i > first + 1 && prev_len + n < sizeof(prev)) {
            char j[128];
            memcpy(j, prev, prev_len);
            memcpy(j + prev_len, v, n);
            rc = push_tok(out, j, prev_len + n, kind_of(j, prev_len + n), EMB__SCRIPT_HANGUL,
                          EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
        }
        if (rc != EMB_OK)
            return rc;
        memcpy(prev, v, n);
        prev_len = n;
    }
    return EMB_OK;
}

/* Arabic writes the article joined to its word (الراوي -> "alrawy"), Latin spellings mostly
 * apart ("al-Rawi", "Rawi"): a transliterated word starting with "al" also gets the rest. */
static emb_status push_article_variants(emb__nname *out, size_t first)
{
    size_t last = out->n_toks;
    for (size_t i = first; i < last; i++) {
        emb_str t = emb__nname_tok(out, i);
        char buf[128];
        if (t.len > 4 && t.len < sizeof(buf) && t.ptr[0] == 'a' && t.ptr[1] == 'l') {
            /* copied first: pushing may move the text buffer t points into */
            memcpy(buf, t.ptr + 2, t.len - 2);
            emb_status rc = push_tok(out, buf, t.len - 2, kind_of(buf, t.len - 2),
                                     EMB__SCRIPT_ARABIC, EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
            if (rc != EMB_OK)
                return rc;
        }
    }
    return EMB_OK;
}

/* The pinyin of a matched business word, joined into one alternative token ("keji"). */
static emb_status push_pinyin_alternative(emb__normalizer *nz, emb__nname *out,
                                          emb__script script, emb_str phrase)
{
    emb__buf_reset(&nz->tl);
    emb_status rc = emb__translit_run(nz->tr, script, phrase, &nz->tl);
    if (rc != EMB_OK)
        return rc;
    char buf[128];
    size_t n = 0;
    for (size_t i = 0; i < nz->tl.len && n < sizeof(buf); i++) {
        if (nz->tl.ptr[i] != ' ')
            buf[n++] = nz->tl.ptr[i];
    }
    if (n == 0 || n == sizeof(buf))
        return EMB_OK;
    return push_tok(out, buf, n, kind_of(buf, n), script, EMB__TOKF_TRANSLIT | EMB__TOKF_JOINED);
}

/* A run of one non-Latin script. Han and Kana have no spaces: legal forms and business words
 * are found in the original script first (有限公司 -> ltd, 信息技术 -> information
 * technology), and what lies between them is transliterated. */
static emb_status flush_run(emb__normalizer *nz, emb__nname *out)
{
    emb__buf *r = &nz->run;
    if (r->len == 0)
        return EMB_OK;
    emb__script script = nz->run_script;
    emb_status rc = EMB_OK;
    if (script == EMB__SCRIPT_HAN || script == EMB__SCRIPT_KANA) {
        emb_str text = emb__str(r->ptr, r->len);
        size_t at = 0;
        while (at < text.len && rc == EMB_OK) {
            const char *canon = NULL;
            emb__legal_kind lk = EMB__LEGAL_NONE;
            size_t m = emb__legal_match_cjk(text, at, &canon, &lk);
            if (m > 0 && canon != NULL) {
                rc = flush_segment(nz, out, script);
                if (rc == EMB_OK)
                    rc = push_words(out, emb__str_cstr(canon),
                                    lk == EMB__LEGAL_FORM ? EMB__TOK_LEGAL : EMB__TOK_ORG,
                                    script, EMB__TOKF_TRANSLIT);
                /* some lists spell business words in pinyin ("Keji" for 科技): keep it too */
                if (rc == EMB_OK && lk == EMB__LEGAL_ORG)
                    rc = push_pinyin_alternative(nz, out, script, emb__str(text.ptr + at, m));
                at += m;
                continue;
            }
            uint32_t cp;
            size_t w = emb__utf8_decode(text.ptr + at, text.len - at, &cp);
            if (w == 0)
                break;
            if (cp == ' ')
                rc = flush_segment(nz, out, script);
            else
                rc = emb__buf_append(&nz->seg, text.ptr + at, w);
            at += w;
        }
        if (rc == EMB_OK)
            rc = flush_segment(nz, out, script);
    } else {
        emb__buf_reset(&nz->tl);
        rc = emb__translit_run(nz->tr, script, emb__str(r->ptr, r->len), &nz->tl);
        size_t first = out->n_toks;
        unsigned flags = EMB__TOKF_TRANSLIT |
                         (script == EMB__SCRIPT_HANGUL ? EMB__TOKF_SYLLABLE : 0u);
        if (rc == EMB_OK)
            rc = push_words(out, emb__str(nz->tl.ptr, nz->tl.len), -1, script, flags);
        /* Korean given names are two syllables written as one word ("jong un", "jongun") */
        if (rc == EMB_OK && script == EMB__SCRIPT_HANGUL)
            rc = push_joins(out, first, script);
        if (rc == EMB_OK && script == EMB__SCRIPT_HANGUL)
            rc = push_hangul_variants(out, first);
        if (rc == EMB_OK && script == EMB__SCRIPT_CYRILLIC)
            rc = push_g_variants(out, first);
        if (rc == EMB_OK && script == EMB__SCRIPT_ARABIC)
            rc = push_article_variants(out, first);
    }
    emb__buf_reset(r);
    return rc;
}

/* Latin letters that neither decompose nor case-fold to ASCII. */
static const char *latin_special(uint32_t cp)
{
    switch (cp) {
    case 0x0131: return "i";  /* dotless i (Turkish) */
    case 0x00E6: return "ae";
    case 0x0153: return "oe";
    case 0x00F8: return "o";
    case 0x0111: return "d";  /* đ (Vietnamese, Croatian) */
    case 0x00F0: return "d";  /* ð */
    case 0x00FE: return "th"; /* þ */
    case 0x0142: return "l";  /* ł (Polish) */
    case 0x0127: return "h";  /* ħ (Maltese) */
    case 0x014B: return "ng"; /* ŋ */
    case 0x0138: return "k";
    case 0x0140: return "l";
    case 0x0259: return "e";  /* ə (Azerbaijani) */
    case 0x0180: return "b";
    case 0x01B6: return "z";
    case 0x0254: return "o";
    case 0x025B: return "e";
    default: return NULL;
    }
}

/* Apostrophes and letter modifiers that join the parts of a word: O'Brien, Ma'mun, ʿAbd. */
static int is_joiner(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
           cp == 0x02BE || cp == 0x02BF || cp == 0x0060 || cp == 0x00B4 || cp == 0x02B9 ||
           cp == 0x02BA;
}

static int is_hyphen(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
           cp == 0x2212 || cp == 0x00AD;
}

/* Append one Latin code point (already case-folded) as ASCII: marks stripped. */
static emb_status latin_cp(emb__buf *b, uint32_t cp)
{
    if (cp < 0x80)
        return emb__buf_putc(b, (char)cp);
    const char *sp = latin_special(cp);
    if (sp != NULL)
        return emb__buf_append(b, sp, strlen(sp));
    utf8proc_int32_t dec[8];
    utf8proc_ssize_t nd = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, dec, 8,
        (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK |
                            UTF8PROC_CASEFOLD),
        NULL);
    for (utf8proc_ssize_t k = 0; k < nd && k < 8; k++) {
        utf8proc_int32_t c = dec[k];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            emb_status rc = emb__buf_putc(b, (char)c);
            if (rc != EMB_OK)
                return rc;
        } else if (c >= 0x80 && latin_special((uint32_t)c) != NULL) {
            const char *s2 = latin_special((uint32_t)c);
            emb_status rc = emb__buf_append(b, s2, strlen(s2));
            if (rc != EMB_OK)
                return rc;
        }
    }
    return EMB_OK;
}

static emb_status add_original(emb__nname *out, const char *p, size_t n, int space)
{
    emb__buf *o = &out->original;
    if (space) {
        if (o->len > 0 && o->ptr[o->len - 1] != ' ')
            return emb__buf_putc(o, ' ');
        return EMB_OK;
    }
    return emb__buf_append(o, p, n);
}

/* ------------------------------------------------------------ legal forms */

/* A one-token legal form ("co", "sa", "ao", "ooo") only counts at either end of the name,
 * where forms are written ("Banco SA", "OOO Romashka", "Anxun Co Ltd"); in the middle it is
 * more likely part of the name ("AS Trading", "Sa Ra Co"). Longer forms count anywhere. */
static emb_status legal_pass(emb__normalizer *nz, emb__nname *out)
{
    size_t n = out->n_toks;
    if (n == 0)
        return EMB_OK;
    emb_str strs[EMB__NAME_MAX_TOKENS];
    size_t map[EMB__NAME_MAX_TOKENS]; /* base position -> token index */
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        const emb__tok *t = &out->toks[i];
        if ((t->flags & EMB__TOKF_JOINED) || t->kind == EMB__TOK_LEGAL || t->kind == EMB__TOK_ORG)
            continue;
        map[nb] = i;
        strs[nb++] = emb__nname_tok(out, i);
    }
    size_t span[EMB__NAME_MAX_TOKENS];
    const char *canon[EMB__NAME_MAX_TOKENS];
    emb__legal_kind kind[EMB__NAME_MAX_TOKENS];
    int any = 0;
    for (size_t i = 0; i < nb;) {
        span[i] = emb__legal_match(strs, nb, i, &canon[i], &kind[i]);
        if (span[i] == 0 || canon[i] == NULL) {
            span[i] = 0;
            i++;
            continue;
        }
        any = 1;
        for (size_t k = 1; k < span[i]; k++)
            span[i + k] = 0, kind[i + k] = EMB__LEGAL_NONE;
        i += span[i];
    }
    if (!any)
        return EMB_OK;
    /* Forms written at the edges: a run of legal forms at the start ("OOO", "PJSC") or at the
     * end ("Co Ltd", "SA"). Spelled-out letters ("a b", "s a") are also initials, so they
     * count only at the end, where initials are not written. */
    unsigned char accept[EMB__NAME_MAX_TOKENS] = {0};
    unsigned char letters[EMB__NAME_MAX_TOKENS] = {0};
    for (size_t i = 0; i < nb; i++) {
        if (span[i] == 0)
            continue;
        letters[i] = 1;
        for (size_t k = 0; k < span[i]; k++)
            letters[i] &= strs[i + k].len == 1;
    }
    for (size_t i = 0; i < nb && span[i] > 0 && kind[i] == EMB__LEGAL_FORM && !letters[i];
         i += span[i])
        accept[i] = 1;
    size_t tail_start = nb;
    for (size_t i = 0; i < nb;) {
        if (span[i] == 0 || kind[i] != EMB__LEGAL_FORM) {
            tail_start = nb;
            i += span[i] ? span[i] : 1;
            continue;
        }
        if (tail_start == nb)
            tail_start = i;
        i += span[i];
    }
    for (size_t i = 0; i < nb; i++) {
        if (span[i] == 0)
            continue;
        if (kind[i] == EMB__LEGAL_ORG || i >= tail_start || (span[i] > 1 && !letters[i]))
            accept[i] = 1;
    }
    /* rewrite: tokens in order, accepted spans replaced by their canonical words */
    emb_status rc = emb__grow((void **)&nz->scratch, &nz->cap_scratch, sizeof(emb__tok), n,
                              EMB__NAME_MAX_TOKENS);
    if (rc != EMB_OK)
        return rc;
    memcpy(nz->scratch, out->toks, n * sizeof(emb__tok));
    size_t old_n = n;
    out->n_toks = 0;
    size_t b = 0;
    for (size_t i = 0; i < old_n && rc == EMB_OK; i++) {
        const emb__tok t = nz->scratch[i];
        int is_base = b < nb && map[b] == i;
        if (is_base && span[b] > 0 && accept[b]) {
            emb__legal_kind k = kind[b];
            rc = push_words(out, emb__str_cstr(canon[b]),
                            k == EMB__LEGAL_FORM ? EMB__TOK_LEGAL : EMB__TOK_ORG,
                            (emb__script)t.script, t.flags & EMB__TOKF_TRANSLIT);
            size_t skip = span[b] - 1; /* the other tokens of the span */
            b++;
            while (skip > 0 && i + 1 < old_n) {
                i++;
                if (b < nb && map[b] == i) {
                    b++;
                    skip--;
                }
            }
            continue;
        }
        if (is_base)
            b++;
        /* token text stays where it is in out->text: re-point rather than copy; a canonical
         * phrase may have added more tokens than its span removed, so make room */
        rc = emb__grow((void **)&out->toks, &out->cap_toks, sizeof(emb__tok), out->n_toks + 1,
                       EMB__NAME_MAX_TOKENS);
        if (rc != EMB_OK)
            return rc;
        out->toks[out->n_toks++] = t;
    }
    return rc;
}

/* ------------------------------------------------------------ homoglyphs */

/* Latin and Cyrillic letters that look alike (lower case, after folding). Lists mix them
 * inside one word ("ЦАPËВ" with a Latin P, "Iгор" with a Latin I), and so do evasive
 * spellings; a word is read in the script most of its letters are in. */
static const struct {
    uint32_t latin, cyrillic;
} glyphs[] = {
    {'a', 0x0430}, {'b', 0x0432}, {'c', 0x0441}, {'e', 0x0435}, {'h', 0x043D}, {'i', 0x0456},
    {'j', 0x0458}, {'k', 0x043A}, {'m', 0x043C}, {'o', 0x043E}, {'p', 0x0440}, {'s', 0x0455},
    {'t', 0x0442}, {'x', 0x0445}, {'y', 0x0443}, {0x00EB, 0x0451}, {0x00EF, 0x0457},
};

static uint32_t glyph_swap(uint32_t cp, int to_cyrillic)
{
    for (size_t i = 0; i < EMB_COUNTOF(glyphs); i++) {
        if (to_cyrillic && glyphs[i].latin == cp)
            return glyphs[i].cyrillic;
        if (!to_cyrillic && glyphs[i].cyrillic == cp)
            return glyphs[i].latin;
    }
    return 0;
}

static int is_letter_cat(utf8proc_category_t c)
{
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Copy s into nz->fixed, rewriting the minority letters of every mixed Latin/Cyrillic word
 * when each of them has a look-alike in the majority script. Returns 1 when anything changed. */
static int repair_homoglyphs(emb__normalizer *nz, const utf8proc_uint8_t *s, utf8proc_ssize_t n)
{
    int changed = 0;
    emb__buf_reset(&nz->fixed);
    utf8proc_ssize_t i = 0;
    while (i < n) {
        /* one word: a run of letters and marks */
        utf8proc_ssize_t start = i;
        size_t lat = 0, cyr = 0, other = 0;
        int swappable_lat = 1, swappable_cyr = 1;
        while (i < n) {
            utf8proc_int32_t c;
            utf8proc_ssize_t w = utf8proc_iterate(s + i, n - i, &c);
            if (w <= 0)
                return 0;
            utf8proc_category_t cat = utf8proc_category(c);
            if (!is_letter_cat(cat) && cat != UTF8PROC_CATEGORY_MN)
                break;
            if (is_letter_cat(cat)) {
                emb__script sc = c < 0x80 ? EMB__SCRIPT_LATIN : emb__script_of((uint32_t)c);
                if (sc == EMB__SCRIPT_LATIN) {
                    lat++;
                    swappable_lat &= glyph_swap((uint32_t)c, 1) != 0;
                } else if (sc == EMB__SCRIPT_CYRILLIC) {
                    cyr++;
                    swappable_cyr &= glyph_swap((uint32_t)c, 0) != 0;
                } else {
                    other++;
                }
            }
            i += w;
        }
        int to = -1; /* 1: rewrite Latin letters as Cyrillic, 0: Cyrillic as Latin */
        if (lat && cyr && !other) {
            if (cyr >= lat && swappable_lat)
                to = 1;
            else if (lat > cyr && swappable_cyr)
                to = 0;
        }
        for (utf8proc_ssize_t k = start; k < i;) {
            utf8proc_int32_t c;
            utf8proc_ssize_t w = utf8proc_iterate(s + k, i - k, &c);
            uint32_t sw = 0;
            if (to >= 0) {
                emb__script sc = c < 0x80 ? EMB__SCRIPT_LATIN : emb__script_of((uint32_t)c);
                if ((to == 1 && sc == EMB__SCRIPT_LATIN) || (to == 0 && sc == EMB__SCRIPT_CYRILLIC))
                    sw = glyph_swap((uint32_t)c, to);
            }
            if (sw != 0) {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t el = utf8proc_encode_char((utf8proc_int32_t)sw, enc);
                if (emb__buf_append(&nz->fixed, enc, (size_t)el) != EMB_OK)
                    return 0;
                changed = 1;
            } else if (emb__buf_append(&nz->fixed, s + k, (size_t)w) != EMB_OK) {
                return 0;
            }
            k += w;
        }
        /* the separator after the word */
        if (i < n) {
            utf8proc_int32_t c;
            utf8proc_ssize_t w = utf8proc_iterate(s + i, n - i, &c);
            if (w <= 0 || emb__buf_append(&nz->fixed, s + i, (size_t)w) != EMB_OK)
                return 0;
            i += w;
        }
    }
    return changed;
}

/* ------------------------------------------------------------ the pipeline */

static emb_status build_compare(emb__nname *out)
{
    emb__buf_reset(&out->compare);
    emb_status rc = emb__buf_append(&out->compare, "", 0);
    for (size_t i = 0; i < out->n_toks && rc == EMB_OK; i++) {
        if (out->toks[i].flags & EMB__TOKF_JOINED)
            continue;
        if (out->compare.len > 0)
            rc = emb__buf_putc(&out->compare, ' ');
        if (rc == EMB_OK) {
            emb_str t = emb__nname_tok(out, i);
            rc = emb__buf_append(&out->compare, t.ptr, t.len);
        }
    }
    return rc;
}

static void reset_name(emb__nname *out)
{
    emb__buf_reset(&out->text);
    emb__buf_reset(&out->original);
    emb__buf_reset(&out->compare);
    out->n_toks = 0;
    out->scripts = 0;
}

static emb_status walk(emb__normalizer *nz, const utf8proc_uint8_t *s, utf8proc_ssize_t n,
                       emb__nname *out)
{
    emb_status rc = EMB_OK;
    utf8proc_ssize_t i = 0;
    while (i < n && rc == EMB_OK) {
        utf8proc_int32_t c;
        utf8proc_ssize_t w = 1;
        if (s[i] < 0x80) {
            c = s[i];
        } else {
            w = utf8proc_iterate(s + i, n - i, &c);
            if (w <= 0)
                return EMB_EUTF8;
        }
        uint32_t cp = (uint32_t)c;
        const char *p = (const char *)s + i;
        i += w;
        emb__script sc = cp < 0x80 ? EMB__SCRIPT_COMMON : emb__script_of(cp);
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            sc = EMB__SCRIPT_LATIN;
        if (sc != EMB__SCRIPT_COMMON)
            out->scripts |= 1u << sc;
        if (sc == EMB__SCRIPT_COMMON) {
            int digit = cp >= '0' && cp <= '9';
            int joiner = is_joiner(cp);
            int mark = 0;
            if (cp >= 0x80) {
                utf8proc_category_t cat = utf8proc_category(c);
                mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
                       cat == UTF8PROC_CATEGORY_ME;
            }
            if (nz->run.len > 0) {
                /* inside a non-Latin run: keep spaces and digits with it, drop the rest */
                if (mark || digit || cp == ' ' || joiner)
                    rc = emb__buf_append(&nz->run, p, (size_t)w);
                else
                    rc = emb__buf_putc(&nz->run, ' ');
                if (rc == EMB_OK)
                    rc = add_original(out, p, (size_t)w, !(mark || digit));
                continue;
            }
            if (mark || joiner)
                continue;
            if (digit)
                rc = emb__buf_putc(&nz->latin, (char)cp);
            else if (is_hyphen(cp))
                rc = emb__buf_putc(&nz->latin, '-');
            else
                rc = emb__buf_putc(&nz->latin, ' ');
            if (rc == EMB_OK && out->original.len > 0)
                rc = add_original(out, p, 0, 1);
            continue;
        }
        if (sc == EMB__SCRIPT_LATIN) {
            if (nz->run.len > 0) {
                rc = flush_run(nz, out);
                if (rc == EMB_OK)
                    rc = add_original(out, p, 0, 1);
            }
            if (rc == EMB_OK)
                rc = latin_cp(&nz->latin, cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            continue;
        }
        /* a non-Latin letter */
        if (nz->run.len > 0 && sc != nz->run_script)
            rc = flush_run(nz, out);
        if (rc == EMB_OK && nz->latin.len > 0)
            rc = flush_latin(nz, out);
        nz->run_script = sc;
        if (rc == EMB_OK)
            rc = emb__buf_append(&nz->run, p, (size_t)w);
        if (rc == EMB_OK)
            rc = add_original(out, p, (size_t)w, 0);
    }
    if (rc == EMB_OK)
        rc = flush_run(nz, out);
    if (rc == EMB_OK)
        rc = flush_latin(nz, out);
    return rc;
}

static emb_status finish_name(emb__normalizer *nz, emb__nname *out, emb_status rc, emb_error *err);

emb_status emb__normalize(emb__normalizer *nz, emb_str raw, emb__nname *out, emb_error *err)
{
    reset_name(out);
    emb__buf_reset(&nz->latin);
    emb__buf_reset(&nz->run);
    emb__buf_reset(&nz->seg);
    if (raw.len > EMB_LIMIT_NAME_BYTES)
        return emb__err(err, EMB_ELIMIT, "name is %zu bytes, over the limit of %u", raw.len,
                        EMB_LIMIT_NAME_BYTES);
    size_t bad = 0;
    if (!emb__utf8_valid(raw.ptr, raw.len, &bad)) {
        emb__err(err, EMB_EUTF8, "name is not valid UTF-8 (byte %zu)", bad);
        if (err != NULL)
            err->byte_offset = bad;
        return EMB_EUTF8;
    }
    if (raw.len == 0)
        return build_compare(out);
    /* ASCII needs neither NFKC nor the look-alike repair: lower-case it and walk */
    int ascii = 1;
    for (size_t i = 0; i < raw.len && ascii; i++)
        ascii = (unsigned char)raw.ptr[i] < 0x80;
    if (ascii) {
        emb__buf_reset(&nz->fixed);
        emb_status rc = emb__buf_append(&nz->fixed, raw.ptr, raw.len);
        for (size_t i = 0; rc == EMB_OK && i < raw.len; i++) {
            char ch = nz->fixed.ptr[i];
            if (ch >= 'A' && ch <= 'Z')
                nz->fixed.ptr[i] = (char)(ch + 32);
        }
        if (rc == EMB_OK)
            rc = walk(nz, (const utf8proc_uint8_t *)nz->fixed.ptr, (utf8proc_ssize_t)raw.len, out);
        return finish_name(nz, out, rc, err);
    }
    /* NFKC and case folding; control characters (NUL included) become spaces below */
    utf8proc_uint8_t *mapped = NULL;
    int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)raw.ptr, (utf8proc_ssize_t)raw.len,
                                      &mapped, (utf8proc_option_t)opts);
    if (n < 0)
        return emb__err(err, n == UTF8PROC_ERROR_NOMEM ? EMB_ENOMEM : EMB_EUTF8,
                        "cannot normalise the name: %s", utf8proc_errmsg(n));
    emb_status rc;
    if (repair_homoglyphs(nz, mapped, n))
        rc = walk(nz, (const utf8proc_uint8_t *)nz->fixed.ptr, (utf8proc_ssize_t)nz->fixed.len, out);
    else
        rc = walk(nz, mapped, n, out);
    free(mapped); /* utf8proc allocates with malloc */
    return finish_name(nz, out, rc, err);
}

/* Legal forms, the comparison form and the trimmed original, after the walk. */
static emb_status finish_name(emb__normalizer *nz, emb__nname *out, emb_status rc, emb_error *err)
{
    if (rc == EMB_OK)
        rc = legal_pass(nz, out);
    if (rc == EMB_OK)
        rc = build_compare(out);
    if (rc == EMB_OK && out->original.len > 0) {
        emb_str o = emb__str_trim(emb__str(out->original.ptr, out->original.len));
        memmove(out->original.ptr, o.ptr, o.len);
        out->original.len = o.len;
        out->original.ptr[o.len] = '\0';
    }
    if (rc == EMB_ELIMIT)
        return emb__err(err, rc, "name has more than %d tokens", EMB__NAME_MAX_TOKENS);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot normalise the name: %s", emb_strerror(rc));
    return EMB_OK;
}

/* ------------------------------------------------------------ keys */

size_t emb__skeleton(emb_str w, char *out, size_t cap)
{
    size_t n = 0;
    char last = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < w.len && n + 2 < cap; i++) {
        char c = w.ptr[i];
        char nx = i + 1 < w.len ? w.ptr[i + 1] : 0;
        char o = 0;
        if (c < 'a' || c > 'z')
            continue;
        /* digraphs Latin spellings use for one Arabic or Cyrillic consonant */
        if (nx == 'h' && (c == 'k' || c == 'g' || c == 's' || c == 't' || c == 'd' || c == 'z' ||
                          c == 'c' || c == 'p')) {
            o = c == 'p' ? 'f' : (c == 'c' ? 's' : c);
            i++;
        } else {
            switch (c) {
            case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': case 'w':
                continue;
            case 'q': case 'c': o = 'k'; break;
            case 'x':
                if (last != 'k' && n + 1 < cap)
                    out[n++] = 'k';
                o = 's';
                break;
            case 'v': o = 'f'; break;
            case 'j': o = 'g'; break;
            default: o = c; break;
            }
        }
        if (o == last)
            continue;
        out[n++] = o;
        last = o;
    }
    out[n] = '\0';
    return n;
}

/* Calls fn once per distinct (kind, key); small names, so a linear check is cheapest. */
typedef struct {
    emb__key_fn fn;
    void *ud;
    uint64_t seen[512];
    size_t n_seen;
} key_sink;

static emb_status emit_key(key_sink *k, emb__key_kind kind, emb_str key)
{
    if (key.len == 0)
        return EMB_OK;
    uint64_t h = emb__hash(key.ptr, key.len) * 31u + (uint64_t)kind;
    for (size_t i = 0; i < k->n_seen; i++) {
        if (k->seen[i] == h)
            return EMB_OK;
    }
    if (k->n_seen < EMB_COUNTOF(k->seen))
        k->seen[k->n_seen++] = h;
    return k->fn(k->ud, kind, key);
}

static emb_status word_keys(key_sink *k, emb_str t)
{
    char buf[EMB__METAPHONE_MAX + 1], alt[EMB__METAPHONE_MAX + 1];
    emb_status rc = EMB_OK;
    /* trigrams with ^ and $ at the ends: short words still get keys */
    char g[80];
    if (t.len + 2 < sizeof(g)) {
        g[0] = '^';
        memcpy(g + 1, t.ptr, t.len);
        g[t.len + 1] = '$';
        for (size_t i = 0; i + 3 <= t.len + 2 && rc == EMB_OK; i++)
            rc = emit_key(k, EMB__KEY_NGRAM, emb__str(g + i, 3));
    }
    if (rc == EMB_OK && emb__double_metaphone(t, buf, alt) > 0) {
        rc = emit_key(k, EMB__KEY_PHONETIC, emb__str_cstr(buf));
        if (rc == EMB_OK && strcmp(buf, alt) != 0)
            rc = emit_key(k, EMB__KEY_PHONETIC, emb__str_cstr(alt));
    }
    char sk[80];
    if (rc == EMB_OK && emb__skeleton(t, sk, sizeof(sk)) > 0)
        rc = emit_key(k, EMB__KEY_SKELETON, emb__str_cstr(sk));
    return rc;
}

emb_status emb__name_keys(const emb__nname *n, emb__key_fn fn, void *ud)
{
    /* on the stack: keys are listed for every name at build and every query at screening */
    key_sink sink;
    key_sink *k = &sink;
    k->fn = fn;
    k->ud = ud;
    k->n_seen = 0;
    emb_status rc = EMB_OK;
    char initials[EMB__NAME_MAX_TOKENS + 1];
    size_t ni = 0;
    for (size_t i = 0; i < n->n_toks && rc == EMB_OK; i++) {
        const emb__tok *t = &n->toks[i];
        emb_str s = emb__nname_tok(n, i);
        if (t->flags & EMB__TOKF_JOINED) {
            rc = emit_key(k, EMB__KEY_JOINED, s);
            if (rc == EMB_OK)
                rc = word_keys(k, s);
            continue;
        }
        rc = emit_key(k, EMB__KEY_TOKEN, s);
        if (rc == EMB_OK && (t->kind == EMB__TOK_WORD || t->kind == EMB__TOK_NUMBER))
            rc = word_keys(k, s);
        if (t->kind == EMB__TOK_WORD || t->kind == EMB__TOK_INITIAL)
            initials[ni++] = s.ptr[0];
    }
    if (rc == EMB_OK && ni > 1)
        rc = emit_key(k, EMB__KEY_INITIALS, emb__str(initials, ni));
    if (rc == EMB_OK && n->original.len > 0)
        rc = emit_key(k, EMB__KEY_ORIGINAL, emb__str(n->original.ptr, n->original.len));
    for (int s = 1; s < EMB__SCRIPT_MAX_ && rc == EMB_OK; s++) {
        if (n->scripts & (1u << s))
            rc = emit_key(k, EMB__KEY_SCRIPT, emb__str_cstr(emb__script_name((emb__script)s)));
    }
    return rc;
}
