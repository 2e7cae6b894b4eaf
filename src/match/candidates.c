/*
 * Candidate generation: which names a query is worth scoring. Every key of the query (tokens,
 * joined forms, adjacent words joined, phonetic keys, skeletons, the original script,
 * trigrams) is looked up in the snapshot's sorted key dictionary. The rarer keys find the
 * candidates; keys on many names ("mohammed", "^al") would make a query touch much of the
 * index for little, so they only add to names the rarer keys found. Each candidate is then
 * ranked the way the scorer will see it: per query word, the best evidence its keys show
 * (the word itself, a sound-alike, a share of its trigrams) times the word's rarity weight,
 * summed over the words. The best k are scored; scoring, not this, decides.
 */
#include <math.h>
#include <string.h>

#include "match.h"

#define COMMON_SHARE 100 /* a key on more than 1/100 of the names is common ... */
#define COMMON_MAX 20000 /* ... and so is one on more than this many */
#define BOOST_SHARE 4    /* common keys on more than 1/4 of the names are not read */
#define BOOST_FACTOR 8   /* nor those on more than 8x the common limit */
#define RAREST_FEW 3     /* keys that find names when every key of the query is common */
#define QUERY_KEYS_MAX 1024

/* How much of a query word a shared key shows the name holds: the word itself, or one that
 * sounds alike or is spelled alike (which the scorer counts for a little less). */
static float kind_evidence(emb__key_kind kind)
{
    switch (kind) {
    case EMB__KEY_TOKEN:
    case EMB__KEY_JOINED:
    case EMB__KEY_ORIGINAL:
        return 1.0f;
    case EMB__KEY_PHONETIC:
    case EMB__KEY_SKELETON:
        return 0.85f;
    case EMB__KEY_NGRAM:
        return 0.01f; /* counted, see word_evidence */
    default:
        return 0.0f;
    }
}

typedef struct {
    const emb_index *idx;
    emb_ctx *ctx;
    uint16_t group;
    float group_weight;
    float max_weight;
    int joins;     /* keys of adjacent words joined */
    int vowelless; /* the current word has no vowels (Arabic, Hebrew transliterations) */
    uint16_t word_len;
} lookup;

/* A query word's weight, as the scorer gives it: its rarity among the names. */
static float word_weight(const emb_index *idx, emb_str word)
{
    double n = (double)idx->n_names;
    double w = log((n + 1.0) / ((double)emb__token_df(idx, word) + 1.0)) + 1.0;
    return (float)(w < 1.0 ? 1.0 : (w > 12.0 ? 12.0 : w));
}

static emb_status add_qkey(lookup *lk, char prefix, emb__key_kind kind, emb_str key, float ev)
{
    emb_ctx *ctx = lk->ctx;
    if (key.len + 2 > EMB__KEY_MAX_LEN || ctx->n_qkeys >= QUERY_KEYS_MAX)
        return EMB_OK;
    char text[EMB__KEY_MAX_LEN];
    text[0] = prefix;
    text[1] = ':';
    memcpy(text + 2, key.ptr, key.len);
    size_t k = emb__key_find(lk->idx, emb__str(text, key.len + 2));
    if (k == SIZE_MAX)
        return EMB_OK;
    /* a token and a joined form of the same text share one key */
    for (size_t i = 0; i < ctx->n_qkeys; i++) {
        if (ctx->qkeys[i].key == k)
            return EMB_OK;
    }
    emb_status rc = emb__grow((void **)&ctx->qkeys, &ctx->cap_qkeys, sizeof(struct emb__qkey),
                              ctx->n_qkeys + 1, QUERY_KEYS_MAX);
    if (rc != EMB_OK)
        return rc;
    struct emb__qkey *q = &ctx->qkeys[ctx->n_qkeys++];
    q->key = (uint32_t)k;
    q->df = lk->idx->keys[k].df;
    q->group = lk->group;
    q->kind = (uint8_t)kind;
    q->weight = ev;
    q->group_weight = lk->group_weight;
    q->word_len = lk->word_len;
    return EMB_OK;
}

