/*
 * Transliteration of non-Latin runs to lower-case ASCII words.
 *
 * Han and Hangul are done here from tables: Han one pinyin syllable per character (Unihan
 * kMandarin, generated), Hangul one Revised Romanization word per syllable block
 * (algorithmic decomposition into initial, medial and final jamo). Everything else goes
 * through the ICU rule chain of DESIGN.md section 4, which ICU runs under a global lock, so
 * its results are kept in a small 2-way set-associative cache of fixed-size slots.
 */
#include "translit.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utrans.h>

#include "pinyin_table.inc"

/* ------------------------------------------------------------ ICU rule chains */

/*
 * The first step must be unfiltered, or ICU applies its filter to the whole chain. Ukrainian
 * and Serbian runs differ only in the Cyrillic step: Russian BGN would give "volodimir" for
 * Volodymyr and "miloshevic" for Milosevic, which no list writes.
 */
#define CHAIN_TAIL                                                                                 \
    ":: [:Greek:] Greek-Latin/UNGEGN ; :: Any-Latin ; :: Latin-ASCII ; :: NFD ; "                  \
    ":: [:Nonspacing Mark:] Remove ; :: Lower ; :: NFC ;"

enum { CHAIN_RU, CHAIN_UK, CHAIN_SR, CHAIN_COUNT_ };

static const char *const chain_rules[CHAIN_COUNT_] = {
    ":: NFC ; :: [:Cyrillic:] Russian-Latin/BGN ; " CHAIN_TAIL,
    ":: NFC ; :: [:Cyrillic:] Ukrainian-Latin/BGN ; " CHAIN_TAIL,
    ":: NFC ; :: [:Cyrillic:] Serbian-Latin/BGN ; " CHAIN_TAIL,
};

/* Cache mode bit: kana runs are rewritten before ICU, so the same bytes differ in output. */
#define MODE_KANA 0x10u

/* ------------------------------------------------------------ cache */

#define SLOT_DATA (EMB__TRANSLIT_SLOT_BYTES - 16u)

typedef struct slot {
    uint64_t hash;
    uint16_t klen; /* key bytes at data[0..klen) */
    uint16_t vlen; /* cleaned output at data[klen..klen+vlen) */
    uint8_t mode;
    uint8_t used;
    uint8_t recent; /* the more recently used way of its set */
    uint8_t pad_;
    char data[SLOT_DATA];
} slot;

_Static_assert(sizeof(slot) == EMB__TRANSLIT_SLOT_BYTES, "slot size");

struct emb__translit {
    UTransliterator *chains[CHAIN_COUNT_];
    slot *slots; /* nsets * 2 ways */
    size_t nsets;
    uint64_t hits, misses;
    UChar *u16; /* ICU work buffer */
    size_t u16_cap;
    emb__buf word; /* cleaned ICU output of the current run */
};

emb_status emb__translit_new(size_t cache_entries, emb__translit **out)
{
    if (out == NULL)
        return EMB_EINVAL;
    *out = NULL;
    if (cache_entries > EMB__TRANSLIT_MAX_CACHE)
        return EMB_ELIMIT;
    emb__translit *t = emb__calloc(1, sizeof(*t));
    if (t == NULL)
        return EMB_ENOMEM;
    if (cache_entries > 0) {
        t->nsets = (cache_entries + 1) / 2;
        t->slots = emb__calloc(t->nsets * 2, sizeof(slot));
        if (t->slots == NULL) {
            emb__free(t);
            return EMB_ENOMEM;
        }
    }
    emb__buf_init(&t->word, (size_t)EMB__TRANSLIT_MAX_RUN * 8);
    *out = t;
    return EMB_OK;
}

void emb__translit_free(emb__translit *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < CHAIN_COUNT_; i++) {
        if (t->chains[i] != NULL)
            utrans_close(t->chains[i]);
    }
    emb__free(t->slots);
    emb__free(t->u16);
    emb__buf_free(&t->word);
    emb__free(t);
}

