/*
 * Recorded list versions: each published file is kept zstd-compressed under
 * <store dir>/versions/<source>/<sha256>.zst (content-addressed, so a crash between writing
 * the file and committing its row leaves only an unreferenced file, never a row without one),
 * and described by a list_version row added with its audit record in one transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "fetch.h"
#include "store.h"

#define IO_CHUNK (1u << 16)

emb_status emb__errno(emb_error *err, const char *path, const char *what)
{
    int e = errno;
    emb__err(err, EMB_EIO, "%s: %s%s", what, strerror(e),
             e == ENOSPC   ? " (disk full; nothing was changed)"
             : e == EROFS  ? " (read-only file system; nothing was changed)"
             : e == EACCES ? " (no permission; nothing was changed)"
                           : "");
    emb__err_at(err, path, 0, 0, UINT64_MAX);
    return EMB_EIO;
}

emb_status emb__fsync_dir(const char *dir, emb_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return emb__errno(err, dir, "open directory");
    int rc = fsync(fd);
    close(fd);
    if (rc != 0 && errno != EINVAL)
        return emb__errno(err, dir, "sync directory");
    return EMB_OK;
}

emb_status emb__mkdir(const char *dir, emb_error *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return emb__errno(err, dir, "create directory");
    return EMB_OK;
}

int emb__valid_source_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

emb_status emb__sha256_file(const char *path, char out[65], uint64_t *bytes, emb_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return emb__errno(err, path, "open");
    unsigned char *buf = emb__malloc(IO_CHUNK);
    if (buf == NULL) {
        fclose(f);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    emb__sha256 h;
    emb__sha256_init(&h);
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buf, 1, IO_CHUNK, f)) > 0) {
        emb__sha256_update(&h, buf, n);
        total += n;
    }
    int bad = ferror(f);
    fclose(f);
    emb__free(buf);
    if (bad)
        return emb__errno(err, path, "read");
    emb__sha256_hex(&h, out);
    if (bytes)
        *bytes = total;
    return EMB_OK;
}

/* Compress src into the open file `out`, hashing the original bytes. */
static emb_status compress_to(const char *src, FILE *out, const char *out_path, char sha[65],
                              uint64_t *bytes, uint64_t *stored, emb_error *err)
{
    FILE *in = fopen(src, "rb");
    if (in == NULL)
        return emb__errno(err, src, "open");
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    unsigned char *ibuf = emb__malloc(IO_CHUNK);
    size_t ocap = ZSTD_CStreamOutSize();
    unsigned char *obuf = emb__malloc(ocap);
    emb_status s = EMB_OK;
    if (cc == NULL || ibuf == NULL || obuf == NULL) {
        s = emb__err(err, EMB_ENOMEM, "out of memory");
        goto out;
    }
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 9);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    emb__sha256 h;
    emb__sha256_init(&h);
    uint64_t total = 0, written = 0;
    for (;;) {
        size_t n = fread(ibuf, 1, IO_CHUNK, in);
        if (n == 0 && ferror(in)) {
            s = emb__errno(err, src, "read");
            goto out;
        }
        int last = n < IO_CHUNK;
        emb__sha256_update(&h, ibuf, n);
        total += n;
        ZSTD_inBuffer ib = {ibuf, n, 0};
        int done = 0;
        while (!done) {
            ZSTD_outBuffer ob = {obuf, ocap, 0};
            size_t rem = ZSTD_compressStream2(cc, &ob, &ib, last ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(rem)) {
                s = emb__err(err, EMB_EIO, "compress %s: %s", src, ZSTD_getErrorName(rem));
                goto out;
            }
            if (ob.pos > 0 && fwrite(obuf, 1, ob.pos, out) != ob.pos) {
                s = emb__errno(err, out_path, "write");
                goto out;
            }
            written += ob.pos;
            done = last ? rem == 0 : ib.pos == ib.size;
        }
        if (last)
            break;
    }
    emb__sha256_hex(&h, sha);
    *bytes = total;
    *stored = written;
out:
    fclose(in);
    ZSTD_freeCCtx(cc);
    emb__free(ibuf);
    emb__free(obuf);
    return s;
}

