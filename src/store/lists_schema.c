/*
 * List versions: one row per published version of a source, the compressed file kept under
 * <store dir>/versions/. Rows are only ever added in the same transaction as their audit
 * record; the file is in place (fsynced, renamed) before the row commits, so a row always
 * names a complete file.
 */
#include "store.h"

const char emb__store_sql_lists[] =
    "CREATE TABLE IF NOT EXISTS list_version ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  url TEXT NOT NULL,"
    "  file TEXT NOT NULL,"   /* relative to the store dir */
    "  name TEXT NOT NULL,"   /* file name as published (keeps .zip, .xml...) */
    "  sha256 TEXT NOT NULL," /* of the file as published */
    "  bytes INTEGER NOT NULL,"
    "  stored_bytes INTEGER NOT NULL,"
    "  published TEXT," /* publication date the list states, else NULL */
    "  fetched_at TEXT NOT NULL,"
    "  checked_at TEXT NOT NULL," /* last time the publisher confirmed it is current */
    "  format TEXT NOT NULL,"
    "  dataset TEXT NOT NULL,"
    "  entities INTEGER NOT NULL,"
    "  names INTEGER NOT NULL,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  audit_seq INTEGER,"
    "  UNIQUE (source, version)"
    ") STRICT;"
    "CREATE INDEX IF NOT EXISTS list_version_fetched ON list_version(source, fetched_at);"
    "CREATE INDEX IF NOT EXISTS list_version_sha ON list_version(sha256);";
