/*
 * embargo store: the deployment's SQLite database (one file, WAL, STRICT tables) holding list
 * versions, monitored portfolios, alerts, decisions and the hash-chained audit trail.
 *
 * A store handle is for one thread at a time; open one per thread or process. Readers are
 * never blocked by a writer (WAL). Every write that changes state appends its audit record in
 * the same transaction, so the two commit or vanish together.
 */
#ifndef EMBARGO_STORE_H
#define EMBARGO_STORE_H

#include <embargo/embargo.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emb_store emb_store;

/* $EMBARGO_HOME/embargo.db, else ~/.local/share/embargo/embargo.db. Never NULL. */
EMB_API const char *emb_store_default_path(void);

/* Open (creating if needed) the database at path and bring its tables up to date. */
EMB_API emb_status emb_store_open(const char *path, emb_store **out, emb_error *err);
EMB_API void emb_store_close(emb_store *st);

/* The directory beside the database where list versions and snapshots are kept. */
EMB_API const char *emb_store_dir(const emb_store *st);

/*
 * Append one record to the audit chain: kind ("screening", "list_version", "decision", ...),
 * actor (who or what did it), payload (a JSON object as text). The row stores the SHA-256 of
 * the previous row, so any later edit, deletion or reordering is detectable. seq receives the
 * record's sequence number (may be NULL).
 */
EMB_API emb_status emb_store_audit_append(emb_store *st, const char *kind, const char *actor,
                                          const char *payload_json, int64_t *seq,
                                          emb_error *err);

#ifdef __cplusplus
}
#endif
#endif
