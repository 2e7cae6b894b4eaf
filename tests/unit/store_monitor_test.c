/*
 * Monitoring through the library: a first run alerts on every match, a second alerts on
 * nothing, a new list entity is found by the incremental path, a false positive is suppressed
 * until the customer changes, and a bad customer leaves the portfolio as it was. Uses the
 * committed demo list (data/demo) and writes everything under a temporary directory.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <embargo/store.h>

#include "test_util.h"

static char dir[64];
static char db[128];
static char idx1[128], idx2[128];

static void build(const char *out, const char *csv)
{
    emb_build_source src = {csv, "embargo_demo"};
    emb_error err;
    cr_assert_eq(emb_index_build(out, &src, 1, NULL, NULL, &err), EMB_OK, "%s", err.msg);
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/emb_monitor_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/embargo.db", dir);
    snprintf(idx1, sizeof(idx1), "%s/one.emb", dir);
    snprintf(idx2, sizeof(idx2), "%s/two.emb", dir);
    char demo[512], csv2[160], cmd[1200];
    snprintf(demo, sizeof(demo), "%s/data/demo/demo_sanctions.csv", EMB_SOURCE_DIR);
    build(idx1, demo);
    /* the same list plus one designation that one customer's name meets */
    snprintf(csv2, sizeof(csv2), "%s/two.csv", dir);
    snprintf(cmd, sizeof(cmd),
             "cp '%s' '%s' && echo 'new-1,Company,The Example Trading Company,,,,,,,TEST,"
             "2026-11-30,x' >> '%s'",
             demo, csv2, csv2);
    cr_assert_eq(system(cmd), 0);
    build(idx2, csv2);
}

static void teardown(void)
{
    test_rmdir(dir);
}

TestSuite(store_monitor, .init = setup, .fini = teardown);

typedef struct cust_in {
    const char *id, *name, *country;
} cust_in;

static emb_status load(emb_store *st, const cust_in *cs, size_t n, emb_load_stats *ls)
{
    emb_portfolio_load *ld = NULL;
    emb_error err;
    cr_assert_eq(emb_monitor_load_begin(st, "p1", "tester", &ld, &err), EMB_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        emb_customer c;
        memset(&c, 0, sizeof(c));
        c.id = cs[i].id;
        c.name = cs[i].name;
        const char *countries[1] = {cs[i].country};
        c.countries = countries;
        c.n_countries = cs[i].country != NULL;
        emb_status s = emb_monitor_load_add(ld, &c, &err);
        if (s != EMB_OK) {
            emb_monitor_load_abort(ld);
            return s;
        }
    }
    return emb_monitor_load_commit(ld, ls, &err);
}

typedef struct seen {
    int n;
    int64_t ids[32];
    char pairs[32][160];
    int64_t previous[32];
} seen;

static int keep(void *ud, const emb_alert *a)
{
    seen *s = ud;
    if (s->n < 32) {
        s->ids[s->n] = a->id;
        s->previous[s->n] = a->previous;
        snprintf(s->pairs[s->n], sizeof(s->pairs[0]), "%s|%s", a->customer_id, a->entity_id);
    }
    s->n++;
    return 0;
}

static int has(const seen *s, const char *pair)
{
    for (int i = 0; i < s->n && i < 32; i++) {
        if (strcmp(s->pairs[i], pair) == 0)
            return i + 1;
    }
    return 0;
}

static void run(emb_store *st, const char *index, int full, seen *s, emb_monitor_stats *stats)
{
    emb_monitor_opts o;
    memset(&o, 0, sizeof(o));
    o.portfolio = "p1";
    o.index_path = index;
    o.threshold = -1;
    o.candidate_threshold = -1;
    o.threads = 2;
    o.full = full;
    memset(s, 0, sizeof(*s));
    emb_error err;
    cr_assert_eq(emb_monitor_run(st, &o, keep, s, stats, &err), EMB_OK, "%s", err.msg);
}

static const cust_in customers[] = {
    {"c1", "Sichuan Anxun Information Technology Co Ltd", "China"},
    {"c2", "PUTIN, Vladimir", "RU"},
    {"c3", "The Example Trading Co", NULL},
    {"c4", "Maria Lopez Garcia", "ES"},
};

Test(store_monitor, runs_report_new_alerts_once)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    emb_load_stats ls;
    cr_assert_eq(load(st, customers, 4, &ls), EMB_OK);
    cr_assert_eq(ls.added, 4);
    seen s;
    emb_monitor_stats stats;
    run(st, idx1, 0, &s, &stats);
    cr_assert_eq(stats.full, 1, "a first run is full");
    cr_assert_eq(stats.screened, 4);
    cr_assert(has(&s, "c1|embargo_demo-gb-isoon"), "i-Soon found");
    cr_assert(has(&s, "c2|embargo_demo-us-putin"), "Putin found");
    cr_assert(!has(&s, "c3|embargo_demo-new-1"));
    int first = s.n;
    cr_assert_gt(first, 0);

    /* nothing changed: nothing screened, nothing new */
    run(st, idx1, 0, &s, &stats);
    cr_assert_eq(stats.full, 0);
    cr_assert_eq(stats.screened, 0);
    cr_assert_eq(stats.changed_entities, 0);
    cr_assert_eq(s.n, 0);

    /* a list update: only the new entity is screened, against the known customers */
    run(st, idx2, 0, &s, &stats);
    cr_assert_eq(stats.changed_entities, 1);
    cr_assert_eq(stats.screened, 0);
    cr_assert_geq(stats.candidates, 1);
    cr_assert_eq(s.n, 1, "only the new designation alerts, got %d", s.n);
    cr_assert(has(&s, "c3|embargo_demo-new-1"));

    /* a full re-screen finds every pair already alerted */
    run(st, idx2, 1, &s, &stats);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(stats.known, (uint64_t)first + 1);

    seen all;
    memset(&all, 0, sizeof(all));
    cr_assert_eq(emb_monitor_alerts(st, "p1", 1, keep, &all, &err), EMB_OK);
    cr_assert_eq(all.n, first + 1);
    emb_store_close(st);
}

