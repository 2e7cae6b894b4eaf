/* Placeholder until the un_xml parser lands. */
#include "ingest.h"

emb_status emb__parse_un_xml(emb__pctx *ctx)
{
    return emb__err(ctx->err, EMB_EFORMAT, "the un_xml parser is not built yet");
}
