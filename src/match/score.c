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

static float token_weight(const emb_index *idx, emb_str t, emb__tok_kind kind)
{
    if (kind == EMB__TOK_LEGAL)
        return 0.3f;
    double w = 1.0;
    if (idx != NULL && idx->n_names > 0) {
        uint32_t df = emb__token_df(idx, t);
        /* unseen tokens are as rare as the rarest seen */
        w = log(((double)idx->n_names + 1.0) / ((double)df + 1.0)) + 1.0;
        if (w < 1.0)
            w = 1.0;
        if (w > 12.0)
            w = 12.0;
    } else if (kind == EMB__TOK_NUMBER) {
        w = 1.5;
    }
    if (kind == EMB__TOK_ORG)
        w = w > 2.0 ? 1.0 : w * 0.5;
    if (kind == EMB__TOK_INITIAL)
        w *= 0.5;
    return (float)w;
}

static uint32_t letter_mask(emb_str t)
{
    uint32_t m = 0;
    for (size_t i = 0; i < t.len; i++) {
        unsigned c = (unsigned char)t.ptr[i] - 'a';
        if (c < 26)
            m |= 1u << c;
    }
    return m;
}

static emb__tok_kind guess_kind(emb_str t)
{
    int digit = 0;
    for (size_t i = 0; i < t.len; i++)
        digit |= t.ptr[i] >= '0' && t.ptr[i] <= '9';
    if (digit)
        return EMB__TOK_NUMBER;
    return t.len == 1 ? EMB__TOK_INITIAL : EMB__TOK_WORD;
}

static size_t edit_distance(emb_str a, emb_str b, size_t cap);

/* Which run of base tokens an alternative stands for: the run whose concatenation it is (or
 * nearly is: Korean customary spellings), else the one base token it nearly equals. */
static void place_alternative(emb__side *s, emb__opt *a)
{
    char buf[256];
    double best = 0.0;
    for (size_t i = 0; i < s->n_base; i++) {
        size_t len = 0;
        for (size_t k = i; k < s->n_base && k < i + 4; k++) {
            emb_str t = s->opts[k].text;
            if (len + t.len > sizeof(buf))
                break;
            memcpy(buf + len, t.ptr, t.len);
            len += t.len;
            if (len + 3 < a->text.len)
                continue;
            if (len > a->text.len + 3)
                break;
            emb_str run = emb__str(buf, len);
            double sim = emb__str_eq(run, a->text) ? 1.0 : emb__jaro_winkler(run, a->text);
            /* a one-word variant a letter or two away (Korean "kim" for "gim", "un" for "eun") */
            if (sim < 0.85 && k == i && (len + 1 >= a->text.len && a->text.len + 1 >= len) &&
                edit_distance(run, a->text, 2) <= 2)
                sim = 0.85;
            if (sim > best && sim >= 0.85) {
                best = sim;
                a->first = (uint8_t)i;
                a->count = (uint8_t)(k - i + 1);
            }
        }
    }
}

static void add_base(emb__side *s, emb_str t, emb__tok_kind kind, const emb_index *idx)
{
    if (s->n_opts >= EMB__SIDE_MAX || t.len == 0)
        return;
    emb__opt *o = &s->opts[s->n_opts++];
    o->text = t;
    o->first = (uint8_t)s->n_base;
    o->count = 1;
    o->kind = (uint8_t)kind;
    o->alt = 0;
    o->letters = letter_mask(t);
    o->weight = token_weight(idx, t, kind);
    s->n_base++;
    s->total += o->weight;
    if (kind == EMB__TOK_WORD || kind == EMB__TOK_NUMBER)
        s->informative += o->weight;
}

static void add_alt(emb__side *s, emb_str t)
{
    if (s->n_opts >= EMB__SIDE_MAX || t.len == 0)
        return;
    emb__opt *o = &s->opts[s->n_opts];
    o->text = t;
    o->count = 0;
    o->kind = EMB__TOK_WORD;
    o->alt = 1;
    o->weight = 0;
    o->letters = letter_mask(t);
    place_alternative(s, o);
    if (o->count > 0)
        s->n_opts++;
}

