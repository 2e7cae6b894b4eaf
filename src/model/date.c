/*
 * Published dates to partial ISO 8601. Lists write dates every way there is: OFAC "12 Apr
 * 1975" and "circa 1975" and "1960 to 1965", UN separate YEAR/FROM/TO fields, UK "00/00/1975"
 * for an unknown day and month, EU "4 October 1983" and "4.10.1983", timestamps everywhere.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

static const char *const months[12][2] = {
    {"jan", "january"},   {"feb", "february"}, {"mar", "march"},    {"apr", "april"},
    {"may", "may"},       {"jun", "june"},     {"jul", "july"},     {"aug", "august"},
    {"sep", "september"}, {"oct", "october"},  {"nov", "november"}, {"dec", "december"},
};

typedef struct {
    enum { T_NUM, T_WORD, T_SEP } kind;
    const char *p;
    size_t len;
    unsigned value; /* T_NUM */
} tok;

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t tokenize(emb_str s, tok *toks, size_t max)
{
    size_t n = 0;
    size_t i = 0;
    while (i < s.len && n < max) {
        char c = s.ptr[i];
        size_t j = i;
        if (is_digit(c)) {
            unsigned v = 0;
            while (j < s.len && is_digit(s.ptr[j])) {
                if (v < 100000)
                    v = v * 10 + (unsigned)(s.ptr[j] - '0');
                j++;
            }
            toks[n++] = (tok){T_NUM, s.ptr + i, j - i, v};
        } else if (is_alpha(c)) {
            while (j < s.len && is_alpha(s.ptr[j]))
                j++;
            toks[n++] = (tok){T_WORD, s.ptr + i, j - i, 0};
        } else {
            j++;
            if (c == '-' || c == '/' || c == '.')
                toks[n++] = (tok){T_SEP, s.ptr + i, 1, 0};
        }
        i = j;
    }
    return n;
}

static int month_of(const tok *t)
{
    emb_str w = emb__str(t->p, t->len);
    for (int m = 0; m < 12; m++) {
        if (emb__str_ieq(w, months[m][0]) || emb__str_ieq(w, months[m][1]))
            return m + 1;
    }
    /* "Sept" */
    if (emb__str_ieq(w, "sept"))
        return 9;
    return 0;
}

static int valid_year(unsigned y)
{
    return y >= 1000 && y <= 2999;
}

