/*
 * Diff of two list versions: both files are parsed completely into memory, each entity's
 * names and attributes become sorted sets, and the two sides are walked in source_id order.
 * Keyed by source_id (the publisher's id), not by dataset, so a list can be compared with a
 * later file of the same list whatever the dataset name given to either.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define DIFF_MAX_ENTITIES ((size_t)50 * 1000 * 1000)

typedef struct dent {
    emb_entity view; /* strings in the side's arena; names and values arrays owned */
    emb_name *names;
    size_t cap_names;
    emb_value *values;
    size_t cap_values;
} dent;

typedef struct side {
    const char *path;
    emb__arena arena;
    emb__map by_id; /* source_id -> index + 1 */
    dent *items;
    size_t n, cap;
    const dent **order; /* sorted by source_id; built once items no longer move */
    emb_status oom;
} side;

static emb_str arena_str(emb__arena *a, emb_str s)
{
    char *p = emb__arena_strndup(a, s.ptr ? s.ptr : "", s.len);
    return emb__str(p, p ? s.len : 0);
}

static int collect(void *ud, const emb_entity *e)
{
    side *sd = ud;
    uint64_t *slot;
    int is_new;
    if (emb__map_put(&sd->by_id, e->source_id.ptr, e->source_id.len, &slot, &is_new) != EMB_OK)
        goto oom;
    dent *d;
    if (is_new) {
        if (emb__grow((void **)&sd->items, &sd->cap, sizeof(dent), sd->n + 1, DIFF_MAX_ENTITIES) !=
            EMB_OK)
            goto oom;
        d = &sd->items[sd->n];
        memset(d, 0, sizeof(*d));
        *slot = ++sd->n;
        d->view.id = arena_str(&sd->arena, e->id);
        d->view.dataset = arena_str(&sd->arena, e->dataset);
        d->view.source_id = arena_str(&sd->arena, e->source_id);
        d->view.caption = arena_str(&sd->arena, e->caption);
        d->view.schema = e->schema;
        d->view.line = e->line;
        if (d->view.id.ptr == NULL || d->view.source_id.ptr == NULL || d->view.caption.ptr == NULL)
            goto oom;
    } else {
        d = &sd->items[*slot - 1];
    }
    size_t nn = d->view.n_names, nv = d->view.n_values;
    if (emb__grow((void **)&d->names, &d->cap_names, sizeof(emb_name), nn + e->n_names + 1,
                  SIZE_MAX / sizeof(emb_name)) != EMB_OK ||
        emb__grow((void **)&d->values, &d->cap_values, sizeof(emb_value), nv + e->n_values + 1,
                  SIZE_MAX / sizeof(emb_value)) != EMB_OK)
        goto oom;
    for (size_t i = 0; i < e->n_names; i++) {
        emb_name *n = &d->names[nn++];
        n->kind = e->names[i].kind;
        n->value = arena_str(&sd->arena, e->names[i].value);
        n->lang = arena_str(&sd->arena, e->names[i].lang);
        if (n->value.ptr == NULL || n->lang.ptr == NULL)
            goto oom;
    }
    for (size_t i = 0; i < e->n_values; i++) {
        emb_value *v = &d->values[nv++];
        v->prop = e->values[i].prop;
        v->value = arena_str(&sd->arena, e->values[i].value);
        v->qualifier = arena_str(&sd->arena, e->values[i].qualifier);
        if (v->value.ptr == NULL || v->qualifier.ptr == NULL)
            goto oom;
    }
    d->view.names = d->names;
    d->view.n_names = nn;
    d->view.values = d->values;
    d->view.n_values = nv;
    return 0;
oom:
    sd->oom = EMB_ENOMEM;
    return 1;
}

static int str_cmp(emb_str a, emb_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

static int all_digits(emb_str s)
{
    if (s.len == 0)
        return 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return 0;
    }
    return 1;
}

