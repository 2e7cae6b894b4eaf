/*
 * model: the entity model of DESIGN.md section 3. Schemata with FtM's `extends`, property
 * names, partial dates, ISO countries, and the entity builder every parser fills: it trims,
 * validates UTF-8, normalises dates and countries, deduplicates, enforces the limits and
 * produces the read-only emb_entity view handed to callers.
 */
#ifndef EMB_MODEL_H
#define EMB_MODEL_H

#include "../core/core.h"

/* ------------------------------------------------------------ dates */

/* How to read an all-numeric date like 04/05/1975 when both parts could be day or month. */
typedef enum emb__date_order {
    EMB__DMY = 0, /* UK, EU, UN */
    EMB__MDY      /* US */
} emb__date_order;

#define EMB__DATE_MAX_OUT 16

/*
 * Parse one published date (ISO, "12 Apr 1975", "12.04.1975", "circa 1975", "1960 to 1965",
 * "Between 1960 and 1962", "00/00/1975", timestamps) into partial ISO dates ("1975",
 * "1975-04", "1975-04-12"). A year range yields each year (at most EMB__DATE_MAX_OUT).
 * Returns the number written to out (0: not a date we can read).
 */
size_t emb__date_parse(emb_str s, emb__date_order order, char out[][11], size_t max_out);

/* ------------------------------------------------------------ countries */

/*
 * Country name, demonym ("Russian"), ISO alpha-2 or alpha-3 code, or common variant
 * ("Korea, North", "Burma", "UK") to an FtM country code ("kp"); NULL when unknown.
 * Case and punctuation are ignored.
 */
const char *emb__country_code(emb_str name);

/* ------------------------------------------------------------ schemata */

/*
 * A publisher's entity type to a schema: FtM names ("LegalEntity") and the words lists use
 * ("individual", "entity", "vessel", "aircraft", "organisation", ...). EMB_SCHEMA_UNKNOWN
 * when the word is not one of them.
 */
emb_schema emb__schema_loose(emb_str type);

/* ------------------------------------------------------------ entity builder */

typedef struct emb__eb {
    emb__arena arena;
    emb_name *names;
    size_t n_names, cap_names;
    emb_value *values;
    size_t n_values, cap_values;
    emb_str dataset;
    emb_str source_id;
    emb_str id; /* empty: "<dataset>-<source_id>" */
    emb_schema schema;
    uint64_t line;
    int open;
} emb__eb;

void emb__eb_init(emb__eb *b);
void emb__eb_free(emb__eb *b);

/* Start a record (forgets the previous one). dataset and source_id are copied. */
emb_status emb__eb_begin(emb__eb *b, emb_str dataset, emb_str source_id, uint64_t line,
                         emb_error *err);
void emb__eb_schema(emb__eb *b, emb_schema schema);
/* Set or replace the record's source id after begin (formats that state it late, such as
 * the UK XML's UniqueID after other fields). Copied. */
emb_status emb__eb_set_source_id(emb__eb *b, emb_str source_id, emb_error *err);
/* Use this entity id instead of "<dataset>-<source_id>" (formats whose publisher ids are not
 * unique on their own). Copied. */
emb_status emb__eb_set_id(emb__eb *b, emb_str id, emb_error *err);

/*
 * Add a name: trimmed, inner whitespace runs folded to one space; blank and "-0-" are ignored;
 * an exact duplicate of the same kind is ignored (a duplicate of another kind is kept only
 * when it is of a stronger kind). lang may be empty.
 */
emb_status emb__eb_name(emb__eb *b, emb_name_kind kind, emb_str value, emb_str lang,
                        emb_error *err);
/* Add an attribute value as published (trimmed; blank ignored; duplicates ignored). */
emb_status emb__eb_value(emb__eb *b, emb_prop prop, emb_str value, emb_str qualifier,
                         emb_error *err);
/* Add a country property from a name or code; unknown text becomes EMB_PROP_UNRESOLVED. */
emb_status emb__eb_country(emb__eb *b, emb_prop prop, emb_str text, emb_error *err);
/* Add a date property; unreadable text becomes EMB_PROP_UNRESOLVED. */
emb_status emb__eb_date(emb__eb *b, emb_prop prop, emb_str text, emb__date_order order,
                        emb_error *err);
/* Split text on `sep` and add each part as a name of this kind. */
emb_status emb__eb_names_split(emb__eb *b, emb_name_kind kind, emb_str text, char sep,
                               emb_error *err);

/* 1 when the entity has a name of any kind. */
int emb__eb_has_name(const emb__eb *b);

/*
 * Finish the record into `out` (valid until the next begin). Fails with EMB_EPARSE when the
 * record has no name or no source id, or an unknown schema.
 */
emb_status emb__eb_finish(emb__eb *b, emb_entity *out, emb_error *err);

/* 1 when prop holds a country code, a date, or an identifier. */
int emb__prop_is_country(emb_prop prop);
int emb__prop_is_date(emb_prop prop);
int emb__prop_is_identifier(emb_prop prop);

#endif
