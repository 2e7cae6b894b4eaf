/* Placeholder until the ftm_json parser lands. */
#include "ingest.h"

emb_status emb__parse_ftm_json(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the ftm_json parser is not built yet");
}
