/*
 * Downloading a list: libcurl with a protocol allow-list (https; file:// and loopback http
 * for tests), conditional requests, a size cap and time limits, into a temporary file that
 * is then parsed in full and recorded (versions.c). Nothing that fails on the way touches
 * the recorded versions or the published snapshot.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *emb_update_outcome_name(emb_update_outcome o)
{
    static const char *const names[] = {"published", "not_modified", "same", "held_back", "failed"};
    return (unsigned)o < EMB_COUNTOF(names) ? names[o] : "failed";
}

typedef struct dl {
    FILE *f;
    uint64_t bytes, max;
    int too_big, write_failed;
    char etag[256];
    char last_modified[64];
} dl;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    dl *d = ud;
    size_t len = size * n;
    if (d->bytes + len > d->max) {
        d->too_big = 1;
        return 0;
    }
    if (fwrite(p, 1, len, d->f) != len) {
        d->write_failed = errno ? errno : EIO;
        return 0;
    }
    d->bytes += len;
    return len;
}

/* Keep one response header's value (a redirect's later response overwrites it). */
static void header_value(const char *p, size_t len, const char *key, char *dst, size_t cap)
{
    size_t k = strlen(key);
    if (len <= k || strncasecmp(p, key, k) != 0 || p[k] != ':')
        return;
    p += k + 1, len -= k + 1;
    while (len > 0 && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
        len--;
    if (len >= cap)
        return; /* an oversized validator is not worth keeping */
    memcpy(dst, p, len);
    dst[len] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    dl *d = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        d->etag[0] = d->last_modified[0] = '\0';
        return len;
    }
    header_value(p, len, "etag", d->etag, sizeof(d->etag));
    header_value(p, len, "last-modified", d->last_modified, sizeof(d->last_modified));
    return len;
}

/* https anywhere; http only to this machine; file:// for local copies and tests. */
static emb_status check_url(const char *url, emb_error *err)
{
    CURLU *u = curl_url();
    if (u == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    char *scheme = NULL, *host = NULL;
    emb_status s = EMB_OK;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        s = emb__err(err, EMB_EINVAL, "not a valid URL");
        goto out;
    }
    if (strcmp(scheme, "https") == 0 || strcmp(scheme, "file") == 0)
        goto out;
    if (strcmp(scheme, "http") == 0 && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
         strcmp(host, "[::1]") == 0))
        goto out;
    s = emb__err(err, EMB_EINVAL,
                 "only https URLs are allowed (http only to 127.0.0.1 or localhost, for tests)");
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return s;
}

/* The published file name: last path segment, without query; "download" when none. */
static void url_name(const char *url, char *out, size_t cap)
{
    const char *end = url + strcspn(url, "?#");
    const char *start = end;
    while (start > url && start[-1] != '/')
        start--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= cap || start[0] == '.') {
        snprintf(out, cap, "download");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = start[i];
        if (c == '/' || c == '\\' || (unsigned char)c < 0x20)
            c = '_';
        out[i] = c;
    }
    out[n] = '\0';
}

static void name_source(emb_error *err, const emb_list_source *src)
{
    char place[EMB_ERROR_SOURCE_MAX];
    if (snprintf(place, sizeof(place), "%s (%.400s)", src->name, src->url) < 0)
        place[0] = '\0';
    memcpy(err->source, place, sizeof(place));
}

static int curl_ready;