emb_status emb_version_extract(const emb_list_version *v, const char *out_path, emb_error *err)
{
    emb__err_clear(err);
    FILE *in = fopen(v->path, "rb");
    if (in == NULL)
        return emb__errno(err, v->path, "open stored version");
    FILE *out = out_path ? fopen(out_path, "wb") : NULL;
    if (out_path != NULL && out == NULL) {
        fclose(in);
        return emb__errno(err, out_path, "create");
    }
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    size_t icap = ZSTD_DStreamInSize(), ocap = ZSTD_DStreamOutSize();
    unsigned char *ibuf = emb__malloc(icap), *obuf = emb__malloc(ocap);
    emb_status s = EMB_OK;
    emb__sha256 h;
    emb__sha256_init(&h);
    size_t last_rc = 0;
    if (dc == NULL || ibuf == NULL || obuf == NULL) {
        s = emb__err(err, EMB_ENOMEM, "out of memory");
        goto out;
    }
    size_t n;
    while ((n = fread(ibuf, 1, icap, in)) > 0) {
        ZSTD_inBuffer ib = {ibuf, n, 0};
        while (ib.pos < ib.size) {
            ZSTD_outBuffer ob = {obuf, ocap, 0};
            last_rc = ZSTD_decompressStream(dc, &ob, &ib);
            if (ZSTD_isError(last_rc)) {
                s = emb__err(err, EMB_ECORRUPT, "stored version is damaged: %s",
                             ZSTD_getErrorName(last_rc));
                emb__err_at(err, v->path, 0, 0, UINT64_MAX);
                goto out;
            }
            emb__sha256_update(&h, obuf, ob.pos);
            if (out != NULL && ob.pos > 0 && fwrite(obuf, 1, ob.pos, out) != ob.pos) {
                s = emb__errno(err, out_path, "write");
                goto out;
            }
        }
    }
    if (ferror(in)) {
        s = emb__errno(err, v->path, "read stored version");
        goto out;
    }
    char sha[65];
    emb__sha256_hex(&h, sha);
    if (last_rc != 0 || strcmp(sha, v->sha256) != 0) {
        s = emb__err(err, EMB_ECORRUPT,
                     "stored version %s@%lld does not match its recorded SHA-256 %.16s...",
                     v->source, (long long)v->version, v->sha256);
        emb__err_at(err, v->path, 0, 0, UINT64_MAX);
    }
out:
    fclose(in);
    if (out != NULL && fclose(out) != 0 && s == EMB_OK)
        s = emb__errno(err, out_path, "write");
    ZSTD_freeDCtx(dc);
    emb__free(ibuf);
    emb__free(obuf);
    return s;
}

/* ---------------------------------------------------------------- rows */

#define VERSION_COLS                                                                               \
    "source, version, url, file, name, sha256, bytes, stored_bytes, published, fetched_at,"        \
    " checked_at, format, dataset, entities, names, etag, last_modified"

