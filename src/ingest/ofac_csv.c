/* Placeholder until the ofac_csv parser lands. */
#include "ingest.h"

emb_status emb__parse_ofac_csv(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the ofac_csv parser is not built yet");
}
