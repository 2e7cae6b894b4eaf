/*
 * Shared by the UN and EU FSF XML parsers; see listxml.h.
 */
#include "listxml.h"

#include <libxml/xmlreader.h>
#include <string.h>

emb_status emb__lx_next(emb__pctx *ctx, emb__xml_reader r, int *more)
{
    int k = emb__xml_next(ctx, r);
    *more = k > 0;
    if (k >= 0)
        return EMB_OK;
    if (ctx->err == NULL)
        return EMB_EPARSE;
    return ctx->err->code != EMB_OK ? ctx->err->code : EMB_EPARSE;
}

emb_status emb__lx_root(emb__pctx *ctx, emb__xml_reader r, const char *root)
{
    for (;;) {
        int more = 0;
        emb_status rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK)
            return rc;
        if (!more)
            return emb__xml_fail(ctx, r, EMB_EFORMAT, "document has no <%s> element", root);
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (emb__xml_is_start(r, root))
            return EMB_OK;
        emb_str name = emb__xml_name(r);
        return emb__xml_fail(ctx, r, EMB_EFORMAT, "root element is <%.*s>, expected <%s>",
                             (int)(name.len > 64 ? 64 : name.len), name.ptr, root);
    }
}

int emb__lx_blank(emb_str s)
{
    s = emb__str_trim(s);
    return emb__str_blank(s) || emb__str_eq(s, EMB_STR("-"));
}

emb_status emb__lx_add(emb__buf *out, const char *sep, const char *label, emb_str s, emb_error *err)
{
    s = emb__str_trim(s);
    if (emb__lx_blank(s))
        return EMB_OK;
    emb_status rc = EMB_OK;
    if (out->len > 0 && sep != NULL)
        rc = emb__buf_append(out, sep, strlen(sep));
    if (rc == EMB_OK && label != NULL)
        rc = emb__buf_append(out, label, strlen(label));
    if (rc == EMB_OK)
        rc = emb__buf_append(out, s.ptr, s.len);
    if (rc == EMB_ELIMIT)
        return emb__err(err, rc, "joined value over the limit of %zu bytes", out->max);
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    return EMB_OK;
}

emb_str emb__lx_str(const emb__buf *b)
{
    return b->ptr != NULL ? emb__str(b->ptr, b->len) : emb__str("", 0);
}

emb_status emb__lx_gender(emb__eb *b, emb_str text, emb_error *err)
{
    text = emb__str_trim(text);
    if (emb__str_ieq(text, "m") || emb__str_ieq(text, "male"))
        text = EMB_STR("male");
    else if (emb__str_ieq(text, "f") || emb__str_ieq(text, "female"))
        text = EMB_STR("female");
    return emb__eb_value(b, EMB_PROP_GENDER, text, emb__str("", 0), err);
}

int emb__lx_fatal(emb_status rc)
{
    /* EMB_EUTF8 here is libxml2's: it stops the reader (names were validated by it) */
    return rc == EMB_EPARSE || rc == EMB_EUTF8 || rc == EMB_EIO || rc == EMB_ENOMEM ||
           rc == EMB_ECORRUPT || rc == EMB_ESTOPPED || rc == EMB_EFORMAT || rc == EMB_EINVAL;
}

/* Read on to the end tag of the element at depth (or stay on it when it is empty). */
static emb_status skip_to_end(emb__pctx *ctx, emb__xml_reader r, int depth)
{
    for (;;) {
        int type = xmlTextReaderNodeType(r);
        if (xmlTextReaderDepth(r) == depth &&
            (type == XML_READER_TYPE_END_ELEMENT ||
             (type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r))))
            return EMB_OK;
        int more = 0;
        emb_status rc = emb__lx_next(ctx, r, &more);
        if (rc != EMB_OK)
            return rc;
        if (!more)
            return emb__xml_fail(ctx, r, EMB_EPARSE, "document ends inside a record");
    }
}

emb_status emb__lx_bad(emb__pctx *ctx, emb__xml_reader r, emb_status rc, int depth, uint64_t line,
                       emb_str id, int at_end)
{
    rc = emb__pctx_bad(ctx, rc, line, UINT64_MAX, id.len ? id.ptr : NULL, id.len);
    if (rc != EMB_OK || at_end)
        return rc;
    return skip_to_end(ctx, r, depth);
}
