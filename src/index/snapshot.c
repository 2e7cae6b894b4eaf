/*
 * Snapshot reader. open = mmap + validation of everything a reader will ever follow: header,
 * file size (a truncated download is refused), section bounds and checksums, and every
 * string reference and index range in every record. After that, accessors need no checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "../unicode/metaphone.h"
#include "index.h"

static const char *map_sections(emb_index *idx);

static emb_status corrupt(emb_error *err, const char *path, const char *what)
{
    emb__err(err, EMB_ECORRUPT, "not a valid snapshot: %s", what);
    emb__err_at(err, path, 0, 0, UINT64_MAX);
    return EMB_ECORRUPT;
}

static int sref_ok(const emb_index *idx, emb__sref r)
{
    return (uint64_t)r.off + r.len <= idx->strings_len;
}

static int range_ok(uint32_t first, uint32_t n, size_t total)
{
    return (uint64_t)first + n <= total;
}

static int text_cmp(const emb_index *idx, emb__sref a, emb_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(idx->strings + a.off, b.ptr, n) : 0;
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* Keys strictly sorted, each list exactly filling its byte range with df ascending name
 * indices: after this, a reader decodes postings without checks. */
static const char *check_postings(const emb_index *idx)
{
    if (idx->n_keys == 0)
        return idx->postings_len == 0 ? NULL : "postings without keys";
    if (idx->keys[0].post_off != 0)
        return "postings do not start at the section start";
    const uint8_t *end_all = idx->postings + idx->postings_len;
    for (size_t k = 0; k < idx->n_keys; k++) {
        const emb__snap_key *key = &idx->keys[k];
        if (!sref_ok(idx, key->text) || key->text.len < 3 || key->text.len > EMB__KEY_MAX_LEN)
            return "key text out of range";
        if (k > 0 && text_cmp(idx, idx->keys[k - 1].text, emb__snap_str(idx, key->text)) >= 0)
            return "key dictionary not sorted";
        size_t to = k + 1 < idx->n_keys ? idx->keys[k + 1].post_off : idx->postings_len;
        if (key->post_off > to || to > idx->postings_len || key->df == 0 ||
            key->df > idx->n_names)
            return "key postings out of range";
        const uint8_t *p = idx->postings + key->post_off, *end = idx->postings + to;
        uint64_t name = 0;
        for (uint32_t i = 0; i < key->df; i++) {
            uint32_t v;
            p = emb__varint_get(p, end, &v);
            if (p == NULL || (i > 0 && v == 0))
                return "key postings malformed";
            name = i == 0 ? v : name + v;
            if (name >= idx->n_names)
                return "key postings name out of range";
        }
        if (p != end || end > end_all)
            return "key postings length mismatch";
    }
    return NULL;
}

/* Each name's layout: within OPTS, token text within the name's own forms, runs within its
 * tokens, weights finite. The scorer then reads it without checks. */
static const char *check_sides(const emb_index *idx)
{
    for (size_t i = 0; i < idx->n_names; i++) {
        const emb__snap_side *sd = &idx->sides[i];
        const emb__snap_name *nm = &idx->names[i];
        if (!range_ok(sd->first_opt, sd->n_opts, idx->n_opts) || sd->n_base > sd->n_opts ||
            sd->n_opts > EMB__SIDE_MAX)
            return "name layout out of range";
        for (size_t k = 0; k < sd->n_opts; k++) {
            const emb__snap_opt *o = &idx->opts[sd->first_opt + k];
            uint32_t in = o->alt ? nm->alt.len : nm->folded.len;
            int base = k < sd->n_base;
            if (o->len == 0 || (uint32_t)o->off + o->len > in || o->alt == base || o->alt > 1 ||
                o->kind >= EMB__TOK_KIND_MAX_ || o->count == 0 ||
                (unsigned)o->first + o->count > sd->n_base ||
                (base && (o->first != k || o->count != 1)) ||
                !(o->weight >= 0.0f && o->weight <= 64.0f))
                return "name layout record out of range";
        }
    }
    return NULL;
}