static int days_in(unsigned y, unsigned m)
{
    static const int d[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 28;
    return d[m - 1];
}

/* Write y, y-m or y-m-d; day/month 0 mean unknown (UK writes 00). */
static int emit(char out[11], unsigned y, unsigned m, unsigned d)
{
    if (!valid_year(y) || m > 12)
        return 0;
    if (m == 0)
        return snprintf(out, 11, "%04u", y) == 4;
    if (d == 0)
        return snprintf(out, 11, "%04u-%02u", y, m) == 7;
    if ((int)d > days_in(y, m))
        return 0;
    return snprintf(out, 11, "%04u-%02u-%02u", y, m, d) == 10;
}

static int is_word(const tok *t, const char *w)
{
    return t->kind == T_WORD && emb__str_ieq(emb__str(t->p, t->len), w);
}

/* Words that qualify a date without changing its value. */
static int is_noise(const tok *t)
{
    static const char *const noise[] = {"circa", "ca",     "c",    "approx", "approximately",
                                        "about", "around", "abt",  "born",   "dob",
                                        "in",    "on",     "the",  "of",     "year",
                                        "st",    "nd",     "rd",   "th",     "est",
                                        "estimated", "alt", "t", "z",
                                        "dd", "mm", "xx", /* UK placeholders: dd/mm/1968 */
                                        "established", "founded", "registered", "incorporated"};
    if (t->kind != T_WORD)
        return 0;
    for (size_t i = 0; i < EMB_COUNTOF(noise); i++) {
        if (is_word(t, noise[i]))
            return 1;
    }
    return 0;
}

/* Parse a single date from toks; returns 1 and fills y/m/d. */
static int one_date(const tok *t, size_t n, emb__date_order order, unsigned *y, unsigned *m,
                    unsigned *d)
{
    tok v[8];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == T_SEP || is_noise(&t[i]))
            continue;
        if (k == 8)
            return 0;
        v[k++] = t[i];
    }
    *y = *m = *d = 0;
    if (k == 1 && v[0].kind == T_NUM && v[0].len == 4) {
        *y = v[0].value;
        return 1;
    }
    if (k == 1 && v[0].kind == T_NUM && v[0].len == 8) { /* 19750412 */
        *y = v[0].value / 10000;
        *m = (v[0].value / 100) % 100;
        *d = v[0].value % 100;
        return 1;
    }
    if (k == 2) {
        int mo;
        if (v[0].kind == T_WORD && (mo = month_of(&v[0])) && v[1].kind == T_NUM && v[1].len == 4) {
            *m = (unsigned)mo;
            *y = v[1].value;
            return 1;
        }
        if (v[0].kind == T_NUM && v[1].kind == T_NUM && v[0].len == 4 && v[1].len <= 2) {
            *y = v[0].value;
            *m = v[1].value;
            return 1;
        }
        if (v[0].kind == T_NUM && v[1].kind == T_NUM && v[1].len == 4 && v[0].len <= 2) {
            *y = v[1].value;
            *m = v[0].value;
            return 1;
        }
        return 0;
    }
    if (k == 3) {
        int mo;
        /* 12 Apr 1975 */
        if (v[0].kind == T_NUM && v[1].kind == T_WORD && (mo = month_of(&v[1])) &&
            v[2].kind == T_NUM && v[2].len == 4 && v[0].len <= 2) {
            *d = v[0].value;
            *m = (unsigned)mo;
            *y = v[2].value;
            return 1;
        }
        /* Apr 12 1975 */
        if (v[0].kind == T_WORD && (mo = month_of(&v[0])) && v[1].kind == T_NUM &&
            v[1].len <= 2 && v[2].kind == T_NUM && v[2].len == 4) {
            *d = v[1].value;
            *m = (unsigned)mo;
            *y = v[2].value;
            return 1;
        }
        /* 1975 Apr 12 / 1975-Apr-12 */
        if (v[0].kind == T_NUM && v[0].len == 4 && v[1].kind == T_WORD &&
            (mo = month_of(&v[1])) && v[2].kind == T_NUM && v[2].len <= 2) {
            *y = v[0].value;
            *m = (unsigned)mo;
            *d = v[2].value;
            return 1;
        }
        if (v[0].kind != T_NUM || v[1].kind != T_NUM || v[2].kind != T_NUM)
            return 0;
        if (v[0].len == 4 && v[1].len <= 2 && v[2].len <= 2) { /* ISO */
            *y = v[0].value;
            *m = v[1].value;
            *d = v[2].value;
            return 1;
        }
        if (v[2].len == 4 && v[0].len <= 2 && v[1].len <= 2) {
            unsigned a = v[0].value, b = v[1].value;
            /* an impossible month decides the order; otherwise the publisher's convention */
            if (a > 12 && b <= 12)
                order = EMB__DMY;
            else if (b > 12 && a <= 12)
                order = EMB__MDY;
            *y = v[2].value;
            *d = order == EMB__DMY ? a : b;
            *m = order == EMB__DMY ? b : a;
            if (*m == 0)
                *d = 0; /* 00/00/1975 */
            return 1;
        }
    }
    return 0;
}

static size_t parse_one(emb_str s, emb__date_order order, char out[][11], size_t max_out);

