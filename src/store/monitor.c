/* Monitored portfolios: loading customers (one transaction per load) and reading them back. */
#include "monitor.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/limits.h"
#include "../unicode/unicode.h"

struct emb_portfolio_load {
    emb_store *st;
    char *name;
    char *actor;
    int64_t portfolio;
    int64_t generation;
    sqlite3_stmt *sel, *put;
    emb__buf lists[3];
    emb_load_stats stats;
    char now[32];
};

emb_status emb__portfolio_get(emb_store *st, const char *name, emb__portfolio *p, emb_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, generation, last_run, customers, content_hash"
                           " FROM portfolio WHERE name = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read portfolio");
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    emb_status s = EMB_OK;
    if (rc == SQLITE_ROW) {
        p->id = sqlite3_column_int64(q, 0);
        p->generation = sqlite3_column_int64(q, 1);
        p->last_run = sqlite3_column_int64(q, 2);
        p->customers = sqlite3_column_int64(q, 3);
        const unsigned char *h = sqlite3_column_text(q, 4);
        snprintf(p->content_hash, sizeof(p->content_hash), "%s", h ? (const char *)h : "");
    } else if (rc == SQLITE_DONE) {
        s = emb__err(err, EMB_ENOTFOUND,
                     "no portfolio '%.100s' (add customers with `embargo monitor add`)", name);
    } else {
        s = emb__store_sqlerr(st, err, "read portfolio");
    }
    sqlite3_finalize(q);
    return s;
}

size_t emb__mon_count(const char *s)
{
    if (s == NULL || s[0] == '\0')
        return 0;
    size_t n = 1;
    for (; *s != '\0'; s++)
        n += *s == EMB__MON_SEP;
    return n;
}

size_t emb__mon_split(char *s, const char **parts, size_t max)
{
    size_t n = 0;
    if (s == NULL || s[0] == '\0')
        return 0;
    for (char *p = s; p != NULL && n < max;) {
        char *sep = strchr(p, EMB__MON_SEP);
        if (sep != NULL)
            *sep = '\0';
        parts[n++] = p;
        p = sep != NULL ? sep + 1 : NULL;
    }
    return n;
}

static void hash_field(emb__sha256 *h, const char *s, size_t n)
{
    char len[24];
    int k = snprintf(len, sizeof(len), "%zu:", n);
    emb__sha256_update(h, len, (size_t)k);
    emb__sha256_update(h, s, n);
}

void emb_monitor_load_abort(emb_portfolio_load *ld)
{
    if (ld == NULL)
        return;
    sqlite3_finalize(ld->sel);
    sqlite3_finalize(ld->put);
    emb__store_rollback(ld->st);
    for (int k = 0; k < 3; k++)
        emb__buf_free(&ld->lists[k]);
    emb__free(ld->name);
    emb__free(ld->actor);
    emb__free(ld);
}

emb_status emb_monitor_load_begin(emb_store *st, const char *name, const char *actor,
                                  emb_portfolio_load **out, emb_error *err)
{
    emb__err_clear(err);
    *out = NULL;
    if (name == NULL || name[0] == '\0')
        name = "default";
    if (actor == NULL || actor[0] == '\0')
        actor = "embargo";
    if (strlen(name) > 200)
        return emb__err(err, EMB_ELIMIT, "portfolio name is over 200 bytes");
    emb_portfolio_load *ld = emb__calloc(1, sizeof(*ld));
    if (ld == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    ld->st = st;
    ld->name = emb__strndup(name, strlen(name));
    ld->actor = emb__strndup(actor, strlen(actor));
    for (int k = 0; k < 3; k++)
        emb__buf_init(&ld->lists[k], EMB_LIMIT_RECORD_BYTES);
    if (ld->name == NULL || ld->actor == NULL) {
        emb_monitor_load_abort(ld);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    emb__store_now(ld->now);
    emb_status s = emb__store_begin(st, err);
    if (s != EMB_OK) {
        emb_monitor_load_abort(ld);
        return s;
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR IGNORE INTO portfolio(name, created_at, updated_at)"
                           " VALUES (?1, ?2, ?2)",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, ld->now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        goto sqlfail;
    emb__portfolio p;
    s = emb__portfolio_get(st, name, &p, err);
    if (s != EMB_OK) {
        emb_monitor_load_abort(ld);
        return s;
    }
    ld->portfolio = p.id;
    ld->generation = p.generation + 1;
    if (sqlite3_prepare_v2(st->db, "SELECT fp FROM customer WHERE portfolio = ?1 AND cust_id = ?2",
                           -1, &ld->sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            st->db,
            "INSERT INTO customer(portfolio, cust_id, name, schema, birth_dates, countries,"
            " identifiers, fp, screened_fp, gen, changed_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, ?10)"
            " ON CONFLICT(portfolio, cust_id) DO UPDATE SET name = excluded.name,"
            " schema = excluded.schema, birth_dates = excluded.birth_dates,"
            " countries = excluded.countries, identifiers = excluded.identifiers,"
            " fp = excluded.fp, gen = excluded.gen, changed_at = excluded.changed_at",
            -1, &ld->put, NULL) != SQLITE_OK)
        goto sqlfail;
    *out = ld;
    return EMB_OK;
sqlfail:
    s = emb__store_sqlerr(st, err, "load portfolio");
    emb_monitor_load_abort(ld);
    return s;
}

/* A stored value: valid UTF-8, no control characters (the list separator is one). */
static emb_status check_value(const char *id, const char *what, const char *v, size_t max,
                              emb_error *err)
{
    size_t n = strlen(v), bad = 0;
    if (n > max)
        return emb__err(err, EMB_ELIMIT, "customer '%.80s': %s is over %zu bytes", id, what, max);
    if (!emb__utf8_valid(v, n, &bad))
        return emb__err(err, EMB_EUTF8, "customer '%.80s': %s is not valid UTF-8 (byte %zu)", id,
                        what, bad);
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)v[i] < 0x20)
            return emb__err(err, EMB_EPARSE,
                            "customer '%.80s': %s holds a control character (byte %zu)", id, what,
                            i);
    }
    return EMB_OK;
}