Test(store_monitor, false_positive_suppressed_until_customer_changes)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    emb_load_stats ls;
    cr_assert_eq(load(st, customers, 4, &ls), EMB_OK);
    seen s;
    emb_monitor_stats stats;
    run(st, idx1, 0, &s, &stats);
    int at = has(&s, "c1|embargo_demo-gb-isoon");
    cr_assert(at);
    int64_t alert = s.ids[at - 1];
    int64_t seq = 0;
    cr_assert_eq(emb_monitor_decide(st, alert, "maybe", "alice", "x", &seq, &err), EMB_EINVAL);
    cr_assert_eq(emb_monitor_decide(st, 9999, "false_positive", "alice", "x", &seq, &err),
                 EMB_ENOTFOUND);
    cr_assert_eq(
        emb_monitor_decide(st, alert, "false_positive", "alice", "another firm", &seq, &err),
        EMB_OK, "%s", err.msg);
    cr_assert_gt(seq, 0);

    /* the decided pair no longer shows among the open alerts */
    seen open;
    memset(&open, 0, sizeof(open));
    cr_assert_eq(emb_monitor_alerts(st, "p1", 1, keep, &open, &err), EMB_OK);
    cr_assert(!has(&open, "c1|embargo_demo-gb-isoon"));

    run(st, idx1, 1, &s, &stats);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(stats.suppressed, 1);

    /* the customer's data change: the pair alerts again, marked as previously decided */
    cust_in changed = {"c1", "Sichuan Anxun Information Technology Company Limited", "China"};
    cr_assert_eq(load(st, &changed, 1, &ls), EMB_OK);
    cr_assert_eq(ls.changed, 1);
    run(st, idx1, 0, &s, &stats);
    cr_assert_eq(stats.screened, 1);
    at = has(&s, "c1|embargo_demo-gb-isoon");
    cr_assert(at, "re-alerted after the change");
    cr_assert_eq(s.previous[at - 1], alert);

    /* every step is on a verified chain */
    uint64_t n = 0;
    cr_assert_eq(emb_audit_verify(st, NULL, NULL, &n, NULL, &err), EMB_OK, "%s", err.msg);
    cr_assert_geq(n, 6);
    emb_store_close(st);
}

Test(store_monitor, bad_customer_leaves_portfolio_unchanged)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    emb_load_stats ls;
    cr_assert_eq(load(st, customers, 2, &ls), EMB_OK);
    cust_in bad[] = {{"c9", "Fine Name", NULL}, {"c10", "Tab\tName", NULL}};
    cr_assert_eq(load(st, bad, 2, &ls), EMB_EPARSE);
    cust_in noname[] = {{"c11", "", NULL}};
    cr_assert_eq(load(st, noname, 1, &ls), EMB_EINVAL);
    cust_in badutf[] = {{"c12", "Caf\xc3", NULL}};
    cr_assert_eq(load(st, badutf, 1, &ls), EMB_EUTF8);
    cr_assert_eq(emb_monitor_customer(st, "p1", "c9", NULL, NULL, &err), EMB_ENOTFOUND,
                 "an aborted load stores nothing");
    emb_store_close(st);
}

Test(store_monitor, unknown_portfolio_is_an_error)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    emb_monitor_opts o;
    memset(&o, 0, sizeof(o));
    o.portfolio = "nope";
    o.index_path = idx1;
    o.threshold = -1;
    o.candidate_threshold = -1;
    cr_assert_eq(emb_monitor_run(st, &o, NULL, NULL, NULL, &err), EMB_ENOTFOUND);
    cr_assert(strstr(err.msg, "nope") != NULL, "%s", err.msg);
    emb_store_close(st);
}

Test(store_monitor, unscreenable_customer_is_counted_not_fatal)
{
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    emb_load_stats ls;
    cust_in cs[] = {{"c1", "Sichuan Anxun Information Technology Co Ltd", "China"},
                    {"dots", "...", NULL}};
    cr_assert_eq(load(st, cs, 2, &ls), EMB_OK);
    seen s;
    emb_monitor_stats stats;
    run(st, idx1, 0, &s, &stats);
    cr_assert_eq(stats.refused, 1);
    cr_assert(strstr(stats.refused_first, "dots") != NULL, "%s", stats.refused_first);
    cr_assert(has(&s, "c1|embargo_demo-gb-isoon"), "the others are screened");
    /* and it is not retried until its data change */
    run(st, idx1, 0, &s, &stats);
    cr_assert_eq(stats.refused, 0);
    emb_store_close(st);
}
