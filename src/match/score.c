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

/* A token with letters but no a, e, i, o or u (a consonant transliteration: Arabic, Hebrew), from its letter set. */
#define VOWEL_BITS ((1u << 0) | (1u << 4) | (1u << 8) | (1u << 14) | (1u << 20))
static inline int lacks_vowels(const emb__opt *o)
{
    return o->text.len > 0 && !(o->letters & VOWEL_BITS);
}

/* Bits set in a letter set (SWAR: portable builds have no popcount instruction). */
static inline int bit_count(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (int)((x * 0x01010101u) >> 24);
}

/* Spelling variants of one word that share a sound: Double Metaphone or consonant skeleton
 * (Aleksandr / Alexander, Mohammed / Muhammad, Yevgeniy / Evgeny). */
static int sound_alike(emb_str a, emb_str b)
{
    char pa[EMB__METAPHONE_MAX + 1], aa[EMB__METAPHONE_MAX + 1];
    char pb[EMB__METAPHONE_MAX + 1], ab[EMB__METAPHONE_MAX + 1];
    if (emb__double_metaphone(a, pa, aa) >= 3 && emb__double_metaphone(b, pb, ab) >= 3 &&
        (strcmp(pa, pb) == 0 || strcmp(pa, ab) == 0 || strcmp(aa, pb) == 0 ||
         strcmp(aa, ab) == 0))
        return 1;
    char sa[64], sb[64];
    return emb__skeleton(a, sa, sizeof(sa)) >= 3 && emb__skeleton(b, sb, sizeof(sb)) >= 3 &&
           strcmp(sa, sb) == 0;
}

/*
 * Similarity of two tokens. Numbers, legal forms and initials must be equal. Other words
 * may differ by a few edits for their length (1 up to 5 letters, 2 up to 8, 3 beyond), scored
 * by Jaro-Winkler; or sound alike, scored 0.88. Jaro-Winkler alone is too generous: it gives
 * "maduro"/"mado" 0.92.
 */
