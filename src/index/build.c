/*
 * Snapshot builder: parses every source, merges records that share an entity id, normalises
 * every name once (transliteration included, so screening never transliterates list names),
 * and writes the immutable file: temporary
 * name beside the target, fsync, rename, fsync of the folder. Either the whole build succeeds
 * or the target is left as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "../unicode/unicode.h"
#include "index.h"

#define NO_NEXT UINT32_MAX
#define STRINGS_MAX ((size_t)UINT32_MAX)
#define INTERN_MAX_LEN 96 /* shorter strings (datasets, kinds, codes) are stored once */

typedef struct {
    emb__snap_name rec;
    uint32_t next;
    uint32_t n_keys; /* its key ids in builder.name_keys, after those of earlier names */
} bname;

typedef struct {
    emb__snap_value rec;
    uint32_t next;
} bvalue;

typedef struct {
    emb__snap_entity rec;
    uint32_t name_head, name_tail, value_head, value_tail;
} bentity;

typedef struct {
    emb__buf strings;
    emb__map intern;
    emb__map ids;
    bentity *ents;
    size_t n_ents, cap_ents;
    bname *names;
    size_t n_names, cap_names;
    bvalue *values;
    size_t n_values, cap_values;
    emb__snap_source *sources;
    size_t n_sources, cap_sources;
    emb__normalizer *nz; /* one for the build: the transliteration cache spans all sources */
    emb__nname norm;
    emb__buf alt;
    emb__map df;         /* token -> names holding it */
    emb__map keymap;     /* kind-prefixed match key -> key id */
    uint32_t *key_df;    /* per key id: names holding it */
    size_t n_keyids, cap_key_df;
    uint32_t *name_keys; /* key ids of every name, in the order names were added */
    size_t n_name_keys, cap_name_keys;
    emb_build_stats *stats;
    emb_error *err;
    emb_status fail; /* set by the entity callback */
} builder;

static emb_status add_string(builder *b, emb_str s, emb__sref *out)
{
    uint64_t *slot = NULL;
    int is_new = 1;
    if (s.len <= INTERN_MAX_LEN) {
        emb_status rc = emb__map_put(&b->intern, s.ptr ? s.ptr : "", s.len, &slot, &is_new);
        if (rc != EMB_OK)
            return rc;
        if (!is_new) {
            out->off = (uint32_t)(*slot >> 32);
            out->len = (uint32_t)s.len;
            return EMB_OK;
        }
    }
    if (b->strings.len + s.len > STRINGS_MAX)
        return EMB_ELIMIT;
    out->off = (uint32_t)b->strings.len;
    out->len = (uint32_t)s.len;
    emb_status rc = emb__buf_append(&b->strings, s.ptr ? s.ptr : "", s.len);
    if (rc == EMB_OK && slot != NULL)
        *slot = (uint64_t)out->off << 32;
    return rc;
}

static int same_str(const builder *b, emb__sref r, emb_str s)
{
    return r.len == s.len && (s.len == 0 || memcmp(b->strings.ptr + r.off, s.ptr, s.len) == 0);
}

/* Count each distinct token of the normalised name once (document frequency for IDF) and
 * gather its alternative spellings into b->alt. */
static emb_status count_tokens(builder *b)
{
    const emb__nname *nm = &b->norm;
    emb__buf_reset(&b->alt);
    emb_status rc = emb__buf_append(&b->alt, "", 0);
    for (size_t i = 0; i < nm->n_toks && rc == EMB_OK; i++) {
        emb_str t = emb__nname_tok(nm, i);
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = emb__str_eq(emb__nname_tok(nm, k), t);
        if (seen)
            continue;
        uint64_t *slot;
        rc = emb__map_put(&b->df, t.ptr, t.len, &slot, NULL);
        if (rc == EMB_OK)
            (*slot)++;
        if (rc == EMB_OK && (nm->toks[i].flags & EMB__TOKF_JOINED)) {
            if (b->alt.len > 0)
                rc = emb__buf_putc(&b->alt, ' ');
            if (rc == EMB_OK)
                rc = emb__buf_append(&b->alt, t.ptr, t.len);
        }
    }
    return rc;
}

/* Key kinds that get postings, by their prefix. Initials and scripts are too common to
 * select candidates; trigrams find the typos the other keys miss. */
char emb__key_prefix(emb__key_kind kind)
{
    switch (kind) {
    case EMB__KEY_TOKEN:
    case EMB__KEY_JOINED: /* the scorer lets a joined form stand for a token: one namespace */
        return 't';
    case EMB__KEY_PHONETIC:
        return 'p';
    case EMB__KEY_SKELETON:
        return 's';
    case EMB__KEY_ORIGINAL:
        return 'o';
    case EMB__KEY_NGRAM:
        return 'g';
    default:
        return 0;
    }
}

