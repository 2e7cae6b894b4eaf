/* Monitoring internals shared by monitor.c, monitor_run.c and decide.c. */
#ifndef EMB_STORE_MONITOR_H
#define EMB_STORE_MONITOR_H

#include "store.h"

/* Lists (birth dates, countries, identifiers) are stored joined by this byte, which no
 * accepted value may hold. */
#define EMB__MON_SEP '\x1e'

/* Fingerprints are the first 32 hex digits (128 bits) of a SHA-256. */
#define EMB__FP_LEN 32

/* Portfolio id, generation, last run and content hash by name; EMB_ENOTFOUND when absent. */
typedef struct emb__portfolio {
    int64_t id;
    int64_t generation;
    int64_t last_run;
    int64_t customers;
    char content_hash[65];
} emb__portfolio;

emb_status emb__portfolio_get(emb_store *st, const char *name, emb__portfolio *p, emb_error *err);

/* Alerts of one portfolio (NULL: all), open_only, one run (0: all) to fn. */
emb_status emb__alerts_query(emb_store *st, const char *portfolio, int open_only, int64_t run,
                             emb_alert_fn fn, void *ud, emb_error *err);

/* Parts of a stored list. */
size_t emb__mon_count(const char *s);
/* Split a stored list in place into at most `max` parts; returns the count. */
size_t emb__mon_split(char *s, const char **parts, size_t max);

#endif