static emb_status join_list(emb__buf *b, const char *id, const char *what, const char *const *vals,
                            size_t n, emb_error *err)
{
    emb__buf_reset(b);
    if (emb__buf_append(b, "", 0) != EMB_OK)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (vals[i] == NULL || vals[i][0] == '\0')
            continue;
        emb_status s = check_value(id, what, vals[i], EMB_LIMIT_NAME_BYTES, err);
        if (s != EMB_OK)
            return s;
        if ((b->len > 0 && emb__buf_putc(b, EMB__MON_SEP) != EMB_OK) ||
            emb__buf_append(b, vals[i], strlen(vals[i])) != EMB_OK)
            return emb__err(err, EMB_ELIMIT, "customer '%.80s': too many %s", id, what);
    }
    return EMB_OK;
}

emb_status emb_monitor_load_add(emb_portfolio_load *ld, const emb_customer *c, emb_error *err)
{
    emb__err_clear(err);
    if (c == NULL || c->id == NULL || c->id[0] == '\0')
        return emb__err(err, EMB_EINVAL, "a monitored customer needs an id");
    emb_status s = check_value(c->id, "id", c->id, EMB_LIMIT_ID_BYTES, err);
    if (s != EMB_OK)
        return s;
    if (c->name == NULL || c->name[0] == '\0')
        return emb__err(err, EMB_EINVAL, "customer '%.80s' has no name", c->id);
    s = check_value(c->id, "name", c->name, EMB_LIMIT_NAME_BYTES, err);
    if (s == EMB_OK)
        s = join_list(&ld->lists[0], c->id, "birth dates", c->birth_dates, c->n_birth_dates, err);
    if (s == EMB_OK)
        s = join_list(&ld->lists[1], c->id, "countries", c->countries, c->n_countries, err);
    if (s == EMB_OK)
        s = join_list(&ld->lists[2], c->id, "identifiers", c->identifiers, c->n_identifiers, err);
    if (s != EMB_OK)
        return s;
    const char *schema = emb_schema_name(c->schema);
    emb__sha256 h;
    emb__sha256_init(&h);
    hash_field(&h, c->name, strlen(c->name));
    hash_field(&h, schema, strlen(schema));
    for (int k = 0; k < 3; k++)
        hash_field(&h, ld->lists[k].ptr, ld->lists[k].len);
    char fp[65];
    emb__sha256_hex(&h, fp);
    fp[EMB__FP_LEN] = '\0';

    emb_store *st = ld->st;
    sqlite3_reset(ld->sel);
    sqlite3_bind_int64(ld->sel, 1, ld->portfolio);
    sqlite3_bind_text(ld->sel, 2, c->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(ld->sel);
    int known = 0;
    if (rc == SQLITE_ROW) {
        known = 1;
        const unsigned char *old = sqlite3_column_text(ld->sel, 0);
        if (old != NULL && strcmp((const char *)old, fp) == 0) {
            ld->stats.unchanged++;
            sqlite3_reset(ld->sel);
            return EMB_OK;
        }
    } else if (rc != SQLITE_DONE) {
        return emb__store_sqlerr(st, err, "load portfolio");
    }
    sqlite3_reset(ld->sel);
    sqlite3_stmt *q = ld->put;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, ld->portfolio);
    sqlite3_bind_text(q, 2, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, c->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, schema, -1, SQLITE_STATIC);
    for (int k = 0; k < 3; k++)
        sqlite3_bind_text(q, 5 + k, ld->lists[k].ptr, (int)ld->lists[k].len, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, fp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 9, ld->generation);
    sqlite3_bind_text(q, 10, ld->now, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        s = emb__store_sqlerr(st, err, "load portfolio");
        emb__err_record(err, c->id, strlen(c->id));
        return s;
    }
    if (known)
        ld->stats.changed++;
    else
        ld->stats.added++;
    return EMB_OK;
}

