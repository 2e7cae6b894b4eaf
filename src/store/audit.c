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
