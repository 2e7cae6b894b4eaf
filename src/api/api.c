/* Public-API glue that belongs to no single module. */
#include "../core/core.h"

const char *emb_version(void)
{
    return EMB_VERSION_STRING;
}