void emb__translit_stats(const emb__translit *t, uint64_t *hits, uint64_t *misses)
{
    if (hits != NULL)
        *hits = t != NULL ? t->hits : 0;
    if (misses != NULL)
        *misses = t != NULL ? t->misses : 0;
}

static slot *cache_find(emb__translit *t, uint64_t h, unsigned mode, emb_str key)
{
    if (t->slots == NULL)
        return NULL;
    slot *set = &t->slots[(h >> 17) % t->nsets * 2];
    for (int w = 0; w < 2; w++) {
        slot *s = &set[w];
        if (s->used && s->hash == h && s->mode == mode && s->klen == key.len &&
            memcmp(s->data, key.ptr, key.len) == 0) {
            s->recent = 1;
            set[w ^ 1].recent = 0;
            return s;
        }
    }
    return NULL;
}

static void cache_store(emb__translit *t, uint64_t h, unsigned mode, emb_str key, emb_str val)
{
    if (t->slots == NULL || key.len + val.len > SLOT_DATA)
        return;
    slot *set = &t->slots[(h >> 17) % t->nsets * 2];
    int w = !set[0].used ? 0 : !set[1].used ? 1 : set[0].recent ? 1 : 0;
    slot *s = &set[w];
    s->hash = h;
    s->mode = (uint8_t)mode;
    s->klen = (uint16_t)key.len;
    s->vlen = (uint16_t)val.len;
    s->used = 1;
    memcpy(s->data, key.ptr, key.len);
    if (val.len > 0)
        memcpy(s->data + key.len, val.ptr, val.len);
    s->recent = 1;
    set[w ^ 1].recent = 0;
}

/* ------------------------------------------------------------ output */

/* Append already clean words ("a b c"), separated from what out holds by one space. */
static emb_status put_words(emb__buf *out, const char *p, size_t n)
{
    if (n == 0)
        return EMB_OK;
    if (out->len > 0 && out->ptr[out->len - 1] != ' ') {
        emb_status rc = emb__buf_putc(out, ' ');
        if (rc != EMB_OK)
            return rc;
    }
    return emb__buf_append(out, p, n);
}

/* ASCII cleaning shared by the ICU output and ASCII inside runs: letters and digits kept
 * (lower-cased), apostrophes and quotes vanish (BGN primes, Arabic ayn), the rest separates. */
typedef struct cleaner {
    emb__buf *out;
    int gap; /* a separator was seen since the last letter */
    emb_status rc;
} cleaner;

static void clean_start(cleaner *c, emb__buf *out)
{
    c->out = out;
    c->gap = out->len > 0 && out->ptr[out->len - 1] != ' ';
    c->rc = EMB_OK;
}

static void clean_ascii(cleaner *c, unsigned ch)
{
    if (ch >= 'A' && ch <= 'Z')
        ch += 'a' - 'A';
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        if (c->gap && c->out->len > 0 && c->rc == EMB_OK)
            c->rc = emb__buf_putc(c->out, ' ');
        c->gap = 0;
        if (c->rc == EMB_OK)
            c->rc = emb__buf_putc(c->out, (char)ch);
        return;
    }
    if (ch == '\'' || ch == '"' || ch == '`' || ch == '~' || ch == '^')
        return; /* "~" is ICU's mark for a small kana it could not attach */
    c->gap = 1;
}

static void clean_gap(cleaner *c)
{
    c->gap = 1;
}

/* ------------------------------------------------------------ ICU path */

static int is_separator(uint32_t cp)
{
    /* middle dots separate given and family names in CJK writing of foreign names */
    return cp == 0x00B7 || cp == 0x30FB || cp == 0xFF65 || cp == 0x2027;
}

