/*
 * ingest: from list files to entities. An input layer (plain files, .zip and .gz through
 * libarchive, memory), an RFC 4180 CSV reader, format sniffing from content, and one
 * streaming parser per format. Every parser delivers entities through emb__pctx_emit and
 * reports bad records through emb__pctx_bad, so --skip-bad behaves the same everywhere.
 */
#ifndef EMB_INGEST_H
#define EMB_INGEST_H

#include <sys/types.h>

#include "../core/core.h"
#include "../model/model.h"

typedef struct emb__pctx emb__pctx;

/* ------------------------------------------------------------ input */

typedef struct emb__input emb__input;

/* Open a file; a .zip (first data entry) or .gz is decompressed transparently. */
emb_status emb__input_open_file(const char *path, emb__input **out, emb_error *err);
/* Wrap memory (not copied: must outlive the input). */
emb_status emb__input_open_mem(const void *data, size_t len, const char *name, emb__input **out,
                               emb_error *err);
/* Read up to n bytes; returns the count, 0 at end, -1 on error (err filled with the place). */
ssize_t emb__input_read(emb__input *in, void *buf, size_t n, emb_error *err);
/* The first bytes of content (up to 64 KiB), without consuming them. */
const char *emb__input_peek(emb__input *in, size_t *len, emb_error *err);
/* Bytes of content consumed so far. */
uint64_t emb__input_offset(const emb__input *in);
/* Name for messages: the path, or "archive.zip:entry.xml". */
const char *emb__input_name(const emb__input *in);
/* Path of the file on disk (NULL for memory), for finding sibling files. */
const char *emb__input_path(const emb__input *in);
void emb__input_close(emb__input *in);

/* ------------------------------------------------------------ CSV (RFC 4180) */

typedef struct emb__csv {
    emb__input *in;
    char *chunk;       /* read buffer */
    size_t chunk_pos, chunk_len;
    emb__buf data;     /* field bytes of the current record, each NUL-terminated */
    size_t *starts;    /* offset of each field in data */
    size_t *lens;
    size_t n_fields, cap_fields;
    char delim;
    int at_start;      /* BOM not yet checked */
    int eof;
    uint64_t line;     /* line where the current record starts (1-based) */
    uint64_t next_line;
    uint64_t offset;   /* byte offset where the current record starts */
    uint64_t consumed; /* bytes consumed */
} emb__csv;

emb_status emb__csv_init(emb__csv *c, emb__input *in, char delim);
void emb__csv_free(emb__csv *c);
/* Init c on ctx's input and read the header record into it; an empty file is EMB_EFORMAT.
 * On failure c is freed and ctx->err says why. */
emb_status emb__csv_header(emb__pctx *ctx, emb__csv *c);
/*
 * Read the next record. *got is 0 at the end of input. Handles a UTF-8 BOM, CRLF, quoted
 * fields with "" and line breaks, OFAC's trailing 0x1A, and blank lines (skipped). Fails with
 * the line, column and byte offset on an unterminated quote, invalid UTF-8 or a limit.
 */
emb_status emb__csv_next(emb__csv *c, int *got, emb_error *err);
emb_str emb__csv_field(const emb__csv *c, size_t i); /* empty slice when i >= n_fields */

/* Map each wanted column name to its index in the header (-1 when absent), ASCII
 * case-insensitive, surrounding whitespace ignored. */
void emb__csv_header_index(const emb__csv *c, const char *const *names, size_t n, long *idx);

/*
 * Split a multi-valued cell on `sep` (EU journal rule: a value holding the separator or a
 * quote is CSV-quoted inside the cell: `"Foo; Bar"; Baz` is two values). A quote that does
 * not open a well-formed quoted value is taken literally. Calls fn for each trimmed,
 * non-empty value; scratch holds unescaped text.
 */
typedef emb_status (*emb__value_fn)(void *ud, emb_str value);
emb_status emb__split_multi(emb_str cell, char sep, emb__buf *scratch, emb__value_fn fn, void *ud);

/* ------------------------------------------------------------ parse context */

typedef struct emb__xml_state emb__xml_state;

struct emb__pctx {
    emb__input *in;
    const emb_parse_opts *opts;
    emb_entity_fn on_entity;
    void *ud;
    emb_source_info *info;
    emb_error *err;
    emb__eb eb;
    char dataset[64];
    emb__xml_state *xml; /* set while an XML reader is open */
};

/* Finish the entity being built and hand it to the caller. A record that fails to finish is
 * passed to emb__pctx_bad. */
emb_status emb__pctx_emit(emb__pctx *ctx);

/*
 * A record is bad (ctx->err already says why): with skip_bad, record the place, report it
 * to on_skip, count it and return EMB_OK so the parser goes on; otherwise return rc.
 * line/offset locate the record (0 / UINT64_MAX when unknown); id may be NULL.
 */
emb_status emb__pctx_bad(emb__pctx *ctx, emb_status rc, uint64_t line, uint64_t offset,
                         const char *id, size_t id_len);