static emb_status collect_prefixed(builder *b, char prefix, emb_str key)
{
    if (prefix == 0 || key.len + 2 > EMB__KEY_MAX_LEN)
        return EMB_OK;
    char text[EMB__KEY_MAX_LEN];
    text[0] = prefix;
    text[1] = ':';
    memcpy(text + 2, key.ptr, key.len);
    uint64_t *slot;
    int is_new = 0;
    emb_status rc = emb__map_put(&b->keymap, text, key.len + 2, &slot, &is_new);
    if (rc != EMB_OK)
        return rc;
    if (is_new) {
        rc = emb__grow((void **)&b->key_df, &b->cap_key_df, sizeof(uint32_t), b->n_keyids + 1,
                       UINT32_MAX - 1);
        if (rc != EMB_OK)
            return rc;
        *slot = b->n_keyids;
        b->key_df[b->n_keyids++] = 0;
    }
    rc = emb__grow((void **)&b->name_keys, &b->cap_name_keys, sizeof(uint32_t),
                   b->n_name_keys + 1, SIZE_MAX / sizeof(uint32_t));
    if (rc == EMB_OK)
        b->name_keys[b->n_name_keys++] = (uint32_t)*slot;
    return rc;
}

static emb_status collect_key(void *ud, emb__key_kind kind, emb_str key)
{
    return collect_prefixed(ud, emb__key_prefix(kind), key);
}

/* Words without vowels (Arabic and Hebrew transliterations: "mhmd", "nkk") meet a Latin
 * spelling on their consonants alone, however few: their skeletons get keys of their own. */
static emb_status collect_vowelless(builder *b)
{
    const emb__nname *nm = &b->norm;
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < nm->n_toks && rc == EMB_OK; i++) {
        emb_str t = emb__nname_tok(nm, i);
        if (nm->toks[i].kind != EMB__TOK_WORD || (nm->toks[i].flags & EMB__TOKF_JOINED) ||
            !emb__vowelless(t))
            continue;
        char sk[80];
        size_t n = emb__skeleton(t, sk, sizeof(sk));
        if (n > 0)
            rc = collect_prefixed(b, 'v', emb__str(sk, n));
    }
    return rc;
}

/* The keys of the normalised name in b->norm, each once (a token and a joined form may
 * share a key); returns how many. */
static emb_status collect_keys(builder *b, uint32_t *n_out)
{
    size_t from = b->n_name_keys;
    emb_status rc = emb__name_keys(&b->norm, collect_key, b);
    if (rc == EMB_OK)
        rc = emb__join_keys(&b->norm, collect_key, b);
    if (rc == EMB_OK)
        rc = collect_vowelless(b);
    if (rc != EMB_OK)
        return rc;
    uint32_t *k = b->name_keys + from;
    size_t n = b->n_name_keys - from, m = 0;
    /* insertion sort: a name has a few dozen keys */
    for (size_t i = 1; i < n; i++) {
        uint32_t v = k[i];
        size_t j = i;
        for (; j > 0 && k[j - 1] > v; j--)
            k[j] = k[j - 1];
        k[j] = v;
    }
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && k[m - 1] == k[i])
            continue;
        k[m++] = k[i];
        b->key_df[k[i]]++;
    }
    b->n_name_keys = from + m;
    *n_out = (uint32_t)m;
    return EMB_OK;
}

static emb_status add_name(builder *b, bentity *e, uint32_t ent, const emb_name *n, int check_dup)
{
    if (check_dup) {
        for (uint32_t k = e->name_head; k != NO_NEXT; k = b->names[k].next) {
            if (same_str(b, b->names[k].rec.value, n->value))
                return EMB_OK;
        }
    }
    emb_status rc = emb__grow((void **)&b->names, &b->cap_names, sizeof(bname), b->n_names + 1,
                              UINT32_MAX - 1);
    if (rc != EMB_OK)
        return rc;
    bname *bn = &b->names[b->n_names];
    memset(bn, 0, sizeof(*bn));
    rc = emb__normalize(b->nz, n->value, &b->norm, b->err);
    if (rc == EMB_OK)
        rc = count_tokens(b);
    if (rc == EMB_OK)
        rc = collect_keys(b, &bn->n_keys);
    if (rc == EMB_OK)
        rc = add_string(b, n->value, &bn->rec.value);
    if (rc == EMB_OK)
        rc = add_string(b, n->lang, &bn->rec.lang);
    if (rc == EMB_OK)
        rc = add_string(b, emb__str(b->norm.compare.ptr ? b->norm.compare.ptr : "",
                                    b->norm.compare.len),
                        &bn->rec.folded);
    if (rc == EMB_OK)
        rc = add_string(b, emb__str(b->alt.ptr ? b->alt.ptr : "", b->alt.len), &bn->rec.alt);
    if (rc != EMB_OK)
        return rc;
    bn->rec.kind = (uint32_t)n->kind;
    bn->rec.entity = ent;
    bn->next = NO_NEXT;
    uint32_t idx = (uint32_t)b->n_names++;
    if (e->name_head == NO_NEXT)
        e->name_head = idx;
    else
        b->names[e->name_tail].next = idx;
    e->name_tail = idx;
    e->rec.n_names++;
    return EMB_OK;
}