static unsigned chain_of(emb_str text)
{
    int uk = 0, not_uk = 0, sr = 0;
    size_t i = 0;
    while (i < text.len) {
        uint32_t cp;
        size_t w = emb__utf8_decode(text.ptr + i, text.len - i, &cp);
        i += w ? w : 1;
        if (cp < 0x0400 || cp > 0x04FF)
            continue;
        switch (cp) {
        case 0x0406:
        case 0x0456: /* i */
        case 0x0407:
        case 0x0457: /* yi */
        case 0x0404:
        case 0x0454: /* ye */
        case 0x0490:
        case 0x0491: /* ghe with upturn */
            uk = 1;
            break;
        case 0x042B:
        case 0x044B: /* yery */
        case 0x042D:
        case 0x044D: /* e */
        case 0x0401:
        case 0x0451: /* yo */
        case 0x042A:
        case 0x044A: /* hard sign */
        case 0x040E:
        case 0x045E: /* short u (Belarusian) */
            not_uk = 1;
            break;
        case 0x0402:
        case 0x0452: /* dje */
        case 0x040B:
        case 0x045B: /* tshe */
        case 0x040F:
        case 0x045F: /* dzhe */
        case 0x0409:
        case 0x0459: /* lje */
        case 0x040A:
        case 0x045A: /* nje */
        case 0x0408:
        case 0x0458: /* je */
            sr = 1;
            break;
        default:
            break;
        }
    }
    if (sr)
        return CHAIN_SR;
    return uk && !not_uk ? CHAIN_UK : CHAIN_RU;
}

static emb_status open_chain(emb__translit *t, unsigned chain)
{
    if (t->chains[chain] != NULL)
        return EMB_OK;
    const char *rules = chain_rules[chain];
    size_t n = strlen(rules);
    UChar urules[512];
    UChar id[] = {'e', 'm', 'b', '-', 'n', 'a', 'm', 'e', 's', 0};
    if (EMB_NEVER(n >= EMB_COUNTOF(urules)))
        return EMB_EINVAL;
    for (size_t i = 0; i < n; i++)
        urules[i] = (UChar)(unsigned char)rules[i]; /* the rules are ASCII */
    UParseError perr;
    UErrorCode status = U_ZERO_ERROR;
    UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, urules, (int32_t)n, &perr, &status);
    if (U_FAILURE(status)) {
        if (tr != NULL)
            utrans_close(tr);
        return status == U_MEMORY_ALLOCATION_ERROR ? EMB_ENOMEM : EMB_EFORMAT;
    }
    t->chains[chain] = tr;
    return EMB_OK;
}

/* Urdu, Pashto, Kurdish and Uyghur letters that ICU 72's Arabic-Latin leaves untouched (and
 * so would vanish), as the Arabic letter they are written with or sound like; teh marbuta
 * as alef, since names end in -a (Hamza, Usama, Sajida) where ICU writes t. */
static uint32_t arabic_base(uint32_t cp)
{
    switch (cp) {
    case 0x0679:
    case 0x067C:
        return 0x062A; /* tteh, Pashto teh with ring -> teh */
    case 0x0688:
    case 0x0689:
        return 0x062F; /* ddal, Pashto dal with ring -> dal */
    case 0x0691:
    case 0x0693:
    case 0x0695:
        return 0x0631; /* rreh, Pashto reh, Kurdish reh */
    case 0x0681:
        return 0x0632; /* Pashto dze (Zadran) -> zain */
    case 0x0696:
        return 0x0698; /* Pashto zhe -> jeh */
    case 0x069A:
        return 0x0634; /* Pashto xeen -> sheen */
    case 0x06AB:
        return 0x06AF; /* Pashto gaf -> gaf */
    case 0x06B5:
        return 0x0644; /* Kurdish lam -> lam */
    case 0x06BA:
    case 0x06BC:
        return 0x0646; /* noon ghunna, Pashto noon -> noon */
    case 0x06BE:
    case 0x06C0:
    case 0x06C1:
    case 0x06C2:
    case 0x06D5:
        return 0x0647; /* Urdu heh forms, ae -> heh */
    case 0x0629:
    case 0x06C3:
        return 0x0627; /* teh marbuta: -a in names, not ICU's t */
    case 0x06C6:
    case 0x06C7:
        return 0x0648; /* Kurdish o, Uyghur u -> waw */
    case 0x06CD:
    case 0x06CE:
    case 0x06D0:
    case 0x06D2:
    case 0x06D3:
        return 0x064A; /* Pashto, Kurdish, Urdu yeh forms -> yeh */
    default:
        return cp;
    }
}

