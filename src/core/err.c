/* Filling emb_error; the text of each status. */
#include <stdio.h>
#include <string.h>

#include "core.h"

static const char *const status_text[EMB_STATUS_MAX_] = {
    [EMB_OK] = "ok",
    [EMB_ENOMEM] = "out of memory",
    [EMB_EINVAL] = "invalid argument",
    [EMB_EIO] = "input/output error",
    [EMB_EPARSE] = "malformed input",
    [EMB_EUTF8] = "invalid UTF-8",
    [EMB_ELIMIT] = "input over a limit",
    [EMB_EFORMAT] = "unknown or unsupported format",
    [EMB_ENOTFOUND] = "not found",
    [EMB_ECORRUPT] = "corrupt data",
    [EMB_ESTOPPED] = "stopped by callback",
};

const char *emb_strerror(emb_status status)
{
    if ((unsigned)status >= EMB_STATUS_MAX_)
        return "unknown status";
    return status_text[status];
}

void emb__err_clear(emb_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
    err->byte_offset = UINT64_MAX;
}

emb_status emb__err(emb_error *err, emb_status code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    char source[EMB_ERROR_SOURCE_MAX];
    char record[EMB_ERROR_RECORD_MAX];
    uint64_t line = err->line, col = err->column, off = err->byte_offset;
    /* keep a place set earlier (a lower layer may know it better) */
    memcpy(source, err->source, sizeof(source));
    memcpy(record, err->record_id, sizeof(record));
    emb__err_clear(err);
    memcpy(err->source, source, sizeof(source));
    memcpy(err->record_id, record, sizeof(record));
    err->line = line;
    err->column = col;
    err->byte_offset = off;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    return code;
}

void emb__err_at(emb_error *err, const char *source, uint64_t line, uint64_t column,
                 uint64_t offset)
{
    if (err == NULL)
        return;
    if (source != NULL) {
        size_t n = strlen(source);
        if (n >= sizeof(err->source))
            n = sizeof(err->source) - 1;
        memcpy(err->source, source, n);
        err->source[n] = '\0';
    }
    if (line)
        err->line = line;
    if (column)
        err->column = column;
    if (offset != UINT64_MAX)
        err->byte_offset = offset;
}

void emb__err_record(emb_error *err, const char *id, size_t len)
{
    if (err == NULL || id == NULL)
        return;
    if (len >= sizeof(err->record_id))
        len = sizeof(err->record_id) - 1;
    memcpy(err->record_id, id, len);
    err->record_id[len] = '\0';
}
