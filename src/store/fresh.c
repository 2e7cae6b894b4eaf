/*
 * Freshness of a snapshot's lists. It fails closed: a list whose age cannot be told is
 * stale, so that a screening against old or undated data is never quietly taken as current.
 * Ages come from the store (last download or 304 confirmation) when it knows the file,
 * else from the publication date the list itself states.
 */
#include <stdio.h>
#include <string.h>

#include "fetch.h"

static const emb_freshness_rule builtin_rules[] = {
    {"us_ofac*", 3}, {"gb_*", 3}, {"uk_*", 3}, {"eu_*", 7}, {"un_*", 7},
};

static int rule_matches(const char *rule, emb_str ds)
{
    size_t n = strlen(rule);
    if (n > 0 && rule[n - 1] == '*')
        return ds.len >= n - 1 && memcmp(ds.ptr, rule, n - 1) == 0;
    return ds.len == n && memcmp(ds.ptr, rule, n) == 0;
}

static double max_age_for(const emb_freshness_policy *p, emb_str ds)
{
    if (p != NULL) {
        for (size_t i = 0; i < p->n_rules; i++) {
            if (p->rules[i].dataset && rule_matches(p->rules[i].dataset, ds))
                return p->rules[i].max_age_days;
        }
    }
    for (size_t i = 0; i < EMB_COUNTOF(builtin_rules); i++) {
        if (rule_matches(builtin_rules[i].dataset, ds))
            return builtin_rules[i].max_age_days;
    }
    return p != NULL && p->default_max_age_days > 0 ? p->default_max_age_days : 7;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return 1;
}

/* "YYYY-MM-DD" with an optional "THH:MM:SS..." (UTC) to Unix seconds; 0 on failure. */
int emb__iso_to_unix(const char *s, size_t len, int64_t *out)
{
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
        !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    if (len >= 19 && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' && s[16] == ':') {
        if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
            h > 23 || mi > 59 || se > 60)
            return 0;
    }
    *out = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
    return 1;
}

static void judge(emb_source_freshness *f, int64_t now, int64_t at)
{
    f->age_days = (double)(now - at) / 86400.0;
    if (f->age_days < 0)
        f->age_days = 0; /* a clock a little behind the publisher's is not "fresher" */
    f->stale = f->age_days > f->max_age_days;
}

/* Fill out[] from the snapshot's own metadata; the store refines it afterwards. */
static emb_status from_index(const emb_index *idx, int64_t now, const emb_freshness_policy *policy,
                             emb_source_freshness *out, size_t cap, size_t *n_out)
{
    size_t n = emb_index_source_count(idx);
    if (n > cap)
        return EMB_ELIMIT;
    for (size_t i = 0; i < n; i++) {
        emb_source_freshness *f = &out[i];
        memset(f, 0, sizeof(*f));
        emb_source_meta m;
        emb_status s = emb_index_source(idx, i, &m);
        if (s != EMB_OK)
            return s;
        f->dataset = m.dataset;
        f->published = m.published;
        f->sha256 = m.sha256;
        f->max_age_days = max_age_for(policy, m.dataset);
        int64_t at;
        if (m.published.len > 0 && emb__iso_to_unix(m.published.ptr, m.published.len, &at)) {
            f->basis = "published";
            size_t k = m.published.len < sizeof(f->as_of) ? m.published.len : sizeof(f->as_of) - 1;
            memcpy(f->as_of, m.published.ptr, k);
            f->as_of[k] = '\0';
            judge(f, now, at);
        } else {
            f->basis = "unknown";
            f->age_days = -1;
            f->stale = 1;
        }
    }
    *n_out = n;
    return EMB_OK;
}

static int count_stale(const emb_source_freshness *out, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= out[i].stale;
    return any;
}

emb_status emb_index_freshness(const emb_index *idx, int64_t now,
                               const emb_freshness_policy *policy, emb_source_freshness *out,
                               size_t cap, size_t *n_out, int *any_stale)
{
    if (idx == NULL || out == NULL || n_out == NULL)
        return EMB_EINVAL;
    emb_status s = from_index(idx, now, policy, out, cap, n_out);
    if (s == EMB_OK && any_stale != NULL)
        *any_stale = count_stale(out, *n_out);
    return s;
}

emb_status emb_store_freshness(emb_store *st, const emb_index *idx, int64_t now,
                               const emb_freshness_policy *policy, emb_source_freshness *out,
                               size_t cap, size_t *n_out, int *any_stale, emb_error *err)
{
    emb__err_clear(err);
    if (st == NULL || idx == NULL || out == NULL || n_out == NULL)
        return emb__err(err, EMB_EINVAL, "freshness: missing argument");
    emb_status s = from_index(idx, now, policy, out, cap, n_out);
    if (s == EMB_ELIMIT)
        return emb__err(err, s, "freshness: room for %zu sources, the snapshot has %zu", cap,
                        emb_index_source_count(idx));
    if (s != EMB_OK)
        return emb__err(err, s, "freshness: unreadable snapshot source table");
    sqlite3_stmt *q = NULL;
    /* the version with this file, and whether its source has a later one */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT v.checked_at, (SELECT MAX(version) FROM list_version w"
                           "  WHERE w.source = v.source) > v.version"
                           " FROM list_version v WHERE v.sha256 = ?1"
                           " ORDER BY v.checked_at DESC LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read list versions");
    for (size_t i = 0; i < *n_out; i++) {
        emb_source_freshness *f = &out[i];
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, f->sha256.ptr, (int)f->sha256.len, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_DONE)
            continue;
        if (rc != SQLITE_ROW) {
            s = emb__store_sqlerr(st, err, "read list versions");
            break;
        }
        const char *checked = (const char *)sqlite3_column_text(q, 0);
        int superseded = sqlite3_column_int(q, 1);
        int64_t at;
        if (checked == NULL || !emb__iso_to_unix(checked, strlen(checked), &at))
            continue;
        snprintf(f->as_of, sizeof(f->as_of), "%.31s", checked);
        f->basis = "checked";
        judge(f, now, at);
        if (superseded) {
            f->basis = "superseded";
            f->stale = 1;
        }
    }
    sqlite3_finalize(q);
    if (s == EMB_OK && any_stale != NULL)
        *any_stale = count_stale(out, *n_out);
    return s;
}
