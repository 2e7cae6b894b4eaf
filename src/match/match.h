/*
 * match: comparing a query with list names and entities, with the reasons for each score.
 */
#ifndef EMB_MATCH_H
#define EMB_MATCH_H

#include "../core/core.h"
#include "../index/index.h"
#include "../unicode/names.h"

typedef struct emb__name_score {
    double score;    /* 0..1 */
    double qcov;     /* share of the query's weight met */
    double ccov;     /* share of the candidate's weight met */
    int literal;     /* identical comparison forms */
    int generic;     /* only organisation words and legal forms met */
    int single_fuzzy;/* a one-word name met only by a near spelling */
    int legal_clash; /* both have legal forms and they are of different classes */
    double conflict; /* share of weight left unmet on both sides (0: none) */
    emb_str missing; /* first informative query token left unmet (empty: none) */
} emb__name_score;

/* Score a candidate name (c) for a query name (q). */
/* (Both sides keep what the comparison works out once per token, such as skeletons.) */
void emb__score_names(emb__side *q, emb__side *c, emb__name_score *out);

/* ------------------------------------------------------------ candidates */

#define EMB__CANDIDATES_DEFAULT 250

/* A query key found in the snapshot's key dictionary. */
struct emb__qkey {
    uint32_t key;   /* index into idx->keys */
    uint32_t df;    /* names holding it */
    float weight;       /* how much of its word sharing it shows (0..1) */
    float group_weight; /* its word's rarity weight */
    uint16_t group;     /* the query word it comes from */
    uint16_t word_len;  /* that word's length: its number of trigrams */
    uint8_t kind;   /* emb__key_kind */
};

struct emb__cand {
    float score;
    uint32_t name;
};

/*
 * The names worth scoring for the normalised query q: those that share its keys (tokens,
 * joined forms, phonetic keys, skeletons, the original script, trigrams), ranked by the summed
 * weight of what they share (kind x rarity), at most k_max of them. Keys held by too many names
 * only add to names already found, unless the query has nothing rarer. *out lists ascending
 * name indices, owned by ctx until its next use. An index of at most k_max names gives all of
 * them. No allocation once ctx has grown for idx. Thread-safe with one ctx per thread.
 */
emb_status emb__candidates(const emb_index *idx, emb_ctx *ctx, const emb__nname *q,
                           size_t k_max, const uint32_t **out, size_t *n_out);

/* emb_screen comparing the query with every name of every entity: the reference the
 * candidate search is measured against (same results and explanations). */
emb_status emb__screen_exhaustive(const emb_index *idx, emb_ctx *ctx, const emb_query *query,
                                  const emb_screen_opts *opts, const emb_match **results,
                                  size_t *n_results, emb_error *err);

#endif
