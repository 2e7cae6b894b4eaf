/*
 * Name scoring. Query and candidate tokens are aligned order-free (each base token used once,
 * best pairs first); an alternative spelling (joined syllables "sichuan", hyphen joins
 * "alqaida", variants "kim") may stand in for the run of base tokens it covers. Tokens weigh
 * by rarity in the snapshot (IDF), so a shared "mohammed" counts less than a shared "maduro";
 * legal forms weigh little (weak evidence) and organisation words less than names.
 *
 * The score leans on how much of the query is met (a surname alone finds the people who
 * carry it, ranked by how much of their name it covers):
 *     score = 0.7 * query coverage + 0.3 * candidate coverage,
 * or, when a listed name of two or more words is met whole inside a longer query,
 *     0.35 * query coverage + 0.65 * candidate coverage;
 * identical comparison forms score 1, and a match carried only by generic words is capped.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../unicode/legal.h"
#include "../unicode/metaphone.h"
#include "match.h"

#define PAIR_FLOOR 0.80
#define GENERIC_CAP 0.45
#define SINGLE_FUZZY 0.85

/* A token with no a, e, i, o or u, from its letter set: how Arabic and Hebrew transliterate. */
#define VOWEL_BITS ((1u << 0) | (1u << 4) | (1u << 8) | (1u << 14) | (1u << 20))
static inline int lacks_vowels(const emb__opt *o)
{
    return o->text.len > 0 && !(o->letters & VOWEL_BITS);
}

/* Equal but for one pair of neighbouring letters swapped. */
static int one_transposition(emb_str a, emb_str b)
{
    if (a.len != b.len || a.len < 2)
        return 0;
    size_t i = 0;
    while (i < a.len && a.ptr[i] == b.ptr[i])
        i++;
    return i + 1 < a.len && a.ptr[i] == b.ptr[i + 1] && a.ptr[i + 1] == b.ptr[i] &&
           memcmp(a.ptr + i + 2, b.ptr + i + 2, a.len - i - 2) == 0;
}

/* Bits set in a letter set (SWAR: portable builds have no popcount instruction). */
static inline int bit_count(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (int)((x * 0x01010101u) >> 24);
}

/* The same consonant skeleton, of at least min letters (a hash match is confirmed on the
 * text, so a collision never pairs two words). */
static int same_skeleton(emb__opt *a, emb__opt *b, size_t min)
{
    if (a->skel_len == EMB__SKEL_UNKNOWN)
        emb__opt_skeleton(a);
    if (b->skel_len == EMB__SKEL_UNKNOWN)
        emb__opt_skeleton(b);
    if (a->skel_len < min || a->skel_len != b->skel_len || a->skel != b->skel)
        return 0;
    char sa[64], sb[64];
    size_t la = emb__skeleton(a->text, sa, sizeof(sa));
    return emb__skeleton(b->text, sb, sizeof(sb)) == la && memcmp(sa, sb, la) == 0;
}

/* One of the two was transliterated from an alphabet (Arabic, Cyrillic, Hebrew...), where
 * the vowels are the transliteration's guess ("fladymyr" for "vladimir"); Han and Hangul
 * syllables are too short and too many for that ("shuang" and "song"). */
static int transliterated_word(const emb__opt *a, const emb__opt *b)
{
    uint32_t f = a->letters | b->letters;
    return (f & EMB__OPT_TRANSLIT) && !(f & EMB__OPT_SYLLABLE);
}

/* Arabic has no p (nor v, which the skeleton already reads as f): "bwtyn" is how Arabic
 * writes "Putin". The same skeletons once p is read as b. */
static int arabic_skeleton(const emb__opt *a, const emb__opt *b)
{
    if (a->skel_len != b->skel_len || a->skel_len < 2)
        return 0;
    char sa[64], sb[64];
    size_t la = emb__skeleton(a->text, sa, sizeof(sa));
    if (emb__skeleton(b->text, sb, sizeof(sb)) != la)
        return 0;
    for (size_t i = 0; i < la; i++) {
        char x = sa[i] == 'p' ? 'b' : sa[i], y = sb[i] == 'p' ? 'b' : sb[i];
        if (x != y)
            return 0;
    }
    return 1;
}

/* Spelling variants of one word that share a sound: Double Metaphone or consonant skeleton
 * (Aleksandr / Alexander, Mohammed / Muhammad, Yevgeniy / Evgeny). */