emb_status emb_update_fetch(emb_store *st, const emb_list_source *src, emb_update_result *res,
                            emb_error *err)
{
    emb__err_clear(err);
    memset(res, 0, sizeof(*res));
    res->outcome = EMB_UPDATE_FAILED;
    emb_status s = check_url(src->url, err);
    if (s != EMB_OK) {
        name_source(err, src);
        return s;
    }
    if (!curl_ready) {
        /* not thread-safe before curl 7.84; an update runs on one thread */
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return emb__err(err, EMB_EIO, "cannot initialise libcurl");
        curl_ready = 1;
    }
    emb_list_version *prev = emb__malloc(sizeof(*prev));
    if (prev == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    int have_prev = 0;
    s = emb_version_get(st, src->name, 0, prev, err);
    if (s == EMB_OK) {
        have_prev = 1;
        res->prev_entities = prev->entities;
    } else if (s != EMB_ENOTFOUND) {
        emb__free(prev);
        return s;
    }
    emb__err_clear(err);

    char tdir[4096], path[4400], name[256];
    snprintf(tdir, sizeof(tdir), "%s/.dl-XXXXXX", emb_store_dir(st));
    if (mkdtemp(tdir) == NULL) {
        emb__free(prev);
        return emb__errno(err, emb_store_dir(st), "create temporary directory");
    }
    url_name(src->url, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s", tdir, name);
    dl d;
    memset(&d, 0, sizeof(d));
    d.max = src->max_bytes ? src->max_bytes : (512ull << 20);
    d.f = fopen(path, "wb");
    CURL *c = NULL;
    struct curl_slist *hdrs = NULL;
    if (d.f == NULL) {
        s = emb__errno(err, path, "create");
        goto out;
    }
    c = curl_easy_init();
    if (c == NULL) {
        s = emb__err(err, EMB_ENOMEM, "cannot create a libcurl handle");
        goto out;
    }
    char cerr[CURL_ERROR_SIZE];
    cerr[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, src->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &d);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     src->connect_timeout > 0 ? src->connect_timeout : 30L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, src->timeout > 0 ? src->timeout : 900L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT,
                     src->low_speed_limit > 0 ? src->low_speed_limit : 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                     src->low_speed_time > 0 ? src->low_speed_time : 60L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d.max);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip/deflate as the server offers */
    curl_easy_setopt(c, CURLOPT_USERAGENT, "embargo/" EMB_VERSION_STRING);
    /* a changed URL is a different file: no validators from the old one */
    if (have_prev && strcmp(prev->url, src->url) == 0) {
        char h[400];
        if (prev->etag[0]) {
            snprintf(h, sizeof(h), "If-None-Match: %s", prev->etag);
            hdrs = curl_slist_append(hdrs, h);
        }
        if (prev->last_modified[0]) {
            snprintf(h, sizeof(h), "If-Modified-Since: %s", prev->last_modified);
            hdrs = curl_slist_append(hdrs, h);
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    res->http_status = code;
    res->downloaded = d.bytes;
    int fl = fclose(d.f);
    d.f = NULL;
    if (cc != CURLE_OK) {
        if (d.too_big || cc == CURLE_FILESIZE_EXCEEDED)
            s = emb__err(err, EMB_ELIMIT, "download larger than max_bytes (%llu bytes)",
                         (unsigned long long)d.max);
        else if (d.write_failed) {
            errno = d.write_failed;
            s = emb__errno(err, path, "write download");
        } else if (cc == CURLE_OPERATION_TIMEDOUT)
            s = emb__err(err, EMB_EIO, "download timed out after %llu bytes: %s",
                         (unsigned long long)d.bytes, cerr[0] ? cerr : curl_easy_strerror(cc));
        else if (cc == CURLE_PARTIAL_FILE)
            s = emb__err(err, EMB_EIO, "download truncated after %llu bytes: %s",
                         (unsigned long long)d.bytes, cerr[0] ? cerr : curl_easy_strerror(cc));
        else
            s = emb__err(err, EMB_EIO, "download failed: %s",
                         cerr[0] ? cerr : curl_easy_strerror(cc));
        goto out;
    }
    if (fl != 0) {
        s = emb__errno(err, path, "write download");
        goto out;
    }
    if (code == 304) {
        s = emb_version_checked(st, src->name, err);
        if (s == EMB_OK) {
            res->outcome = EMB_UPDATE_NOT_MODIFIED;
            emb_version_get(st, src->name, 0, &res->version, NULL);
        }
        goto out;
    }
    if (code != 0 && code != 200) {
        s = emb__err(err, EMB_EIO, "server answered HTTP %ld", code);
        goto out;
    }
    emb_version_meta meta;
    memset(&meta, 0, sizeof(meta));
    meta.source = src->name;
    meta.dataset = src->dataset[0] ? src->dataset : NULL;
    meta.url = src->url;
    meta.name = name;
    meta.etag = d.etag;
    meta.last_modified = d.last_modified;
    meta.max_shrink = src->max_shrink;
    emb_record_outcome ro = EMB_RECORD_PUBLISHED;
    s = emb_version_record(st, path, &meta, &ro, &res->version, err);
    if (s == EMB_OK)
        res->outcome = ro == EMB_RECORD_SAME ? EMB_UPDATE_SAME : EMB_UPDATE_PUBLISHED;
    else if (ro == EMB_RECORD_HELD_BACK)
        res->outcome = EMB_UPDATE_HELD_BACK;
out:
    if (d.f != NULL)
        fclose(d.f);
    curl_slist_free_all(hdrs);
    if (c != NULL)
        curl_easy_cleanup(c);
    unlink(path);
    rmdir(tdir);
    emb__free(prev);
    if (s != EMB_OK) {
        /* the parse error's own place (line, record) stays; the source and URL lead */
        char inner[EMB_ERROR_SOURCE_MAX];
        memcpy(inner, err->source, sizeof(inner));
        name_source(err, src);
        if (inner[0] && strncmp(inner, tdir, strlen(tdir)) != 0 && strcmp(inner, src->url) != 0) {
            char msg[EMB_ERROR_MSG_MAX];
            if (snprintf(msg, sizeof(msg), "%.150s (%.100s)", err->msg, inner) > 0)
                memcpy(err->msg, msg, sizeof(msg));
        }
    }
    return s;
}

/* ---------------------------------------------------------------- publishing */

typedef struct shas {
    char (*items)[65];
    size_t n, cap;
    int oom;
} shas;

static int collect_sha(void *ud, const emb_list_version *v)
{
    shas *l = ud;
    if (emb__grow((void **)&l->items, &l->cap, 65, l->n + 1, 4096) != EMB_OK) {
        l->oom = 1;
        return 1;
    }
    memcpy(l->items[l->n++], v->sha256, 65);
    return 0;
}

static int sha_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* 1 when the snapshot at path opens and holds exactly these versions (by SHA-256). */
static int snapshot_matches(const char *path, shas *want)
{
    emb_index *idx = NULL;
    if (emb_index_open(path, &idx, NULL) != EMB_OK)
        return 0;
    size_t n = emb_index_source_count(idx);
    int ok = n == want->n;
    char(*have)[65] = ok ? emb__calloc(n ? n : 1, 65) : NULL;
    ok = ok && have != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        emb_source_meta m;
        if (emb_index_source(idx, i, &m) != EMB_OK || m.sha256.len != 64)
            ok = 0;
        else
            memcpy(have[i], m.sha256.ptr, 64);
    }
    if (ok) {
        qsort(have, n, 65, sha_cmp);
        qsort(want->items, n, 65, sha_cmp);
        ok = memcmp(have, want->items, n * 65) == 0;
    }
    emb__free(have);
    emb_index_close(idx);
    return ok;
}

static int latest_only(void *ud, const emb_list_version *v)
{
    return collect_sha(ud, v);
}

emb_status emb_store_publish(emb_store *st, int *rebuilt, emb_build_stats *stats, emb_error *err)
{
    emb__err_clear(err);
    if (rebuilt)
        *rebuilt = 0;
    char cur[4200];
    if (emb_store_current_path(st, cur, sizeof(cur)) != EMB_OK)
        return emb__err(err, EMB_ELIMIT, "store path too long");
    shas want;
    memset(&want, 0, sizeof(want));
    /* the latest version of each source: the as-of query at the far future */
    emb_status s = emb_versions_as_of(st, "9999-12-31", latest_only, &want, err);
    if (s != EMB_OK) {
        emb__free(want.items);
        return want.oom ? emb__err(err, EMB_ENOMEM, "out of memory") : s;
    }
    int same = want.n > 0 && snapshot_matches(cur, &want);
    size_t n = want.n;
    emb__free(want.items);
    if (n == 0)
        return emb__err(err, EMB_ENOTFOUND, "no list version is recorded yet");
    if (same)
        return EMB_OK;
    s = emb_store_build_snapshot(st, NULL, cur, stats, err);
    if (s == EMB_OK && rebuilt)
        *rebuilt = 1;
    return s;
}

/* ---------------------------------------------------------------- lock and clean-up */

/* Remove what an interrupted update left: .tmp-* in versions/<source>/, .dl-* and .build-*
 * directories, current.emb.tmp.* (a snapshot being written). Best effort. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[4400];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int w = snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (w > 0 && (size_t)w < sizeof(p))
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int older_than_a_day(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && time(NULL) - sb.st_mtime > 86400;
}

static void sweep(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[4400];
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        int w = snprintf(p, sizeof(p), "%s/%s", dir, n);
        if (w < 0 || (size_t)w >= sizeof(p))
            continue;
        if (depth == 0 && (strncmp(n, ".dl-", 4) == 0 || strncmp(n, ".build-", 7) == 0 ||
                           (strncmp(n, ".asof-", 6) == 0 && older_than_a_day(p))))
            remove_tree(p);
        else if ((depth > 0 && strncmp(n, ".tmp-", 5) == 0) ||
                 (depth == 0 && strncmp(n, "current.emb.tmp.", 16) == 0))
            unlink(p); /* a version or a snapshot (emb_index_build's temporary) cut short */
        else if (depth < 2 && (depth > 0 || strcmp(n, "versions") == 0)) {
            struct stat sb;
            if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                sweep(p, depth + 1);
        }
    }
    closedir(d);
}

emb_status emb_store_lock_update(emb_store *st, int *lock_fd, emb_error *err)
{
    emb__err_clear(err);
    char p[4200];
    snprintf(p, sizeof(p), "%s/update.lock", emb_store_dir(st));
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return emb__errno(err, p, "open lock file");
    struct flock fl;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        close(fd);
        emb__err(err, EMB_ELIMIT, "another update is running on this store");
        emb__err_at(err, p, 0, 0, UINT64_MAX);
        return EMB_ELIMIT;
    }
    sweep(emb_store_dir(st), 0);
    *lock_fd = fd;
    return EMB_OK;
}

void emb_store_unlock_update(int lock_fd)
{
    if (lock_fd >= 0)
        close(lock_fd);
}
