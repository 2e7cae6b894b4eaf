/* Internal helpers shared by the list-lifecycle files of the store module. */
#ifndef EMB_STORE_FETCH_H
#define EMB_STORE_FETCH_H

#include "store.h"

/* An errno failure as EMB_EIO naming the path; disk full and read-only say so. */
emb_status emb__errno(emb_error *err, const char *path, const char *what);
emb_status emb__fsync_dir(const char *dir, emb_error *err);
emb_status emb__mkdir(const char *dir, emb_error *err);
/* [a-z0-9_-]{1,63} */
int emb__valid_source_name(const char *s);
emb_status emb__sha256_file(const char *path, char out[65], uint64_t *bytes, emb_error *err);

/* "YYYY-MM-DD" with an optional "THH:MM:SS" (UTC) to Unix seconds: 1, or 0 when unreadable. */
int emb__iso_to_unix(const char *s, size_t len, int64_t *out);

#endif
