/* Reading the audit trail back: chain verification, export by date, one record by seq. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

struct emb_digest {
    emb__sha256 h;
};

emb_status emb_digest_new(emb_digest **out)
{
    emb_digest *d = emb__malloc(sizeof(*d));
    if (d == NULL)
        return EMB_ENOMEM;
    emb__sha256_init(&d->h);
    *out = d;
    return EMB_OK;
}

void emb_digest_update(emb_digest *d, const void *data, size_t len)
{
    emb__sha256_update(&d->h, data, len);
}

void emb_digest_finish(emb_digest *d, char hex[65])
{
    emb__sha256_hex(&d->h, hex);
    emb__free(d);
}

emb_status emb_file_sha256(const char *path, char hex[65], emb_error *err)
{
    emb__err_clear(err);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        emb_status s = emb__err(err, errno == ENOENT ? EMB_ENOTFOUND : EMB_EIO, "cannot open: %s",
                                strerror(errno));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return s;
    }
    emb__sha256 h;
    emb__sha256_init(&h);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        emb__sha256_update(&h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        emb_status s = emb__err(err, EMB_EIO, "read error");
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return s;
    }
    emb__sha256_hex(&h, hex);
    return EMB_OK;
}

static const char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t != NULL ? (const char *)t : "";
}

static void row_of(sqlite3_stmt *q, emb_audit_record *r)
{
    r->seq = sqlite3_column_int64(q, 0);
    r->at = col_text(q, 1);
    r->kind = col_text(q, 2);
    r->actor = col_text(q, 3);
    r->payload = col_text(q, 4);
    r->prev_hash = col_text(q, 5);
    r->hash = col_text(q, 6);
}

#define AUDIT_COLS "seq, at, kind, actor, payload, prev_hash, hash"

typedef struct verify_state {
    emb_audit_problem_fn fn;
    void *ud;
    emb_error *err;
    int64_t first_seq;
    uint64_t problems;
} verify_state;

__attribute__((format(printf, 3, 4))) static void problem(verify_state *v, int64_t seq,
                                                          const char *fmt, ...)
{
    char what[EMB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (n < 0)
        snprintf(what, sizeof(what), "broken record");
    if (v->problems++ == 0) {
        v->first_seq = seq;
        emb__err(v->err, EMB_ECORRUPT, "audit record %" PRId64 ": %s", seq, what);
        char id[32];
        int k = snprintf(id, sizeof(id), "%" PRId64, seq);
        emb__err_record(v->err, id, (size_t)k);
    }
    if (v->fn != NULL)
        v->fn(v->ud, seq, what);
}

emb_status emb_audit_verify(emb_store *st, emb_audit_problem_fn on_problem, void *ud,
                            uint64_t *n_records, char head_hash[65], emb_error *err)
{
    emb__err_clear(err);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT " AUDIT_COLS " FROM audit ORDER BY seq", -1, &q, NULL) !=
        SQLITE_OK)
        return emb__store_sqlerr(st, err, "read audit chain");
    /* one read transaction, so a writer appending meanwhile cannot make the walk inconsistent */
    verify_state v = {on_problem, ud, err, 0, 0};
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    uint64_t n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        emb_audit_record r;
        row_of(q, &r);
        n++;
        if (r.seq > expect) {
            if (r.seq == expect + 1)
                problem(&v, expect, "missing (deleted)");
            else
                problem(&v, expect, "records %" PRId64 "..%" PRId64 " missing (deleted)", expect,
                        r.seq - 1);
        }
        char want[65];
        emb__audit_row_hash(r.seq, r.at, r.kind, r.actor, r.payload, r.prev_hash, want);
        if (strcmp(want, r.hash) != 0)
            problem(&v, r.seq,
                    "content does not match its hash (edited, or moved from seq "
                    "elsewhere)");
        else if (strcmp(r.prev_hash, prev) != 0)
            problem(&v, r.seq,
                    "prev_hash does not match the hash of the record before it (a record was "
                    "inserted, deleted or reordered before this one)");
        size_t hl = strlen(r.hash);
        memcpy(prev, r.hash, hl < 64 ? hl + 1 : 65);
        prev[64] = '\0';
        expect = r.seq + 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return emb__store_sqlerr(st, err, "read audit chain");
    if (n_records != NULL)
        *n_records = n;
    if (head_hash != NULL) {
        if (n == 0)
            head_hash[0] = '\0';
        else
            memcpy(head_hash, prev, 65);
    }
    return v.problems == 0 ? EMB_OK : EMB_ECORRUPT;
}

static emb_status walk(emb_store *st, sqlite3_stmt *q, emb_audit_fn fn, void *ud, int *found,
                       emb_error *err)
{
    int rc;
    emb_status s = EMB_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        emb_audit_record r;
        row_of(q, &r);
        *found = 1;
        if (fn(ud, &r) != 0) {
            s = emb__err(err, EMB_ESTOPPED, "stopped by the caller");
            break;
        }
    }
    if (s == EMB_OK && rc != SQLITE_DONE)
        s = emb__store_sqlerr(st, err, "read audit records");
    sqlite3_finalize(q);
    return s;
}

emb_status emb_audit_each(emb_store *st, const char *from, const char *to, emb_audit_fn fn,
                          void *ud, emb_error *err)
{
    emb__err_clear(err);
    sqlite3_stmt *q = NULL;
    /* `to` compares on its own length, so a bare date includes its whole day */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " AUDIT_COLS " FROM audit"
                           " WHERE (?1 IS NULL OR at >= ?1)"
                           "   AND (?2 IS NULL OR substr(at, 1, length(?2)) <= ?2)"
                           " ORDER BY seq",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read audit records");
    if (from != NULL)
        sqlite3_bind_text(q, 1, from, -1, SQLITE_STATIC);
    if (to != NULL)
        sqlite3_bind_text(q, 2, to, -1, SQLITE_STATIC);
    int found = 0;
    return walk(st, q, fn, ud, &found, err);
}

emb_status emb_audit_get(emb_store *st, int64_t seq, emb_audit_fn fn, void *ud, emb_error *err)
{
    emb__err_clear(err);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT " AUDIT_COLS " FROM audit WHERE seq = ?1", -1, &q,
                           NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read audit record");
    sqlite3_bind_int64(q, 1, seq);
    int found = 0;
    emb_status s = walk(st, q, fn, ud, &found, err);
    if (s == EMB_OK && !found)
        return emb__err(err, EMB_ENOTFOUND, "no audit record %" PRId64, seq);
    return s;
}
