/*
 * match: comparing names and screening queries against a snapshot.
 */
#ifndef EMB_MATCH_H
#define EMB_MATCH_H

#include "../core/core.h"

/* Jaro-Winkler similarity of two byte strings, 0..1. */
double emb__jaro_winkler(emb_str a, emb_str b);

/*
 * Similarity of two folded names (space-separated tokens), 0..1: tokens are aligned order-free
 * (each used once, best pairs first), a pair counts when its Jaro-Winkler similarity reaches
 * 0.80, and the aligned weight (token lengths) is set against the weight of both names.
 */
double emb__name_similarity(emb_str a, emb_str b);

#endif
