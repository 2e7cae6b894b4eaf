/*
 * libxml2 streaming reader (xmlTextReader) set up for hostile input: no network, no DTD
 * loading, no entity substitution, DOCTYPE refused, depth capped. Errors carry libxml2's
 * line and column.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "ingest.h"

struct emb__xml_state {
    emb__pctx *ctx;
    int failed;
    char msg[200];
    int line, col, code;
};

static int io_read(void *ud, char *buf, int len)
{
    emb__pctx *ctx = ud;
    ssize_t k = emb__input_read(ctx->in, buf, (size_t)len, ctx->err);
    if (k < 0) {
        ctx->xml->failed = 2; /* input error: ctx->err already says why */
        return -1;
    }
    return (int)k;
}

static int io_close(void *ud)
{
    (void)ud;
    return 0;
}

static void on_error(void *ud, xmlErrorPtr e)
{
    emb__xml_state *st = ud;
    if (st->failed || e == NULL || e->level < XML_ERR_ERROR)
        return;
    st->failed = 1;
    snprintf(st->msg, sizeof(st->msg), "%s", e->message ? e->message : "XML error");
    size_t n = strlen(st->msg);
    while (n > 0 && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' '))
        st->msg[--n] = '\0';
    st->line = e->line;
    st->col = e->int2;
    st->code = e->code;
}

emb_status emb__xml_open(emb__pctx *ctx, emb__xml_reader *out)
{
    emb__xml_state *st = emb__calloc(1, sizeof(*st));
    if (st == NULL)
        return emb__err(ctx->err, EMB_ENOMEM, "out of memory");
    st->ctx = ctx;
    ctx->xml = st;
    int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES;
    xmlTextReaderPtr r =
        xmlReaderForIO(io_read, io_close, ctx, emb__input_name(ctx->in), NULL, opts);
    if (r == NULL) {
        ctx->xml = NULL;
        emb__free(st);
        return emb__err(ctx->err, EMB_ENOMEM, "cannot create XML reader");
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error, st);
    *out = r;
    return EMB_OK;
}

void emb__xml_close(emb__pctx *ctx, emb__xml_reader r)
{
    if (r != NULL)
        xmlFreeTextReader(r);
    emb__free(ctx->xml);
    ctx->xml = NULL;
}

uint64_t emb__xml_line(emb__xml_reader r)
{
    /* the line of the current node, not where the parser has read ahead to */
    xmlNodePtr n = xmlTextReaderCurrentNode(r);
    long l = n != NULL ? xmlGetLineNo(n) : -1;
    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(r);
    return l > 0 ? (uint64_t)l : 0;
}

emb_status emb__xml_fail(emb__pctx *ctx, emb__xml_reader r, emb_status code, const char *fmt,
                         ...)
{
    char msg[EMB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        msg[0] = '\0';
    emb__err(ctx->err, code, "%s", msg);
    int col = r ? xmlTextReaderGetParserColumnNumber(r) : 0;
    emb__err_at(ctx->err, emb__input_name(ctx->in), r ? emb__xml_line(r) : 0,
                col > 0 ? (uint64_t)col : 0, UINT64_MAX);
    return code;
}

static int report(emb__pctx *ctx, emb__xml_reader r)
{
    emb__xml_state *st = ctx->xml;
    if (st->failed == 2)
        return -1;
    if (st->failed) {
        /* libxml2 rejects bad UTF-8 itself; report it as the encoding error it is */
        emb_status code = st->code == XML_ERR_INVALID_CHAR || st->code == XML_ERR_INVALID_ENCODING
                              ? EMB_EUTF8
                              : EMB_EPARSE;
        emb__err(ctx->err, code, "malformed XML: %s", st->msg);
        emb__err_at(ctx->err, emb__input_name(ctx->in), st->line > 0 ? (uint64_t)st->line : 0,
                    st->col > 0 ? (uint64_t)st->col : 0, UINT64_MAX);
        /* the parser reads ahead of the reader: an error past the current node's line may lie
         * in a later record, so the record being read is not blamed */
        if (ctx->err != NULL && st->line > 0 && (uint64_t)st->line > emb__xml_line(r))
            emb__err_record(ctx->err, "", 0);
        return -1;
    }
    emb__xml_fail(ctx, r, EMB_EPARSE, "malformed XML (truncated file?)");
    return -1;
}

int emb__xml_next(emb__pctx *ctx, emb__xml_reader r)
{
    int rc = xmlTextReaderRead(r);
    if (rc < 0 || ctx->xml->failed)
        return report(ctx, r);
    if (rc == 0)
        return 0;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
        type == XML_READER_TYPE_ENTITY) {
        emb__xml_fail(ctx, r, EMB_EPARSE,
                      "DOCTYPE and entity declarations are not allowed in list files");
        return -1;
    }
    if (xmlTextReaderDepth(r) > EMB_LIMIT_DEPTH) {
        emb__xml_fail(ctx, r, EMB_ELIMIT, "XML nesting deeper than the limit of %d",
                      EMB_LIMIT_DEPTH);
        return -1;
    }
    return 1;
}

emb_str emb__xml_name(emb__xml_reader r)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return emb__str_cstr((const char *)n);
}

int emb__xml_is_start(emb__xml_reader r, const char *local)
{
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
        return 0;
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n != NULL && strcmp((const char *)n, local) == 0;
}

int emb__xml_is_end(emb__xml_reader r, const char *local)
{
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_END_ELEMENT || (t == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r))) {
        const xmlChar *n = xmlTextReaderConstLocalName(r);
        return n != NULL && strcmp((const char *)n, local) == 0;
    }
    return 0;
}

emb_status emb__xml_text(emb__pctx *ctx, emb__xml_reader r, emb__buf *out)
{
    emb__buf_reset(out);
    if (out->max == 0)
        out->max = EMB_LIMIT_FIELD_BYTES;
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
        return emb__xml_fail(ctx, r, EMB_EINVAL, "expected an element");
    if (xmlTextReaderIsEmptyElement(r))
        return EMB_OK;
    int depth = xmlTextReaderDepth(r);
    for (;;) {
        int k = emb__xml_next(ctx, r);
        if (k < 0)
            return ctx->err ? ctx->err->code : EMB_EPARSE;
        if (k == 0)
            return emb__xml_fail(ctx, r, EMB_EPARSE, "document ends inside an element");
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth)
            return EMB_OK;
        if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
            t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v == NULL)
                continue;
            emb_status rc = emb__buf_append(out, v, strlen((const char *)v));
            if (rc == EMB_ELIMIT)
                return emb__xml_fail(ctx, r, rc, "text of <%s> over the limit of %u bytes",
                                     "element", EMB_LIMIT_FIELD_BYTES);
            if (rc != EMB_OK)
                return emb__xml_fail(ctx, r, rc, "out of memory");
        }
    }
}

emb_status emb__xml_attr(emb__pctx *ctx, emb__xml_reader r, const char *name, emb__buf *out)
{
    emb__buf_reset(out);
    if (out->max == 0)
        out->max = EMB_LIMIT_FIELD_BYTES;
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (v == NULL)
        return emb__buf_append(out, "", 0) == EMB_OK ? EMB_OK
                                                      : emb__xml_fail(ctx, r, EMB_ENOMEM, "out of memory");
    emb_status rc = emb__buf_append(out, v, strlen((const char *)v));
    xmlFree(v);
    if (rc != EMB_OK)
        return emb__xml_fail(ctx, r, rc, "attribute %s too long", name);
    return EMB_OK;
}