static emb_status on_query_key(void *ud, emb__key_kind kind, emb_str key)
{
    lookup *lk = ud;
    /* keys come word by word: the word's own key, then its trigrams and sounds */
    if (kind == EMB__KEY_TOKEN || kind == EMB__KEY_JOINED || kind == EMB__KEY_ORIGINAL) {
        lk->group++;
        if (lk->joins)
            lk->group_weight = lk->max_weight * 0.5f;
        else if (kind == EMB__KEY_ORIGINAL)
            lk->group_weight = lk->max_weight;
        else
            lk->group_weight = word_weight(lk->idx, key);
        if (lk->group_weight > lk->max_weight && !lk->joins)
            lk->max_weight = lk->group_weight;
        lk->vowelless = emb__vowelless(key);
        lk->word_len = (uint16_t)(key.len < 1000 ? key.len : 1000);
    }
    char prefix = emb__key_prefix(kind);
    if (prefix == 0)
        return EMB_OK;
    float ev = kind_evidence(kind);
    /* the scorer takes sounds of fewer than 3 letters for nothing, and short skeletons only
     * where a word has no vowels */
    if (kind == EMB__KEY_PHONETIC && key.len < 3)
        return EMB_OK;
    if (kind == EMB__KEY_SKELETON) {
        emb_status rc = add_qkey(lk, 'v', kind, key, 0.85f);
        if (rc != EMB_OK)
            return rc;
        if (key.len < 3 && !lk->vowelless)
            ev = 0.3f;
    }
    return add_qkey(lk, prefix, kind, key, ev);
}

/* Rarest first, to choose the keys that find names. */
static void sort_by_df(struct emb__qkey *k, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct emb__qkey v = k[i];
        size_t j = i;
        for (; j > 0 && k[j - 1].df > v.df; j--)
            k[j] = k[j - 1];
        k[j] = v;
    }
}

/* The names on a key's postings join the candidates (marked by a trace of weight). */
static void gather(const emb_index *idx, emb_ctx *ctx, const struct emb__qkey *q,
                   size_t *n_touched)
{
    const uint8_t *p, *end;
    emb__key_postings(idx, q->key, &p, &end);
    uint32_t name = 0;
    for (uint32_t i = 0; i < q->df; i++) {
        uint32_t v;
        p = emb__varint_get(p, end, &v);
        if (p == NULL)
            return; /* cannot happen: validated at open */
        name = i == 0 ? v : name + v;
        if (ctx->acc[name] == 0.0f) {
            ctx->acc[name] = 1e-6f;
            ctx->touched[(*n_touched)++] = name;
        }
    }
}

/* A key's evidence for the candidates on its postings, within its word. The tally holds
 * the strongest other evidence in hundredths, times 100, plus the trigrams met (exact in a
 * float: words are short). */
static void evidence(const emb_index *idx, emb_ctx *ctx, const struct emb__qkey *q,
                     size_t *n_gtouched)
{
    const uint8_t *p, *end;
    emb__key_postings(idx, q->key, &p, &end);
    uint32_t name = 0;
    int trigram = q->kind == EMB__KEY_NGRAM;
    float level = 100.0f * (float)(int)(q->weight * 100.0f + 0.5f);
    for (uint32_t i = 0; i < q->df; i++) {
        uint32_t v;
        p = emb__varint_get(p, end, &v);
        if (p == NULL)
            return;
        name = i == 0 ? v : name + v;
        if (ctx->acc[name] == 0.0f)
            continue;
        float *g = &ctx->gacc[name];
        if (*g == 0.0f)
            ctx->gtouched[(*n_gtouched)++] = name;
        if (trigram) {
            *g += 1.0f;
        } else {
            float other = 100.0f * (float)(int)(*g / 100.0f);
            if (level > other)
                *g += level - other;
        }
    }
}

/* What a word's tally shows: its strongest key, or from the trigrams met the q-gram count
 * filter: an edit removes at most 3 of a word's trigrams, so a name missing m of them is at
 * least ceil(m / 3) edits away, which the scorer allows up to 1, 2 or 3 by word length. */
