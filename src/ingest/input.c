/*
 * Input layer. Plain files are read with stdio; .zip and .gz (detected by magic bytes, not by
 * name) go through libarchive, so OFAC's SDN_ENHANCED.ZIP and a CSL .csv.gz read like any
 * file. The first 64 KiB are kept for sniffing and replayed to the parser.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"

#define PEEK_MAX ((size_t)64 * 1024)

struct emb__input {
    FILE *fp;
    struct archive *ar;
    const char *mem;
    size_t mem_len, mem_pos;
    char *peek;
    size_t peek_len, peek_pos;
    int peeked;
    uint64_t offset;
    char *path;
    char *name;
};

static emb_status fail_io(emb__input *in, emb_error *err, const char *what)
{
    emb__err(err, EMB_EIO, "%s: %s", what, strerror(errno));
    emb__err_at(err, in ? in->name : NULL, 0, 0, in ? in->offset : UINT64_MAX);
    return EMB_EIO;
}

static emb_status set_names(emb__input *in, const char *path, const char *entry)
{
    in->path = path ? emb__strndup(path, strlen(path)) : NULL;
    const char *base = path ? path : "(memory)";
    size_t n = strlen(base) + (entry ? strlen(entry) + 1 : 0);
    in->name = emb__malloc(n + 1);
    if ((path && in->path == NULL) || in->name == NULL)
        return EMB_ENOMEM;
    if (entry)
        snprintf(in->name, n + 1, "%s:%s", base, entry);
    else
        snprintf(in->name, n + 1, "%s", base);
    return EMB_OK;
}

static int is_data_entry(struct archive_entry *e)
{
    if (archive_entry_filetype(e) != AE_IFREG)
        return 0;
    const char *n = archive_entry_pathname(e);
    /* skip macOS resource forks and folders of metadata */
    return n == NULL || (strncmp(n, "__MACOSX/", 9) != 0 && n[0] != '.');
}

static emb_status open_archive(emb__input *in, const char *path, int is_zip, emb_error *err)
{
    struct archive *a = archive_read_new();
    if (a == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    if (is_zip) {
        archive_read_support_format_zip(a);
    } else {
        archive_read_support_filter_gzip(a);
        archive_read_support_format_raw(a);
    }
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
        emb__err(err, EMB_EIO, "cannot open archive: %s", archive_error_string(a));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        archive_read_free(a);
        return EMB_EIO;
    }
    struct archive_entry *e;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF) {
            emb__err(err, EMB_EFORMAT, "archive holds no data file");
            emb__err_at(err, path, 0, 0, UINT64_MAX);
            archive_read_free(a);
            return EMB_EFORMAT;
        }
        if (r < ARCHIVE_WARN) {
            emb__err(err, EMB_ECORRUPT, "corrupt archive: %s", archive_error_string(a));
            emb__err_at(err, path, 0, 0, UINT64_MAX);
            archive_read_free(a);
            return EMB_ECORRUPT;
        }
        if (!is_zip || is_data_entry(e))
            break;
    }
    in->ar = a;
    const char *entry = is_zip ? archive_entry_pathname(e) : NULL;
    if (set_names(in, path, entry) != EMB_OK)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

emb_status emb__input_open_file(const char *path, emb__input **out, emb_error *err)
{
    emb__input *in = emb__calloc(1, sizeof(*in));
    if (in == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        emb_status rc = errno == ENOENT ? EMB_ENOTFOUND : EMB_EIO;
        emb__err(err, rc, "cannot open: %s", strerror(errno));
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        emb__free(in);
        return rc;
    }
    unsigned char magic[4] = {0};
    size_t got = fread(magic, 1, sizeof(magic), fp);
    emb_status rc;
    if (got >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
        fclose(fp);
        rc = open_archive(in, path, 1, err);
    } else if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        fclose(fp);
        rc = open_archive(in, path, 0, err);
    } else {
        rewind(fp);
        in->fp = fp;
        rc = set_names(in, path, NULL);
        if (rc != EMB_OK)
            emb__err(err, rc, "out of memory");
    }
    if (rc != EMB_OK) {
        emb__input_close(in);
        return rc;
    }
    *out = in;
    return EMB_OK;
}