static void col_copy(sqlite3_stmt *q, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static void read_row(emb_store *st, sqlite3_stmt *q, emb_list_version *v)
{
    memset(v, 0, sizeof(*v));
    col_copy(q, 0, v->source, sizeof(v->source));
    v->version = sqlite3_column_int64(q, 1);
    col_copy(q, 2, v->url, sizeof(v->url));
    const unsigned char *file = sqlite3_column_text(q, 3);
    snprintf(v->path, sizeof(v->path), "%s/%s", st->dir, file ? (const char *)file : "");
    col_copy(q, 4, v->name, sizeof(v->name));
    col_copy(q, 5, v->sha256, sizeof(v->sha256));
    v->bytes = (uint64_t)sqlite3_column_int64(q, 6);
    v->stored_bytes = (uint64_t)sqlite3_column_int64(q, 7);
    col_copy(q, 8, v->published, sizeof(v->published));
    col_copy(q, 9, v->fetched_at, sizeof(v->fetched_at));
    col_copy(q, 10, v->checked_at, sizeof(v->checked_at));
    col_copy(q, 11, v->format, sizeof(v->format));
    col_copy(q, 12, v->dataset, sizeof(v->dataset));
    v->entities = (uint64_t)sqlite3_column_int64(q, 13);
    v->names = (uint64_t)sqlite3_column_int64(q, 14);
    col_copy(q, 15, v->etag, sizeof(v->etag));
    col_copy(q, 16, v->last_modified, sizeof(v->last_modified));
}

/* Run a query returning version rows; bind up to two text parameters. */
static emb_status each_row(emb_store *st, const char *sql, const char *p1, const char *p2,
                           emb_version_fn fn, void *ud, size_t *n_rows, emb_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read list versions");
    if (p1)
        sqlite3_bind_text(q, 1, p1, -1, SQLITE_STATIC);
    if (p2)
        sqlite3_bind_text(q, 2, p2, -1, SQLITE_STATIC);
    emb_status s = EMB_OK;
    size_t n = 0;
    emb_list_version *v = emb__malloc(sizeof(*v));
    if (v == NULL) {
        sqlite3_finalize(q);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        read_row(st, q, v);
        n++;
        if (fn && fn(ud, v) != 0) {
            s = emb__err(err, EMB_ESTOPPED, "stopped by the caller");
            break;
        }
    }
    if (s == EMB_OK && rc != SQLITE_DONE)
        s = emb__store_sqlerr(st, err, "read list versions");
    emb__free(v);
    sqlite3_finalize(q);
    if (n_rows)
        *n_rows = n;
    return s;
}

emb_status emb_versions_list(emb_store *st, const char *source, emb_version_fn fn, void *ud,
                             emb_error *err)
{
    emb__err_clear(err);
    if (source)
        return each_row(st,
                        "SELECT " VERSION_COLS " FROM list_version WHERE source = ?1"
                        " ORDER BY version",
                        source, NULL, fn, ud, NULL, err);
    return each_row(st, "SELECT " VERSION_COLS " FROM list_version ORDER BY source, version", NULL,
                    NULL, fn, ud, NULL, err);
}

static int copy_one(void *ud, const emb_list_version *v)
{
    memcpy(ud, v, sizeof(*v));
    return 0;
}

emb_status emb_version_get(emb_store *st, const char *source, int64_t n, emb_list_version *out,
                           emb_error *err)
{
    emb__err_clear(err);
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)n);
    size_t rows = 0;
    emb_status s = n <= 0 ? each_row(st,
                                     "SELECT " VERSION_COLS " FROM list_version WHERE source = ?1"
                                     " ORDER BY version DESC LIMIT 1",
                                     source, NULL, copy_one, out, &rows, err)
                          : each_row(st,
                                     "SELECT " VERSION_COLS " FROM list_version WHERE source = ?1"
                                     " AND version = CAST(?2 AS INTEGER)",
                                     source, num, copy_one, out, &rows, err);
    if (s == EMB_OK && rows == 0) {
        if (n <= 0)
            return emb__err(err, EMB_ENOTFOUND, "no version of source '%s' is recorded", source);
        return emb__err(err, EMB_ENOTFOUND, "source '%s' has no version %lld", source,
                        (long long)n);
    }
    return s;
}

/* "YYYY-MM-DD" -> the last instant of that day; a full time is taken as written. */
static emb_status as_of_bound(const char *date, char out[40], emb_error *err)
{
    size_t n = strlen(date);
    int ok = n >= 10 && date[4] == '-' && date[7] == '-';
    for (size_t i = 0; ok && i < 10; i++) {
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9'))
            ok = 0;
    }
    if (!ok || n > 30)
        return emb__err(err, EMB_EINVAL,
                        "as-of date '%.40s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", date);
    if (n == 10)
        snprintf(out, 40, "%sT23:59:59.999Z", date);
    else
        snprintf(out, 40, "%s", date);
    return EMB_OK;
}

emb_status emb_versions_as_of(emb_store *st, const char *date, emb_version_fn fn, void *ud,
                              emb_error *err)
{
    emb__err_clear(err);
    char bound[40];
    emb_status s = as_of_bound(date, bound, err);
    if (s != EMB_OK)
        return s;
    return each_row(st,
                    "SELECT " VERSION_COLS " FROM list_version v WHERE fetched_at <= ?1"
                    " AND version = (SELECT MAX(version) FROM list_version w"
                    "                WHERE w.source = v.source AND w.fetched_at <= ?1)"
                    " ORDER BY source",
                    bound, NULL, fn, ud, NULL, err);
}

emb_status emb_store_current_path(const emb_store *st, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/current.emb", emb_store_dir(st));
    return n > 0 && (size_t)n < cap ? EMB_OK : EMB_ELIMIT;
}

/* ---------------------------------------------------------------- recording */

static int count_entity(void *ud, const emb_entity *e)
{
    (void)ud;
    (void)e;
    return 0;
}