/* Numeric ids (OFAC uids) by value, so 999 comes before 1000; others byte-wise. */
static int id_cmp(emb_str a, emb_str b)
{
    if (all_digits(a) && all_digits(b)) {
        while (a.len > 1 && a.ptr[0] == '0')
            a.ptr++, a.len--;
        while (b.len > 1 && b.ptr[0] == '0')
            b.ptr++, b.len--;
        if (a.len != b.len)
            return a.len < b.len ? -1 : 1;
    }
    return str_cmp(a, b);
}

static int name_cmp(const void *pa, const void *pb)
{
    const emb_name *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return str_cmp(a->value, b->value);
}

static int value_cmp(const void *pa, const void *pb)
{
    const emb_value *a = pa, *b = pb;
    if (a->prop != b->prop)
        return a->prop < b->prop ? -1 : 1;
    int c = str_cmp(a->value, b->value);
    return c ? c : str_cmp(a->qualifier, b->qualifier);
}

/* Sort and drop repeats (records merged from several lines repeat values). */
static void canonical(dent *d)
{
    size_t k = 0;
    if (d->view.n_names > 1) {
        qsort(d->names, d->view.n_names, sizeof(emb_name), name_cmp);
        for (size_t i = 0; i < d->view.n_names; i++) {
            if (k == 0 || name_cmp(&d->names[k - 1], &d->names[i]) != 0)
                d->names[k++] = d->names[i];
        }
        d->view.n_names = k;
    }
    k = 0;
    if (d->view.n_values > 1) {
        qsort(d->values, d->view.n_values, sizeof(emb_value), value_cmp);
        for (size_t i = 0; i < d->view.n_values; i++) {
            if (k == 0 || value_cmp(&d->values[k - 1], &d->values[i]) != 0)
                d->values[k++] = d->values[i];
        }
        d->view.n_values = k;
    }
}

static int order_cmp(const void *pa, const void *pb)
{
    const dent *a = *(const dent *const *)pa, *b = *(const dent *const *)pb;
    return id_cmp(a->view.source_id, b->view.source_id);
}