emb_status emb_monitor_load_commit(emb_portfolio_load *ld, emb_load_stats *stats, emb_error *err)
{
    emb__err_clear(err);
    emb_store *st = ld->st;
    sqlite3_stmt *q = NULL;
    emb_status s;
    /* the content hash keys the cached snapshot of the portfolio's customers */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT cust_id, fp FROM customer WHERE portfolio = ?1"
                           " ORDER BY cust_id",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(q, 1, ld->portfolio);
    emb__sha256 h;
    emb__sha256_init(&h);
    uint64_t total = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hash_field(&h, (const char *)sqlite3_column_text(q, 0), (size_t)sqlite3_column_bytes(q, 0));
        hash_field(&h, (const char *)sqlite3_column_text(q, 1), (size_t)sqlite3_column_bytes(q, 1));
        total++;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_DONE)
        goto sqlfail;
    char content[65];
    emb__sha256_hex(&h, content);
    int changed = ld->stats.added + ld->stats.changed > 0;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE portfolio SET generation = ?2, customers = ?3,"
                           " content_hash = ?4, updated_at = ?5 WHERE id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(q, 1, ld->portfolio);
    sqlite3_bind_int64(q, 2, changed ? ld->generation : ld->generation - 1);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)total);
    sqlite3_bind_text(q, 4, content, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, ld->now, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    q = NULL;
    if (rc != SQLITE_DONE)
        goto sqlfail;
    ld->stats.total = total;
    json_t *pl = json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:s}", "portfolio", ld->name, "generation",
        (json_int_t)(changed ? ld->generation : ld->generation - 1), "added",
        (json_int_t)ld->stats.added, "changed", (json_int_t)ld->stats.changed, "unchanged",
        (json_int_t)ld->stats.unchanged, "total", (json_int_t)total, "content_hash", content);
    char *payload = pl != NULL ? json_dumps(pl, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(pl);
    if (payload == NULL) {
        s = emb__err(err, EMB_ENOMEM, "out of memory");
        emb_monitor_load_abort(ld);
        return s;
    }
    s = emb__audit_append_tx(st, "portfolio_load", ld->actor, payload, &ld->stats.audit_seq, err);
    free(payload);
    if (s != EMB_OK) {
        emb_monitor_load_abort(ld);
        return s;
    }
    sqlite3_finalize(ld->sel);
    sqlite3_finalize(ld->put);
    ld->sel = ld->put = NULL;
    s = emb__store_commit(st, err);
    if (s == EMB_OK && stats != NULL)
        *stats = ld->stats;
    emb_monitor_load_abort(ld); /* frees; the transaction is already closed */
    return s;
sqlfail:
    sqlite3_finalize(q);
    s = emb__store_sqlerr(st, err, "load portfolio");
    emb_monitor_load_abort(ld);
    return s;
}

emb_status emb_monitor_customer(emb_store *st, const char *portfolio, const char *id,
                                emb_customer_fn fn, void *ud, emb_error *err)
{
    emb__err_clear(err);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT c.cust_id, c.name, c.schema, c.birth_dates, c.countries,"
                           " c.identifiers, c.fp FROM customer c JOIN portfolio p"
                           " ON p.id = c.portfolio WHERE p.name = ?1 AND c.cust_id = ?2",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read customer");
    sqlite3_bind_text(q, 1, portfolio != NULL ? portfolio : "default", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    emb_status s = EMB_OK;
    if (rc == SQLITE_ROW) {
        char *lists[3] = {NULL, NULL, NULL};
        const char **vals[3] = {NULL, NULL, NULL};
        size_t nv[3] = {0, 0, 0};
        for (int k = 0; k < 3; k++) {
            lists[k] = emb__strndup((const char *)sqlite3_column_text(q, 3 + k),
                                    (size_t)sqlite3_column_bytes(q, 3 + k));
            size_t cap = lists[k] != NULL ? emb__mon_count(lists[k]) : 0;
            vals[k] = emb__calloc(cap + 1, sizeof(*vals[k]));
            if (lists[k] == NULL || vals[k] == NULL)
                s = emb__err(err, EMB_ENOMEM, "out of memory");
            else
                nv[k] = emb__mon_split(lists[k], vals[k], cap);
        }
        if (s == EMB_OK) {
            const char *schema = (const char *)sqlite3_column_text(q, 2);
            emb_customer c = {(const char *)sqlite3_column_text(q, 0),
                              (const char *)sqlite3_column_text(q, 1),
                              emb_schema_from_name(schema, strlen(schema)),
                              vals[0],
                              nv[0],
                              vals[1],
                              nv[1],
                              vals[2],
                              nv[2]};
            if (fn(ud, &c, (const char *)sqlite3_column_text(q, 6)) != 0)
                s = emb__err(err, EMB_ESTOPPED, "stopped by the caller");
        }
        for (int k = 0; k < 3; k++) {
            emb__free(lists[k]);
            emb__free((void *)vals[k]);
        }
    } else if (rc == SQLITE_DONE) {
        s = emb__err(err, EMB_ENOTFOUND, "no customer '%.80s' in portfolio '%.80s'", id,
                     portfolio != NULL ? portfolio : "default");
    } else {
        s = emb__store_sqlerr(st, err, "read customer");
    }
    sqlite3_finalize(q);
    return s;
}
