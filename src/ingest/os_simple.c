/* Placeholder until the os_simple parser lands. */
#include "ingest.h"

emb_status emb__parse_os_simple(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the os_simple parser is not built yet");
}