static emb_status add_value(builder *b, bentity *e, const emb_value *v, int check_dup)
{
    if (check_dup) {
        for (uint32_t k = e->value_head; k != NO_NEXT; k = b->values[k].next) {
            const emb__snap_value *x = &b->values[k].rec;
            if (x->prop == (uint32_t)v->prop && same_str(b, x->value, v->value) &&
                same_str(b, x->qualifier, v->qualifier))
                return EMB_OK;
        }
    }
    emb_status rc = emb__grow((void **)&b->values, &b->cap_values, sizeof(bvalue),
                              b->n_values + 1, UINT32_MAX - 1);
    if (rc != EMB_OK)
        return rc;
    bvalue *bv = &b->values[b->n_values];
    memset(bv, 0, sizeof(*bv));
    rc = add_string(b, v->value, &bv->rec.value);
    if (rc == EMB_OK)
        rc = add_string(b, v->qualifier, &bv->rec.qualifier);
    if (rc != EMB_OK)
        return rc;
    bv->rec.prop = (uint32_t)v->prop;
    bv->next = NO_NEXT;
    uint32_t idx = (uint32_t)b->n_values++;
    if (e->value_head == NO_NEXT)
        e->value_head = idx;
    else
        b->values[e->value_tail].next = idx;
    e->value_tail = idx;
    e->rec.n_values++;
    return EMB_OK;
}

static emb_status take_entity(builder *b, const emb_entity *in)
{
    uint64_t *slot;
    int is_new = 0;
    emb_status rc = emb__map_put(&b->ids, in->id.ptr, in->id.len, &slot, &is_new);
    if (rc != EMB_OK)
        return rc;
    uint32_t ent;
    if (is_new) {
        rc = emb__grow((void **)&b->ents, &b->cap_ents, sizeof(bentity), b->n_ents + 1,
                       UINT32_MAX - 1);
        if (rc != EMB_OK)
            return rc;
        ent = (uint32_t)b->n_ents++;
        *slot = ent;
        bentity *e = &b->ents[ent];
        memset(e, 0, sizeof(*e));
        e->name_head = e->name_tail = e->value_head = e->value_tail = NO_NEXT;
        e->rec.schema = (uint32_t)in->schema;
        e->rec.line = in->line;
        rc = add_string(b, in->id, &e->rec.id);
        if (rc == EMB_OK)
            rc = add_string(b, in->dataset, &e->rec.dataset);
        if (rc == EMB_OK)
            rc = add_string(b, in->source_id, &e->rec.source_id);
        if (rc == EMB_OK)
            rc = add_string(b, in->caption, &e->rec.caption);
        if (rc != EMB_OK)
            return rc;
    } else {
        /* one entity published in several rows (programmes, annexes): one entity, all facts */
        ent = (uint32_t)*slot;
        b->stats->merged++;
        bentity *e = &b->ents[ent];
        if (in->schema != (emb_schema)e->rec.schema &&
            emb_schema_is_a(in->schema, (emb_schema)e->rec.schema))
            e->rec.schema = (uint32_t)in->schema; /* keep the more specific schema */
    }
    for (size_t i = 0; i < in->n_names && rc == EMB_OK; i++)
        rc = add_name(b, &b->ents[ent], ent, &in->names[i], !is_new);
    for (size_t i = 0; i < in->n_values && rc == EMB_OK; i++)
        rc = add_value(b, &b->ents[ent], &in->values[i], !is_new);
    return rc;
}