static emb_status set_checked(emb_store *st, const char *source, int64_t version, const char *etag,
                              const char *last_modified, emb_error *err)
{
    char now[32];
    emb__store_now(now);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE list_version SET checked_at = ?1,"
                           " etag = COALESCE(?4, etag),"
                           " last_modified = COALESCE(?5, last_modified)"
                           " WHERE source = ?2 AND version = CAST(?3 AS INTEGER)",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "update list version");
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)version);
    sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, num, -1, SQLITE_STATIC);
    if (etag && etag[0])
        sqlite3_bind_text(q, 4, etag, -1, SQLITE_STATIC);
    if (last_modified && last_modified[0])
        sqlite3_bind_text(q, 5, last_modified, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return emb__store_sqlerr(st, err, "update list version");
    return EMB_OK;
}

emb_status emb_version_checked(emb_store *st, const char *source, emb_error *err)
{
    emb__err_clear(err);
    emb_list_version *v = emb__malloc(sizeof(*v));
    if (v == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    emb_status s = emb_version_get(st, source, 0, v, err);
    if (s == EMB_OK)
        s = set_checked(st, source, v->version, NULL, NULL, err);
    emb__free(v);
    return s;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Keep the compressed copy: versions/<source>/<sha>.zst, written aside and renamed. */
static emb_status store_file(emb_store *st, const char *path, const char *source, char sha[65],
                             uint64_t *bytes, uint64_t *stored, char *rel, size_t rel_cap,
                             emb_error *err)
{
    char dir[4096], tmp[4200], fin[4200];
    snprintf(dir, sizeof(dir), "%s/versions", st->dir);
    emb_status s = emb__mkdir(dir, err);
    if (s != EMB_OK)
        return s;
    snprintf(dir, sizeof(dir), "%s/versions/%s", st->dir, source);
    if ((s = emb__mkdir(dir, err)) != EMB_OK)
        return s;
    snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return emb__errno(err, dir, "create temporary file");
    FILE *f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        unlink(tmp);
        return emb__errno(err, tmp, "open");
    }
    s = compress_to(path, f, tmp, sha, bytes, stored, err);
    if (s == EMB_OK && fflush(f) != 0)
        s = emb__errno(err, tmp, "write");
    if (s == EMB_OK && fsync(fileno(f)) != 0)
        s = emb__errno(err, tmp, "sync");
    if (fclose(f) != 0 && s == EMB_OK)
        s = emb__errno(err, tmp, "write");
    if (s == EMB_OK) {
        snprintf(fin, sizeof(fin), "%s/%s.zst", dir, sha);
        if (rename(tmp, fin) != 0)
            s = emb__errno(err, fin, "rename");
    }
    if (s != EMB_OK) {
        unlink(tmp);
        return s;
    }
    snprintf(rel, rel_cap, "versions/%s/%s.zst", source, sha);
    return emb__fsync_dir(dir, err);
}

static char *audit_payload(const emb_list_version *v)
{
    json_t *o =
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:s}", "source", v->source,
                  "version", (json_int_t)v->version, "dataset", v->dataset, "format", v->format,
                  "sha256", v->sha256, "published", v->published[0] ? v->published : NULL,
                  "fetched_at", v->fetched_at, "url", v->url, "entities", (json_int_t)v->entities,
                  "bytes", (json_int_t)v->bytes, "name", v->name);
    if (o == NULL)
        return NULL;
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

static emb_status insert_version(emb_store *st, emb_list_version *v, const char *rel,
                                 emb_error *err)
{
    sqlite3_stmt *q = NULL;
    int64_t next = 1;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT COALESCE(MAX(version), 0) FROM list_version"
                           " WHERE source = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "read list versions");
    sqlite3_bind_text(q, 1, v->source, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        next = sqlite3_column_int64(q, 0) + 1;
    sqlite3_finalize(q);
    v->version = next;
    char *payload = audit_payload(v);
    if (payload == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    int64_t seq = 0;
    emb_status s = emb__audit_append_tx(st, "list_version", "embargo update", payload, &seq, err);
    free(payload);
    if (s != EMB_OK)
        return s;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO list_version(source, version, url, file, name, sha256,"
                           " bytes, stored_bytes, published, fetched_at, checked_at, format,"
                           " dataset, entities, names, etag, last_modified, audit_seq)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                           " ?14, ?15, ?16, ?17, ?18)",
                           -1, &q, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "record list version");
    sqlite3_bind_text(q, 1, v->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, v->version);
    sqlite3_bind_text(q, 3, v->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, rel, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, v->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, v->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)v->bytes);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)v->stored_bytes);
    if (v->published[0])
        sqlite3_bind_text(q, 9, v->published, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, v->fetched_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 11, v->checked_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 12, v->format, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 13, v->dataset, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 14, (sqlite3_int64)v->entities);
    sqlite3_bind_int64(q, 15, (sqlite3_int64)v->names);
    if (v->etag[0])
        sqlite3_bind_text(q, 16, v->etag, -1, SQLITE_STATIC);
    if (v->last_modified[0])
        sqlite3_bind_text(q, 17, v->last_modified, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 18, seq);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return emb__store_sqlerr(st, err, "record list version");
    return EMB_OK;
}