static void reset_side(emb__side *s)
{
    s->join_len = 0;
    s->n_opts = 0;
    s->n_base = 0;
    s->total = 0;
    s->informative = 0;
}

/* Base tokens of a comparison form: canonical legal forms and organisation words are known
 * by the legal tables, so a stored form needs no kinds. */
static emb__tok_kind stored_kind(emb_str t)
{
    const char *canon = NULL;
    emb__legal_kind lk = EMB__LEGAL_NONE;
    if (emb__legal_match(&t, 1, 0, &canon, &lk) == 1 && canon != NULL &&
        strlen(canon) == t.len && memcmp(canon, t.ptr, t.len) == 0)
        return lk == EMB__LEGAL_FORM ? EMB__TOK_LEGAL : EMB__TOK_ORG;
    return guess_kind(t);
}

/* Syllables written apart ("an xun") that an alternative joins exactly ("anxun") are parts of
 * one word: they weigh as parts, not as words each. */
static void weigh_syllables(emb__side *s)
{
    unsigned char part[EMB__SIDE_MAX] = {0};
    char buf[256];
    for (size_t i = s->n_base; i < s->n_opts; i++) {
        const emb__opt *a = &s->opts[i];
        if (a->count < 2)
            continue;
        size_t len = 0;
        int exact = 1;
        for (size_t k = a->first; k < (size_t)a->first + a->count && exact; k++) {
            emb_str t = s->opts[k].text;
            exact = len + t.len <= sizeof(buf);
            if (exact) {
                memcpy(buf + len, t.ptr, t.len);
                len += t.len;
            }
        }
        if (exact && emb__str_eq(emb__str(buf, len), a->text)) {
            for (size_t k = a->first; k < (size_t)a->first + a->count; k++)
                part[k] = 1;
        }
    }
    for (size_t k = 0; k < s->n_base; k++) {
        if (!part[k])
            continue;
        emb__opt *o = &s->opts[k];
        float w = o->weight * 0.6f;
        s->total -= o->weight - w;
        if (o->kind == EMB__TOK_WORD || o->kind == EMB__TOK_NUMBER)
            s->informative -= o->weight - w;
        o->weight = w;
    }
}

/* Words written together on one side and apart on the other ("VladimirPutin", "van der
 * bilt", "A.B.C."): adjacent base tokens joined, as alternatives. The text lives in the
 * side's own buffer. */
static void add_adjacent_joins(emb__side *s)
{
    size_t nb = s->n_base;
    for (size_t i = 0; i + 1 < nb; i++) {
        size_t len = 0;
        for (size_t k = i; k < nb && k < i + 3; k++) {
            emb_str t = s->opts[k].text;
            /* numbers and legal forms are never merged into words: "11420 corp" stays apart */
            uint8_t kk = s->opts[k].kind;
            if (kk != EMB__TOK_WORD && kk != EMB__TOK_INITIAL)
                break;
            if (s->join_len + len + t.len > sizeof(s->join) || s->n_opts >= EMB__SIDE_MAX)
                return;
            memcpy(s->join + s->join_len + len, t.ptr, t.len);
            len += t.len;
            if (k == i)
                continue;
            emb__opt *o = &s->opts[s->n_opts++];
            o->text = emb__str(s->join + s->join_len, len);
            o->first = (uint8_t)i;
            o->count = (uint8_t)(k - i + 1);
            o->kind = EMB__TOK_WORD;
            o->alt = 1;
            o->weight = 0;
            o->letters = letter_mask(o->text);
            /* the next join starts as a copy of this one */
            if (k + 1 < nb && k + 1 < i + 3) {
                if (s->join_len + 2 * len > sizeof(s->join))
                    return;
                memcpy(s->join + s->join_len + len, s->join + s->join_len, len);
                s->join_len += len;
            }
        }
        s->join_len += len;
    }
}

