/* The audit trail: an append-only table whose rows are chained by SHA-256. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

const char emb__store_sql_audit[] =
    "CREATE TABLE IF NOT EXISTS audit ("
    "  seq INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ") STRICT;";

static void hash_field(emb__sha256 *h, const char *s)
{
    char len[24];
    size_t n = strlen(s);
    int k = snprintf(len, sizeof(len), "%zu:", n);
    emb__sha256_update(h, len, (size_t)k);
    emb__sha256_update(h, s, n);
}

void emb__audit_row_hash(int64_t seq, const char *at, const char *kind, const char *actor,
                         const char *payload, const char *prev_hash, char out[65])
{
    emb__sha256 h;
    emb__sha256_init(&h);
    char num[24];
    snprintf(num, sizeof(num), "%" PRId64, seq);
    hash_field(&h, num);
    hash_field(&h, at);
    hash_field(&h, kind);
    hash_field(&h, actor);
    hash_field(&h, payload);
    hash_field(&h, prev_hash);
    emb__sha256_hex(&h, out);
}

/* The chain starts from 64 zeros. */
static const char genesis[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

emb_status emb__audit_append_tx(emb_store *st, const char *kind, const char *actor,
                                const char *payload_json, int64_t *seq, emb_error *err)
{
    sqlite3_stmt *q = NULL;
    int64_t last = 0;
    char prev[65];
    memcpy(prev, genesis, sizeof(prev));
    if (sqlite3_prepare_v2(st->db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1,
                           &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read audit chain");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int64(q, 0);
        const unsigned char *h = sqlite3_column_text(q, 1);
        if (h != NULL && strlen((const char *)h) == 64)
            memcpy(prev, h, 65);
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(q);
        return emb__store_sqlerr(st, err, "read audit chain");
    }
    sqlite3_finalize(q);

    char at[32], hash[65];
    emb__store_now(at);
    int64_t next = last + 1;
    emb__audit_row_hash(next, at, kind, actor, payload_json, prev, hash);
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO audit(seq, at, kind, actor, payload, prev_hash, hash)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "append audit record");
    sqlite3_bind_int64(q, 1, next);
    sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, payload_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return emb__store_sqlerr(st, err, "append audit record");
    if (seq != NULL)
        *seq = next;
    return EMB_OK;
}

emb_status emb_store_audit_append(emb_store *st, const char *kind, const char *actor,
                                  const char *payload_json, int64_t *seq, emb_error *err)
{
    emb__err_clear(err);
    if (st == NULL || kind == NULL || actor == NULL || payload_json == NULL)
        return emb__err(err, EMB_EINVAL, "audit append: missing argument");
    emb_status s = emb__store_begin(st, err);
    if (s != EMB_OK)
        return s;
    s = emb__audit_append_tx(st, kind, actor, payload_json, seq, err);
    if (s != EMB_OK) {
        emb__store_rollback(st);
        return s;
    }
    return emb__store_commit(st, err);
}

emb_status emb_store_audit_append_many(emb_store *st, const char *kind, size_t n,
                                       const char *const *actors, const char *const *payloads,
                                       int64_t *first_seq, emb_error *err)
{
    emb__err_clear(err);
    if (first_seq != NULL)
        *first_seq = 0;
    if (st == NULL || kind == NULL || (n > 0 && (actors == NULL || payloads == NULL)))
        return emb__err(err, EMB_EINVAL, "audit append: missing argument");
    for (size_t i = 0; i < n; i++) {
        if (actors[i] == NULL || payloads[i] == NULL)
            return emb__err(err, EMB_EINVAL, "audit append: record %zu of %zu: no actor or payload",
                            i + 1, n);
    }
    if (n == 0)
        return EMB_OK;
    emb_status s = emb__store_begin(st, err);
    if (s != EMB_OK)
        return s;
    /* the first record goes through the single-record path, which reads the chain's head */
    int64_t seq = 0;
    s = emb__audit_append_tx(st, kind, actors[0], payloads[0], &seq, err);
    if (s != EMB_OK) {
        emb__store_rollback(st);
        return s;
    }
    int64_t first = seq;
    if (n > 1) {
        /* the rest chain on from the row just written, with one prepared statement */
        char prev[65], hash[65], at[32];
        sqlite3_stmt *q = NULL;
        static const char head_sql[] = "SELECT hash, at FROM audit WHERE seq = ?1";
        if (sqlite3_prepare_v2(st->db, head_sql, -1, &q, NULL) != SQLITE_OK) {
            s = emb__store_sqlerr(st, err, "read audit chain");
            emb__store_rollback(st);
            return s;
        }
        sqlite3_bind_int64(q, 1, seq);
        int rc = sqlite3_step(q);
        const unsigned char *h = rc == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
        const unsigned char *a = rc == SQLITE_ROW ? sqlite3_column_text(q, 1) : NULL;
        if (h == NULL || a == NULL || strlen((const char *)h) != 64 ||
            strlen((const char *)a) >= sizeof(at)) {
            s = rc == SQLITE_ROW || rc == SQLITE_DONE
                    ? emb__err(err, EMB_EIO, "append audit records: record %" PRId64 " vanished",
                               seq)
                    : emb__store_sqlerr(st, err, "read audit chain");
            sqlite3_finalize(q);
            emb__store_rollback(st);
            return s;
        }
        memcpy(prev, h, 65);
        memcpy(at, a, strlen((const char *)a) + 1); /* one batch, one commit time */
        sqlite3_finalize(q);
        if (sqlite3_prepare_v2(st->db,
                               "INSERT INTO audit(seq, at, kind, actor, payload, prev_hash, hash)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               -1, &q, NULL) != SQLITE_OK) {
            s = emb__store_sqlerr(st, err, "append audit records");
            emb__store_rollback(st);
            return s;
        }
        for (size_t i = 1; i < n; i++) {
            seq++;
            emb__audit_row_hash(seq, at, kind, actors[i], payloads[i], prev, hash);
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, seq);
            sqlite3_bind_text(q, 2, at, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 4, actors[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 5, payloads[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 6, prev, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 7, hash, -1, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_DONE) {
                s = emb__store_sqlerr(st, err, "append audit records");
                emb__err(err, s, "append audit records: record %zu of %zu (seq %" PRId64 "): %s",
                         i + 1, n, seq, sqlite3_errmsg(st->db));
                sqlite3_finalize(q);
                emb__store_rollback(st);
                return s;
            }
            memcpy(prev, hash, 65);
        }
        sqlite3_finalize(q);
    }
    s = emb__store_commit(st, err);
    if (s == EMB_OK && first_seq != NULL)
        *first_seq = first;
    return s;
}
