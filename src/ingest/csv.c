/*
 * RFC 4180 CSV reader with positions on every error. Real lists bend the RFC: OFAC writes
 * `-0- ` for empty and ends its files with 0x1A (DOS end-of-file); exports start with a BOM
 * and use CRLF; EU and OpenSanctions fields hold line breaks inside quotes. Fields are
 * validated as UTF-8 here, so a bad byte is reported at its exact offset.
 */
#include <string.h>

#include "../unicode/unicode.h"
#include "ingest.h"

#define CHUNK ((size_t)64 * 1024)

emb_status emb__csv_init(emb__csv *c, emb__input *in, char delim)
{
    memset(c, 0, sizeof(*c));
    c->in = in;
    c->delim = delim;
    c->at_start = 1;
    c->next_line = 1;
    emb__buf_init(&c->data, EMB_LIMIT_RECORD_BYTES);
    c->chunk = emb__malloc(CHUNK);
    if (c->chunk == NULL)
        return EMB_ENOMEM;
    return EMB_OK;
}

void emb__csv_free(emb__csv *c)
{
    emb__free(c->chunk);
    emb__buf_free(&c->data);
    emb__free(c->starts);
    emb__free(c->lens);
    memset(c, 0, sizeof(*c));
}

emb_status emb__csv_header(emb__pctx *ctx, emb__csv *c)
{
    int got = 0;
    emb_status rc = emb__csv_init(c, ctx->in, ',');
    if (rc != EMB_OK)
        rc = emb__err(ctx->err, rc, "out of memory");
    else
        rc = emb__csv_next(c, &got, ctx->err);
    if (rc == EMB_OK && !got)
        rc = emb__err(ctx->err, EMB_EFORMAT, "file is empty");
    if (rc != EMB_OK)
        emb__csv_free(c);
    return rc;
}

/* Next byte, or -1 at end, -2 on error. */
static int next_byte(emb__csv *c, emb_error *err)
{
    if (c->chunk_pos == c->chunk_len) {
        if (c->eof)
            return -1;
        ssize_t k = emb__input_read(c->in, c->chunk, CHUNK, err);
        if (k < 0)
            return -2;
        if (k == 0) {
            c->eof = 1;
            return -1;
        }
        c->chunk_len = (size_t)k;
        c->chunk_pos = 0;
    }
    c->consumed++;
    return (unsigned char)c->chunk[c->chunk_pos++];
}

static int peek_byte(emb__csv *c, emb_error *err)
{
    int b = next_byte(c, err);
    if (b >= 0) {
        c->chunk_pos--;
        c->consumed--;
    }
    return b;
}

static emb_status fail(emb__csv *c, emb_error *err, emb_status code, uint64_t line,
                       uint64_t col, const char *msg)
{
    emb__err(err, code, "%s", msg);
    emb__err_at(err, emb__input_name(c->in), line, col, c->consumed);
    return code;
}

static emb_status end_field(emb__csv *c, size_t start, uint64_t line, uint64_t col,
                            uint64_t field_offset, emb_error *err)
{
    size_t len = c->data.len - start;
    if (len > EMB_LIMIT_FIELD_BYTES) {
        emb__err(err, EMB_ELIMIT, "field %zu is %zu bytes, over the limit of %u",
                 c->n_fields + 1, len, EMB_LIMIT_FIELD_BYTES);
        emb__err_at(err, emb__input_name(c->in), line, col, field_offset);
        return EMB_ELIMIT;
    }
    size_t bad;
    if (!emb__utf8_valid(c->data.ptr + start, len, &bad)) {
        emb__err(err, EMB_EUTF8, "invalid UTF-8 in field %zu", c->n_fields + 1);
        emb__err_at(err, emb__input_name(c->in), line, col, field_offset + bad);
        return EMB_EUTF8;
    }
    if (c->n_fields >= EMB_LIMIT_CSV_COLUMNS)
        return fail(c, err, EMB_ELIMIT, line, col, "record has more columns than the limit");
    size_t need = c->n_fields + 1;
    size_t cap = c->cap_fields;
    emb_status rc = emb__grow((void **)&c->starts, &cap, sizeof(size_t), need, EMB_LIMIT_CSV_COLUMNS);
    if (rc == EMB_OK) {
        cap = c->cap_fields;
        rc = emb__grow((void **)&c->lens, &cap, sizeof(size_t), need, EMB_LIMIT_CSV_COLUMNS);
    }
    if (rc != EMB_OK)
        return fail(c, err, EMB_ENOMEM, line, col, "out of memory");
    c->cap_fields = cap;
    c->starts[c->n_fields] = start;
    c->lens[c->n_fields] = len;
    c->n_fields++;
    /* NUL-terminate each field so callers may use it as a C string */
    rc = emb__buf_putc(&c->data, '\0');
    if (rc != EMB_OK)
        return fail(c, err, rc, line, col, "record over the limit");
    return EMB_OK;
}

