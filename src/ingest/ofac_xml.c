/* Placeholder until the ofac_xml parser lands. */
#include "ingest.h"

emb_status emb__parse_ofac_xml(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the ofac_xml parser is not built yet");
}