emb_status emb_version_record(emb_store *st, const char *path, const emb_version_meta *meta,
                              emb_record_outcome *outcome, emb_list_version *out, emb_error *err)
{
    emb__err_clear(err);
    if (st == NULL || path == NULL || meta == NULL || outcome == NULL)
        return emb__err(err, EMB_EINVAL, "record version: missing argument");
    if (!emb__valid_source_name(meta->source))
        return emb__err(err, EMB_EINVAL,
                        "source name '%.64s' must be 1-63 characters of a-z, 0-9, _ and -",
                        meta->source ? meta->source : "");
    emb_list_version *v = emb__calloc(2, sizeof(*v));
    if (v == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    emb_list_version *prev = v + 1;
    emb_status s;

    /* the same bytes as the latest version were checked when it was recorded */
    int have_prev = 0;
    s = emb_version_get(st, meta->source, 0, prev, err);
    if (s == EMB_OK)
        have_prev = 1;
    else if (s != EMB_ENOTFOUND)
        goto out;
    emb__err_clear(err);
    if (have_prev) {
        char sha[65];
        s = emb__sha256_file(path, sha, NULL, err);
        if (s != EMB_OK)
            goto out;
        if (strcmp(sha, prev->sha256) == 0) {
            s = set_checked(st, meta->source, prev->version, meta->etag, meta->last_modified, err);
            if (s == EMB_OK) {
                *outcome = EMB_RECORD_SAME;
                if (out)
                    *out = *prev;
            }
            goto out;
        }
    }

    /* the whole file must parse: a truncated or damaged download fails here */
    emb_parse_opts po;
    memset(&po, 0, sizeof(po));
    po.dataset = meta->dataset;
    emb_source_info info;
    s = emb_parse_file(path, &po, count_entity, NULL, &info, err);
    if (s != EMB_OK)
        goto out;
    if (info.entities == 0) {
        s = emb__err(err, EMB_EPARSE, "the list holds no entities");
        emb__err_at(err, path, 0, 0, UINT64_MAX);
        goto out;
    }
    snprintf(v->source, sizeof(v->source), "%s", meta->source);
    snprintf(v->dataset, sizeof(v->dataset), "%s", info.dataset);
    snprintf(v->format, sizeof(v->format), "%s", emb_format_name(info.format));
    snprintf(v->url, sizeof(v->url), "%s", meta->url ? meta->url : "");
    snprintf(v->name, sizeof(v->name), "%s", meta->name ? meta->name : base_name(path));
    snprintf(v->published, sizeof(v->published), "%s", info.published);
    if (meta->fetched_at)
        snprintf(v->fetched_at, sizeof(v->fetched_at), "%s", meta->fetched_at);
    else
        emb__store_now(v->fetched_at);
    emb__store_now(v->checked_at);
    snprintf(v->etag, sizeof(v->etag), "%s", meta->etag ? meta->etag : "");
    snprintf(v->last_modified, sizeof(v->last_modified), "%s",
             meta->last_modified ? meta->last_modified : "");
    v->entities = info.entities;
    v->names = info.names;

    if (have_prev) {
        double shrink = meta->max_shrink > 0 ? meta->max_shrink : 0.5;
        if (shrink < 1.0 && (double)v->entities < (1.0 - shrink) * (double)prev->entities) {
            *outcome = EMB_RECORD_HELD_BACK;
            s = emb__err(err, EMB_ELIMIT,
                         "held back: %llu entities where version %lld had %llu (more than "
                         "%.0f%% fewer); not published",
                         (unsigned long long)v->entities, (long long)prev->version,
                         (unsigned long long)prev->entities, shrink * 100.0);
            emb__err_at(err, v->url[0] ? v->url : path, 0, 0, UINT64_MAX);
            /* the refusal itself is evidence: which list was kept out, and why */
            json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "source", v->source, "url", v->url,
                                  "entities", (json_int_t)v->entities, "previous_version",
                                  (json_int_t)prev->version, "previous_entities",
                                  (json_int_t)prev->entities);
            char *payload = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
            json_decref(o);
            emb_error aerr;
            if (payload != NULL)
                emb_store_audit_append(st, "list_held_back", "embargo update", payload, NULL,
                                       &aerr);
            free(payload);
            goto out;
        }
    }

    char rel[512];
    s = store_file(st, path, meta->source, v->sha256, &v->bytes, &v->stored_bytes, rel, sizeof(rel),
                   err);
    if (s != EMB_OK)
        goto out;
    snprintf(v->path, sizeof(v->path), "%s/%s", st->dir, rel);
    s = emb__store_begin(st, err);
    if (s != EMB_OK)
        goto out;
    s = insert_version(st, v, rel, err);
    if (s == EMB_OK)
        s = emb__store_commit(st, err);
    else
        emb__store_rollback(st);
    if (s == EMB_OK) {
        *outcome = EMB_RECORD_PUBLISHED;
        if (out)
            *out = *v;
    }
out:
    emb__free(v);
    return s;
}