emb_status emb__csv_next(emb__csv *c, int *got, emb_error *err)
{
    *got = 0;
    for (;;) {
        emb__buf_reset(&c->data);
        c->n_fields = 0;
        if (c->at_start) {
            c->at_start = 0;
            int b0 = peek_byte(c, err);
            if (b0 == -2)
                return err ? err->code : EMB_EIO;
            if (b0 == 0xEF) {
                next_byte(c, err);
                int b1 = next_byte(c, err), b2 = next_byte(c, err);
                if (b1 != 0xBB || b2 != 0xBF)
                    return fail(c, err, EMB_EUTF8, 1, 1, "invalid UTF-8 at the start of the file");
            }
        }
        c->line = c->next_line;
        c->offset = c->consumed;
        uint64_t col = 1;
        int b = next_byte(c, err);
        if (b == -2)
            return err ? err->code : EMB_EIO;
        if (b == -1)
            return EMB_OK;
        /* OFAC's DOS end-of-file marker, alone or at the start of a line */
        if (b == 0x1A) {
            int rest;
            while ((rest = next_byte(c, err)) >= 0) {
                if (rest != '\r' && rest != '\n' && rest != 0x1A)
                    return fail(c, err, EMB_EPARSE, c->line, col, "data after end-of-file marker 0x1A");
            }
            if (rest == -2)
                return err ? err->code : EMB_EIO;
            return EMB_OK;
        }
        if (b == '\n' || b == '\r') {
            if (b == '\r' && peek_byte(c, err) == '\n')
                next_byte(c, err);
            c->next_line++;
            continue; /* blank line */
        }
        /* parse one record, starting with byte b */
        size_t start = c->data.len;
        uint64_t field_offset = c->offset;
        uint64_t field_col = col;
        int quoted = 0, after_quote = 0;
        uint64_t quote_line = c->line;
        emb_status rc;
        for (;;) {
            if (b == -2)
                return err ? err->code : EMB_EIO;
            if (b == -1) {
                if (quoted)
                    return fail(c, err, EMB_EPARSE, quote_line, field_col,
                                "unterminated quoted field (file truncated?)");
                rc = end_field(c, start, c->line, field_col, field_offset, err);
                if (rc != EMB_OK)
                    return rc;
                break;
            }
            if (quoted) {
                if (b == '"') {
                    if (peek_byte(c, err) == '"') {
                        next_byte(c, err);
                        rc = emb__buf_putc(&c->data, '"');
                    } else {
                        quoted = 0;
                        after_quote = 1;
                        rc = EMB_OK;
                    }
                } else {
                    if (b == '\n')
                        c->next_line++;
                    rc = emb__buf_putc(&c->data, (char)b);
                }
                if (rc != EMB_OK)
                    return fail(c, err, rc, c->line, col,
                                rc == EMB_ELIMIT ? "record over the limit of 16 MiB" : "out of memory");
            } else if (b == c->delim) {
                rc = end_field(c, start, c->line, field_col, field_offset, err);
                if (rc != EMB_OK)
                    return rc;
                start = c->data.len;
                field_offset = c->consumed;
                field_col = col + 1;
                after_quote = 0;
            } else if (b == '\n' || b == '\r') {
                if (b == '\r' && peek_byte(c, err) == '\n')
                    next_byte(c, err);
                c->next_line++;
                rc = end_field(c, start, c->line, field_col, field_offset, err);
                if (rc != EMB_OK)
                    return rc;
                break;
            } else if (b == '"' && c->data.len == start && !after_quote) {
                quoted = 1;
                quote_line = c->next_line;
            } else if (after_quote) {
                /* `"CUBA" ,` is tolerated; text after a closing quote is not */
                if (b != ' ' && b != '\t')
                    return fail(c, err, EMB_EPARSE, c->next_line, col,
                                "unexpected character after a closing quote");
            } else if (b == 0x1A) {
                /* 0x1A right after the last record, without a line break */
                int rest = peek_byte(c, err);
                if (rest != -1 && rest != '\n' && rest != '\r')
                    return fail(c, err, EMB_EPARSE, c->next_line, col, "stray 0x1A byte");
            } else {
                rc = emb__buf_putc(&c->data, (char)b);
                if (rc != EMB_OK)
                    return fail(c, err, rc, c->line, col,
                                rc == EMB_ELIMIT ? "record over the limit of 16 MiB" : "out of memory");
            }
            col++;
            b = next_byte(c, err);
        }
        *got = 1;
        return EMB_OK;
    }
}

