/* Placeholder until the eu_fsf parser lands. */
#include "ingest.h"

emb_status emb__parse_eu_fsf(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the eu_fsf parser is not built yet");
}
