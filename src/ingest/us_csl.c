/* Placeholder until the us_csl parser lands. */
#include "ingest.h"

emb_status emb__parse_us_csl(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the us_csl parser is not built yet");
}
