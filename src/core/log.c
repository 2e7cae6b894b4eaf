/* The library's only output channel: silent unless a program installs a hook. */
#include <stdio.h>

#include "core.h"

static emb_log_fn g_log_fn;
static void *g_log_ud;

void emb_set_log(emb_log_fn fn, void *ud)
{
    g_log_fn = fn;
    g_log_ud = ud;
}

void emb__log(emb_log_level level, const char *component, const char *fmt, ...)
{
    if (g_log_fn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    g_log_fn(g_log_ud, level, component, msg);
}