static int sound_alike(emb__opt *a, emb__opt *b)
{
    char pa[EMB__METAPHONE_MAX + 1], aa[EMB__METAPHONE_MAX + 1];
    char pb[EMB__METAPHONE_MAX + 1], ab[EMB__METAPHONE_MAX + 1];
    if (emb__double_metaphone(a->text, pa, aa) >= 3 &&
        emb__double_metaphone(b->text, pb, ab) >= 3 &&
        (strcmp(pa, pb) == 0 || strcmp(pa, ab) == 0 || strcmp(aa, pb) == 0 ||
         strcmp(aa, ab) == 0))
        return 1;
    return same_skeleton(a, b, 3);
}

/*
 * Similarity of two tokens. Numbers, legal forms and initials must be equal. Other words
 * may differ by a few edits for their length (1 up to 5 letters, 2 up to 8, 3 beyond), scored
 * by Jaro-Winkler; or sound alike, scored 0.88. Jaro-Winkler alone is too generous: it gives
 * "maduro"/"mado" 0.92.
 */
static double token_sim(emb__opt *a, emb__opt *b)
{
    if (a->text.len == b->text.len && memcmp(a->text.ptr, b->text.ptr, a->text.len) == 0)
        return 1.0;
    /* most pairs are two words (EMB__TOK_WORD is 0): the kinds need a look only otherwise */
    if ((a->kind | b->kind) != EMB__TOK_WORD) {
        /* an initial stands for a word that starts with it ("V. Putin") */
        if ((a->kind == EMB__TOK_INITIAL) != (b->kind == EMB__TOK_INITIAL)) {
            const emb__opt *w = a->kind == EMB__TOK_INITIAL ? b : a;
            const emb__opt *in = a->kind == EMB__TOK_INITIAL ? a : b;
            return w->kind == EMB__TOK_WORD && !w->alt && w->text.ptr[0] == in->text.ptr[0]
                       ? 0.9
                       : 0.0;
        }
        if (a->kind == EMB__TOK_NUMBER || b->kind == EMB__TOK_NUMBER ||
            a->kind == EMB__TOK_LEGAL || b->kind == EMB__TOK_LEGAL ||
            a->kind == EMB__TOK_INITIAL || b->kind == EMB__TOK_INITIAL)
            return 0.0;
    }
    size_t shorter = a->text.len < b->text.len ? a->text.len : b->text.len;
    size_t longer = a->text.len > b->text.len ? a->text.len : b->text.len;
    if (shorter < 3)
        return 0.0;
    /* most pairs are plainly different words: too different in length, or sharing less than
     * half their letters; only vowelless transliterations get past on their consonants */
    int a_vl = lacks_vowels(a), b_vl = lacks_vowels(b);
    if (!a_vl && !b_vl) {
        if (longer > shorter + 4)
            return 0.0;
        uint32_t la = a->letters & ~EMB__OPT_FLAGS, lb = b->letters & ~EMB__OPT_FLAGS;
        int na = bit_count(la), nb = bit_count(lb);
        if (2 * bit_count(la & lb) < (na < nb ? na : nb))
            return 0.0;
    }
    size_t allowed = shorter <= 5 ? 1 : (shorter <= 8 ? 2 : 3);
    /* words written together take one edit: a longer allowance would let the join absorb a
     * different word ("viktororbach" and "viktororban") */
    if (a->count > 1 || b->count > 1)
        allowed = 1;
    /* each edit adds or removes at most two letters of the letter set, and the length
     * difference needs as many edits: both bound the distance from below */
    size_t d = longer - shorter > allowed ||
                       (size_t)bit_count((a->letters ^ b->letters) & ~EMB__OPT_FLAGS) > 2 * allowed
                   ? allowed + 1
                   : emb__edit_distance(a->text, b->text, allowed);
    /* two neighbouring letters swapped is one typo ("asasd" for "assad") */
    if (d > allowed && one_transposition(a->text, b->text))
        d = 1;
    if (d <= allowed) {
        double jw = emb__jaro_winkler(a->text, b->text);
        double ed = 1.0 - (double)d / (double)(a->text.len > b->text.len ? a->text.len : b->text.len);
        double v = (jw + ed) / 2.0;
        /* one edit (the common typo) always counts; more must look alike too, or sound
         * alike below ("aleksandr" and "alexander" are three edits apart) */
        if (d <= 1 || v > 0.81)
            return v > 0.81 ? v : 0.81;
    }
    /* sounding alike is not enough on its own ("maduro" and "matari" share MTR), and short
     * words sound alike too easily ("auger" and "agir", "parisi" and "parsa"); nor joined
     * words or long ones: 8-letter keys compare their beginnings only ("alexandracortez"
     * and "alexanderkhryakov" share ALKSNTRK) */
    if (shorter >= 6 && longer <= 10 && !a->alt && !b->alt &&
        emb__jaro_winkler(a->text, b->text) >= 0.8 && sound_alike(a, b))
        return 0.88;
    /* transliterations of one name differ in their vowels ("poutine" and "putin", "poetin"):
     * the same consonants in the same order, and spelled alike; in Latin names vowels
     * carry too much to drop them otherwise ("michael" and "masalu" share MSL) */
    if (!a_vl && !b_vl && shorter >= 4 && !a->alt && !b->alt && same_skeleton(a, b, 3) &&
        (transliterated_word(a, b) || emb__jaro_winkler(a->text, b->text) >= 0.85))
        return 0.85;
    /* Arabic and Hebrew transliterate without vowels ("mhmd", "ly"): their consonants must
     * be the Latin spelling's consonants */
    /* ...when the vowelless word was transliterated: in Latin text it is an acronym ("TNG") */
    if (a_vl != b_vl && ((a_vl ? a : b)->letters & EMB__OPT_TRANSLIT) &&
        (same_skeleton(a, b, 1) || arabic_skeleton(a, b)) && (a->skel_len >= 2 || shorter <= 3))
        return 0.85;
    return 0.0;
}

