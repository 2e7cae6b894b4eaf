/* Placeholder until the uk_xml parser lands. */
#include "ingest.h"

emb_status emb__parse_uk_xml(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the uk_xml parser is not built yet");
}
