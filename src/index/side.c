/*
 * A name laid out for scoring (a "side"): its base tokens with kinds and rarity weights, and
 * alternative spellings (joined syllables, variants, adjacent words joined) each standing for
 * a run of base tokens. List names are laid out once, when the snapshot is built (section
 * SIDES); queries at query time.
 */
#include <math.h>
#include <string.h>

#include "../unicode/legal.h"
#include "index.h"

/* Titles and honorifics as they read once folded and transliterated ("Presidente Putin",
 * "Президент Путин", "Sheikh Isa"): part of how a name is written, little of who it is.
 * Words that are also common surnames or given names (King, Bishop, Prince, Mayor, Major,
 * Amir, Don) are left out: "Jonathan King" is no title. */
static const char *const titles[] = {
    "admiral", "ayatollah", "colonel", "doctor", "dr", "emir", "excellency", "frau", "gospodin",
    "haji", "hajji", "herr", "hojatoleslam", "honorable", "honourable", "imam", "lieutenant",
    "madame", "maulana", "maulvi", "minister", "mme", "monsieur", "mr", "mrs", "ms", "mufti",
    "mullah", "president", "presidente", "presiden", "prezident", "praesident", "prasident",
    "prof", "professor", "rabbi", "sayed", "sayyid", "senator", "senor", "sergeant", "shaikh",
    "sheik", "sheikh", "sheikha", "sir", "tovarishch",
};

static int is_title(emb_str t)
{
    if (t.len < 2 || t.len > 12)
        return 0;
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
        /* every token of every name comes here at build: the first letter rules most out */
        if (titles[i][0] == t.ptr[0] && strlen(titles[i]) == t.len &&
            memcmp(titles[i], t.ptr, t.len) == 0)
            return 1;
    }
    return 0;
}

static float token_weight(const emb_index *idx, emb_str t, emb__tok_kind kind)
{
    if (kind == EMB__TOK_LEGAL)
        return 0.3f;
    if (kind == EMB__TOK_WORD && is_title(t))
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

void emb__opt_skeleton(emb__opt *o)
{
    char buf[64];
    size_t n = emb__skeleton(o->text, buf, sizeof(buf));
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)buf[i];
        h *= 16777619u;
    }
    o->skel = h;
    o->skel_len = (uint8_t)n;
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
                emb__edit_distance(run, a->text, 2) <= 2)
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
    o->skel_len = EMB__SKEL_UNKNOWN;
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
    o->skel_len = EMB__SKEL_UNKNOWN;
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
        uint32_t letters = 0;
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
            letters |= s->opts[k].letters;
            if (k == i)
                continue;
            emb__opt *o = &s->opts[s->n_opts++];
            o->text = emb__str(s->join + s->join_len, len);
            o->first = (uint8_t)i;
            o->count = (uint8_t)(k - i + 1);
            o->kind = EMB__TOK_WORD;
            o->alt = 1;
            o->weight = 0;
            o->letters = letters;
            o->skel_len = EMB__SKEL_UNKNOWN;
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

void emb__side_layout(emb__side *s, emb_str compare, emb_str alt, const emb_index *idx)
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
}

void emb__side_from_snap(emb__side *s, const emb_index *idx, size_t i)
{
    reset_side(s);
    const emb__snap_name *nm = &idx->names[i];
    const emb__snap_side *sd = &idx->sides[i];
    const char *base = idx->strings + nm->folded.off, *alt = idx->strings + nm->alt.off;
    const emb__snap_opt *o = idx->opts + sd->first_opt;
    for (size_t k = 0; k < sd->n_opts; k++, o++) {
        emb__opt *d = &s->opts[k];
        d->text = emb__str((o->alt ? alt : base) + o->off, o->len);
        d->first = o->first;
        d->count = o->count;
        d->kind = o->kind;
        d->alt = o->alt;
        d->weight = o->weight;
        d->letters = o->letters;
        d->skel_len = EMB__SKEL_UNKNOWN;
        if (!o->alt) {
            s->total += o->weight;
            if (o->kind == EMB__TOK_WORD || o->kind == EMB__TOK_NUMBER)
                s->informative += o->weight;
        }
    }
    s->n_opts = sd->n_opts;
    s->n_base = sd->n_base;
    add_adjacent_joins(s);
}

void emb__side_from_name(emb__side *s, const emb__nname *n, const emb_index *idx)
{
    reset_side(s);
    for (size_t i = 0; i < n->n_toks; i++) {
        if (!(n->toks[i].flags & EMB__TOKF_JOINED)) {
            add_base(s, emb__nname_tok(n, i), (emb__tok_kind)n->toks[i].kind, idx);
            if (n->toks[i].flags & EMB__TOKF_TRANSLIT)
                s->opts[s->n_opts - 1].letters |= EMB__OPT_TRANSLIT;
            if (n->toks[i].flags & EMB__TOKF_SYLLABLE)
                s->opts[s->n_opts - 1].letters |= EMB__OPT_SYLLABLE;
        }
    }
    for (size_t i = 0; i < n->n_toks; i++) {
        if (n->toks[i].flags & EMB__TOKF_JOINED)
            add_alt(s, emb__nname_tok(n, i));
    }
    weigh_syllables(s);
    add_adjacent_joins(s);
}