emb_status emb__input_open_mem(const void *data, size_t len, const char *name, emb__input **out,
                               emb_error *err)
{
    emb__input *in = emb__calloc(1, sizeof(*in));
    if (in == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    in->mem = data ? data : "";
    in->mem_len = len;
    if (set_names(in, NULL, NULL) != EMB_OK) {
        emb__input_close(in);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    if (name != NULL) {
        emb__free(in->name);
        in->name = emb__strndup(name, strlen(name));
        if (in->name == NULL) {
            emb__input_close(in);
            return emb__err(err, EMB_ENOMEM, "out of memory");
        }
    }
    *out = in;
    return EMB_OK;
}

/* Read from the underlying source, bypassing the peek buffer. */
static ssize_t raw_read(emb__input *in, void *buf, size_t n, emb_error *err)
{
    if (in->mem != NULL) {
        size_t k = in->mem_len - in->mem_pos;
        if (k > n)
            k = n;
        memcpy(buf, in->mem + in->mem_pos, k);
        in->mem_pos += k;
        return (ssize_t)k;
    }
    if (in->fp != NULL) {
        size_t k = fread(buf, 1, n, in->fp);
        if (k < n && ferror(in->fp)) {
            fail_io(in, err, "read failed");
            return -1;
        }
        return (ssize_t)k;
    }
    la_ssize_t k = archive_read_data(in->ar, buf, n);
    if (k < 0) {
        /* a truncated .gz or .zip shows up here */
        emb__err(err, EMB_ECORRUPT, "cannot decompress (truncated or corrupt archive?): %s",
                 archive_error_string(in->ar));
        emb__err_at(err, in->name, 0, 0, in->offset);
        return -1;
    }
    return (ssize_t)k;
}

const char *emb__input_peek(emb__input *in, size_t *len, emb_error *err)
{
    if (!in->peeked) {
        in->peek = emb__malloc(PEEK_MAX);
        if (in->peek == NULL) {
            emb__err(err, EMB_ENOMEM, "out of memory");
            return NULL;
        }
        while (in->peek_len < PEEK_MAX) {
            ssize_t k = raw_read(in, in->peek + in->peek_len, PEEK_MAX - in->peek_len, err);
            if (k < 0)
                return NULL;
            if (k == 0)
                break;
            in->peek_len += (size_t)k;
        }
        in->peeked = 1;
    }
    *len = in->peek_len - in->peek_pos;
    return in->peek + in->peek_pos;
}

ssize_t emb__input_read(emb__input *in, void *buf, size_t n, emb_error *err)
{
    ssize_t k;
    if (in->peek_pos < in->peek_len) {
        size_t avail = in->peek_len - in->peek_pos;
        k = (ssize_t)(avail < n ? avail : n);
        memcpy(buf, in->peek + in->peek_pos, (size_t)k);
        in->peek_pos += (size_t)k;
    } else {
        k = raw_read(in, buf, n, err);
        if (k < 0)
            return -1;
    }
    if (in->offset + (uint64_t)k > EMB_LIMIT_INPUT_BYTES) {
        emb__err(err, EMB_ELIMIT, "input is larger than the limit of %llu bytes",
                 (unsigned long long)EMB_LIMIT_INPUT_BYTES);
        emb__err_at(err, in->name, 0, 0, in->offset);
        return -1;
    }
    in->offset += (uint64_t)k;
    return k;
}

uint64_t emb__input_offset(const emb__input *in)
{
    return in->offset;
}

const char *emb__input_name(const emb__input *in)
{
    return in->name;
}

const char *emb__input_path(const emb__input *in)
{
    return in->path;
}

void emb__input_close(emb__input *in)
{
    if (in == NULL)
        return;
    if (in->fp != NULL)
        fclose(in->fp);
    if (in->ar != NULL)
        archive_read_free(in->ar);
    emb__free(in->peek);
    emb__free(in->path);
    emb__free(in->name);
    emb__free(in);
}
