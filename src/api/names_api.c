/* emb_name_analyze: the name pipeline's forms and keys through the public API. */
#include <string.h>

#include "../index/index.h"

typedef struct {
    emb_ctx *ctx;
    emb_status rc;
} key_acc;

/* Keys are collected as offsets into keytext, then pointed once keytext stops growing. */
static emb_status take_key(void *ud, emb__key_kind kind, emb_str key)
{
    key_acc *a = ud;
    emb_ctx *c = a->ctx;
    emb_status rc = emb__grow((void **)&c->keys, &c->cap_keys, sizeof(emb_name_key),
                              c->n_keys + 1, 1u << 20);
    if (rc != EMB_OK)
        return rc;
    emb_name_key *k = &c->keys[c->n_keys++];
    k->kind = emb__key_kind_name(kind);
    k->value.ptr = (const char *)(uintptr_t)c->keytext.len; /* offset for now */
    k->value.len = key.len;
    rc = emb__buf_append(&c->keytext, key.ptr, key.len);
    return rc;
}

emb_status emb_name_analyze(emb_ctx *ctx, const char *text, size_t len, emb_name_analysis *out,
                            emb_error *err)
{
    emb__err_clear(err);
    if (ctx == NULL || out == NULL || (text == NULL && len > 0))
        return emb__err(err, EMB_EINVAL, "no context, text or output");
    emb__normalizer *nz;
    emb_status rc = emb__ctx_normalizer(ctx, &nz);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot start the name normaliser: %s", emb_strerror(rc));
    rc = emb__normalize(nz, emb__str(text ? text : "", len), &ctx->name, err);
    if (rc != EMB_OK)
        return rc;
    emb__nname *n = &ctx->name;
    if (emb__grow((void **)&ctx->tokens, &ctx->cap_tokens, sizeof(emb_name_token),
                  n->n_toks ? n->n_toks : 1, EMB__NAME_MAX_TOKENS) != EMB_OK)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n->n_toks; i++) {
        const emb__tok *t = &n->toks[i];
        emb_name_token *o = &ctx->tokens[i];
        o->text = emb__nname_tok(n, i);
        o->kind = emb__tok_kind_name((emb__tok_kind)t->kind);
        o->script = emb__script_name((emb__script)t->script);
        o->transliterated = (t->flags & EMB__TOKF_TRANSLIT) != 0;
        o->joined = (t->flags & EMB__TOKF_JOINED) != 0;
    }
    ctx->n_keys = 0;
    emb__buf_reset(&ctx->keytext);
    key_acc acc = {ctx, EMB_OK};
    rc = emb__name_keys(n, take_key, &acc);
    if (rc != EMB_OK)
        return emb__err(err, rc, "cannot list the name's keys: %s", emb_strerror(rc));
    for (size_t i = 0; i < ctx->n_keys; i++)
        ctx->keys[i].value.ptr = ctx->keytext.ptr + (uintptr_t)ctx->keys[i].value.ptr;
    memset(out, 0, sizeof(*out));
    out->compare = emb__str(n->compare.ptr ? n->compare.ptr : "", n->compare.len);
    out->original = emb__str(n->original.ptr ? n->original.ptr : "", n->original.len);
    out->tokens = ctx->tokens;
    out->n_tokens = n->n_toks;
    out->keys = ctx->keys;
    out->n_keys = ctx->n_keys;
    return EMB_OK;
}
