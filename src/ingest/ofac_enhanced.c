/* Placeholder until the ofac_enhanced parser lands. */
#include "ingest.h"

emb_status emb__parse_ofac_enhanced(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the ofac_enhanced parser is not built yet");
}