/* Every informative token of the name is a Han or Hangul syllable. */
static int syllabic(const emb__side *s)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_base; k++) {
        const emb__opt *o = &s->opts[k];
        if (o->kind != EMB__TOK_WORD && o->kind != EMB__TOK_NUMBER)
            continue;
        if (!(o->letters & EMB__OPT_SYLLABLE))
            return 0;
        n++;
    }
    return n > 0;
}

static size_t informative_words(const emb__side *s)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_base; k++)
        n += s->opts[k].kind == EMB__TOK_WORD || s->opts[k].kind == EMB__TOK_NUMBER;
    return n;
}

static double span_weight(const emb__side *s, const emb__opt *o)
{
    double w = 0;
    for (size_t k = o->first; k < (size_t)o->first + o->count && k < s->n_base; k++)
        w += s->opts[k].weight;
    return w;
}

static int span_free(const unsigned char *used, const emb__opt *o)
{
    for (size_t k = o->first; k < (size_t)o->first + o->count; k++) {
        if (used[k])
            return 0;
    }
    return 1;
}

typedef struct {
    double v;
    uint8_t i, j;
} pair;

/* One alignment of the pairs: what each side had met, and how. */
typedef struct {
    unsigned char qused[EMB__SIDE_MAX], cused[EMB__SIDE_MAX];
    double mq, mc, mq_informative;
    double qcov, ccov; /* shares of each side's weight met, at most 1 */
    int q_fuzzy, c_fuzzy; /* an informative word met only inexactly */
} alignment;

/* A pair's credit: its similarity squared (an inexact pair counts for less than its
 * similarity, so an exact word in a longer name, "maduro" in "MADURO MOROS, Nicolas",
 * outranks a near-spelling, "MAURO"), times the weight each side spans. */
static void pair_credit(const emb__side *q, const emb__side *c, const pair *p, double *qw,
                        double *cw)
{
    const emb__opt *a = &q->opts[p->i], *b = &c->opts[p->j];
    double credit = p->v * p->v;
    *qw = span_weight(q, a);
    *cw = span_weight(c, b);
    /* an initial for a word gives the word only part of its weight */
    if (a->kind == EMB__TOK_INITIAL && b->kind != EMB__TOK_INITIAL)
        *cw *= 0.5;
    if (b->kind == EMB__TOK_INITIAL && a->kind != EMB__TOK_INITIAL)
        *qw *= 0.5;
    *qw *= credit;
    *cw *= credit;
}

static int has_span_pair(const emb__side *q, const emb__side *c, const pair *pairs, size_t n)
{
    for (size_t p = 0; p < n; p++) {
        if (q->opts[pairs[p].i].count > 1 || c->opts[pairs[p].j].count > 1)
            return 1;
    }
    return 0;
}

/* Greedy: repeatedly take the free pair that is best (by_weight 0: most similar, at equal
 * similarity the one covering more tokens; 1: the most weight credited). */
