/*
 * EU journal annex CSV (OpenSanctions' transcription of the annexes of EU sanctions acts):
 * a header of FtM property names led by provenance columns. Consolidated files have
 * `celex`, amendment files `amendedCelex,amendmentCelex`. The source id is
 * `<celex>#<recordId>` as the act prints it. Record numbers restart in each annex section
 * (persons I.A, entities I.B), so the entity id adds the annex to stay unique:
 * `eu_journal_sanctions-<celex>#<annex>#<recordId>`. A row without a printed record number
 * gets `<celex>#h<hash of annex, schema and name>`, stable across versions.
 */
#include <stdio.h>
#include <string.h>

#include "ingest.h"

emb_status emb__parse_eu_journal(emb__pctx *ctx)
{
    emb__csv csv;
    emb__colmap *map = NULL;
    int got = 0;
    emb_status rc = emb__csv_header(ctx, &csv);
    if (rc != EMB_OK)
        return rc;
    static const char *const cols[] = {"celex",   "amendmentCelex", "recordId", "annex",
                                       "measure", "programKey",     "amendedCelex"};
    long ix[EMB_COUNTOF(cols)];
    emb__csv_header_index(&csv, cols, EMB_COUNTOF(cols), ix);
    long celex_col = ix[0] >= 0 ? ix[0] : ix[1];
    if (celex_col < 0 || ix[2] < 0 || ix[5] < 0) {
        rc = emb__err(ctx->err, EMB_EFORMAT,
                      "missing required column (celex or amendmentCelex, recordId, programKey)");
        emb__err_at(ctx->err, emb__input_name(ctx->in), 1, 0, 0);
        goto out;
    }
    rc = emb__colmap_new(ctx, &csv, &map);
    if (rc != EMB_OK)
        goto out;
    if (emb__colmap_find(map, EMB__COL_NAME, EMB_NAME_PRIMARY) < 0 ||
        emb__colmap_find(map, EMB__COL_SCHEMA, -1) < 0) {
        rc = emb__err(ctx->err, EMB_EFORMAT, "missing required column 'name' or 'schema'");
        emb__err_at(ctx->err, emb__input_name(ctx->in), 1, 0, 0);
        goto out;
    }
    for (size_t k = 0; k < EMB_COUNTOF(cols); k++)
        emb__colmap_claim(map, ix[k]);
    size_t n_cols = csv.n_fields;
    long name_col = emb__colmap_find(map, EMB__COL_NAME, EMB_NAME_PRIMARY);
    long schema_col = emb__colmap_find(map, EMB__COL_SCHEMA, -1);
    for (;;) {
        rc = emb__csv_next(&csv, &got, ctx->err);
        if (rc != EMB_OK || !got)
            break;
        emb_str celex = emb__str_trim(emb__csv_field(&csv, (size_t)celex_col));
        emb_str rec = emb__str_trim(emb__csv_field(&csv, (size_t)ix[2]));
        emb_str annex = ix[3] >= 0 ? emb__str_trim(emb__csv_field(&csv, (size_t)ix[3])) : emb__str("", 0);
        char sid[EMB_LIMIT_ID_BYTES + 1];
        char eid[EMB_LIMIT_ID_BYTES + 80];
        int ns;
        if (rec.len) {
            ns = snprintf(sid, sizeof(sid), "%.*s#%.*s", (int)celex.len, celex.ptr, (int)rec.len,
                          rec.ptr);
        } else {
            emb_str nm = emb__csv_field(&csv, (size_t)name_col);
            emb_str sc = emb__csv_field(&csv, (size_t)schema_col);
            uint64_t h = emb__hash(nm.ptr, nm.len) ^ (emb__hash(sc.ptr, sc.len) * 31u) ^
                         (emb__hash(annex.ptr, annex.len) * 131u);
            ns = snprintf(sid, sizeof(sid), "%.*s#h%012llx", (int)celex.len, celex.ptr,
                          (unsigned long long)(h & 0xffffffffffffull));
        }
        if (csv.n_fields != n_cols) {
            rc = emb__err(ctx->err, EMB_EPARSE, "row has %zu columns, the header has %zu",
                          csv.n_fields, n_cols);
        } else if (celex.len == 0 || ns <= 0 || (size_t)ns >= sizeof(sid)) {
            rc = emb__err(ctx->err, EMB_EPARSE, "row has no CELEX number or an overlong id");
        } else {
            rc = emb__pctx_begin(ctx, emb__str(sid, (size_t)ns), csv.line);
            if (rc == EMB_OK && rec.len) {
                int ne = snprintf(eid, sizeof(eid), "%s-%.*s#%.*s#%.*s", ctx->dataset,
                                  (int)celex.len, celex.ptr, (int)annex.len, annex.ptr,
                                  (int)rec.len, rec.ptr);
                rc = (ne > 0 && (size_t)ne < sizeof(eid))
                         ? emb__eb_set_id(&ctx->eb, emb__str(eid, (size_t)ne), ctx->err)
                         : emb__err(ctx->err, EMB_ELIMIT, "entity id over the limit");
            }
            if (rc == EMB_OK)
                rc = emb__colmap_row(ctx, map, &csv, EMB_SCHEMA_UNKNOWN);
            if (rc == EMB_OK) {
                emb_str prog = emb__str_trim(emb__csv_field(&csv, (size_t)ix[5]));
                emb_str measure = ix[4] >= 0 ? emb__csv_field(&csv, (size_t)ix[4]) : emb__str("", 0);
                rc = emb__eb_value(&ctx->eb, EMB_PROP_PROGRAM, prog, measure, ctx->err);
            }
            if (rc == EMB_OK)
                rc = emb__eb_value(&ctx->eb, EMB_PROP_AUTHORITY, EMB_STR("European Union"),
                                   emb__str("", 0), ctx->err);
            if (rc == EMB_OK) {
                rc = emb__pctx_emit(ctx);
                if (rc != EMB_OK)
                    break;
                continue;
            }
        }
        rc = emb__pctx_bad(ctx, rc, csv.line, csv.offset, sid, ns > 0 ? (size_t)ns : 0);
        if (rc != EMB_OK)
            break;
    }
out:
    emb__colmap_free(map);
    emb__csv_free(&csv);
    return rc;
}
