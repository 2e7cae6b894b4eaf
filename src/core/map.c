/* xxh3 hashing and a string-keyed open-addressing map (linear probing, power-of-two size). */
#include <string.h>
#include <xxhash.h>

#include "core.h"

struct emb__map_slot {
    const char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    uint64_t value;
};

uint64_t emb__hash(const void *p, size_t n)
{
    return XXH3_64bits(p, n);
}

void emb__map_init(emb__map *m)
{
    memset(m, 0, sizeof(*m));
}

void emb__map_free(emb__map *m)
{
    emb__free(m->slots);
    emb__arena_free(&m->keys);
    memset(m, 0, sizeof(*m));
}

static struct emb__map_slot *find(struct emb__map_slot *slots, size_t cap, const char *key,
                                  size_t len, uint64_t h)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct emb__map_slot *s = &slots[i];
        if (s->key == NULL)
            return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

static emb_status rehash(emb__map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    if (ncap > EMB_LIMIT_XREF_ENTRIES * 2u)
        return EMB_ELIMIT;
    struct emb__map_slot *ns = emb__calloc(ncap, sizeof(*ns));
    if (ns == NULL)
        return EMB_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        struct emb__map_slot *s = &m->slots[i];
        if (s->key != NULL)
            *find(ns, ncap, s->key, s->len, s->hash) = *s;
    }
    emb__free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return EMB_OK;
}

emb_status emb__map_put(emb__map *m, const char *key, size_t len, uint64_t **slot_value,
                        int *is_new)
{
    if ((m->count + 1) * 4 > m->cap * 3) {
        emb_status rc = rehash(m);
        if (rc != EMB_OK)
            return rc;
    }
    uint64_t h = emb__hash(key, len);
    struct emb__map_slot *s = find(m->slots, m->cap, key, len, h);
    if (s->key == NULL) {
        char *k = emb__arena_strndup(&m->keys, key, len);
        if (k == NULL)
            return EMB_ENOMEM;
        s->key = k;
        s->len = len;
        s->hash = h;
        s->value = 0;
        m->count++;
        if (is_new)
            *is_new = 1;
    } else if (is_new) {
        *is_new = 0;
    }
    *slot_value = &s->value;
    return EMB_OK;
}

uint64_t *emb__map_get(const emb__map *m, const char *key, size_t len)
{
    if (m->cap == 0)
        return NULL;
    struct emb__map_slot *s = find(m->slots, m->cap, key, len, emb__hash(key, len));
    return s->key ? &s->value : NULL;
}

int emb__map_slot(const emb__map *m, size_t i, const char **key, size_t *len, uint64_t *value)
{
    if (i >= m->cap || m->slots[i].key == NULL)
        return 0;
    *key = m->slots[i].key;
    *len = m->slots[i].len;
    *value = m->slots[i].value;
    return 1;
}
