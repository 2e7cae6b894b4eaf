/*
 * Fuzz target: the snapshot loader. Any byte string must be either refused by validation or
 * fully readable: every entity, name, value and key posting of an accepted image is walked.
 */
#include <embargo/embargo.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the format needs 8-byte alignment; the fuzzer's buffer has none guaranteed */
    void *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    emb_index idx;
    memset(&idx, 0, sizeof(idx));
    if (emb__index_attach(&idx, copy, size) == NULL) {
        emb_ctx *ctx = NULL;
        if (emb_ctx_new(&ctx) == EMB_OK) {
            size_t sum = 0;
            for (size_t i = 0; i < emb_index_entity_count(&idx); i++) {
                emb_entity e;
                if (emb_index_entity(&idx, ctx, i, &e) != EMB_OK)
                    abort();
                for (size_t k = 0; k < e.n_names; k++)
                    sum += e.names[k].value.len ? (unsigned char)e.names[k].value.ptr[0] : 0;
                for (size_t k = 0; k < e.n_values; k++)
                    sum += e.values[k].value.len;
            }
            /* every name's stored scoring layout reads within its forms */
            emb__side *side = malloc(sizeof(*side));
            for (size_t i = 0; side != NULL && i < idx.n_names; i++) {
                emb__side_from_snap(side, &idx, i);
                for (size_t k = 0; k < side->n_opts; k++)
                    sum += side->opts[k].text.len ? (unsigned char)side->opts[k].text.ptr[0] : 0;
            }
            free(side);
            /* every key's postings decode to names of the index */
            for (size_t k = 0; k < idx.n_keys; k++) {
                const uint8_t *p, *end;
                emb__key_postings(&idx, k, &p, &end);
                uint32_t name = 0;
                for (uint32_t i = 0; i < idx.keys[k].df; i++) {
                    uint32_t v;
                    p = emb__varint_get(p, end, &v);
                    if (p == NULL)
                        abort();
                    name = i == 0 ? v : name + v;
                    if (name >= idx.n_names)
                        abort();
                }
                sum += emb__snap_str(&idx, idx.keys[k].text).len;
            }
            emb_screen_opts o = {5, 0.0};
            emb_query q;
            memset(&q, 0, sizeof(q));
            q.name = "abc def";
            const emb_match *r;
            size_t n;
            emb_error err;
            emb_screen(&idx, ctx, &q, &o, &r, &n, &err);
            emb_ctx_free(ctx);
            (void)sum;
        }
    }
    free(copy);
    return 0;
}
