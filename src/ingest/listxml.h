/*
 * Pieces shared by the record-per-element XML list parsers (UN consolidated list, EU FSF):
 * reading the root, joining address parts into one line, gender words, and reading past the
 * rest of a record that was reported bad.
 */
#ifndef EMB_INGEST_LISTXML_H
#define EMB_INGEST_LISTXML_H

#include "ingest.h"

/* emb__xml_next as a status; *more is 0 at the end of the document. */
emb_status emb__lx_next(emb__pctx *ctx, emb__xml_reader r, int *more);

/* Read up to the first element and check that it is `root` (EMB_EFORMAT otherwise). */
emb_status emb__lx_root(emb__pctx *ctx, emb__xml_reader r, const char *root);

/* 1 when a part is blank or "-", the EU FSF placeholder for an unknown city. */
int emb__lx_blank(emb_str s);

/* Append `label` and s to out, after sep when out already has text. Blank parts are left
 * out. label may be NULL. */
emb_status emb__lx_add(emb__buf *out, const char *sep, const char *label, emb_str s,
                       emb_error *err);

/* The slice of a buffer (empty when the buffer holds nothing). */
emb_str emb__lx_str(const emb__buf *b);

/* Gender in FtM's words: "M"/"Male" -> "male", "F"/"Female" -> "female"; else as given. */
emb_status emb__lx_gender(emb__eb *b, emb_str text, emb_error *err);

/* 1 when, after this status, the reader cannot go on to the next record. */
int emb__lx_fatal(emb_status rc);

/*
 * A record is bad (ctx->err says why): report it through emb__pctx_bad and, when skipping,
 * read on to the end of the record element at `depth` unless the reader is there already
 * (at_end).
 */
emb_status emb__lx_bad(emb__pctx *ctx, emb__xml_reader r, emb_status rc, int depth, uint64_t line,
                       emb_str id, int at_end);

#endif