size_t emb__date_parse(emb_str s, emb__date_order order, char out[][11], size_t max_out)
{
    s = emb__str_trim(s);
    /* "(a) 12.3.1960": an enumerator the publisher put before the date */
    if (s.len > 4 && s.ptr[0] == '(' && s.ptr[2] == ')')
        s = emb__str_trim(emb__str(s.ptr + 3, s.len - 3));
    /* "1960 or 1961": alternatives, each a date of its own */
    long at = emb__str_ifind(s, " or ");
    if (at > 0) {
        size_t k = parse_one(emb__str(s.ptr, (size_t)at), order, out, max_out);
        if (k == 0)
            return 0;
        size_t k2 = emb__date_parse(emb__str(s.ptr + at + 4, s.len - (size_t)at - 4), order,
                                    out + k, max_out - k);
        return k2 ? k + k2 : 0;
    }
    return parse_one(s, order, out, max_out);
}

static size_t parse_one(emb_str s, emb__date_order order, char out[][11], size_t max_out)
{
    s = emb__str_trim(s);
    if (s.len == 0 || s.len > 64 || max_out == 0)
        return 0;
    /* timestamps: keep the date part */
    /* timestamps and xs:date time zones ("2015-03-27-04:00", "...Z"): keep the date part */
    if (s.len > 10 && s.ptr[4] == '-' && s.ptr[7] == '-' &&
        strchr("T Z+-", s.ptr[10]) != NULL)
        s.len = 10;
    tok t[24];
    size_t n = tokenize(s, t, EMB_COUNTOF(t));
    if (n == 0 || n == EMB_COUNTOF(t))
        return 0;
    /* ranges: "1960 to 1965", "between 1960 and 1965", "1960-1965" (years only) */
    size_t split = n;
    for (size_t i = 0; i < n; i++) {
        if (is_word(&t[i], "to") || is_word(&t[i], "and") || is_word(&t[i], "until"))
            split = i;
    }
    size_t start = 0;
    while (start < n && (is_word(&t[start], "between") || is_word(&t[start], "from") ||
                         is_noise(&t[start])))
        start++;
    /* "1979-1982", also after a qualifier: "circa 1979-1982" */
    if (split == n && n - start == 3 && t[start].kind == T_NUM && t[start].len == 4 &&
        t[start + 1].kind == T_SEP && t[start + 1].p[0] == '-' && t[start + 2].kind == T_NUM &&
        t[start + 2].len == 4)
        split = start + 1;
    /* "1959/1960": either year */
    if (split == n && n - start == 3 && t[start].kind == T_NUM && t[start].len == 4 &&
        t[start + 1].kind == T_SEP && t[start + 1].p[0] == '/' && t[start + 2].kind == T_NUM &&
        t[start + 2].len == 4) {
        if (max_out < 2 || !emit(out[0], t[start].value, 0, 0) ||
            !emit(out[1], t[start + 2].value, 0, 0))
            return 0;
        return 2;
    }
    if (split < n) {
        unsigned y1, m1, d1, y2, m2, d2;
        size_t after = split + 1;
        if (!one_date(t + start, split - start, order, &y1, &m1, &d1) ||
            !one_date(t + after, n - after, order, &y2, &m2, &d2))
            return 0;
        if (!valid_year(y1) || !valid_year(y2) || y2 < y1)
            return 0;
        if (y1 == y2) {
            /* same year: a range inside it says only the year (or the month if shared) */
            return emit(out[0], y1, m1 == m2 ? m1 : 0, (m1 == m2 && d1 == d2) ? d1 : 0) ? 1 : 0;
        }
        size_t k = 0;
        for (unsigned y = y1; y <= y2 && k < max_out; y++) {
            if (emit(out[k], y, 0, 0))
                k++;
        }
        return y2 - y1 + 1 > max_out ? 0 : k;
    }
    unsigned y, m, d;
    if (!one_date(t + start, n - start, order, &y, &m, &d))
        return 0;
    return emit(out[0], y, m, d) ? 1 : 0;
}