static const char *check_records(const emb_index *idx)
{
    for (size_t i = 0; i < idx->n_entities; i++) {
        const emb__snap_entity *e = &idx->entities[i];
        if (!sref_ok(idx, e->id) || !sref_ok(idx, e->dataset) || !sref_ok(idx, e->source_id) ||
            !sref_ok(idx, e->caption) || e->id.len == 0)
            return "entity text out of range";
        if (e->schema == 0 || e->schema >= EMB_SCHEMA_MAX_)
            return "entity schema out of range";
        if (!range_ok(e->first_name, e->n_names, idx->n_names) || e->n_names == 0 ||
            !range_ok(e->first_value, e->n_values, idx->n_values))
            return "entity name or value range out of bounds";
    }
    for (size_t i = 0; i < idx->n_names; i++) {
        const emb__snap_name *n = &idx->names[i];
        if (!sref_ok(idx, n->value) || !sref_ok(idx, n->lang) || !sref_ok(idx, n->folded) ||
            !sref_ok(idx, n->alt) ||
            n->kind >= EMB_NAME_KIND_MAX_ || n->entity >= idx->n_entities)
            return "name record out of range";
    }
    for (size_t i = 0; i < idx->n_values; i++) {
        const emb__snap_value *v = &idx->values[i];
        if (!sref_ok(idx, v->value) || !sref_ok(idx, v->qualifier) || v->prop >= EMB_PROP_MAX_)
            return "value record out of range";
    }
    for (size_t i = 0; i < idx->n_sources; i++) {
        const emb__snap_source *s = &idx->sources[i];
        if (!sref_ok(idx, s->file) || !sref_ok(idx, s->dataset) || !sref_ok(idx, s->published) ||
            !sref_ok(idx, s->sha256) || s->format >= EMB_FORMAT_MAX_)
            return "source record out of range";
    }
    if (!sref_ok(idx, idx->meta->built_at) || !sref_ok(idx, idx->meta->version))
        return "meta record out of range";
    for (size_t i = 0; i < idx->n_entities; i++) {
        if (idx->id_order[i] >= idx->n_entities)
            return "id index out of range";
    }
    for (size_t i = 0; i < idx->n_tokens; i++) {
        if (!sref_ok(idx, idx->tokens[i].text))
            return "token record out of range";
    }
    const char *why = check_sides(idx);
    return why ? why : check_postings(idx);
}

const char *emb__index_attach(emb_index *idx, const void *data, size_t len)
{
    idx->map = NULL;
    idx->map_len = len;
    idx->base = data;
    return map_sections(idx);
}

