/*
 * Conventions shared by the two UK list formats (FCDO UK Sanctions List XML and the older OFSI
 * ConList.csv): both split a name into Name 1..Name 6, write dates as dd/mm/yyyy with
 * placeholders for unknown parts, and label aliases with a type and a quality. Defined in
 * uk_xml.c.
 */
#ifndef EMB_INGEST_UK_H
#define EMB_INGEST_UK_H

#include "ingest.h"

/* Qualifiers of the cross-reference identifiers both formats carry. */
#define EMB__UK_Q_UN_REF     "UN Reference Number"
#define EMB__UK_Q_OFSI_GROUP "OFSI Group ID"
#define EMB__UK_Q_UK_REF     "UK Sanctions List Ref"

/*
 * The full name from Name 1..Name 6 (parts[0..5]); Name 6 is the family name and comes last,
 * as the list itself spells names out: AFG0011's passport note reads "Name in Latin script:
 * ABDUL LATIF MANSOOR" for Name1 ABDUL, Name2 LATIF, Name6 MANSOOR. Blank parts are left out.
 */
emb_status emb__uk_full_name(const emb_str parts[6], emb__buf *out);

/* Name kind from the name type ("Primary Name", "Prime Alias", "Alias", "AKA", "Primary name
 * variation", any case) and the alias quality ("Good quality a.k.a", "Low", "weak"). */
emb_name_kind emb__uk_name_kind(emb_str type, emb_str quality);

/* ISO 639-1 code for a language name the lists use ("Persian", "russian"); "" when unknown. */
const char *emb__uk_lang(emb_str language);

/* A dd/mm/yyyy date where "dd", "mm" or "00" stand for an unknown day or month. */
emb_status emb__uk_date(emb__eb *b, emb_prop prop, emb_str text, emb_error *err);

/* A country; "Pakistan (location as at May 2008)" falls back to the text before the bracket. */
emb_status emb__uk_country(emb__eb *b, emb_prop prop, emb_str text, emb_error *err);

/* Append text to out, after sep when out is not empty; blank text is skipped. */
emb_status emb__uk_join(emb__buf *out, emb_str text, const char *sep);

/* Add "<label>: <text>" as a note (blank text is skipped). */
emb_status emb__uk_note(emb__eb *b, const char *label, emb_str text, emb__buf *scratch,
                        emb_error *err);

#endif
