/* Token-aligned name similarity on folded names. */
#include <string.h>

#include "match.h"

#define MAX_TOKENS 24
#define MAX_TOKEN_LEN 64
#define PAIR_FLOOR 0.80

double emb__jaro_winkler(emb_str a, emb_str b)
{
    if (a.len == 0 || b.len == 0)
        return 0.0;
    if (a.len > MAX_TOKEN_LEN || b.len > MAX_TOKEN_LEN)
        return emb__str_eq(a, b) ? 1.0 : 0.0;
    size_t win = (a.len > b.len ? a.len : b.len) / 2;
    win = win > 0 ? win - 1 : 0;
    unsigned char am[MAX_TOKEN_LEN] = {0}, bm[MAX_TOKEN_LEN] = {0};
    size_t m = 0;
    for (size_t i = 0; i < a.len; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < b.len ? i + win + 1 : b.len;
        for (size_t j = lo; j < hi; j++) {
            if (!bm[j] && a.ptr[i] == b.ptr[j]) {
                am[i] = bm[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < a.len; i++) {
        if (!am[i])
            continue;
        while (!bm[k])
            k++;
        t += a.ptr[i] != b.ptr[k];
        k++;
    }
    double dm = (double)m;
    double jaro = (dm / (double)a.len + dm / (double)b.len + (dm - (double)t / 2.0) / dm) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < a.len && prefix < b.len && a.ptr[prefix] == b.ptr[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

static size_t split(emb_str s, emb_str *out)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= s.len && n < MAX_TOKENS; i++) {
        if (i == s.len || s.ptr[i] == ' ') {
            if (i > start)
                out[n++] = emb__str(s.ptr + start, i - start);
            start = i + 1;
        }
    }
    return n;
}

double emb__name_similarity(emb_str a, emb_str b)
{
    if (a.len == 0 || b.len == 0)
        return 0.0;
    if (emb__str_eq(a, b))
        return 1.0;
    emb_str ta[MAX_TOKENS], tb[MAX_TOKENS];
    size_t na = split(a, ta), nb = split(b, tb);
    double sim[MAX_TOKENS][MAX_TOKENS];
    double wa = 0, wb = 0;
    for (size_t i = 0; i < na; i++)
        wa += (double)ta[i].len;
    for (size_t j = 0; j < nb; j++)
        wb += (double)tb[j].len;
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++)
            sim[i][j] = emb__jaro_winkler(ta[i], tb[j]);
    }
    /* greedy alignment: take the best remaining pair until none reaches the floor */
    unsigned char used_a[MAX_TOKENS] = {0}, used_b[MAX_TOKENS] = {0};
    double matched = 0;
    for (;;) {
        double best = PAIR_FLOOR;
        size_t bi = MAX_TOKENS, bj = MAX_TOKENS;
        for (size_t i = 0; i < na; i++) {
            for (size_t j = 0; j < nb && !used_a[i]; j++) {
                if (!used_b[j] && sim[i][j] >= best) {
                    best = sim[i][j];
                    bi = i;
                    bj = j;
                }
            }
        }
        if (bi == MAX_TOKENS)
            break;
        used_a[bi] = used_b[bj] = 1;
        matched += best * (double)(ta[bi].len + tb[bj].len);
    }
    double score = matched / (wa + wb);
    return score > 1.0 ? 1.0 : score;
}
