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

/* Levenshtein distance, stopping early once over `cap` (tokens are short). */
size_t emb__edit_distance(emb_str a, emb_str b, size_t cap)
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
