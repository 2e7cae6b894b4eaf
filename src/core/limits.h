/*
 * Hard limits on every input dimension (sqlite's sqliteLimit.h). Going over one is EMB_ELIMIT
 * with the limit's name in the message; nothing is ever truncated silently. Each value is
 * set well above what real lists contain, and low enough that a hostile file cannot make a
 * parser take unbounded memory.
 */
#ifndef EMB_CORE_LIMITS_H
#define EMB_CORE_LIMITS_H

/* One field of a CSV or one XML text node. The longest real field is an EU "reason" of a few
 * KiB; OFAC remarks with dozens of a.k.a.s stay under 16 KiB. */
#define EMB_LIMIT_FIELD_BYTES (1u << 20)

/* One CSV record (all fields) or one JSON line: FtM lines of well-connected entities reach a
 * few hundred KiB. */
#define EMB_LIMIT_RECORD_BYTES (16u << 20)

/* Columns of a CSV: the widest real one (OFSI ConList) has 36. */
#define EMB_LIMIT_CSV_COLUMNS 512

/* Names of one entity: the most aliased OFAC entries have about 150. */
#define EMB_LIMIT_NAMES 4096

/* Attribute values of one entity. */
#define EMB_LIMIT_VALUES 65536

/* Bytes of one name after trimming. Real names stay under 300 bytes. */
#define EMB_LIMIT_NAME_BYTES 4096

/* Nesting depth of XML elements and JSON values. */
#define EMB_LIMIT_DEPTH 64

/* Bytes of an identifier (source_id, entity id). */
#define EMB_LIMIT_ID_BYTES 256

/* Decompressed bytes of one input: 8 GiB stops a zip bomb without refusing any real export. */
#define EMB_LIMIT_INPUT_BYTES (8ull << 30)

/* Entries held in memory for cross-referencing formats (OFAC ALT/ADD, FtM Sanctions). */
#define EMB_LIMIT_XREF_ENTRIES (64u << 20)

#endif