/* UTF-8 to UTF-16 into t->u16 (capacity cap), rewriting kana runs: katakana as hiragana
 * (ICU 72's Katakana-Latin gives "ki~yo" for kyo) and the long-vowel mark dropped, as in
 * passport Hepburn (Tokyo, Puchin). Returns the UTF-16 length. */
static size_t to_utf16(emb__translit *t, emb_str text, int kana)
{
    size_t n = 0;
    size_t i = 0;
    while (i < text.len) {
        uint32_t cp;
        size_t w = emb__utf8_decode(text.ptr + i, text.len - i, &cp);
        i += w ? w : 1;
        if (kana) {
            if (cp == 0x30FC || cp == 0xFF70)
                continue;
            if (cp >= 0x30A1 && cp <= 0x30F6)
                cp -= 0x60;
        }
        if (is_separator(cp))
            cp = ' ';
        else if (cp >= 0x0629 && cp <= 0x06D5)
            cp = arabic_base(cp);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            t->u16[n++] = (UChar)(0xD800 + (cp >> 10));
            t->u16[n++] = (UChar)(0xDC00 + (cp & 0x3FF));
        } else {
            t->u16[n++] = (UChar)cp;
        }
    }
    return n;
}

/* Run text through ICU and leave its cleaned words in t->word. */
static emb_status icu_words(emb__translit *t, unsigned chain, int kana, emb_str text)
{
    emb_status rc = open_chain(t, chain);
    if (rc != EMB_OK)
        return rc;
    /* UTF-16 never needs more units than UTF-8 has bytes; pinyin output grows most, about
     * six units per ideograph (three UTF-8 bytes). */
    size_t cap = text.len * 3 + 64;
    size_t max = text.len * 16 + 256;
    for (;;) {
        if (cap > t->u16_cap) {
            UChar *p = emb__realloc(t->u16, cap * sizeof(UChar));
            if (p == NULL)
                return EMB_ENOMEM;
            t->u16 = p;
            t->u16_cap = cap;
        }
        int32_t len = (int32_t)to_utf16(t, text, kana);
        int32_t limit = len;
        UErrorCode status = U_ZERO_ERROR;
        utrans_transUChars(t->chains[chain], t->u16, &len, (int32_t)cap, 0, &limit, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR && cap < max) {
            cap = cap * 2 < max ? cap * 2 : max;
            continue;
        }
        if (status == U_BUFFER_OVERFLOW_ERROR)
            return EMB_ELIMIT;
        if (U_FAILURE(status))
            return status == U_MEMORY_ALLOCATION_ERROR ? EMB_ENOMEM : EMB_EFORMAT;
        if (len < 0 || (size_t)len > cap)
            return EMB_EFORMAT;
        emb__buf_reset(&t->word);
        rc = emb__buf_append(&t->word, "", 0);
        cleaner c;
        clean_start(&c, &t->word);
        for (int32_t k = 0; k < len && c.rc == EMB_OK; k++) {
            if (t->u16[k] < 0x80)
                clean_ascii(&c, t->u16[k]);
            /* anything ICU left outside ASCII is dropped (the gershayim of an acronym,
             * the BGN middle dot, letters of scripts ICU does not transliterate) */
        }
        return rc != EMB_OK ? rc : c.rc;
    }
}

