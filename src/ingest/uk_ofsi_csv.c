/* Placeholder until the uk_ofsi_csv parser lands. */
#include "ingest.h"

emb_status emb__parse_uk_ofsi_csv(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the uk_ofsi_csv parser is not built yet");
}