static int on_entity(void *ud, const emb_entity *e)
{
    builder *b = ud;
    emb_status rc = take_entity(b, e);
    if (rc == EMB_OK)
        return 0;
    b->fail = rc;
    if (b->err == NULL || b->err->code != rc || b->err->msg[0] == '\0')
        emb__err(b->err, rc, "cannot add entity to the snapshot: %s", emb_strerror(rc));
    emb__err_record(b->err, e->id.ptr, e->id.len);
    return 1;
}

/* SHA-256 of a file, or of every regular file of a folder (sorted names, name then bytes). */
static emb_status hash_file(const char *path, emb__sha256 *s, emb_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        emb__err(err, EMB_EIO, "cannot read to hash: %s", strerror(errno));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
        emb__sha256_update(s, buf, k);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        emb__err(err, EMB_EIO, "read error while hashing");
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    return EMB_OK;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static emb_status hash_source(const char *path, char out[65], emb_error *err)
{
    emb__sha256 s;
    emb__sha256_init(&s);
    struct stat st;
    emb_status rc = EMB_OK;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d == NULL)
            return emb__err(err, EMB_EIO, "cannot open folder %s", path);
        char *names[256];
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL && n < EMB_COUNTOF(names)) {
            if (de->d_name[0] != '.')
                names[n++] = emb__strndup(de->d_name, strlen(de->d_name));
        }
        closedir(d);
        qsort(names, n, sizeof(char *), cmp_cstr);
        for (size_t i = 0; i < n; i++) {
            char p[4096];
            if (rc == EMB_OK && names[i] != NULL &&
                snprintf(p, sizeof(p), "%s/%s", path, names[i]) < (int)sizeof(p) &&
                stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                emb__sha256_update(&s, names[i], strlen(names[i]) + 1);
                rc = hash_file(p, &s, err);
            }
            emb__free(names[i]);
        }
    } else {
        rc = hash_file(path, &s, err);
    }
    if (rc == EMB_OK)
        emb__sha256_hex(&s, out);
    return rc;
}

/* ------------------------------------------------------------ writing */

typedef struct {
    uint32_t id;
    const void *data;
    size_t len;
} out_section;


/* Sort key for the id index: qsort has no context argument in C11, so each key carries its text. */
typedef struct {
    const char *p;
    uint32_t len;
    uint32_t entity;
} id_key;

static int id_cmp(const void *a, const void *b)
{
    const id_key *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    if (c != 0)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

static emb_status write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return EMB_EIO;
        }
        c += k;
        n -= (size_t)k;
    }
    return EMB_OK;
}

static emb_status write_file(const char *out_path, const out_section *secs, size_t n_secs,
                             uint64_t *size_out, emb_error *err)
{
    emb__snap_header h;
    emb__snap_section table[EMB__SNAP_MAX_SECTIONS];
    memset(&h, 0, sizeof(h));
    memset(table, 0, sizeof(table));
    uint64_t off = sizeof(h) + n_secs * sizeof(emb__snap_section);
    for (size_t i = 0; i < n_secs; i++) {
        off = (off + 7) & ~(uint64_t)7;
        table[i].id = secs[i].id;
        table[i].offset = off;
        table[i].length = secs[i].len;
        table[i].hash = XXH3_64bits(secs[i].data, secs[i].len);
        off += secs[i].len;
    }
    memcpy(h.magic, EMB__SNAP_MAGIC, 8);
    h.version = EMB__SNAP_VERSION;
    h.n_sections = (uint32_t)n_secs;
    h.file_size = off;
    h.table_hash = XXH3_64bits(table, n_secs * sizeof(emb__snap_section));

    char tmp[4096];
    int k = snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", out_path);
    if (k < 0 || (size_t)k >= sizeof(tmp))
        return emb__err(err, EMB_EINVAL, "output path too long");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        emb__err(err, EMB_EIO, "cannot create %s: %s", tmp, strerror(errno));
        return EMB_EIO;
    }
    /* mkstemp creates 0600; a snapshot is meant to be read by other processes */
    if (fchmod(fd, 0644) != 0) {
        close(fd);
        unlink(tmp);
        return emb__err(err, EMB_EIO, "cannot set permissions on %s: %s", tmp, strerror(errno));
    }
    static const char zeros[8] = {0};
    emb_status rc = write_all(fd, &h, sizeof(h));
    if (rc == EMB_OK)
        rc = write_all(fd, table, n_secs * sizeof(emb__snap_section));
    uint64_t pos = sizeof(h) + n_secs * sizeof(emb__snap_section);
    for (size_t i = 0; i < n_secs && rc == EMB_OK; i++) {
        if (table[i].offset > pos)
            rc = write_all(fd, zeros, (size_t)(table[i].offset - pos));
        if (rc == EMB_OK)
            rc = write_all(fd, secs[i].data, secs[i].len);
        pos = table[i].offset + secs[i].len;
    }
    if (rc == EMB_OK && fsync(fd) != 0)
        rc = EMB_EIO;
    if (close(fd) != 0 && rc == EMB_OK)
        rc = EMB_EIO;
    if (rc == EMB_OK && rename(tmp, out_path) != 0)
        rc = EMB_EIO;
    if (rc != EMB_OK) {
        emb__err(err, EMB_EIO, "cannot write snapshot %s: %s", out_path, strerror(errno));
        unlink(tmp);
        return rc;
    }
    /* make the rename itself durable */
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", out_path);
    int dfd = open(dirname(dir), O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    *size_out = off;
    return EMB_OK;
}