/* 1 when ICU has nothing to do: only ASCII, spaces, punctuation and separators. */
static int needs_icu(emb_str text)
{
    size_t i = 0;
    while (i < text.len) {
        unsigned char b = (unsigned char)text.ptr[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t w = emb__utf8_decode(text.ptr + i, text.len - i, &cp);
        i += w ? w : 1;
        if (!is_separator(cp) && !u_isUWhiteSpace((UChar32)cp) && !u_ispunct((UChar32)cp))
            return 1;
    }
    return 0;
}

static emb_status plain_words(emb_str text, emb__buf *out)
{
    cleaner c;
    clean_start(&c, out);
    for (size_t i = 0; i < text.len && c.rc == EMB_OK; i++) {
        unsigned char b = (unsigned char)text.ptr[i];
        if (b < 0x80)
            clean_ascii(&c, b);
        else
            clean_gap(&c); /* lead and continuation bytes of punctuation */
    }
    return c.rc;
}

/* A run (or the leftovers of a Han or Hangul run) through the ICU chain and the cache. */
static emb_status generic_run(emb__translit *t, emb_str text, int kana, emb__buf *out)
{
    if (text.len == 0)
        return EMB_OK;
    if (!needs_icu(text))
        return plain_words(text, out);
    unsigned chain = chain_of(text);
    unsigned mode = chain | (kana ? MODE_KANA : 0u);
    uint64_t h = emb__hash(text.ptr, text.len) ^ ((uint64_t)mode * 0x9E3779B97F4A7C15ull);
    slot *s = cache_find(t, h, mode, text);
    if (s != NULL) {
        t->hits++;
        return put_words(out, s->data + s->klen, s->vlen);
    }
    t->misses++;
    emb_status rc = icu_words(t, chain, kana, text);
    if (rc != EMB_OK)
        return rc;
    cache_store(t, h, mode, text, emb__str(t->word.ptr, t->word.len));
    return put_words(out, t->word.ptr, t->word.len);
}

/* ------------------------------------------------------------ Han */

/* Two-character names whose reading differs from their characters' table readings. */
static const struct {
    uint32_t a, b;
    const char *sa, *sb;
} han_phrases[] = {
    {0x91CD, 0x5E86, "chong", "qing"}, /* Chongqing */
    {0x91CD, 0x6176, "chong", "qing"},
    {0x53A6, 0x95E8, "xia", "men"}, /* Xiamen */
    {0x5EC8, 0x9580, "xia", "men"},
};

static const char *pinyin_of(uint32_t cp, size_t *len)
{
    for (size_t r = 0; r < EMB_COUNTOF(emb__pinyin_ranges); r++) {
        uint32_t first = emb__pinyin_ranges[r].first;
        if (cp < first || cp > emb__pinyin_ranges[r].last)
            continue;
        unsigned id = emb__pinyin_ids[emb__pinyin_ranges[r].base + (cp - first)];
        if (id == 0 || id > EMB__PINYIN_SYLLABLES)
            return NULL;
        *len = (size_t)(emb__pinyin_off[id] - emb__pinyin_off[id - 1]);
        return emb__pinyin_text + emb__pinyin_off[id - 1];
    }
    return NULL;
}

static emb_status han_run(emb__translit *t, emb_str text, emb__buf *out)
{
    emb_status rc = EMB_OK;
    size_t rest = 0; /* start of bytes with no table reading, not yet written */
    size_t i = 0;
    while (i < text.len && rc == EMB_OK) {
        uint32_t cp, next = 0;
        size_t w = emb__utf8_decode(text.ptr + i, text.len - i, &cp);
        if (w == 0)
            w = 1;
        size_t w2 =
            i + w < text.len ? emb__utf8_decode(text.ptr + i + w, text.len - i - w, &next) : 0;
        const char *sa = NULL, *sb = NULL;
        for (size_t k = 0; k < EMB_COUNTOF(han_phrases) && w2 > 0; k++) {
            if (han_phrases[k].a == cp && han_phrases[k].b == next) {
                sa = han_phrases[k].sa;
                sb = han_phrases[k].sb;
                break;
            }
        }
        size_t la = 0;
        if (sa == NULL)
            sa = pinyin_of(cp, &la);
        else
            la = strlen(sa);
        if (sa == NULL) {
            i += w;
            continue;
        }
        rc = generic_run(t, emb__str(text.ptr + rest, i - rest), 0, out);
        if (rc == EMB_OK)
            rc = put_words(out, sa, la);
        if (rc == EMB_OK && sb != NULL) {
            rc = put_words(out, sb, strlen(sb));
            w += w2;
        }
        i += w;
        rest = i;
    }
    if (rc == EMB_OK)
        rc = generic_run(t, emb__str(text.ptr + rest, text.len - rest), 0, out);
    return rc;
}

/* ------------------------------------------------------------ Hangul */

/* Revised Romanization (2000) of the jamo of a syllable block, each block as a word of its
 * own: a final consonant takes its syllable-final value (bak, not bag). */
static const char *const rr_initial[19] = {
    "g",  "kk", "n", "d",  "tt", "r", "m", "b", "pp", "s",
    "ss", "",   "j", "jj", "ch", "k", "t", "p", "h",
};
static const char *const rr_medial[21] = {
    "a",  "ae", "ya", "yae", "eo", "e",  "yeo", "ye", "o",  "wa", "wae",
    "oe", "yo", "u",  "wo",  "we", "wi", "yu",  "eu", "ui", "i",
};
static const char *const rr_final[28] = {
    "",  "k", "k", "k", "n", "n", "n", "t",  "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
};

static emb_status hangul_block(uint32_t s, emb__buf *out)
{
    char word[16];
    size_t n = 0;
    const char *parts[3] = {rr_initial[s / 588], rr_medial[(s % 588) / 28], rr_final[s % 28]};
    for (int k = 0; k < 3; k++) {
        size_t l = strlen(parts[k]);
        memcpy(word + n, parts[k], l);
        n += l;
    }
    return put_words(out, word, n);
}

static emb_status hangul_run(emb__translit *t, emb_str text, emb__buf *out)
{
    emb_status rc = EMB_OK;
    size_t rest = 0;
    size_t i = 0;
    while (i < text.len && rc == EMB_OK) {
        uint32_t cp;
        size_t w = emb__utf8_decode(text.ptr + i, text.len - i, &cp);
        if (w == 0)
            w = 1;
        uint32_t s;
        if (cp >= 0xAC00 && cp <= 0xD7A3) {
            s = cp - 0xAC00;
        } else if (cp >= 0x1100 && cp <= 0x1112) {
            /* conjoining jamo (decomposed text): compose leading + vowel (+ trailing) */
            uint32_t v = 0, tr = 0;
            size_t wv =
                i + w < text.len ? emb__utf8_decode(text.ptr + i + w, text.len - i - w, &v) : 0;
            if (wv == 0 || v < 0x1161 || v > 0x1175) {
                i += w;
                continue;
            }
            s = ((cp - 0x1100) * 21 + (v - 0x1161)) * 28;
            w += wv;
            size_t wt =
                i + w < text.len ? emb__utf8_decode(text.ptr + i + w, text.len - i - w, &tr) : 0;
            if (wt > 0 && tr >= 0x11A8 && tr <= 0x11C2) {
                s += tr - 0x11A7;
                w += wt;
            }
        } else {
            i += w;
            continue;
        }
        rc = generic_run(t, emb__str(text.ptr + rest, i - rest), 0, out);
        if (rc == EMB_OK)
            rc = hangul_block(s, out);
        i += w;
        rest = i;
    }
    if (rc == EMB_OK)
        rc = generic_run(t, emb__str(text.ptr + rest, text.len - rest), 0, out);
    return rc;
}

/* ------------------------------------------------------------ entry */

emb_status emb__translit_run(emb__translit *t, emb__script script, emb_str text, emb__buf *out)
{
    if (t == NULL || out == NULL || (text.ptr == NULL && text.len > 0))
        return EMB_EINVAL;
    if (text.len > EMB__TRANSLIT_MAX_RUN)
        return EMB_ELIMIT;
    if (!emb__utf8_valid(text.ptr, text.len, NULL))
        return EMB_EUTF8;
    switch (script) {
    case EMB__SCRIPT_HAN:
        return han_run(t, text, out);
    case EMB__SCRIPT_HANGUL:
        return hangul_run(t, text, out);
    case EMB__SCRIPT_KANA:
        return generic_run(t, text, 1, out);
    default:
        return generic_run(t, text, 0, out);
    }
}