static float word_evidence(float tally, unsigned len)
{
    float other = (float)(int)(tally / 100.0f);
    unsigned met = (unsigned)(tally - other * 100.0f);
    float ev = other / 100.0f;
    if (len == 0 || met == 0)
        return ev;
    unsigned missing = met < len ? len - met : 0;
    unsigned edits = (missing + 2) / 3;
    unsigned allowed = len <= 5 ? 1 : (len <= 8 ? 2 : 3);
    float share = (float)met / (float)len;
    /* one edit is the common typo; a word only two or three edits away met few trigrams */
    float tri = edits <= 1 ? 0.85f : (edits <= allowed ? 0.85f * share : 0.5f * share);
    return tri > ev ? tri : ev;
}

/* Min-heap on (score, then higher name index first out): the root is the weakest kept. */
static int weaker(const struct emb__cand *a, const struct emb__cand *b)
{
    return a->score < b->score || (a->score == b->score && a->name > b->name);
}

static void sift_down(struct emb__cand *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && weaker(&h[l], &h[m]))
            m = l;
        if (l + 1 < n && weaker(&h[l + 1], &h[m]))
            m = l + 1;
        if (m == i)
            return;
        struct emb__cand t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(struct emb__cand *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!weaker(&h[i], &h[parent]))
            return;
        struct emb__cand t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/* Move a[i] down the max-heap a[0..n) to its place. */
static void sift_name(uint32_t *a, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && a[l] > a[m])
            m = l;
        if (l + 1 < n && a[l + 1] > a[m])
            m = l + 1;
        if (m == i)
            return;
        uint32_t t = a[i];
        a[i] = a[m];
        a[m] = t;
        i = m;
    }
}

/* Heapsort of name indices, ascending (qsort may allocate). */
static void sort_names(uint32_t *a, size_t n)
{
    for (size_t s = n / 2; s-- > 0;)
        sift_name(a, n, s);
    for (size_t e = n; e-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[e];
        a[e] = t;
        sift_name(a, e, 0);
    }
}

static emb_status all_names(const emb_index *idx, emb_ctx *ctx, const uint32_t **out,
                            size_t *n_out)
{
    size_t n = idx->n_names;
    if (emb__grow((void **)&ctx->cands, &ctx->cap_cands, sizeof(uint32_t), n ? n : 1,
                  UINT32_MAX) != EMB_OK)
        return EMB_ENOMEM;
    for (size_t i = 0; i < n; i++)
        ctx->cands[i] = (uint32_t)i;
    *out = ctx->cands;
    *n_out = n;
    return EMB_OK;
}

static emb_status grow_zeroed(float **a, size_t *cap, size_t n)
{
    if (*cap >= n)
        return EMB_OK;
    size_t old = *cap;
    if (emb__grow((void **)a, cap, sizeof(float), n, UINT32_MAX) != EMB_OK)
        return EMB_ENOMEM;
    memset(*a + old, 0, (*cap - old) * sizeof(float));
    return EMB_OK;
}

/* Word by word. */
static void sort_by_group(struct emb__qkey *k, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct emb__qkey v = k[i];
        size_t j = i;
        for (; j > 0 && k[j - 1].group > v.group; j--)
            k[j] = k[j - 1];
        k[j] = v;
    }
}