emb_str emb__csv_field(const emb__csv *c, size_t i)
{
    if (i >= c->n_fields)
        return emb__str("", 0);
    return emb__str(c->data.ptr + c->starts[i], c->lens[i]);
}

void emb__csv_header_index(const emb__csv *c, const char *const *names, size_t n, long *idx)
{
    for (size_t k = 0; k < n; k++) {
        idx[k] = -1;
        for (size_t i = 0; i < c->n_fields; i++) {
            if (emb__str_ieq(emb__str_trim(emb__csv_field(c, i)), names[k])) {
                idx[k] = (long)i;
                break;
            }
        }
    }
}

emb_status emb__split_multi(emb_str cell, char sep, emb__buf *scratch, emb__value_fn fn, void *ud)
{
    size_t i = 0;
    while (i <= cell.len) {
        while (i < cell.len && (cell.ptr[i] == ' ' || cell.ptr[i] == '\t'))
            i++;
        size_t start = i;
        emb_str value;
        int literal = 1;
        if (i < cell.len && cell.ptr[i] == '"') {
            /* try a quoted value: it must end in a quote followed by sep or the end */
            emb__buf_reset(scratch);
            size_t k = i + 1;
            int closed = 0;
            emb_status rc = EMB_OK;
            while (k < cell.len && rc == EMB_OK) {
                if (cell.ptr[k] == '"') {
                    if (k + 1 < cell.len && cell.ptr[k + 1] == '"') {
                        rc = emb__buf_putc(scratch, '"');
                        k += 2;
                        continue;
                    }
                    closed = 1;
                    k++;
                    break;
                }
                rc = emb__buf_putc(scratch, cell.ptr[k++]);
            }
            if (rc != EMB_OK)
                return rc;
            size_t after = k;
            while (after < cell.len && (cell.ptr[after] == ' ' || cell.ptr[after] == '\t'))
                after++;
            if (closed && (after == cell.len || cell.ptr[after] == sep)) {
                literal = 0;
                value = emb__str(scratch->ptr ? scratch->ptr : "", scratch->len);
                i = after;
            }
        }
        if (literal) {
            size_t k = start;
            while (k < cell.len && cell.ptr[k] != sep)
                k++;
            value = emb__str(cell.ptr + start, k - start);
            i = k;
        }
        value = emb__str_trim(value);
        if (value.len > 0) {
            emb_status rc = fn(ud, value);
            if (rc != EMB_OK)
                return rc;
        }
        i++; /* past the separator (or the end) */
    }
    return EMB_OK;
}