static void align(const emb__side *q, const emb__side *c, const pair *pairs, size_t n_pairs,
                  int by_weight, alignment *al)
{
    memset(al, 0, sizeof(*al));
    for (;;) {
        double best = PAIR_FLOOR, best_w = 0;
        size_t bp = SIZE_MAX;
        for (size_t p = 0; p < n_pairs; p++) {
            double v = pairs[p].v;
            size_t i = pairs[p].i, j = pairs[p].j;
            double qw = 0, cw = 0;
            int better;
            if (by_weight) {
                pair_credit(q, c, &pairs[p], &qw, &cw);
                better = qw + cw > best_w;
            } else {
                better = v > best ||
                         (v == best && bp != SIZE_MAX &&
                          q->opts[i].count + c->opts[j].count >
                              q->opts[pairs[bp].i].count + c->opts[pairs[bp].j].count);
            }
            if (!better || !span_free(al->qused, &q->opts[i]) ||
                !span_free(al->cused, &c->opts[j]))
                continue;
            best = v;
            best_w = qw + cw;
            bp = p;
        }
        if (bp == SIZE_MAX)
            break;
        const emb__opt *a = &q->opts[pairs[bp].i], *b = &c->opts[pairs[bp].j];
        for (size_t k = a->first; k < (size_t)a->first + a->count; k++) {
            al->qused[k] = 1;
            const emb__opt *base = &q->opts[k];
            if (base->kind == EMB__TOK_WORD || base->kind == EMB__TOK_NUMBER) {
                al->mq_informative += best * best * base->weight;
                al->q_fuzzy |= best < 1.0;
            }
        }
        for (size_t k = b->first; k < (size_t)b->first + b->count; k++) {
            al->cused[k] = 1;
            uint8_t kind = c->opts[k].kind;
            al->c_fuzzy |= best < 1.0 && (kind == EMB__TOK_WORD || kind == EMB__TOK_NUMBER);
        }
        double qw, cw;
        pair_credit(q, c, &pairs[bp], &qw, &cw);
        al->mq += qw;
        al->mc += cw;
    }
    al->qcov = q->total > 0 ? al->mq / q->total : 0;
    al->ccov = c->total > 0 ? al->mc / c->total : 0;
    if (al->qcov > 1)
        al->qcov = 1;
    if (al->ccov > 1)
        al->ccov = 1;
}

/* The same words, in any order: "PUTIN, Vladimir" is "Vladimir Putin" written for sorting. */
static int same_words(const emb__side *q, const emb__side *c)
{
    if (q->n_base != c->n_base)
        return 0;
    unsigned char used[EMB__SIDE_MAX] = {0};
    for (size_t i = 0; i < q->n_base; i++) {
        size_t j = 0;
        while (j < c->n_base && (used[j] || !emb__str_eq(q->opts[i].text, c->opts[j].text)))
            j++;
        if (j == c->n_base)
            return 0;
        used[j] = 1;
    }
    return 1;
}

/* The blend an alignment gives, before penalties. */
static double blend(const alignment *al)
{
    return 0.7 * al->qcov + 0.3 * al->ccov;
}

