/*
 * Fuzz target: the whole name pipeline (validation, folding, homoglyph repair, script runs,
 * transliteration, tokens, legal forms, keys). Whatever the input, the comparison form is
 * lower-case ASCII letters, digits and single spaces, and every key is valid UTF-8.
 */
#include <embargo/embargo.h>
#include <stdlib.h>
#include <string.h>

#include "unicode/names.h"
#include "unicode/unicode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb__normalizer *g_nz;

static emb_status check_key(void *ud, emb__key_kind kind, emb_str key)
{
    (void)ud;
    if ((unsigned)kind >= EMB__KEY_KIND_MAX_ || key.len == 0 ||
        !emb__utf8_valid(key.ptr, key.len, NULL))
        abort();
    return EMB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    if (g_nz == NULL && emb__normalizer_new(64, &g_nz) != EMB_OK)
        return 0;
    emb__nname n;
    emb__nname_init(&n);
    emb_error err;
    emb_status rc = emb__normalize(g_nz, emb__str((const char *)data, size), &n, &err);
    if (rc == EMB_OK) {
        for (size_t i = 0; i < n.compare.len; i++) {
            char c = n.compare.ptr[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '))
                abort();
        }
        if (n.compare.len && (n.compare.ptr[0] == ' ' || n.compare.ptr[n.compare.len - 1] == ' '))
            abort();
        for (size_t i = 0; i < n.n_toks; i++) {
            if (n.toks[i].len == 0 || n.toks[i].off + n.toks[i].len > n.text.len)
                abort();
        }
        if (emb__name_keys(&n, check_key, NULL) != EMB_OK)
            abort();
    } else if (rc != EMB_EUTF8 && rc != EMB_ELIMIT && rc != EMB_ENOMEM) {
        abort();
    }
    emb__nname_free(&n);
    return 0;
}
