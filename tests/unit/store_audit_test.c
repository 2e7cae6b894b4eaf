/*
 * The audit chain: verification passes on an intact chain and names the row when a record is
 * edited, deleted, moved or forged in the middle, as someone with write access to the SQLite
 * file would do it (plain SQL through the sqlite3 C API). Export selects by date.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <embargo/store.h>

#include "store/store.h"
#include "test_util.h"

static char dir[64];
static char db[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/emb_audit_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/embargo.db", dir);
}

static void teardown(void)
{
    test_rmdir(dir);
}

TestSuite(store_audit, .init = setup, .fini = teardown);

/* A store with n records: payloads {"n":1}, {"n":2}, ... */
static void fill(int n)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    for (int i = 1; i <= n; i++) {
        char payload[32];
        snprintf(payload, sizeof(payload), "{\"n\":%d}", i);
        int64_t seq = 0;
        cr_assert_eq(emb_store_audit_append(st, "test", "tester", payload, &seq, &err), EMB_OK,
                     "%s", err.msg);
        cr_assert_eq(seq, i);
    }
    emb_store_close(st);
}

static void sql(const char *stmt)
{
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    char *msg = NULL;
    cr_assert_eq(sqlite3_exec(h, stmt, NULL, NULL, &msg), SQLITE_OK, "%s: %s", stmt,
                 msg ? msg : "");
    sqlite3_close(h);
}

typedef struct problems {
    int64_t seqs[16];
    char what[16][EMB_ERROR_MSG_MAX];
    int n;
} problems;

static void note(void *ud, int64_t seq, const char *what)
{
    problems *p = ud;
    if (p->n < 16) {
        p->seqs[p->n] = seq;
        snprintf(p->what[p->n], sizeof(p->what[0]), "%s", what);
    }
    p->n++;
}

static emb_status verify(problems *p, uint64_t *n, emb_error *err)
{
    emb_store *st = NULL;
    cr_assert_eq(emb_store_open(db, &st, err), EMB_OK, "%s", err->msg);
    memset(p, 0, sizeof(*p));
    char head[65];
    emb_status s = emb_audit_verify(st, note, p, n, head, err);
    emb_store_close(st);
    return s;
}

Test(store_audit, intact_chain_verifies)
{
    fill(5);
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(n, 5);
    cr_assert_eq(p.n, 0);
}

Test(store_audit, edited_payload_is_named)
{
    fill(5);
    sql("UPDATE audit SET payload = '{\"n\":33}' WHERE seq = 3");
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_ECORRUPT);
    cr_assert_str_eq(err.record_id, "3");
    cr_assert_eq(p.n, 1, "only the edited row is wrong, got %d problems", p.n);
    cr_assert_eq(p.seqs[0], 3);
    cr_assert(strstr(p.what[0], "edited") != NULL, "%s", p.what[0]);
}

Test(store_audit, edited_actor_and_rehashed_row_is_named)
{
    /* a forger who also recomputes the row's own hash breaks the link to the next row */
    fill(5);
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    cr_assert_eq(sqlite3_prepare_v2(h,
                                    "SELECT at, kind, payload, prev_hash FROM audit WHERE seq = 2",
                                    -1, &q, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    char hash[65];
    emb__audit_row_hash(2, (const char *)sqlite3_column_text(q, 0),
                        (const char *)sqlite3_column_text(q, 1), "mallory",
                        (const char *)sqlite3_column_text(q, 2),
                        (const char *)sqlite3_column_text(q, 3), hash);
    sqlite3_finalize(q);
    char stmt[300];
    snprintf(stmt, sizeof(stmt), "UPDATE audit SET actor = 'mallory', hash = '%s' WHERE seq = 2",
             hash);
    cr_assert_eq(sqlite3_exec(h, stmt, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_ECORRUPT);
    cr_assert_str_eq(err.record_id, "3");
    cr_assert(strstr(p.what[0], "prev_hash") != NULL, "%s", p.what[0]);
}

Test(store_audit, deleted_middle_row_is_named)
{
    fill(5);
    sql("DELETE FROM audit WHERE seq = 3");
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_ECORRUPT);
    cr_assert_eq(n, 4);
    cr_assert_eq(p.seqs[0], 3);
    cr_assert(strstr(p.what[0], "missing") != NULL, "%s", p.what[0]);
    cr_assert(strstr(err.msg, "audit record 3") != NULL, "%s", err.msg);
}

Test(store_audit, swapped_rows_are_named)
{
    fill(5);
    sql("UPDATE audit SET seq = -2 WHERE seq = 2;"
        "UPDATE audit SET seq = 2 WHERE seq = 3;"
        "UPDATE audit SET seq = 3 WHERE seq = -2;");
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_ECORRUPT);
    cr_assert_eq(n, 5);
    cr_assert_eq(p.seqs[0], 2, "first problem at %lld", (long long)p.seqs[0]);
    cr_assert_str_eq(err.record_id, "2");
    cr_assert(p.n >= 2 && p.seqs[1] == 3, "both moved rows are named");
}

Test(store_audit, inserted_row_is_named)
{
    /* a forged record slipped in as seq 3, later rows renumbered */
    fill(4);
    sql("UPDATE audit SET seq = seq + 10 WHERE seq >= 3;"
        "UPDATE audit SET seq = seq - 9 WHERE seq >= 13;");
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    cr_assert_eq(sqlite3_prepare_v2(h, "SELECT hash FROM audit WHERE seq = 2", -1, &q, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    char prev[65], hash[65];
    snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    emb__audit_row_hash(3, "2026-01-01T00:00:00.000Z", "decision", "mallory", "{}", prev, hash);
    char stmt[400];
    snprintf(stmt, sizeof(stmt),
             "INSERT INTO audit VALUES (3, '2026-01-01T00:00:00.000Z', 'decision', 'mallory',"
             " '{}', '%s', '%s')",
             prev, hash);
    cr_assert_eq(sqlite3_exec(h, stmt, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    problems p;
    uint64_t n = 0;
    emb_error err;
    cr_assert_eq(verify(&p, &n, &err), EMB_ECORRUPT);
    cr_assert_eq(n, 5);
    /* the forged row itself is consistent; the row after it is not */
    cr_assert_eq(p.seqs[0], 4, "first problem at %lld", (long long)p.seqs[0]);
}

static int count_rec(void *ud, const emb_audit_record *r)
{
    int *n = ud;
    cr_assert_eq(strlen(r->hash), 64);
    (*n)++;
    return 0;
}

Test(store_audit, export_selects_by_date)
{
    fill(3);
    sql("UPDATE audit SET at = '2026-01-05T10:00:00.000Z' WHERE seq = 1");
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK);
    int n = 0;
    cr_assert_eq(emb_audit_each(st, "2026-01-01", "2026-01-05", count_rec, &n, &err), EMB_OK);
    cr_assert_eq(n, 1, "--to takes its whole day");
    n = 0;
    cr_assert_eq(emb_audit_each(st, "2026-01-06", NULL, count_rec, &n, &err), EMB_OK);
    cr_assert_eq(n, 2);
    n = 0;
    cr_assert_eq(emb_audit_get(st, 2, count_rec, &n, &err), EMB_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(emb_audit_get(st, 9, count_rec, &n, &err), EMB_ENOTFOUND);
    emb_store_close(st);
}