static double token_sim(const emb__opt *a, const emb__opt *b)
{
    if (emb__str_eq(a->text, b->text))
        return 1.0;
    /* an initial stands for a word that starts with it ("V. Putin") */
    if ((a->kind == EMB__TOK_INITIAL) != (b->kind == EMB__TOK_INITIAL)) {
        const emb__opt *w = a->kind == EMB__TOK_INITIAL ? b : a;
        const emb__opt *in = a->kind == EMB__TOK_INITIAL ? a : b;
        return w->kind == EMB__TOK_WORD && !w->alt && w->text.ptr[0] == in->text.ptr[0] ? 0.9
                                                                                          : 0.0;
    }
    if (a->kind == EMB__TOK_NUMBER || b->kind == EMB__TOK_NUMBER || a->kind == EMB__TOK_LEGAL ||
        b->kind == EMB__TOK_LEGAL || a->kind == EMB__TOK_INITIAL || b->kind == EMB__TOK_INITIAL)
        return 0.0;
    size_t shorter = a->text.len < b->text.len ? a->text.len : b->text.len;
    size_t longer = a->text.len > b->text.len ? a->text.len : b->text.len;
    if (shorter < 3)
        return 0.0;
    /* most pairs are plainly different words: too different in length, or sharing less than
     * half their letters; only vowelless transliterations get past on their consonants */
    int a_vl = lacks_vowels(a), b_vl = lacks_vowels(b);
    if (!a_vl && !b_vl) {
        uint32_t both = a->letters & b->letters;
        int na = bit_count(a->letters), nb = bit_count(b->letters);
        if (longer > shorter + 4 || 2 * bit_count(both) < (na < nb ? na : nb))
            return 0.0;
    }
    size_t allowed = shorter <= 5 ? 1 : (shorter <= 8 ? 2 : 3);
    /* the length difference alone is a lower bound of the edit distance */
    /* each edit adds or removes at most two letters of the letter set, and the length
     * difference needs as many edits: both bound the distance from below */
    size_t d = longer - shorter > allowed ||
                       (size_t)bit_count(a->letters ^ b->letters) > 2 * allowed
                   ? allowed + 1
                   : emb__edit_distance(a->text, b->text, allowed);
    if (d <= allowed) {
        double jw = emb__jaro_winkler(a->text, b->text);
        double ed = 1.0 - (double)d / (double)(a->text.len > b->text.len ? a->text.len : b->text.len);
        double v = (jw + ed) / 2.0;
        return v > 0.8 ? v : 0.8;
    }
    /* sounding alike is not enough on its own ("maduro" and "matari" share MTR), and short
     * words sound alike too easily ("auger" and "agir", "parisi" and "parsa"); nor joined
     * words or long ones: 8-letter keys compare their beginnings only ("alexandracortez"
     * and "alexanderkhryakov" share ALKSNTRK) */
    if (shorter >= 6 && longer <= 10 && !a->alt && !b->alt &&
        emb__jaro_winkler(a->text, b->text) >= 0.8 && sound_alike(a->text, b->text))
        return 0.88;
    /* Arabic and Hebrew transliterate without vowels ("mhmd", "ly"): their consonants must
     * be the Latin spelling's consonants */
    if (a_vl != b_vl) {
        char sa[64], sb[64];
        size_t la = emb__skeleton(a->text, sa, sizeof(sa));
        size_t lb = emb__skeleton(b->text, sb, sizeof(sb));
        if (la == lb && la >= 1 && strcmp(sa, sb) == 0 && (la >= 2 || shorter <= 3))
            return 0.85;
    }
    return 0.0;
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

void emb__score_names(const emb__side *q, const emb__side *c, emb__name_score *out)
{
    memset(out, 0, sizeof(*out));
    if (q->n_base == 0 || c->n_base == 0)
        return;
    /* the pairs that can align (most are far below the floor), in (query, candidate) order */
    struct pair {
        double v;
        uint8_t i, j;
    } pairs[EMB__SIDE_MAX * EMB__SIDE_MAX];
    size_t n_pairs = 0;
    for (size_t i = 0; i < q->n_opts; i++) {
        for (size_t j = 0; j < c->n_opts; j++) {
            double v = token_sim(&q->opts[i], &c->opts[j]);
            if (v > PAIR_FLOOR)
                pairs[n_pairs++] = (struct pair){v, (uint8_t)i, (uint8_t)j};
        }
    }
    unsigned char qused[EMB__SIDE_MAX] = {0}, cused[EMB__SIDE_MAX] = {0};
    double mq = 0, mc = 0, mq_informative = 0;
    int literal = q->n_base == c->n_base;
    for (size_t i = 0; i < q->n_base && literal; i++)
        literal = emb__str_eq(q->opts[i].text, c->opts[i].text);
    for (;;) {
        double best = PAIR_FLOOR;
        size_t bi = EMB__SIDE_MAX, bj = EMB__SIDE_MAX;
        for (size_t p = 0; p < n_pairs; p++) {
            double v = pairs[p].v;
            size_t i = pairs[p].i, j = pairs[p].j;
            /* at equal similarity prefer the pair covering more (joined forms) */
            if (v > best ||
                (v == best && bi != EMB__SIDE_MAX &&
                 q->opts[i].count + c->opts[j].count > q->opts[bi].count + c->opts[bj].count)) {
                if (!span_free(qused, &q->opts[i]) || !span_free(cused, &c->opts[j]))
                    continue;
                best = v;
                bi = i;
                bj = j;
            }
        }
        if (bi == EMB__SIDE_MAX)
            break;
        const emb__opt *a = &q->opts[bi], *b = &c->opts[bj];
        for (size_t k = a->first; k < (size_t)a->first + a->count; k++) {
            qused[k] = 1;
            const emb__opt *base = &q->opts[k];
            if (base->kind == EMB__TOK_WORD || base->kind == EMB__TOK_NUMBER)
                mq_informative += best * best * base->weight;
        }
        for (size_t k = b->first; k < (size_t)b->first + b->count; k++)
            cused[k] = 1;
        /* an inexact pair counts for less than its similarity: an exact word in a longer
         * name ("maduro" in "MADURO MOROS, Nicolas") outranks a near-spelling ("MAURO") */
        double credit = best * best;
        double qw = span_weight(q, a), cw = span_weight(c, b);
        /* an initial for a word gives the word only part of its weight */
        if (a->kind == EMB__TOK_INITIAL && b->kind != EMB__TOK_INITIAL)
            cw *= 0.5;
        if (b->kind == EMB__TOK_INITIAL && a->kind != EMB__TOK_INITIAL)
            qw *= 0.5;
        mq += credit * qw;
        mc += credit * cw;
    }
    out->qcov = q->total > 0 ? mq / q->total : 0;
    out->ccov = c->total > 0 ? mc / c->total : 0;
    if (out->qcov > 1)
        out->qcov = 1;
    if (out->ccov > 1)
        out->ccov = 1;
    out->literal = literal;
    out->score = literal ? 1.0 : 0.7 * out->qcov + 0.3 * out->ccov;
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