void emb__side_from_forms(emb__side *s, emb_str compare, emb_str alt, const emb_index *idx)
{
    reset_side(s);
    for (int pass = 0; pass < 2; pass++) {
        emb_str src = pass == 0 ? compare : alt;
        size_t i = 0;
        while (i < src.len) {
            while (i < src.len && src.ptr[i] == ' ')
                i++;
            size_t j = i;
            while (j < src.len && src.ptr[j] != ' ')
                j++;
            emb_str t = emb__str(src.ptr + i, j - i);
            if (pass == 0)
                add_base(s, t, stored_kind(t), idx);
            else
                add_alt(s, t);
            i = j;
        }
    }
    weigh_syllables(s);
    add_adjacent_joins(s);
}

void emb__side_from_name(emb__side *s, const emb__nname *n, const emb_index *idx)
{
    reset_side(s);
    for (size_t i = 0; i < n->n_toks; i++) {
        if (!(n->toks[i].flags & EMB__TOKF_JOINED))
            add_base(s, emb__nname_tok(n, i), (emb__tok_kind)n->toks[i].kind, idx);
    }
    for (size_t i = 0; i < n->n_toks; i++) {
        if (n->toks[i].flags & EMB__TOKF_JOINED)
            add_alt(s, emb__nname_tok(n, i));
    }
    weigh_syllables(s);
    add_adjacent_joins(s);
}

/* Levenshtein distance, stopping early once over `cap` (tokens are short). */
static size_t edit_distance(emb_str a, emb_str b, size_t cap)
{
    if (a.len > 63 || b.len > 63)
        return cap + 1;
    size_t row[64];
    for (size_t j = 0; j <= b.len; j++)
        row[j] = j;
    for (size_t i = 1; i <= a.len; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= b.len; j++) {
            size_t up = row[j];
            size_t v = diag + (a.ptr[i - 1] != b.ptr[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[b.len];
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

/* 1 when a word has no vowel letter: a consonant transliteration (Arabic, Hebrew). */
static int vowelless(emb_str t)
{
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u')
            return 0;
    }
    return t.len > 0;
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
    if (!vowelless(a->text) && !vowelless(b->text)) {
        uint32_t both = a->letters & b->letters;
        int na = __builtin_popcount(a->letters), nb = __builtin_popcount(b->letters);
        if (longer > shorter + 4 || 2 * __builtin_popcount(both) < (na < nb ? na : nb))
            return 0.0;
    }
    size_t allowed = shorter <= 5 ? 1 : (shorter <= 8 ? 2 : 3);
    /* the length difference alone is a lower bound of the edit distance */
    size_t d = longer - shorter > allowed ? allowed + 1 : edit_distance(a->text, b->text, allowed);
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
    if (vowelless(a->text) != vowelless(b->text)) {
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
    double sim[EMB__SIDE_MAX][EMB__SIDE_MAX];
    for (size_t i = 0; i < q->n_opts; i++) {
        for (size_t j = 0; j < c->n_opts; j++)
            sim[i][j] = token_sim(&q->opts[i], &c->opts[j]);
    }
    unsigned char qused[EMB__SIDE_MAX] = {0}, cused[EMB__SIDE_MAX] = {0};
    double mq = 0, mc = 0, mq_informative = 0;
    int literal = q->n_base == c->n_base;
    for (size_t i = 0; i < q->n_base && literal; i++)
        literal = emb__str_eq(q->opts[i].text, c->opts[i].text);
    for (;;) {
        double best = PAIR_FLOOR;
        size_t bi = EMB__SIDE_MAX, bj = EMB__SIDE_MAX;
        for (size_t i = 0; i < q->n_opts; i++) {
            if (!span_free(qused, &q->opts[i]))
                continue;
            for (size_t j = 0; j < c->n_opts; j++) {
                double v = sim[i][j];
                /* at equal similarity prefer the pair covering more (joined forms) */
                if (v > best ||
                    (v == best && bi != EMB__SIDE_MAX && v > 0 &&
                     q->opts[i].count + c->opts[j].count > q->opts[bi].count + c->opts[bj].count)) {
                    if (!span_free(cused, &c->opts[j]))
                        continue;
                    best = v;
                    bi = i;
                    bj = j;
                }
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