/* ---------------------------------------------------------------- snapshots */

typedef struct vlist {
    emb_list_version *items;
    size_t n, cap;
    int oom;
} vlist;

static int collect_version(void *ud, const emb_list_version *v)
{
    vlist *l = ud;
    if (emb__grow((void **)&l->items, &l->cap, sizeof(*v), l->n + 1, 4096) != EMB_OK) {
        l->oom = 1;
        return 1;
    }
    l->items[l->n++] = *v;
    return 0;
}

static emb_status latest_all(emb_store *st, vlist *l, emb_error *err)
{
    return each_row(st,
                    "SELECT " VERSION_COLS " FROM list_version v WHERE version ="
                    " (SELECT MAX(version) FROM list_version w WHERE w.source = v.source)"
                    " ORDER BY source",
                    NULL, NULL, collect_version, l, NULL, err);
}

emb_status emb_store_build_snapshot(emb_store *st, const char *as_of, const char *out_path,
                                    emb_build_stats *stats, emb_error *err)
{
    emb__err_clear(err);
    vlist l;
    memset(&l, 0, sizeof(l));
    emb_status s =
        as_of ? emb_versions_as_of(st, as_of, collect_version, &l, err) : latest_all(st, &l, err);
    if (s != EMB_OK) {
        if (l.oom)
            s = emb__err(err, EMB_ENOMEM, "out of memory");
        emb__free(l.items);
        return s;
    }
    if (l.n == 0) {
        emb__free(l.items);
        if (as_of)
            return emb__err(err, EMB_ENOTFOUND, "no list version was in force on %s", as_of);
        return emb__err(err, EMB_ENOTFOUND, "no list version is recorded yet (run update)");
    }
    /* an update's own rebuild (under its lock) is ".build-", swept after a crash; an as-of
       build may run beside an update, so its ".asof-" is left to age out */
    char tdir[4096];
    snprintf(tdir, sizeof(tdir), "%s/%s-XXXXXX", st->dir, as_of ? ".asof" : ".build");
    if (mkdtemp(tdir) == NULL) {
        emb__free(l.items);
        return emb__errno(err, st->dir, "create temporary directory");
    }
    emb_build_source *src = emb__calloc(l.n, sizeof(*src));
    char(*paths)[4400] = emb__calloc(l.n, sizeof(*paths));
    size_t made = 0;
    if (src == NULL || paths == NULL) {
        s = emb__err(err, EMB_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < l.n; i++) {
        /* the source name keeps files apart; the published name keeps .zip/.gz recognisable */
        int w = snprintf(paths[i], sizeof(paths[i]), "%s/%s@%lld-%s", tdir, l.items[i].source,
                         (long long)l.items[i].version, l.items[i].name);
        if (w < 0 || (size_t)w >= sizeof(paths[i])) {
            s = emb__err(err, EMB_ELIMIT, "store path too long");
            goto out;
        }
        s = emb_version_extract(&l.items[i], paths[i], err);
        made = i + 1;
        if (s != EMB_OK)
            goto out;
        src[i].path = paths[i];
        src[i].dataset = l.items[i].dataset;
    }
    emb_build_opts bo;
    memset(&bo, 0, sizeof(bo));
    s = emb_index_build(out_path, src, l.n, &bo, stats, err);
out:
    for (size_t i = 0; paths != NULL && i < made; i++)
        unlink(paths[i]);
    rmdir(tdir);
    emb__free(src);
    emb__free(paths);
    emb__free(l.items);
    return s;
}