emb_status emb__candidates(const emb_index *idx, emb_ctx *ctx, const emb__nname *q,
                           size_t k_max, const uint32_t **out, size_t *n_out)
{
    size_t n_names = idx->n_names;
    if (k_max == 0)
        k_max = EMB__CANDIDATES_DEFAULT;
    if (n_names <= k_max)
        return all_names(idx, ctx, out, n_out);
    /* accumulators are zero between queries; a larger index extends them with zeros */
    if (grow_zeroed(&ctx->acc, &ctx->cap_acc, n_names) != EMB_OK ||
        grow_zeroed(&ctx->gacc, &ctx->cap_gacc, n_names) != EMB_OK ||
        emb__grow((void **)&ctx->heap, &ctx->cap_heap, sizeof(struct emb__cand), k_max,
                  UINT32_MAX) != EMB_OK ||
        emb__grow((void **)&ctx->cands, &ctx->cap_cands, sizeof(uint32_t), k_max,
                  UINT32_MAX) != EMB_OK)
        return EMB_ENOMEM;
    ctx->n_qkeys = 0;
    lookup lk = {idx, ctx, 0, 0.0f, 1.0f, 0, 0, 0};
    emb_status rc = emb__name_keys(q, on_query_key, &lk);
    lk.joins = 1;
    if (rc == EMB_OK)
        rc = emb__join_keys(q, on_query_key, &lk);
    if (rc != EMB_OK)
        return rc;
    sort_by_df(ctx->qkeys, ctx->n_qkeys);

    size_t common = n_names / COMMON_SHARE;
    if (common > COMMON_MAX)
        common = COMMON_MAX;
    if (common < k_max)
        common = k_max;
    size_t boost_max = n_names / BOOST_SHARE;
    if (boost_max > common * BOOST_FACTOR)
        boost_max = common * BOOST_FACTOR;
    if (boost_max < common)
        boost_max = common;
    size_t n_gen = 0, need = 0;
    while (n_gen < ctx->n_qkeys && ctx->qkeys[n_gen].df <= common)
        need += ctx->qkeys[n_gen++].df;
    if (n_gen == 0) {
        /* nothing rare in the query: its rarest keys find the names, however many */
        while (n_gen < ctx->n_qkeys && n_gen < RAREST_FEW)
            need += ctx->qkeys[n_gen++].df;
    }
    if (need > n_names)
        need = n_names;
    if (emb__grow((void **)&ctx->touched, &ctx->cap_touched, sizeof(uint32_t), need ? need : 1,
                  UINT32_MAX) != EMB_OK ||
        emb__grow((void **)&ctx->gtouched, &ctx->cap_gtouched, sizeof(uint32_t),
                  need ? need : 1, UINT32_MAX) != EMB_OK)
        return EMB_ENOMEM;
    size_t n_touched = 0;
    for (size_t i = 0; i < n_gen; i++)
        gather(idx, ctx, &ctx->qkeys[i], &n_touched);
    /* the weakest keys still found: a word's evidence is what its keys show, times its
     * weight; keys on too many names say too little to read */
    size_t n_keys = 0;
    for (size_t i = 0; i < ctx->n_qkeys; i++) {
        if (i < n_gen || ctx->qkeys[i].df <= boost_max)
            ctx->qkeys[n_keys++] = ctx->qkeys[i];
    }
    ctx->n_qkeys = n_keys;
    sort_by_group(ctx->qkeys, n_keys);
    for (size_t i = 0; i < n_keys && n_touched > 0;) {
        uint16_t group = ctx->qkeys[i].group;
        float w = ctx->qkeys[i].group_weight;
        unsigned len = ctx->qkeys[i].word_len;
        size_t n_g = 0;
        for (; i < n_keys && ctx->qkeys[i].group == group; i++)
            evidence(idx, ctx, &ctx->qkeys[i], &n_g);
        for (size_t k = 0; k < n_g; k++) {
            uint32_t name = ctx->gtouched[k];
            ctx->acc[name] += word_evidence(ctx->gacc[name], len) * w;
            ctx->gacc[name] = 0.0f;
        }
    }
    /* the best k_max; at equal weight the shorter name, which the scorer favours too */
    size_t n_heap = 0;
    struct emb__cand *heap = ctx->heap;
    for (size_t i = 0; i < n_touched; i++) {
        uint32_t name = ctx->touched[i];
        uint32_t len = idx->names[name].folded.len;
        struct emb__cand c = {ctx->acc[name] - 1e-4f * (float)(len < 255 ? len : 255), name};
        ctx->acc[name] = 0.0f;
        if (n_heap < k_max) {
            heap[n_heap] = c;
            sift_up(heap, n_heap++);
        } else if (weaker(&heap[0], &c)) {
            heap[0] = c;
            sift_down(heap, n_heap, 0);
        }
    }
    for (size_t i = 0; i < n_heap; i++)
        ctx->cands[i] = heap[i].name;
    sort_names(ctx->cands, n_heap);
    *out = ctx->cands;
    *n_out = n_heap;
    return EMB_OK;
}
