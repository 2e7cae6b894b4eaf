/* Alerts as analysts see them, and their decisions (each with its audit record). */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"

static const char *txt(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t != NULL ? (const char *)t : "";
}

emb_status emb__alerts_query(emb_store *st, const char *portfolio, int open_only, int64_t run,
                             emb_alert_fn fn, void *ud, emb_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT a.id, a.run, p.name, a.customer_id, COALESCE(c.name, ''), a.entity_id,"
            " a.caption, a.score, a.matched_name, a.explanations, a.snapshot_hash,"
            " a.first_seen, COALESCE(a.previous, 0),"
            " COALESCE((SELECT decision FROM decision WHERE alert = a.previous"
            "           ORDER BY id DESC LIMIT 1), ''),"
            " COALESCE(d.decision, ''), COALESCE(d.decided_by, ''), COALESCE(d.reason, ''),"
            " COALESCE(d.at, '')"
            " FROM alert a JOIN portfolio p ON p.id = a.portfolio"
            " LEFT JOIN customer c ON c.portfolio = a.portfolio AND c.cust_id = a.customer_id"
            " LEFT JOIN decision d ON d.id = (SELECT max(id) FROM decision WHERE alert = a.id)"
            " WHERE (?1 IS NULL OR p.name = ?1) AND (?2 = 0 OR d.id IS NULL)"
            "   AND (?3 = 0 OR a.run = ?3)"
            " ORDER BY a.id",
            -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read alerts");
    if (portfolio != NULL)
        sqlite3_bind_text(q, 1, portfolio, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, open_only);
    sqlite3_bind_int64(q, 3, run);
    int rc;
    emb_status s = EMB_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        emb_alert a;
        a.id = sqlite3_column_int64(q, 0);
        a.run = sqlite3_column_int64(q, 1);
        a.portfolio = txt(q, 2);
        a.customer_id = txt(q, 3);
        a.customer_name = txt(q, 4);
        a.entity_id = txt(q, 5);
        a.caption = txt(q, 6);
        a.score = sqlite3_column_double(q, 7);
        a.matched_name = txt(q, 8);
        a.explanations = txt(q, 9);
        a.snapshot_hash = txt(q, 10);
        a.first_seen = txt(q, 11);
        a.previous = sqlite3_column_int64(q, 12);
        a.previous_decision = txt(q, 13);
        a.decision = txt(q, 14);
        a.decided_by = txt(q, 15);
        a.reason = txt(q, 16);
        a.decided_at = txt(q, 17);
        if (fn(ud, &a) != 0) {
            s = emb__err(err, EMB_ESTOPPED, "stopped by the caller");
            break;
        }
    }
    if (s == EMB_OK && rc != SQLITE_DONE)
        s = emb__store_sqlerr(st, err, "read alerts");
    sqlite3_finalize(q);
    return s;
}

emb_status emb_monitor_alerts(emb_store *st, const char *portfolio, int open_only, emb_alert_fn fn,
                              void *ud, emb_error *err)
{
    emb__err_clear(err);
    return emb__alerts_query(st, portfolio, open_only, 0, fn, ud, err);
}

emb_status emb_monitor_decide(emb_store *st, int64_t alert, const char *decision, const char *by,
                              const char *reason, int64_t *audit_seq, emb_error *err)
{
    emb__err_clear(err);
    if (decision == NULL ||
        (strcmp(decision, "true_match") != 0 && strcmp(decision, "false_positive") != 0))
        return emb__err(err, EMB_EINVAL, "a decision is true_match or false_positive");
    if (by == NULL || by[0] == '\0' || reason == NULL || reason[0] == '\0')
        return emb__err(err, EMB_EINVAL, "a decision needs who made it and why");
    emb_status s = emb__store_begin(st, err);
    if (s != EMB_OK)
        return s;
    sqlite3_stmt *q = NULL;
    char *payload = NULL;
    int64_t seq = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT p.name, a.customer_id, a.entity_id, a.customer_fp,"
                           " a.names_fp, a.score FROM alert a JOIN portfolio p"
                           " ON p.id = a.portfolio WHERE a.id = ?1",
                           -1, &q, NULL) != SQLITE_OK) {
        s = emb__store_sqlerr(st, err, "read alert");
        goto out;
    }
    sqlite3_bind_int64(q, 1, alert);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        s = emb__err(err, EMB_ENOTFOUND, "no alert %" PRId64, alert);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        s = emb__store_sqlerr(st, err, "read alert");
        goto out;
    }
    char cfp[65], nfp[65];
    snprintf(cfp, sizeof(cfp), "%s", txt(q, 3));
    snprintf(nfp, sizeof(nfp), "%s", txt(q, 4));
    json_t *pl =
        json_pack("{s:I, s:s, s:s, s:s, s:f, s:s, s:s, s:s, s:s, s:s}", "alert", (json_int_t)alert,
                  "portfolio", txt(q, 0), "customer_id", txt(q, 1), "entity_id", txt(q, 2), "score",
                  sqlite3_column_double(q, 5), "decision", decision, "by", by, "reason", reason,
                  "customer_fp", cfp, "names_fp", nfp);
    payload = pl != NULL
                  ? json_dumps(pl, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
                  : NULL;
    json_decref(pl);
    sqlite3_finalize(q);
    q = NULL;
    if (payload == NULL) {
        s = emb__err(err, EMB_EINVAL, "decision: by and reason must be UTF-8 text");
        goto out;
    }
    s = emb__audit_append_tx(st, "decision", by, payload, &seq, err);
    if (s != EMB_OK)
        goto out;
    char now[32];
    emb__store_now(now);
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO decision(alert, decision, decided_by, reason, at,"
                           " customer_fp, names_fp, audit_seq)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &q, NULL) != SQLITE_OK) {
        s = emb__store_sqlerr(st, err, "record decision");
        goto out;
    }
    sqlite3_bind_int64(q, 1, alert);
    sqlite3_bind_text(q, 2, decision, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, cfp, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, nfp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 8, seq);
    if (sqlite3_step(q) != SQLITE_DONE)
        s = emb__store_sqlerr(st, err, "record decision");
out:
    sqlite3_finalize(q);
    free(payload);
    if (s != EMB_OK) {
        emb__store_rollback(st);
        return s;
    }
    s = emb__store_commit(st, err);
    if (s == EMB_OK && audit_seq != NULL)
        *audit_seq = seq;
    return s;
}