void emb__score_names(emb__side *q, emb__side *c, emb__name_score *out)
{
    memset(out, 0, sizeof(*out));
    if (q->n_base == 0 || c->n_base == 0)
        return;
    /* the pairs that can align (most are far below the floor), in (query, candidate) order */
    pair pairs[EMB__SIDE_MAX * EMB__SIDE_MAX];
    pairs[0] = (pair){0.0, 0, 0}; /* gcc cannot see that only pairs written are read */
    size_t n_pairs = 0;
    for (size_t i = 0; i < q->n_opts; i++) {
        for (size_t j = 0; j < c->n_opts; j++) {
            double v = token_sim(&q->opts[i], &c->opts[j]);
            if (v > PAIR_FLOOR)
                pairs[n_pairs++] = (pair){v, (uint8_t)i, (uint8_t)j};
        }
    }
    int literal = same_words(q, c);
    /* greedy alignment, best pairs first; then again with the pairs covering the most weight
     * first, which lets a joined form ("jong-uun" for "jong-un") beat an exact part of it */
    alignment al[2];
    align(q, c, pairs, n_pairs, 0, &al[0]);
    const alignment *A = &al[0];
    if (has_span_pair(q, c, pairs, n_pairs)) {
        align(q, c, pairs, n_pairs, 1, &al[1]);
        if (blend(&al[1]) > blend(&al[0]))
            A = &al[1];
    }
    const unsigned char *qused = A->qused, *cused = A->cused;
    double mq = A->mq, mq_informative = A->mq_informative;
    int q_fuzzy = A->q_fuzzy, c_fuzzy = A->c_fuzzy;
    out->qcov = A->qcov;
    out->ccov = A->ccov;
    out->literal = literal;
    out->score = literal ? 1.0 : blend(A);
    /* a listed name of two or more words found whole inside a longer query ("Anxun Information
     * Technology" in "Sichuan Anxun Information Technology") is worth a look too */
    size_t c_words = 0;
    for (size_t k = 0; k < c->n_base; k++)
        c_words += c->opts[k].kind == EMB__TOK_WORD || c->opts[k].kind == EMB__TOK_NUMBER;
    /* ...when it is a name of some length: two short syllables ("JIN TENG") inside a longer
     * query are more likely chance than a listing */
    if (!literal && c_words >= 2 && c->n_base >= 3 && out->ccov >= 0.95) {
        double contained = 0.35 * out->qcov + 0.65 * out->ccov;
        if (contained > out->score)
            out->score = contained;
    }
    /* a name written in Han or Hangul is its syllables, from a small stock: two of a listed
     * name's three met ("mei shi" in "SUN Shih Mei") is chance more often than a partial
     * name, so the listed name must be met nearly whole (the query may hold more: a province
     * before a company's name) */
    if (!literal && syllabic(q) && out->ccov < out->qcov) {
        double whole = 0.85 * out->ccov + 0.15 * out->qcov;
        if (whole < out->score)
            out->score = whole;
    }
    if (!literal && out->score > 0.999)
        out->score = 0.999; /* a non-identical name never ties an identical one */
    /* only organisation words and legal forms in common, or nothing else in the query
     * ("Trading Company"): never enough for a match */
    /* a word on each side that met nothing ("al-mosuli" against "al-duri") is evidence of two
     * different names, stronger than a word merely missing on one side */
    double uq = 0, uc = 0;
    for (size_t k = 0; k < q->n_base; k++) {
        const emb__opt *o = &q->opts[k];
        if (!qused[k] && (o->kind == EMB__TOK_WORD || o->kind == EMB__TOK_NUMBER))
            uq += o->weight;
    }
    for (size_t k = 0; k < c->n_base; k++) {
        const emb__opt *o = &c->opts[k];
        if (!cused[k] && (o->kind == EMB__TOK_WORD || o->kind == EMB__TOK_NUMBER))
            uc += o->weight;
    }
    if (!literal && uq > 0 && uc > 0 && q->total > 0 && c->total > 0) {
        double share_q = uq / q->total, share_c = uc / c->total;
        double conflict = share_q < share_c ? share_q : share_c;
        out->score *= 1.0 - 0.6 * conflict;
        out->conflict = conflict;
    }
    /* a name of one informative word met only by a near spelling ("Paris" for "PARS OIL
     * CO.", "Rezende" for "REZONIT") is weak evidence: many words are that near */
    if (!literal && ((q_fuzzy && informative_words(q) == 1) ||
                     (c_fuzzy && informative_words(c) == 1))) {
        out->score *= SINGLE_FUZZY;
        out->single_fuzzy = 1;
    }
    if (mq > 0 && mq_informative == 0) {
        out->generic = 1;
        if (out->score > GENERIC_CAP)
            out->score = GENERIC_CAP;
    }
    for (size_t k = 0; k < q->n_base; k++) {
        const emb__opt *o = &q->opts[k];
        if (!qused[k] && (o->kind == EMB__TOK_WORD || o->kind == EMB__TOK_NUMBER)) {
            out->missing = o->text;
            break;
        }
    }
    /* legal forms: weak evidence, they only lower a score when their classes differ */
    for (size_t i = 0; i < q->n_base; i++) {
        if (q->opts[i].kind != EMB__TOK_LEGAL)
            continue;
        for (size_t j = 0; j < c->n_base; j++) {
            if (c->opts[j].kind != EMB__TOK_LEGAL)
                continue;
            char a[32], b[32];
            snprintf(a, sizeof(a), "%.*s", (int)q->opts[i].text.len, q->opts[i].text.ptr);
            snprintf(b, sizeof(b), "%.*s", (int)c->opts[j].text.len, c->opts[j].text.ptr);
            if (!emb__legal_compatible(a, b))
                out->legal_clash = 1;
        }
    }
}
