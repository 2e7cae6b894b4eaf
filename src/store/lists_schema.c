/* List versions: tables (filled in by lists.c). */
#include "store.h"

const char emb__store_sql_lists[] = "";