/* Record the publication date (any parseable date form) in info->published. */
void emb__pctx_published(emb__pctx *ctx, emb_str date_text);

/* Start a record for ctx's dataset. */
emb_status emb__pctx_begin(emb__pctx *ctx, emb_str source_id, uint64_t line);

/* ------------------------------------------------------------ tabular lists (FtM columns) */

/*
 * Column roles of a CSV whose header names FtM properties or common synonyms (a user's own
 * list, the EU journal CSV). Built from the header row; applied to each data row.
 */
typedef struct emb__colmap emb__colmap;

typedef enum emb__col_role {
    EMB__COL_IGNORE = 0,
    EMB__COL_ID,
    EMB__COL_SCHEMA,
    EMB__COL_NAME,  /* sub: emb_name_kind */
    EMB__COL_PROP,  /* sub: emb_prop */
    EMB__COL_EXTRA  /* unknown column: kept as notes, labelled with the header */
} emb__col_role;

emb_status emb__colmap_new(emb__pctx *ctx, const emb__csv *header, emb__colmap **out);
void emb__colmap_free(emb__colmap *m);
/* Index of the first column with this role (and sub, when sub >= 0); -1 when none. */
long emb__colmap_find(const emb__colmap *m, emb__col_role role, int sub);
/* Claim column i for the caller (it is then skipped by emb__colmap_row). */
void emb__colmap_claim(emb__colmap *m, long i);
/* Add the row's names and values to the record begun in ctx->eb; sets its schema from the
 * schema column (default `fallback`). Multi-valued cells are split on ';'. */
emb_status emb__colmap_row(emb__pctx *ctx, const emb__colmap *m, const emb__csv *row,
                           emb_schema fallback);

/* ------------------------------------------------------------ XML helpers (libxml2) */

typedef struct _xmlTextReader *emb__xml_reader;

/* A streaming reader over ctx->in with no network, no entity expansion, no DTD loading and
 * a depth limit (XML bombs are refused). */
emb_status emb__xml_open(emb__pctx *ctx, emb__xml_reader *out);
void emb__xml_close(emb__pctx *ctx, emb__xml_reader r);
/*
 * Advance to the next node: returns 1 on a node, 0 at the end of the document, -1 on error
 * with ctx->err filled (libxml2's message, line and column; a DOCTYPE, which no official
 * list has and every XML bomb needs, is refused; so is nesting deeper than the limit).
 */
int emb__xml_next(emb__pctx *ctx, emb__xml_reader r);
/* The current node's local name (no namespace prefix) as a slice; "" when none. */
emb_str emb__xml_name(emb__xml_reader r);
/* 1 when the current node is an element start / end with the given local name. */
int emb__xml_is_start(emb__xml_reader r, const char *local);
int emb__xml_is_end(emb__xml_reader r, const char *local);
/* Read the text content of the current element (it must be a start tag) into out, leaving
 * the reader on its end tag. Capped at EMB_LIMIT_FIELD_BYTES. Returns EMB_OK or an error
 * in ctx->err. */
emb_status emb__xml_text(emb__pctx *ctx, emb__xml_reader r, emb__buf *out);
/* Value of an attribute of the current element into out ("" when absent). */
emb_status emb__xml_attr(emb__pctx *ctx, emb__xml_reader r, const char *name, emb__buf *out);
/* Current line of the reader (for record positions). */
uint64_t emb__xml_line(emb__xml_reader r);
/* Fill ctx->err with a message at the reader's current line and return code. */
emb_status emb__xml_fail(emb__pctx *ctx, emb__xml_reader r, emb_status code, const char *fmt,
                         ...) EMB_PRINTF(4, 5);

/* ------------------------------------------------------------ formats */

/* Decide the format from the first bytes of content. */
emb_format emb__sniff(const char *head, size_t len);
/* Why a file that sniffs as unknown is not accepted (constant text). */
const char *emb__sniff_hint(const char *head, size_t len);
const char *emb__format_default_dataset(emb_format f);

emb_status emb__parse_ofac_csv(emb__pctx *ctx);
emb_status emb__parse_ofac_xml(emb__pctx *ctx);
emb_status emb__parse_ofac_enhanced(emb__pctx *ctx);
emb_status emb__parse_un_xml(emb__pctx *ctx);
emb_status emb__parse_uk_xml(emb__pctx *ctx);
emb_status emb__parse_uk_ofsi_csv(emb__pctx *ctx);
emb_status emb__parse_eu_fsf(emb__pctx *ctx);
emb_status emb__parse_eu_journal(emb__pctx *ctx);
emb_status emb__parse_ftm_json(emb__pctx *ctx);
emb_status emb__parse_os_simple(emb__pctx *ctx);
emb_status emb__parse_us_csl(emb__pctx *ctx);
emb_status emb__parse_generic_csv(emb__pctx *ctx);

#endif
