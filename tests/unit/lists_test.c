/*
 * List lifecycle in the library: diff of two list versions (real OFAC files and small
 * hand-made ones), recorded versions (record, same, held back, as-of, extract, snapshot),
 * the sources config file, and freshness.
 */
#include <time.h>
#include <unistd.h>

#include <embargo/store.h>

#include "test_util.h"

/* ---------------------------------------------------------------- helpers */

static char *tmpdir_new(void)
{
    static char dir[256];
    snprintf(dir, sizeof(dir), "/tmp/emb-lists-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

typedef struct changes {
    int added, removed, changed;
    char last_added[64];
    int saw_50543;
    int alias_added, program_removed, birth_changed;
    int order_ok;
    char prev_id[64];
} changes;

static int numeric_le(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la != lb ? la < lb : strcmp(a, b) <= 0;
}

static int on_change(void *ud, const emb_diff_change *ch)
{
    changes *c = ud;
    char id[64];
    snprintf(id, sizeof(id), "%.*s", (int)ch->source_id.len, ch->source_id.ptr);
    if (c->prev_id[0] && !numeric_le(c->prev_id, id))
        c->order_ok = 0;
    memcpy(c->prev_id, id, sizeof(id));
    if (ch->kind == EMB_DIFF_ADDED) {
        c->added++;
        cr_assert_null(ch->old_entity);
        cr_assert_not_null(ch->new_entity);
        if (strcmp(id, "50543") == 0) {
            c->saw_50543 = 1;
            cr_assert(ch->new_entity->caption.len > 0);
            cr_assert(strncmp(ch->new_entity->caption.ptr, "INTEGRITY TECHNOLOGY GROUP", 26) == 0,
                      "caption %.*s", (int)ch->new_entity->caption.len,
                      ch->new_entity->caption.ptr);
        }
    } else if (ch->kind == EMB_DIFF_REMOVED) {
        c->removed++;
        cr_assert_null(ch->new_entity);
    } else {
        c->changed++;
        cr_assert(ch->n_fields > 0);
        for (size_t i = 0; i < ch->n_fields; i++) {
            const emb_diff_field *f = &ch->fields[i];
            if (strcmp(f->field, "alias") == 0 && f->added)
                c->alias_added++;
            if (strcmp(f->field, "program") == 0 && !f->added)
                c->program_removed++;
            if (strcmp(f->field, "birthDate") == 0)
                c->birth_changed++;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- diff */

Test(diff, ofac_sdn_2024_to_2026_reports_integrity_technology_added)
{
    const char *p_old = test_data("ofac/sdn_2024-05-03.csv");
    char old_path[4096];
    snprintf(old_path, sizeof(old_path), "%s", p_old);
    const char *p_new = test_data("ofac/sdn_names_2026-08-20_kindrat86.csv");
    emb_build_source o = {old_path, NULL}, n = {p_new, "us_ofac_sdn"};
    changes c;
    memset(&c, 0, sizeof(c));
    c.order_ok = 1;
    emb_diff_stats st;
    emb_error err;
    emb_status s = emb_diff_files(&o, &n, on_change, &c, &st, &err);
    cr_assert_eq(s, EMB_OK, "diff failed: %s (%s:%llu)", err.msg, err.source,
                 (unsigned long long)err.line);
    cr_assert(c.saw_50543, "uid 50543 (Integrity Technology Group) not reported as added");
    cr_assert(c.order_ok, "changes not in source_id order");
    cr_assert_eq(st.old_entities, 14965);
    cr_assert_eq(st.new_entities, 19249);
    cr_assert_eq((uint64_t)c.added, st.added);
    cr_assert_eq((uint64_t)c.removed, st.removed);
    cr_assert_eq((uint64_t)c.changed, st.changed);
    cr_assert_eq(st.old_entities, st.removed + st.changed + st.unchanged);
    cr_assert_eq(st.new_entities, st.added + st.changed + st.unchanged);
    /* the SDN grew by about 4,300 entries in those two years */
    cr_assert(st.added > 4000 && st.added > st.removed, "added %llu removed %llu",
              (unsigned long long)st.added, (unsigned long long)st.removed);
}

Test(diff, small_lists_field_by_field)
{
    char *dir = tmpdir_new();
    char a[512], b[512];
    snprintf(a, sizeof(a), "%s/old.csv", dir);
    snprintf(b, sizeof(b), "%s/new.csv", dir);
    write_file(a, "id,schema,name,aliases,birth_date,programs\n"
                  "p1,Person,Ivan PETROV,Vanya,1970-01-02,RUSSIA-EO14024\n"
                  "p2,Person,Anna SMIRNOVA,,1980,UKRAINE-EO13660\n"
                  "c1,Company,Acme Trading LLC,,,IRAN\n");
    write_file(b, "id,schema,name,aliases,birth_date,programs\n"
                  "p1,Person,Ivan PETROV,Vanya; Ivan Petrovich,1970-01-03,RUSSIA-EO14024\n"
                  "c1,Company,Acme Trading LLC,,,IRAN\n"
                  "c2,Company,New Front Ltd,,,CYBER2\n");
    emb_build_source o = {a, "demo"}, n = {b, "demo"};
    changes c;
    memset(&c, 0, sizeof(c));
    emb_diff_stats st;
    emb_error err;
    cr_assert_eq(emb_diff_files(&o, &n, on_change, &c, &st, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(st.added, 1);
    cr_assert_eq(st.removed, 1);
    cr_assert_eq(st.changed, 1);
    cr_assert_eq(st.unchanged, 1);
    cr_assert_eq(c.alias_added, 1);
    cr_assert_eq(c.birth_changed, 2, "old and new birth date both reported");

    /* a malformed NEW fails the diff, naming the file */
    write_file(b, "id,schema,name\n\"p1,Person,broken\n");
    emb_status s = emb_diff_files(&o, &n, on_change, &c, &st, &err);
    cr_assert_neq(s, EMB_OK);
    cr_assert(strstr(err.source, "new.csv") != NULL, "error source %s", err.source);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

/* ---------------------------------------------------------------- versions */

static emb_store *store_new(char *dir_out, size_t cap)
{
    char *dir = tmpdir_new();
    snprintf(dir_out, cap, "%s", dir);
    char db[512];
    snprintf(db, sizeof(db), "%s/embargo.db", dir);
    emb_store *st = NULL;
    emb_error err;
    cr_assert_eq(emb_store_open(db, &st, &err), EMB_OK, "%s", err.msg);
    return st;
}

static emb_status record(emb_store *st, const char *path, const char *fetched_at,
                         emb_record_outcome *oc, emb_list_version *v, emb_error *err)
{
    emb_version_meta m;
    memset(&m, 0, sizeof(m));
    m.source = "un_sc_sanctions";
    m.url = "file:///test";
    m.fetched_at = fetched_at;
    return emb_version_record(st, path, &m, oc, v, err);
}

/* The UN list with only every drop_every-th individual (0: all), without the first one
 * when drop_first, written to path. */
static void un_variant(const char *src, const char *path, int drop_every, int drop_first)
{
    FILE *in = fopen(src, "rb");
    cr_assert_not_null(in);
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, in), (size_t)n);
    buf[n] = '\0';
    fclose(in);
    FILE *out = fopen(path, "wb");
    cr_assert_not_null(out);
    const char *p = buf;
    int k = 0;
    for (;;) {
        const char *s = strstr(p, "<INDIVIDUAL>");
        if (s == NULL)
            break;
        const char *e = strstr(s, "</INDIVIDUAL>");
        cr_assert_not_null(e);
        e += strlen("</INDIVIDUAL>");
        fwrite(p, 1, (size_t)(s - p), out);
        int drop = (drop_first && k == 0) || (drop_every > 0 && k % drop_every != 0);
        if (!drop)
            fwrite(s, 1, (size_t)(e - s), out);
        k++;
        p = e;
    }
    fputs(p, out);
    fclose(out);
    free(buf);
}

typedef struct vcount {
    int n;
    char sources[8][64];
    long long versions[8];
} vcount;

static int count_v(void *ud, const emb_list_version *v)
{
    vcount *c = ud;
    if (c->n < 8) {
        snprintf(c->sources[c->n], 64, "%s", v->source);
        c->versions[c->n] = v->version;
    }
    c->n++;
    return 0;
}

Test(versions, record_same_held_back_as_of_extract_snapshot)
{
    const char *un = test_data("un/UN_consolidated_2026-02-27.xml");
    char un_path[4096];
    snprintf(un_path, sizeof(un_path), "%s", un);
    char dir[256];
    emb_store *st = store_new(dir, sizeof(dir));
    char minus1[512], few[512], out[512], emb[512];
    snprintf(minus1, sizeof(minus1), "%s/minus1.xml", dir);
    snprintf(few, sizeof(few), "%s/few.xml", dir);
    snprintf(out, sizeof(out), "%s/extracted.xml", dir);
    snprintf(emb, sizeof(emb), "%s/asof.emb", dir);
    un_variant(un_path, minus1, 0, 1);
    un_variant(un_path, few, 10, 0); /* a tenth of the individuals: 1003 -> 346 entities */

    emb_record_outcome oc;
    emb_list_version *v = calloc(1, sizeof(*v));
    emb_error err;
    cr_assert_eq(record(st, un_path, "2026-03-01T06:00:00.000Z", &oc, v, &err), EMB_OK, "%s",
                 err.msg);
    cr_assert_eq(oc, EMB_RECORD_PUBLISHED);
    cr_assert_eq(v->version, 1);
    cr_assert_eq(v->entities, 1003);
    cr_assert_str_eq(v->published, "2026-02-27");
    cr_assert_str_eq(v->dataset, "un_sc_sanctions");
    cr_assert_eq(strlen(v->sha256), 64);
    cr_assert(v->stored_bytes > 0 && v->stored_bytes < v->bytes / 2, "compressed %llu of %llu",
              (unsigned long long)v->stored_bytes, (unsigned long long)v->bytes);

    /* the same bytes again: nothing new */
    cr_assert_eq(record(st, un_path, "2026-03-02T06:00:00.000Z", &oc, v, &err), EMB_OK);
    cr_assert_eq(oc, EMB_RECORD_SAME);
    cr_assert_eq(v->version, 1);

    /* a list that lost more than half: held back, not recorded */
    emb_status s = record(st, few, "2026-03-03T06:00:00.000Z", &oc, v, &err);
    cr_assert_eq(s, EMB_ELIMIT);
    cr_assert_eq(oc, EMB_RECORD_HELD_BACK);
    cr_assert(strstr(err.msg, "held back") != NULL, "%s", err.msg);

    /* a real change: version 2 */
    cr_assert_eq(record(st, minus1, "2026-04-01T06:00:00.000Z", &oc, v, &err), EMB_OK, "%s",
                 err.msg);
    cr_assert_eq(oc, EMB_RECORD_PUBLISHED);
    cr_assert_eq(v->version, 2);
    cr_assert_eq(v->entities, 1002);

    vcount c;
    memset(&c, 0, sizeof(c));
    cr_assert_eq(emb_versions_list(st, NULL, count_v, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 2);

    /* as of a date: the latest version fetched at or before its end */
    memset(&c, 0, sizeof(c));
    cr_assert_eq(emb_versions_as_of(st, "2026-03-31", count_v, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.versions[0], 1);
    memset(&c, 0, sizeof(c));
    cr_assert_eq(emb_versions_as_of(st, "2026-04-01", count_v, &c, &err), EMB_OK);
    cr_assert_eq(c.versions[0], 2);
    memset(&c, 0, sizeof(c));
    cr_assert_eq(emb_versions_as_of(st, "2026-02-28", count_v, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 0);
    cr_assert_eq(emb_versions_as_of(st, "last tuesday", count_v, &c, &err), EMB_EINVAL);

    emb_build_stats bs;
    cr_assert_eq(emb_store_build_snapshot(st, "2026-03-15", emb, &bs, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(bs.entities, 1003);
    cr_assert_eq(emb_store_build_snapshot(st, "2026-01-01", emb, &bs, &err), EMB_ENOTFOUND);

    /* extract gives back the very bytes; a damaged stored file is refused */
    cr_assert_eq(emb_version_get(st, "un_sc_sanctions", 1, v, &err), EMB_OK);
    cr_assert_eq(emb_version_extract(v, out, &err), EMB_OK, "%s", err.msg);
    emb_build_source a = {out, NULL}, b = {un_path, NULL};
    emb_diff_stats ds;
    cr_assert_eq(emb_diff_files(&a, &b, NULL, NULL, &ds, &err), EMB_OK);
    cr_assert_eq(ds.unchanged, 1003);
    FILE *f = fopen(v->path, "r+b");
    cr_assert_not_null(f);
    fseek(f, 100, SEEK_SET);
    fputc(0x55, f);
    fputc(0xAA, f);
    fclose(f);
    s = emb_version_extract(v, out, &err);
    cr_assert_eq(s, EMB_ECORRUPT, "damaged version not detected: %d %s", s, err.msg);

    /* publish: current.emb from the latest versions, rebuilt only when they change */
    int rebuilt = 0;
    cr_assert_eq(emb_store_publish(st, &rebuilt, &bs, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(rebuilt, 1);
    cr_assert_eq(bs.entities, 1002);
    cr_assert_eq(emb_store_publish(st, &rebuilt, &bs, &err), EMB_OK);
    cr_assert_eq(rebuilt, 0);

    /* freshness from the store: version 2 checked just now is fresh; version 1 superseded */
    char cur[600];
    emb_store_current_path(st, cur, sizeof(cur));
    emb_index *idx;
    cr_assert_eq(emb_index_open(cur, &idx, &err), EMB_OK);
    emb_source_freshness fr[4];
    size_t n;
    int stale = -1;
    int64_t now = (int64_t)time(NULL);
    cr_assert_eq(emb_store_freshness(st, idx, now, NULL, fr, 4, &n, &stale, &err), EMB_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(fr[0].basis, "checked");
    cr_assert_eq(stale, 0);
    cr_assert(fr[0].max_age_days == 7);
    /* without the store the list's own date (2026-02-27) is all there is */
    cr_assert_eq(emb_index_freshness(idx, now, NULL, fr, 4, &n, &stale), EMB_OK);
    cr_assert_str_eq(fr[0].basis, "published");
    cr_assert_eq(fr[0].stale, now > 1772150400 + 7 * 86400);
    emb_index_close(idx);
    cr_assert_eq(emb_index_open(emb, &idx, &err), EMB_OK);
    cr_assert_eq(emb_store_freshness(st, idx, now, NULL, fr, 4, &n, &stale, &err), EMB_OK);
    cr_assert_str_eq(fr[0].basis, "superseded");
    cr_assert_eq(stale, 1);
    emb_index_close(idx);

    free(v);
    emb_store_close(st);
}

/* ---------------------------------------------------------------- freshness rules */

Test(freshness, rules_and_dates)
{
    char dir[256];
    emb_store *st = store_new(dir, sizeof(dir));
    emb_store_close(st);
    char path[512], emb[512];
    snprintf(path, sizeof(path), "%s/list.csv", dir);
    snprintf(emb, sizeof(emb), "%s/x.emb", dir);
    write_file(path, "id,name\n1,Someone\n");
    emb_build_source src[] = {{path, "us_ofac_custom"}};
    emb_build_stats bs;
    emb_error err;
    cr_assert_eq(emb_index_build(emb, src, 1, NULL, &bs, &err), EMB_OK, "%s", err.msg);
    emb_index *idx;
    cr_assert_eq(emb_index_open(emb, &idx, &err), EMB_OK);
    emb_source_freshness fr[2];
    size_t n = 0;
    int stale = 0;
    /* no date anywhere: stale (fails closed), built-in OFAC maximum of 3 days */
    cr_assert_eq(emb_index_freshness(idx, 1790000000, NULL, fr, 2, &n, &stale), EMB_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(stale, 1);
    cr_assert_str_eq(fr[0].basis, "unknown");
    cr_assert(fr[0].max_age_days == 3);
    emb_freshness_rule rules[] = {{"us_ofac*", 10}};
    emb_freshness_policy pol = {rules, 1, 0};
    cr_assert_eq(emb_index_freshness(idx, 1790000000, &pol, fr, 2, &n, &stale), EMB_OK);
    cr_assert(fr[0].max_age_days == 10);
    cr_assert_eq(emb_index_freshness(idx, 1790000000, NULL, fr, 0, &n, &stale), EMB_ELIMIT);
    emb_index_close(idx);
    unlink(path);
    unlink(emb);
}

/* ---------------------------------------------------------------- config */

Test(config, defaults_and_overrides)
{
    emb_lists_config *cfg = malloc(sizeof(*cfg));
    emb_lists_config_defaults(cfg);
    cr_assert_geq(cfg->n_sources, 6);
    emb_list_source *s = emb_lists_config_find(cfg, "us_ofac_sdn");
    cr_assert_not_null(s);
    cr_assert(strncmp(s->url, "https://", 8) == 0);
    cr_assert(s->enabled && s->max_age_days == 3);
    cr_assert(!emb_lists_config_find(cfg, "opensanctions")->enabled);
    const char *text = "# sources for tests\n"
                       "[defaults]\n"
                       "max_shrink = 0.25\n"
                       "timeout = 60   # whole transfer\n"
                       "\n"
                       "[source us_ofac_sdn]\n"
                       "enabled = no\n"
                       "[source my_list]\n"
                       "url = https://example.org/list.csv\n"
                       "dataset = my_list\n"
                       "max_age_days = 1.5\n"
                       "timeout = 30\n";
    emb_error err;
    cr_assert_eq(emb_lists_config_parse(cfg, text, strlen(text), "t.ini", &err), EMB_OK, "%s",
                 err.msg);
    s = emb_lists_config_find(cfg, "my_list");
    cr_assert_not_null(s);
    cr_assert(s->max_age_days == 1.5 && s->timeout == 30 && s->max_shrink == 0.25);
    cr_assert(emb_lists_config_find(cfg, "un_sc_sanctions")->timeout == 60);
    cr_assert(!emb_lists_config_find(cfg, "us_ofac_sdn")->enabled);

    static const struct {
        const char *text;
        uint64_t line;
        const char *msg;
    } bad[] = {
        {"[source x]\nurl = https://a\nspeed = 3\n", 3, "unknown key 'speed'"},
        {"[sources x]\n", 1, "unknown section"},
        {"url = https://a\n", 1, "outside a section"},
        {"[source x]\nurl = https://a\nmax_shrink = 2\n", 3, "max_shrink"},
        {"[source x]\nurl = https://a\ntimeout = 1.5\n", 3, "whole number"},
        {"[source Bad Name]\n", 1, "source name"},
        {"[source y]\nmax_age_days = 3\n", 0, "has no url"},
        {"[source x]\nurl\n", 2, "KEY = VALUE"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        emb_lists_config_defaults(cfg);
        emb_status st =
            emb_lists_config_parse(cfg, bad[i].text, strlen(bad[i].text), "bad.ini", &err);
        cr_assert_eq(st, EMB_EPARSE, "case %zu accepted", i);
        cr_assert_eq(err.line, bad[i].line, "case %zu: line %llu", i, (unsigned long long)err.line);
        cr_assert(strstr(err.msg, bad[i].msg) != NULL, "case %zu: %s", i, err.msg);
        cr_assert_str_eq(err.source, "bad.ini");
        /* a failed parse leaves the config as it was */
        cr_assert_null(emb_lists_config_find(cfg, "x"));
    }
    free(cfg);
}

/* ---------------------------------------------------------------- update */

Test(update, file_url_same_refused_and_missing)
{
    const char *un = test_data("un/UN_consolidated_2026-02-27.xml");
    char dir[256];
    emb_store *st = store_new(dir, sizeof(dir));
    emb_list_source src;
    memset(&src, 0, sizeof(src));
    snprintf(src.name, sizeof(src.name), "un");
    cr_assert_lt(snprintf(src.url, sizeof(src.url), "file://%s", un), (int)sizeof(src.url));
    src.enabled = 1;
    emb_update_result *res = calloc(1, sizeof(*res));
    emb_error err;
    cr_assert_eq(emb_update_fetch(st, &src, res, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(res->outcome, EMB_UPDATE_PUBLISHED);
    cr_assert_eq(res->version.entities, 1003);
    cr_assert_eq(res->downloaded, res->version.bytes);
    cr_assert_str_eq(res->version.name, "UN_consolidated_2026-02-27.xml");
    cr_assert_eq(emb_update_fetch(st, &src, res, &err), EMB_OK, "%s", err.msg);
    cr_assert_eq(res->outcome, EMB_UPDATE_SAME);
    cr_assert_str_eq(emb_update_outcome_name(res->outcome), "same");

    snprintf(src.url, sizeof(src.url), "http://example.com/consolidated.xml");
    cr_assert_eq(emb_update_fetch(st, &src, res, &err), EMB_EINVAL);
    cr_assert_eq(res->outcome, EMB_UPDATE_FAILED);
    cr_assert(strstr(err.source, "un (http://example.com/consolidated.xml)") != NULL, "%s",
              err.source);

    cr_assert_lt(snprintf(src.url, sizeof(src.url), "file://%s/no-such-list.xml", dir),
                 (int)sizeof(src.url));
    cr_assert_neq(emb_update_fetch(st, &src, res, &err), EMB_OK);
    cr_assert_eq(res->outcome, EMB_UPDATE_FAILED);
    cr_assert(strstr(err.source, "no-such-list.xml") != NULL, "%s", err.source);

    /* nothing but the first version was recorded (the lock between processes is tested by
       tests/lists/update_test.sh: fcntl locks do not exclude their own process) */
    vcount c;
    memset(&c, 0, sizeof(c));
    cr_assert_eq(emb_versions_list(st, "un", count_v, &c, &err), EMB_OK);
    cr_assert_eq(c.n, 1);
    int fd = -1;
    cr_assert_eq(emb_store_lock_update(st, &fd, &err), EMB_OK, "%s", err.msg);
    emb_store_unlock_update(fd);
    free(res);
    emb_store_close(st);
}
