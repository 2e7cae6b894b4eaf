/* Internal face of the store module: the SQLite handle and helpers shared by its files. */
#ifndef EMB_STORE_INTERNAL_H
#define EMB_STORE_INTERNAL_H

#include <embargo/store.h>
#include <sqlite3.h>

#include "../core/core.h"

struct emb_store {
    sqlite3 *db;
    char *path;
    char *dir; /* directory holding the database */
};

/* Table scripts, each run at every open (CREATE ... IF NOT EXISTS, STRICT). */
extern const char emb__store_sql_audit[];
extern const char emb__store_sql_lists[];   /* lists.c: list versions */
extern const char emb__store_sql_monitor[]; /* monitor.c: portfolios, alerts, decisions */

/* An SQLite failure as an emb_error naming the database and the operation. */
emb_status emb__store_sqlerr(emb_store *st, emb_error *err, const char *what);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; rollback never fails the caller. */
emb_status emb__store_begin(emb_store *st, emb_error *err);
emb_status emb__store_commit(emb_store *st, emb_error *err);
void emb__store_rollback(emb_store *st);

/* Audit append inside the caller's open transaction. */
emb_status emb__audit_append_tx(emb_store *st, const char *kind, const char *actor,
                                const char *payload_json, int64_t *seq, emb_error *err);

/* Hash of one audit row: SHA-256 over its fields, each length-prefixed, then prev_hash. */
void emb__audit_row_hash(int64_t seq, const char *at, const char *kind, const char *actor,
                         const char *payload, const char *prev_hash, char out[65]);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void emb__store_now(char out[32]);

#endif
