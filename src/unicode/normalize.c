/*
 * Name folding for comparison: NFKC, case folding and mark stripping (utf8proc), then every
 * character that is neither letter nor digit becomes a space and runs of spaces collapse.
 * "Şahin Öztürk" -> "sahin ozturk", "ＡＢＣ Ｃｏ．" -> "abc co".
 */
#include <stdlib.h>
#include <utf8proc.h>

#include "unicode.h"

emb_status emb__fold(emb_str in, emb__buf *out)
{
    emb__buf_reset(out);
    if (in.len == 0)
        return emb__buf_append(out, "", 0);
    utf8proc_uint8_t *mapped = NULL;
    int opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
               UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in.ptr, (utf8proc_ssize_t)in.len,
                                      &mapped, (utf8proc_option_t)opts);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? EMB_ENOMEM : EMB_EUTF8;
    emb_status rc = EMB_OK;
    int space = 0;
    utf8proc_ssize_t i = 0;
    while (i < n && rc == EMB_OK) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t w = utf8proc_iterate(mapped + i, n - i, &cp);
        if (w <= 0) {
            rc = EMB_EUTF8;
            break;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        int keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                   (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                   cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
        if (!keep) {
            space = out->len > 0;
        } else {
            if (space)
                rc = emb__buf_putc(out, ' ');
            space = 0;
            if (rc == EMB_OK)
                rc = emb__buf_append(out, mapped + i, (size_t)w);
        }
        i += w;
    }
    free(mapped); /* utf8proc allocates with malloc */
    return rc;
}
