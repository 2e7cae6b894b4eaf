/*
 * Batched audit appends (emb_store_audit_append_many): a batch is chained in order and
 * verifies, mixes with single appends, and a batch that fails part-way (a trigger raising an
 * error on one record, as a full disk or a constraint would) leaves no row of it behind.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <embargo/store.h>

#include "test_util.h"

static char dir[64];
static char db[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/emb_auditb_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/embargo.db", dir);
}

static void teardown(void)
{
    test_rmdir(dir);
}

TestSuite(store_audit_batch, .init = setup, .fini = teardown);

static emb_store *open_store(void)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    return st;
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

/* Rows of the audit table, and the n-th row's actor and payload (1-based seq). */
static int64_t count_rows(void)
{
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    cr_assert_eq(
        sqlite3_prepare_v2(h, "SELECT count(*), coalesce(max(seq), 0) FROM audit", -1, &q, NULL),
        SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(q, 0);
    cr_assert_eq(sqlite3_column_int64(q, 1), n, "seq numbers must be 1..n");
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n;
}

static void expect_row(int64_t seq, const char *actor, const char *payload)
{
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    cr_assert_eq(sqlite3_prepare_v2(h, "SELECT kind, actor, payload FROM audit WHERE seq = ?1", -1,
                                    &q, NULL),
                 SQLITE_OK);
    sqlite3_bind_int64(q, 1, seq);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW, "no row %lld", (long long)seq);
    cr_assert_str_eq((const char *)sqlite3_column_text(q, 1), actor);
    cr_assert_str_eq((const char *)sqlite3_column_text(q, 2), payload);
    sqlite3_finalize(q);
    sqlite3_close(h);
}

static void expect_verified(uint64_t want)
{
    emb_store *st = open_store();
    emb_error err;
    uint64_t n = 0;
    char head[65];
    emb_status s = emb_audit_verify(st, NULL, NULL, &n, head, &err);
    emb_store_close(st);
    cr_assert_eq(s, EMB_OK, "%s", err.msg);
    cr_assert_eq(n, want);
}

/* Payloads {"n":from}, {"n":from+1}, ... in bufs; actors alternate "a" and "b". */
static void make_batch(size_t n, int from, char bufs[][32], const char **actors,
                       const char **payloads)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(bufs[i], 32, "{\"n\":%d}", from + (int)i);
        payloads[i] = bufs[i];
        actors[i] = i % 2 ? "b" : "a";
    }
}

Test(store_audit_batch, batch_is_chained_in_order_and_verifies)
{
    emb_store *st = open_store();
    char bufs[6][32];
    const char *actors[6], *payloads[6];
    make_batch(6, 1, bufs, actors, payloads);
    int64_t first = 0;
    emb_error err;
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 6, actors, payloads, &first, &err),
                 EMB_OK, "%s", err.msg);
    cr_assert_eq(first, 1);
    emb_store_close(st);
    cr_assert_eq(count_rows(), 6);
    for (int i = 0; i < 6; i++)
        expect_row(i + 1, actors[i], payloads[i]);
    expect_verified(6);
    /* each row's prev_hash is the hash of the row before it */
    sqlite3 *h = NULL;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    cr_assert_eq(sqlite3_prepare_v2(h,
                                    "SELECT count(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1"
                                    " WHERE b.prev_hash = a.hash",
                                    -1, &q, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int64(q, 0), 5);
    sqlite3_finalize(q);
    sqlite3_close(h);
}

Test(store_audit_batch, batches_and_single_appends_interleave)
{
    emb_store *st = open_store();
    emb_error err;
    char bufs[4][32];
    const char *actors[4], *payloads[4];
    int64_t seq = 0;
    cr_assert_eq(emb_store_audit_append(st, "decision", "x", "{\"single\":1}", &seq, &err), EMB_OK,
                 "%s", err.msg);
    cr_assert_eq(seq, 1);
    make_batch(3, 10, bufs, actors, payloads);
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 3, actors, payloads, &seq, &err),
                 EMB_OK, "%s", err.msg);
    cr_assert_eq(seq, 2);
    cr_assert_eq(emb_store_audit_append(st, "decision", "x", "{\"single\":2}", &seq, &err), EMB_OK,
                 "%s", err.msg);
    cr_assert_eq(seq, 5);
    make_batch(1, 20, bufs, actors, payloads);
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 1, actors, payloads, &seq, &err),
                 EMB_OK, "%s", err.msg);
    cr_assert_eq(seq, 6);
    make_batch(4, 30, bufs, actors, payloads);
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 4, actors, payloads, &seq, &err),
                 EMB_OK, "%s", err.msg);
    cr_assert_eq(seq, 7);
    /* an empty batch writes nothing and succeeds */
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 0, NULL, NULL, &seq, &err), EMB_OK);
    cr_assert_eq(seq, 0);
    emb_store_close(st);
    cr_assert_eq(count_rows(), 10);
    expect_row(5, "x", "{\"single\":2}");
    expect_row(10, "b", "{\"n\":33}");
    expect_verified(10);
}

/* A batch failing at record `at` (1-based) of 5: nothing of it stays, the chain goes on. */
static void failed_batch_leaves_nothing(int at)
{
    emb_store *st = open_store();
    emb_error err;
    char bufs[5][32];
    const char *actors[5], *payloads[5];
    make_batch(2, 1, bufs, actors, payloads);
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 2, actors, payloads, NULL, &err),
                 EMB_OK, "%s", err.msg);
    sql("CREATE TRIGGER boom BEFORE INSERT ON audit WHEN NEW.payload = '{\"n\":\"boom\"}'"
        " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    make_batch(5, 3, bufs, actors, payloads);
    snprintf(bufs[at - 1], 32, "{\"n\":\"boom\"}");
    int64_t first = -1;
    emb_status s = emb_store_audit_append_many(st, "screening", 5, actors, payloads, &first, &err);
    cr_assert_neq(s, EMB_OK);
    cr_assert_eq(first, 0);
    cr_assert(strstr(err.msg, "injected failure") != NULL, "%s", err.msg);
    cr_assert_eq(count_rows(), 2, "a failed batch must leave no row");
    expect_verified(2);
    /* the same handle goes on writing once the cause is gone */
    sql("DROP TRIGGER boom");
    make_batch(3, 100, bufs, actors, payloads);
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 3, actors, payloads, &first, &err),
                 EMB_OK, "%s", err.msg);
    cr_assert_eq(first, 3);
    emb_store_close(st);
    expect_row(5, "a", "{\"n\":102}");
    expect_verified(5);
}

Test(store_audit_batch, failure_in_the_middle_leaves_no_row)
{
    failed_batch_leaves_nothing(4);
}

Test(store_audit_batch, failure_at_the_first_record_leaves_no_row)
{
    failed_batch_leaves_nothing(1);
}

Test(store_audit_batch, missing_payload_is_refused_before_writing)
{
    emb_store *st = open_store();
    emb_error err;
    const char *actors[3] = {"a", "b", "c"};
    const char *payloads[3] = {"{}", NULL, "{}"};
    cr_assert_eq(emb_store_audit_append_many(st, "screening", 3, actors, payloads, NULL, &err),
                 EMB_EINVAL);
    cr_assert(strstr(err.msg, "record 2 of 3") != NULL, "%s", err.msg);
    emb_store_close(st);
    cr_assert_eq(count_rows(), 0);
}