/* The token table, sorted by text (keys carry their text: qsort has no context argument). */
typedef struct {
    const char *p;
    uint32_t len;
    uint32_t df;
} tok_key;

static int tok_cmp(const void *a, const void *b)
{
    const tok_key *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static emb_status token_table(builder *b, emb__snap_token **out, size_t *n_out)
{
    size_t n = b->df.count;
    tok_key *keys = emb__calloc(n ? n : 1, sizeof(tok_key));
    emb__snap_token *toks = emb__calloc(n ? n : 1, sizeof(emb__snap_token));
    if (keys == NULL || toks == NULL) {
        emb__free(keys);
        emb__free(toks);
        return EMB_ENOMEM;
    }
    size_t k = 0;
    emb_status rc = EMB_OK;
    for (size_t i = 0; i < b->df.cap && k < n; i++) {
        const char *key;
        size_t len;
        uint64_t value;
        if (!emb__map_slot(&b->df, i, &key, &len, &value))
            continue;
        keys[k++] = (tok_key){key, (uint32_t)len, value > UINT32_MAX ? UINT32_MAX : (uint32_t)value};
    }
    qsort(keys, k, sizeof(tok_key), tok_cmp);
    for (size_t i = 0; i < k && rc == EMB_OK; i++) {
        rc = add_string(b, emb__str(keys[i].p, keys[i].len), &toks[i].text);
        toks[i].df = keys[i].df;
    }
    emb__free(keys);
    if (rc != EMB_OK) {
        emb__free(toks);
        return rc;
    }
    *out = toks;
    *n_out = k;
    return EMB_OK;
}

/* ------------------------------------------------------------ postings */

/* Sort key for the key dictionary. */
typedef struct {
    const char *p;
    uint32_t len;
    uint32_t id;
} key_text;

static int key_text_cmp(const void *a, const void *b)
{
    const key_text *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static size_t varint_len(uint32_t v)
{
    size_t n = 1;
    for (; v >= 0x80; v >>= 7)
        n++;
    return n;
}

static uint8_t *varint_put(uint8_t *p, uint32_t v)
{
    for (; v >= 0x80; v >>= 7)
        *p++ = (uint8_t)(v | 0x80);
    *p++ = (uint8_t)v;
    return p;
}

/*
 * The key dictionary and its postings. Walking names in their final order (order[f] is the
 * builder's index of final name f) makes every list come out ascending, so there is nothing
 * to sort but the dictionary: one pass sizes each list, a second writes it in place. Memory
 * beyond the collected key ids is a few words per key.
 */
static emb_status postings_table(builder *b, const uint32_t *order, size_t nn,
                                 emb__snap_key **keys_out, uint8_t **post_out, size_t *post_len)
{
    size_t nk = b->n_keyids;
    emb_status rc = EMB_OK;
    key_text *kt = emb__calloc(nk ? nk : 1, sizeof(*kt));
    uint32_t *rank = emb__calloc(nk ? nk : 1, sizeof(uint32_t));
    uint32_t *last = emb__calloc(nk ? nk : 1, sizeof(uint32_t));
    uint64_t *at = emb__calloc(nk ? nk : 1, sizeof(uint64_t));
    uint64_t *first = emb__calloc(nn + 1, sizeof(uint64_t));
    emb__snap_key *keys = emb__calloc(nk ? nk : 1, sizeof(*keys));
    uint8_t *post = NULL;
    if (kt == NULL || rank == NULL || last == NULL || at == NULL || first == NULL ||
        keys == NULL) {
        rc = EMB_ENOMEM;
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < b->keymap.cap && k < nk; i++) {
        const char *text;
        size_t len;
        uint64_t id;
        if (emb__map_slot(&b->keymap, i, &text, &len, &id))
            kt[k++] = (key_text){text, (uint32_t)len, (uint32_t)id};
    }
    qsort(kt, k, sizeof(*kt), key_text_cmp);
    for (size_t r = 0; r < k; r++)
        rank[kt[r].id] = (uint32_t)r;
    for (size_t i = 0; i < nn; i++)
        first[i + 1] = first[i] + b->names[i].n_keys;
    /* pass 1: bytes per list */
    memset(last, 0xff, nk * sizeof(uint32_t));
    for (size_t f = 0; f < nn; f++) {
        uint32_t bi = order[f];
        for (uint64_t j = first[bi]; j < first[bi + 1]; j++) {
            uint32_t r = rank[b->name_keys[j]];
            at[r] += varint_len(last[r] == UINT32_MAX ? (uint32_t)f : (uint32_t)f - last[r]);
            last[r] = (uint32_t)f;
        }
    }
    uint64_t total = 0;
    for (size_t r = 0; r < k; r++) {
        uint64_t len = at[r];
        at[r] = total;
        total += len;
    }
    if (total > UINT32_MAX) {
        rc = EMB_ELIMIT;
        goto out;
    }
    post = emb__malloc(total ? (size_t)total : 1);
    if (post == NULL) {
        rc = EMB_ENOMEM;
        goto out;
    }
    for (size_t r = 0; r < k && rc == EMB_OK; r++) {
        const key_text *t = &kt[r];
        keys[r].df = b->key_df[t->id];
        keys[r].post_off = (uint32_t)at[r];
        if (b->strings.len + t->len > STRINGS_MAX) {
            rc = EMB_ELIMIT;
            break;
        }
        /* not interned: keys are distinct, and many */
        keys[r].text.off = (uint32_t)b->strings.len;
        keys[r].text.len = t->len;
        rc = emb__buf_append(&b->strings, t->p, t->len);
    }
    if (rc != EMB_OK)
        goto out;
    /* pass 2: the lists */
    memset(last, 0xff, nk * sizeof(uint32_t));
    for (size_t f = 0; f < nn; f++) {
        uint32_t bi = order[f];
        for (uint64_t j = first[bi]; j < first[bi + 1]; j++) {
            uint32_t r = rank[b->name_keys[j]];
            uint32_t v = last[r] == UINT32_MAX ? (uint32_t)f : (uint32_t)f - last[r];
            at[r] = (uint64_t)(varint_put(post + at[r], v) - post);
            last[r] = (uint32_t)f;
        }
    }
    *keys_out = keys;
    *post_out = post;
    *post_len = (size_t)total;
    keys = NULL;
    post = NULL;
out:
    emb__free(kt);
    emb__free(rank);
    emb__free(last);
    emb__free(at);
    emb__free(first);
    emb__free(keys);
    emb__free(post);
    return rc;
}

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Every name's scoring layout, weighted by the token table just built. */
static emb_status sides_table(builder *b, const emb__snap_name *names, size_t nn,
                              const emb__snap_token *toks, size_t n_toks,
                              emb__snap_side **sides_out, emb__snap_opt **opts_out,
                              size_t *n_opts_out)
{
    emb_index view;
    memset(&view, 0, sizeof(view));
    view.strings = b->strings.ptr ? b->strings.ptr : "";
    view.strings_len = b->strings.len;
    view.tokens = toks;
    view.n_tokens = n_toks;
    view.n_names = nn;
    emb__snap_side *sides = emb__calloc(nn ? nn : 1, sizeof(*sides));
    emb__side *side = emb__malloc(sizeof(*side));
    emb__snap_opt *opts = NULL;
    size_t n_opts = 0, cap = 0;
    emb_status rc = sides && side ? EMB_OK : EMB_ENOMEM;
    for (size_t i = 0; i < nn && rc == EMB_OK; i++) {
        emb_str fold = emb__snap_str(&view, names[i].folded);
        emb_str alt = emb__snap_str(&view, names[i].alt);
        emb__side_layout(side, fold, alt, &view);
        if (emb__has_non_latin(emb__snap_str(&view, names[i].value))) {
            for (size_t k = 0; k < side->n_opts; k++)
                side->opts[k].letters |= EMB__OPT_TRANSLIT;
        }
        rc = emb__grow((void **)&opts, &cap, sizeof(*opts), n_opts + side->n_opts + 1, UINT32_MAX);
        if (rc != EMB_OK)
            break;
        sides[i].first_opt = (uint32_t)n_opts;
        sides[i].n_base = (uint8_t)side->n_base;
        sides[i].n_opts = (uint8_t)side->n_opts;
        for (size_t k = 0; k < side->n_opts; k++) {
            const emb__opt *o = &side->opts[k];
            emb_str in = o->alt ? alt : fold;
            emb__snap_opt *d = &opts[n_opts++];
            memset(d, 0, sizeof(*d));
            d->off = (uint16_t)(o->text.ptr - in.ptr);
            d->len = (uint16_t)o->text.len;
            d->kind = o->kind;
            d->first = o->first;
            d->count = o->count;
            d->alt = o->alt;
            d->weight = o->weight;
            d->letters = o->letters;
        }
    }
    emb__free(side);
    if (rc != EMB_OK) {
        emb__free(sides);
        emb__free(opts);
        return rc;
    }
    *sides_out = sides;
    *opts_out = opts;
    *n_opts_out = n_opts;
    return EMB_OK;
}

static emb_status finish(builder *b, const char *out_path)
{
    emb_status rc = EMB_OK;
    size_t ne = b->n_ents, nn = b->n_names, nv = b->n_values;
    emb__snap_entity *ents = emb__calloc(ne ? ne : 1, sizeof(*ents));
    emb__snap_name *names = emb__calloc(nn ? nn : 1, sizeof(*names));
    emb__snap_value *values = emb__calloc(nv ? nv : 1, sizeof(*values));
    uint32_t *order = emb__calloc(ne ? ne : 1, sizeof(uint32_t));
    uint32_t *border = emb__calloc(nn ? nn : 1, sizeof(uint32_t));
    emb__snap_token *toks = NULL;
    size_t n_toks = 0;
    emb__snap_key *pkeys = NULL;
    emb__snap_side *sides = NULL;
    emb__snap_opt *opts = NULL;
    size_t n_opts = 0;
    uint8_t *post = NULL;
    size_t post_len = 0;
    emb__snap_meta meta;
    memset(&meta, 0, sizeof(meta));
    if (ents == NULL || names == NULL || values == NULL || order == NULL || border == NULL) {
        rc = emb__err(b->err, EMB_ENOMEM, "out of memory");
        goto out;
    }
    /* lay names and values out contiguously per entity, in entity order */
    size_t in = 0, iv = 0;
    for (size_t i = 0; i < ne; i++) {
        bentity *e = &b->ents[i];
        ents[i] = e->rec;
        ents[i].first_name = (uint32_t)in;
        ents[i].first_value = (uint32_t)iv;
        for (uint32_t k = e->name_head; k != NO_NEXT; k = b->names[k].next) {
            border[in] = k;
            names[in++] = b->names[k].rec;
        }
        for (uint32_t k = e->value_head; k != NO_NEXT; k = b->values[k].next)
            values[iv++] = b->values[k].rec;
    }
    char now[32];
    utc_now(now);
    rc = add_string(b, emb__str_cstr(now), &meta.built_at);
    if (rc == EMB_OK)
        rc = add_string(b, emb__str_cstr(EMB_VERSION_STRING), &meta.version);
    if (rc != EMB_OK) {
        rc = emb__err(b->err, rc, "snapshot text over its limit or out of memory");
        goto out;
    }
    rc = token_table(b, &toks, &n_toks);
    if (rc != EMB_OK) {
        rc = emb__err(b->err, rc, "cannot build the token table: %s", emb_strerror(rc));
        goto out;
    }
    rc = sides_table(b, names, nn, toks, n_toks, &sides, &opts, &n_opts);
    if (rc != EMB_OK) {
        rc = emb__err(b->err, rc, "cannot lay out the names for scoring: %s", emb_strerror(rc));
        goto out;
    }
    rc = postings_table(b, border, nn, &pkeys, &post, &post_len);
    if (rc != EMB_OK) {
        rc = emb__err(b->err, rc, "cannot build the key postings: %s", emb_strerror(rc));
        goto out;
    }
    id_key *keys = emb__calloc(ne ? ne : 1, sizeof(id_key));
    if (keys == NULL) {
        rc = emb__err(b->err, EMB_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ne; i++)
        keys[i] = (id_key){b->strings.ptr + ents[i].id.off, ents[i].id.len, (uint32_t)i};
    qsort(keys, ne, sizeof(id_key), id_cmp);
    for (size_t i = 0; i < ne; i++)
        order[i] = keys[i].entity;
    emb__free(keys);
    out_section secs[] = {
        {EMB__SEC_STRINGS, b->strings.ptr ? b->strings.ptr : "", b->strings.len},
        {EMB__SEC_ENTITIES, ents, ne * sizeof(*ents)},
        {EMB__SEC_NAMES, names, nn * sizeof(*names)},
        {EMB__SEC_VALUES, values, nv * sizeof(*values)},
        {EMB__SEC_SOURCES, b->sources ? (const void *)b->sources : "", b->n_sources * sizeof(emb__snap_source)},
        {EMB__SEC_META, &meta, sizeof(meta)},
        {EMB__SEC_ID_ORDER, order, ne * sizeof(uint32_t)},
        {EMB__SEC_TOKENS, toks ? (const void *)toks : "", n_toks * sizeof(emb__snap_token)},
        {EMB__SEC_KEYS, pkeys, b->n_keyids * sizeof(emb__snap_key)},
        {EMB__SEC_POSTINGS, post, post_len},
        {EMB__SEC_SIDES, sides, nn * sizeof(*sides)},
        {EMB__SEC_OPTS, opts ? (const void *)opts : "", n_opts * sizeof(*opts)},
    };
    rc = write_file(out_path, secs, EMB_COUNTOF(secs), &b->stats->bytes, b->err);
    b->stats->entities = ne;
    b->stats->names = nn;
out:
    emb__free(ents);
    emb__free(names);
    emb__free(values);
    emb__free(order);
    emb__free(border);
    emb__free(toks);
    emb__free(pkeys);
    emb__free(sides);
    emb__free(opts);
    emb__free(post);
    return rc;
}

emb_status emb_index_build(const char *out_path, const emb_build_source *sources,
                           size_t n_sources, const emb_build_opts *opts, emb_build_stats *stats,
                           emb_error *err)
{
    emb__err_clear(err);
    emb_build_stats local;
    if (stats == NULL)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (out_path == NULL || (n_sources > 0 && sources == NULL))
        return emb__err(err, EMB_EINVAL, "no output path or sources");
    builder b;
    memset(&b, 0, sizeof(b));
    emb__buf_init(&b.strings, STRINGS_MAX);
    emb__nname_init(&b.norm);
    emb__buf_init(&b.alt, EMB_LIMIT_FIELD_BYTES);
    emb__map_init(&b.df);
    emb__map_init(&b.keymap);
    emb_status rc = emb__normalizer_new(1u << 16, &b.nz);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot start the name normaliser");
    emb__map_init(&b.intern);
    emb__map_init(&b.ids);
    b.stats = stats;
    b.err = err;
    for (size_t i = 0; i < n_sources && rc == EMB_OK; i++) {
        emb_parse_opts po;
        memset(&po, 0, sizeof(po));
        po.dataset = sources[i].dataset;
        if (opts != NULL) {
            po.skip_bad = opts->skip_bad;
            po.on_skip = opts->on_skip;
            po.skip_ud = opts->skip_ud;
        }
        emb_source_info info;
        rc = emb_parse_file(sources[i].path, &po, on_entity, &b, &info, err);
        if (rc == EMB_ESTOPPED && b.fail != EMB_OK)
            rc = b.fail;
        if (rc != EMB_OK)
            break;
        stats->skipped += info.skipped;
        char sha[65];
        rc = hash_source(sources[i].path, sha, err);
        if (rc != EMB_OK)
            break;
        rc = emb__grow((void **)&b.sources, &b.cap_sources, sizeof(emb__snap_source),
                       b.n_sources + 1, 4096);
        if (rc != EMB_OK) {
            emb__err(err, rc, "too many sources (the limit is 4096)");
            break;
        }
        emb__snap_source *s = &b.sources[b.n_sources++];
        memset(s, 0, sizeof(*s));
        s->format = (uint32_t)info.format;
        s->entities = info.entities;
        rc = add_string(&b, emb__str_cstr(sources[i].path), &s->file);
        if (rc == EMB_OK)
            rc = add_string(&b, emb__str_cstr(info.dataset), &s->dataset);
        if (rc == EMB_OK)
            rc = add_string(&b, emb__str_cstr(info.published), &s->published);
        if (rc == EMB_OK)
            rc = add_string(&b, emb__str_cstr(sha), &s->sha256);
        if (rc != EMB_OK)
            emb__err(err, rc, "out of memory");
    }
    stats->sources = b.n_sources;
    if (rc == EMB_OK)
        rc = finish(&b, out_path);
    emb__buf_free(&b.strings);
    emb__nname_free(&b.norm);
    emb__buf_free(&b.alt);
    emb__map_free(&b.df);
    emb__map_free(&b.keymap);
    emb__free(b.key_df);
    emb__free(b.name_keys);
    emb__normalizer_free(b.nz);
    emb__map_free(&b.intern);
    emb__map_free(&b.ids);
    emb__free(b.ents);
    emb__free(b.names);
    emb__free(b.values);
    emb__free(b.sources);
    return rc;
}
