/* Opening the deployment database: WAL, full sync, foreign keys, tables brought up to date. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store.h"

const char *emb_store_default_path(void)
{
    static char path[4096];
    const char *home = getenv("EMBARGO_HOME");
    if (home != NULL && home[0] != '\0') {
        snprintf(path, sizeof(path), "%s/embargo.db", home);
        return path;
    }
    home = getenv("HOME");
    snprintf(path, sizeof(path), "%s/.local/share/embargo/embargo.db",
             home != NULL && home[0] != '\0' ? home : ".");
    return path;
}

emb_status emb__store_sqlerr(emb_store *st, emb_error *err, const char *what)
{
    int rc = sqlite3_extended_errcode(st->db);
    emb_status code = EMB_EIO;
    if (rc == SQLITE_NOMEM)
        code = EMB_ENOMEM;
    else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        code = EMB_ECORRUPT;
    emb__err_at(err, st->path, 0, 0, UINT64_MAX);
    return emb__err(err, code, "%s: %s", what, sqlite3_errmsg(st->db));
}

emb_status emb__store_begin(emb_store *st, emb_error *err)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return emb__store_sqlerr(st, err, "begin transaction");
    return EMB_OK;
}

emb_status emb__store_commit(emb_store *st, emb_error *err)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        emb_status s = emb__store_sqlerr(st, err, "commit");
        emb__store_rollback(st);
        return s;
    }
    return EMB_OK;
}

void emb__store_rollback(emb_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

void emb__store_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000L) % 1000);
}

static emb_status mkdirs(const char *dir, emb_error *err)
{
    char tmp[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(tmp))
        return EMB_OK;
    memcpy(tmp, dir, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            break;
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
        emb__err_at(err, dir, 0, 0, UINT64_MAX);
        return emb__err(err, EMB_EIO, "cannot create directory: %s", strerror(errno));
    }
    return EMB_OK;
}

emb_status emb_store_open(const char *path, emb_store **out, emb_error *err)
{
    emb__err_clear(err);
    *out = NULL;
    if (path == NULL)
        path = emb_store_default_path();
    emb_store *st = emb__calloc(1, sizeof(*st));
    if (st == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    st->path = emb__strndup(path, strlen(path));
    const char *slash = strrchr(path, '/');
    st->dir = slash ? emb__strndup(path, (size_t)(slash - path)) : emb__strndup(".", 1);
    if (st->path == NULL || st->dir == NULL) {
        emb_store_close(st);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    emb_status s = mkdirs(st->dir, err);
    if (s != EMB_OK) {
        emb_store_close(st);
        return s;
    }
    int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        s = st->db ? emb__store_sqlerr(st, err, "open database")
                   : emb__err(err, EMB_ENOMEM, "out of memory");
        emb_store_close(st);
        return s;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 10000);
    static const char pragmas[] = "PRAGMA journal_mode=WAL;"
                                  "PRAGMA synchronous=FULL;"
                                  "PRAGMA foreign_keys=ON;";
    const char *scripts[] = {pragmas, emb__store_sql_audit, emb__store_sql_lists,
                             emb__store_sql_monitor};
    for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
        if (sqlite3_exec(st->db, scripts[i], NULL, NULL, NULL) != SQLITE_OK) {
            s = emb__store_sqlerr(st, err, i == 0 ? "configure database" : "create tables");
            emb_store_close(st);
            return s;
        }
    }
    *out = st;
    return EMB_OK;
}

void emb_store_close(emb_store *st)
{
    if (st == NULL)
        return;
    if (st->db != NULL)
        sqlite3_close_v2(st->db);
    emb__free(st->path);
    emb__free(st->dir);
    emb__free(st);
}

const char *emb_store_dir(const emb_store *st)
{
    return st->dir;
}