static emb_status load(side *sd, const emb_build_source *src, emb_source_info *info, emb_error *err)
{
    emb_parse_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.dataset = src->dataset;
    emb__map_init(&sd->by_id);
    sd->path = src->path;
    emb_status s = emb_parse_file(src->path, &opts, collect, sd, info, err);
    if (s == EMB_ESTOPPED && sd->oom)
        return emb__err(err, EMB_ENOMEM, "out of memory reading %s", src->path);
    if (s != EMB_OK)
        return s;
    sd->order = emb__malloc((sd->n ? sd->n : 1) * sizeof(const dent *));
    if (sd->order == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    for (size_t i = 0; i < sd->n; i++) {
        canonical(&sd->items[i]);
        sd->order[i] = &sd->items[i];
    }
    qsort((void *)sd->order, sd->n, sizeof(const dent *), order_cmp);
    return EMB_OK;
}

static void side_free(side *sd)
{
    for (size_t i = 0; i < sd->n; i++) {
        emb__free(sd->items[i].names);
        emb__free(sd->items[i].values);
    }
    emb__free(sd->items);
    emb__free((void *)sd->order);
    emb__map_free(&sd->by_id);
    emb__arena_free(&sd->arena);
}

/* Append the one-sided differences of two sorted sets to *out. */
static emb_status diff_fields(const dent *a, const dent *b, emb_diff_field **out, size_t *n,
                              size_t *cap)
{
    size_t i = 0, j = 0;
    while (i < a->view.n_names || j < b->view.n_names) {
        int c = i == a->view.n_names   ? 1
                : j == b->view.n_names ? -1
                                       : name_cmp(&a->names[i], &b->names[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        if (emb__grow((void **)out, cap, sizeof(emb_diff_field), *n + 1, SIZE_MAX / 64) != EMB_OK)
            return EMB_ENOMEM;
        const emb_name *nm = c < 0 ? &a->names[i++] : &b->names[j++];
        emb_diff_field *f = &(*out)[(*n)++];
        f->field = emb_name_kind_name(nm->kind);
        f->value = nm->value;
        f->qualifier = emb__str("", 0);
        f->added = c > 0;
    }
    i = j = 0;
    while (i < a->view.n_values || j < b->view.n_values) {
        int c = i == a->view.n_values   ? 1
                : j == b->view.n_values ? -1
                                        : value_cmp(&a->values[i], &b->values[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        if (emb__grow((void **)out, cap, sizeof(emb_diff_field), *n + 1, SIZE_MAX / 64) != EMB_OK)
            return EMB_ENOMEM;
        const emb_value *v = c < 0 ? &a->values[i++] : &b->values[j++];
        emb_diff_field *f = &(*out)[(*n)++];
        f->field = emb_prop_name(v->prop);
        f->value = v->value;
        f->qualifier = v->qualifier;
        f->added = c > 0;
    }
    return EMB_OK;
}

static emb_status walk(side *o, side *w, emb_diff_fn fn, void *ud, emb_diff_stats *st,
                       emb_error *err)
{
    emb_diff_field *fields = NULL;
    size_t cap = 0;
    size_t i = 0, j = 0;
    emb_status s = EMB_OK;
    while (i < o->n || j < w->n) {
        const dent *a = i < o->n ? o->order[i] : NULL;
        const dent *b = j < w->n ? w->order[j] : NULL;
        int c = a == NULL ? 1 : b == NULL ? -1 : id_cmp(a->view.source_id, b->view.source_id);
        emb_diff_change ch;
        memset(&ch, 0, sizeof(ch));
        if (c < 0) {
            ch.kind = EMB_DIFF_REMOVED;
            ch.source_id = a->view.source_id;
            ch.old_entity = &a->view;
            st->removed++;
            i++;
        } else if (c > 0) {
            ch.kind = EMB_DIFF_ADDED;
            ch.source_id = b->view.source_id;
            ch.new_entity = &b->view;
            st->added++;
            j++;
        } else {
            size_t n = 0;
            if (a->view.schema != b->view.schema) {
                if (emb__grow((void **)&fields, &cap, sizeof(*fields), 2, 64) != EMB_OK) {
                    s = emb__err(err, EMB_ENOMEM, "out of memory");
                    break;
                }
                const char *sa = emb_schema_name(a->view.schema);
                const char *sb = emb_schema_name(b->view.schema);
                fields[0] = (emb_diff_field){"schema", emb__str_cstr(sa), emb__str("", 0), 0};
                fields[1] = (emb_diff_field){"schema", emb__str_cstr(sb), emb__str("", 0), 1};
                n = 2;
            }
            if (diff_fields(a, b, &fields, &n, &cap) != EMB_OK) {
                s = emb__err(err, EMB_ENOMEM, "out of memory");
                break;
            }
            i++, j++;
            if (n == 0) {
                st->unchanged++;
                continue;
            }
            ch.kind = EMB_DIFF_CHANGED;
            ch.source_id = a->view.source_id;
            ch.old_entity = &a->view;
            ch.new_entity = &b->view;
            ch.fields = fields;
            ch.n_fields = n;
            st->changed++;
        }
        if (fn != NULL && fn(ud, &ch) != 0) {
            s = emb__err(err, EMB_ESTOPPED, "stopped by the caller");
            break;
        }
    }
    emb__free(fields);
    return s;
}

emb_status emb_diff_files(const emb_build_source *old_src, const emb_build_source *new_src,
                          emb_diff_fn on_change, void *ud, emb_diff_stats *stats, emb_error *err)
{
    emb__err_clear(err);
    if (old_src == NULL || new_src == NULL || old_src->path == NULL || new_src->path == NULL)
        return emb__err(err, EMB_EINVAL, "diff: two list files are required");
    side o, w;
    memset(&o, 0, sizeof(o));
    memset(&w, 0, sizeof(w));
    emb_diff_stats st;
    memset(&st, 0, sizeof(st));
    emb_status s = load(&o, old_src, &st.old_info, err);
    if (s == EMB_OK)
        s = load(&w, new_src, &st.new_info, err);
    if (s == EMB_OK) {
        st.old_entities = o.n;
        st.new_entities = w.n;
        s = walk(&o, &w, on_change, ud, &st, err);
    }
    if (s == EMB_OK && stats != NULL)
        *stats = st;
    side_free(&o);
    side_free(&w);
    return s;
}