static const char *map_sections(emb_index *idx)
{
    const char *base = idx->base;
    const emb__snap_header *h = (const void *)base;
    if (idx->map_len < sizeof(*h) || memcmp(h->magic, EMB__SNAP_MAGIC, 8) != 0)
        return "bad magic (not an embargo snapshot)";
    if (h->version != EMB__SNAP_VERSION)
        return "unsupported snapshot version";
    if (h->file_size != idx->map_len)
        return "file size differs from the header (truncated or extended file)";
    if (h->n_sections < EMB__SEC_COUNT_ || h->n_sections > EMB__SNAP_MAX_SECTIONS)
        return "bad section count";
    size_t table_len = h->n_sections * sizeof(emb__snap_section);
    if (sizeof(*h) + table_len > idx->map_len)
        return "section table past the end of the file";
    const emb__snap_section *t = (const void *)(base + sizeof(*h));
    if (XXH3_64bits(t, table_len) != h->table_hash)
        return "section table checksum mismatch";
    const void *sec[EMB__SEC_COUNT_ + 1] = {0};
    uint64_t len[EMB__SEC_COUNT_ + 1] = {0};
    for (uint32_t i = 0; i < h->n_sections; i++) {
        if (t[i].offset % 8 != 0 || t[i].offset > idx->map_len ||
            t[i].length > idx->map_len - t[i].offset)
            return "section out of the file's bounds";
        if (XXH3_64bits(base + t[i].offset, (size_t)t[i].length) != t[i].hash)
            return "section checksum mismatch (corrupt file)";
        if (t[i].id >= 1 && t[i].id <= EMB__SEC_COUNT_) {
            sec[t[i].id] = base + t[i].offset;
            len[t[i].id] = t[i].length;
        }
    }
    for (int i = 1; i <= EMB__SEC_COUNT_; i++) {
        if (sec[i] == NULL)
            return "a required section is missing";
    }
    if (len[EMB__SEC_ENTITIES] % sizeof(emb__snap_entity) ||
        len[EMB__SEC_NAMES] % sizeof(emb__snap_name) ||
        len[EMB__SEC_VALUES] % sizeof(emb__snap_value) ||
        len[EMB__SEC_SOURCES] % sizeof(emb__snap_source) ||
        len[EMB__SEC_META] != sizeof(emb__snap_meta) ||
        len[EMB__SEC_ID_ORDER] != len[EMB__SEC_ENTITIES] / sizeof(emb__snap_entity) * 4 ||
        len[EMB__SEC_TOKENS] % sizeof(emb__snap_token) ||
        len[EMB__SEC_KEYS] % sizeof(emb__snap_key) || len[EMB__SEC_POSTINGS] > UINT32_MAX ||
        len[EMB__SEC_SIDES] != len[EMB__SEC_NAMES] / sizeof(emb__snap_name) * sizeof(emb__snap_side) ||
        len[EMB__SEC_OPTS] % sizeof(emb__snap_opt) || len[EMB__SEC_OPTS] / sizeof(emb__snap_opt) > UINT32_MAX)
        return "section sizes do not match their records";
    idx->strings = sec[EMB__SEC_STRINGS];
    idx->strings_len = (size_t)len[EMB__SEC_STRINGS];
    idx->entities = sec[EMB__SEC_ENTITIES];
    idx->n_entities = (size_t)(len[EMB__SEC_ENTITIES] / sizeof(emb__snap_entity));
    idx->names = sec[EMB__SEC_NAMES];
    idx->n_names = (size_t)(len[EMB__SEC_NAMES] / sizeof(emb__snap_name));
    idx->values = sec[EMB__SEC_VALUES];
    idx->n_values = (size_t)(len[EMB__SEC_VALUES] / sizeof(emb__snap_value));
    idx->sources = sec[EMB__SEC_SOURCES];
    idx->n_sources = (size_t)(len[EMB__SEC_SOURCES] / sizeof(emb__snap_source));
    idx->meta = sec[EMB__SEC_META];
    idx->id_order = sec[EMB__SEC_ID_ORDER];
    idx->tokens = sec[EMB__SEC_TOKENS];
    idx->n_tokens = (size_t)(len[EMB__SEC_TOKENS] / sizeof(emb__snap_token));
    idx->keys = sec[EMB__SEC_KEYS];
    idx->n_keys = (size_t)(len[EMB__SEC_KEYS] / sizeof(emb__snap_key));
    idx->postings = sec[EMB__SEC_POSTINGS];
    idx->postings_len = (size_t)len[EMB__SEC_POSTINGS];
    idx->sides = sec[EMB__SEC_SIDES];
    idx->opts = sec[EMB__SEC_OPTS];
    idx->n_opts = (size_t)(len[EMB__SEC_OPTS] / sizeof(emb__snap_opt));
    snprintf(idx->hash, sizeof(idx->hash), "%016llx", (unsigned long long)h->table_hash);
    return check_records(idx);
}

