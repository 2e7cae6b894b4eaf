/* String similarity of short tokens: Jaro-Winkler and a capped Levenshtein distance. */
#include <string.h>

#include "core.h"

#define MAX_TOKEN_LEN 64

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

/*
 * Levenshtein distance by Myers' bit-parallel algorithm (Hyyro's formulation): one machine
 * word holds a whole column of the table for a pattern of up to 64 bytes, so a pair of tokens
 * costs a few operations per byte of the other. Stops once the distance must exceed cap.
 */
size_t emb__edit_distance(emb_str a, emb_str b, size_t cap)
{
    if (a.len > 64 || b.len > 64)
        return cap + 1;
    if (a.len == 0 || b.len == 0) {
        size_t d = a.len + b.len;
        return d > cap ? cap + 1 : d;
    }
    uint64_t peq[256], present[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < a.len; i++) {
        unsigned c = (unsigned char)a.ptr[i];
        uint64_t bit = 1ull << (c & 63);
        if (!(present[c >> 6] & bit)) {
            present[c >> 6] |= bit;
            peq[c] = 0;
        }
        peq[c] |= 1ull << i;
    }
    uint64_t pv = ~0ull, mv = 0, last = 1ull << (a.len - 1);
    size_t d = a.len;
    for (size_t j = 0; j < b.len; j++) {
        unsigned c = (unsigned char)b.ptr[j];
        uint64_t eq = (present[c >> 6] >> (c & 63)) & 1 ? peq[c] : 0;
        uint64_t xv = eq | mv;
        uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
        uint64_t ph = mv | ~(xh | pv);
        uint64_t mh = pv & xh;
        if (ph & last)
            d++;
        else if (mh & last)
            d--;
        ph = (ph << 1) | 1;
        mh <<= 1;
        pv = mh | ~(xv | ph);
        mv = ph & xv;
        /* the rest of b can lower the distance by at most its length */
        size_t rest = b.len - j - 1;
        if (d > cap + rest)
            return cap + 1;
    }
    return d > cap ? cap + 1 : d;
}
