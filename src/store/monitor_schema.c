/* Monitoring, alerts and decisions: tables (filled in by monitor.c). */
#include "store.h"

const char emb__store_sql_monitor[] = "";