emb_status emb_index_open(const char *path, emb_index **out, emb_error *err)
{
    emb__err_clear(err);
    if (path == NULL || out == NULL)
        return emb__err(err, EMB_EINVAL, "no snapshot path");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        emb_status rc = errno == ENOENT ? EMB_ENOTFOUND : EMB_EIO;
        emb__err(err, rc, "cannot open snapshot: %s", strerror(errno));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return rc;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return corrupt(err, path, "empty file");
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        emb__err(err, EMB_EIO, "cannot map snapshot: %s", strerror(errno));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    emb_index *idx = emb__calloc(1, sizeof(*idx));
    if (idx == NULL) {
        munmap(map, (size_t)st.st_size);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    idx->map = map;
    idx->map_len = (size_t)st.st_size;
    idx->base = map;
    const char *why = map_sections(idx);
    if (why != NULL) {
        emb_index_close(idx);
        return corrupt(err, path, why);
    }
    *out = idx;
    return EMB_OK;
}

void emb_index_close(emb_index *idx)
{
    if (idx == NULL)
        return;
    if (idx->map != NULL)
        munmap(idx->map, idx->map_len);
    emb__free(idx);
}

size_t emb_index_entity_count(const emb_index *idx)
{
    return idx->n_entities;
}

size_t emb_index_source_count(const emb_index *idx)
{
    return idx->n_sources;
}

emb_status emb_index_source(const emb_index *idx, size_t i, emb_source_meta *out)
{
    if (i >= idx->n_sources)
        return EMB_EINVAL;
    const emb__snap_source *s = &idx->sources[i];
    out->file = emb__snap_str(idx, s->file);
    out->dataset = emb__snap_str(idx, s->dataset);
    out->published = emb__snap_str(idx, s->published);
    out->sha256 = emb__snap_str(idx, s->sha256);
    out->format = (emb_format)s->format;
    out->entities = s->entities;
    return EMB_OK;
}

emb_str emb_index_built_at(const emb_index *idx)
{
    return emb__snap_str(idx, idx->meta->built_at);
}

emb_str emb_index_hash(const emb_index *idx)
{
    return emb__str(idx->hash, 16);
}

emb_status emb_ctx_new(emb_ctx **out)
{
    emb_ctx *c = emb__calloc(1, sizeof(*c));
    if (c == NULL)
        return EMB_ENOMEM;
    emb__buf_init(&c->keytext, EMB_LIMIT_FIELD_BYTES);
    emb__buf_init(&c->expl_text, EMB_LIMIT_FIELD_BYTES);
    emb__nname_init(&c->name);
    emb__nname_init(&c->name2);
    *out = c;
    return EMB_OK;
}

emb_status emb__ctx_normalizer(emb_ctx *ctx, emb__normalizer **out)
{
    if (ctx->nz == NULL) {
        /* a bounded cache: a query stream repeats its non-Latin names */
        emb_status rc = emb__normalizer_new(4096, &ctx->nz);
        if (rc != EMB_OK)
            return rc;
    }
    *out = ctx->nz;
    return EMB_OK;
}

void emb_ctx_translit_stats(const emb_ctx *ctx, uint64_t *hits, uint64_t *misses)
{
    *hits = *misses = 0;
    if (ctx->nz != NULL)
        emb__normalizer_stats(ctx->nz, hits, misses);
}

void emb_ctx_free(emb_ctx *c)
{
    if (c == NULL)
        return;
    emb__free(c->names);
    emb__free(c->values);
    emb__free(c->results);
    emb__buf_free(&c->keytext);
    emb__buf_free(&c->expl_text);
    emb__free(c->expl);
    emb__free(c->scratch);
    emb__nname_free(&c->name);
    emb__nname_free(&c->name2);
    emb__normalizer_free(c->nz);
    emb__free(c->tokens);
    emb__free(c->keys);
    emb__free(c->acc);
    emb__free(c->gacc);
    emb__free(c->gtouched);
    emb__free(c->touched);
    emb__free(c->qkeys);
    emb__free(c->heap);
    emb__free(c->cands);
    emb__free(c);
}

emb_status emb_index_entity(const emb_index *idx, emb_ctx *ctx, size_t i, emb_entity *out)
{
    if (i >= idx->n_entities)
        return EMB_EINVAL;
    const emb__snap_entity *e = &idx->entities[i];
    if (emb__grow((void **)&ctx->names, &ctx->cap_names, sizeof(emb_name), e->n_names,
                  EMB_LIMIT_NAMES * 16u) != EMB_OK ||
        emb__grow((void **)&ctx->values, &ctx->cap_values, sizeof(emb_value),
                  e->n_values ? e->n_values : 1, EMB_LIMIT_VALUES * 16u) != EMB_OK)
        return EMB_ENOMEM;
    for (uint32_t k = 0; k < e->n_names; k++) {
        const emb__snap_name *n = &idx->names[e->first_name + k];
        ctx->names[k].value = emb__snap_str(idx, n->value);
        ctx->names[k].lang = emb__snap_str(idx, n->lang);
        ctx->names[k].kind = (emb_name_kind)n->kind;
    }
    for (uint32_t k = 0; k < e->n_values; k++) {
        const emb__snap_value *v = &idx->values[e->first_value + k];
        ctx->values[k].prop = (emb_prop)v->prop;
        ctx->values[k].value = emb__snap_str(idx, v->value);
        ctx->values[k].qualifier = emb__snap_str(idx, v->qualifier);
    }
    memset(out, 0, sizeof(*out));
    out->id = emb__snap_str(idx, e->id);
    out->dataset = emb__snap_str(idx, e->dataset);
    out->source_id = emb__snap_str(idx, e->source_id);
    out->caption = emb__snap_str(idx, e->caption);
    out->schema = (emb_schema)e->schema;
    out->names = ctx->names;
    out->n_names = e->n_names;
    out->values = ctx->values;
    out->n_values = e->n_values;
    out->line = e->line;
    return EMB_OK;
}

emb_status emb_index_find(const emb_index *idx, const char *id, size_t len, size_t *i)
{
    size_t lo = 0, hi = idx->n_entities;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        emb_str s = emb__snap_str(idx, idx->entities[idx->id_order[mid]].id);
        size_t n = s.len < len ? s.len : len;
        int c = memcmp(s.ptr, id, n);
        if (c == 0)
            c = (s.len > len) - (s.len < len);
        if (c == 0) {
            *i = idx->id_order[mid];
            return EMB_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return EMB_ENOTFOUND;
}

uint32_t emb__token_df(const emb_index *idx, emb_str token)
{
    size_t lo = 0, hi = idx->n_tokens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        emb_str s = emb__snap_str(idx, idx->tokens[mid].text);
        size_t n = s.len < token.len ? s.len : token.len;
        int c = memcmp(s.ptr, token.ptr, n);
        if (c == 0)
            c = (s.len > token.len) - (s.len < token.len);
        if (c == 0)
            return idx->tokens[mid].df;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

size_t emb__key_find(const emb_index *idx, emb_str key)
{
    size_t lo = 0, hi = idx->n_keys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = text_cmp(idx, idx->keys[mid].text, key);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

emb_status emb__join_keys(const emb__nname *n, emb__key_fn fn, void *ud)
{
    emb_status rc = EMB_OK;
    for (size_t i = 0; i + 1 < n->n_toks && rc == EMB_OK; i++) {
        char join[64];
        size_t len = 0;
        for (size_t k = i; k < n->n_toks && k < i + 3 && rc == EMB_OK; k++) {
            const emb__tok *t = &n->toks[k];
            /* the scorer joins words and initials only, never numbers or legal forms */
            if ((t->flags & EMB__TOKF_JOINED) ||
                (t->kind != EMB__TOK_WORD && t->kind != EMB__TOK_INITIAL) ||
                len + t->len >= sizeof(join))
                break;
            memcpy(join + len, n->text.ptr + t->off, t->len);
            len += t->len;
            if (k == i)
                continue;
            emb_str j = emb__str(join, len);
            char pri[EMB__METAPHONE_MAX + 1], alt[EMB__METAPHONE_MAX + 1], sk[80];
            rc = fn(ud, EMB__KEY_TOKEN, j);
            if (rc == EMB_OK && emb__double_metaphone(j, pri, alt) > 0) {
                rc = fn(ud, EMB__KEY_PHONETIC, emb__str_cstr(pri));
                if (rc == EMB_OK && strcmp(pri, alt) != 0)
                    rc = fn(ud, EMB__KEY_PHONETIC, emb__str_cstr(alt));
            }
            if (rc == EMB_OK && emb__skeleton(j, sk, sizeof(sk)) > 0)
                rc = fn(ud, EMB__KEY_SKELETON, emb__str_cstr(sk));
        }
    }
    return rc;
}
