/*
 * OpenSanctions FollowTheMoney JSON lines: one entity per line ({id, schema, caption,
 * properties {prop: [values]}, datasets, target, ...}). Screening targets are the entities of
 * a party schema (Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane).
 * What a list says about them partly lives in other entities that point at them: Sanction
 * (entity -> target), Passport and Identification (holder -> target), and Address entities the
 * target names in addressEntity. Lines come in any order, so the parse takes two passes:
 *
 *  1. stream every line; index the useful fields of Sanction, Passport, Identification and
 *     Address entities by the id they refer to (or by their own id for an Address), and copy
 *     the raw lines of targets to a temporary file;
 *  2. read the temporary file back and deliver each target with its secondaries attached.
 *
 * Every entity of a party schema is delivered, as yente indexes them; one with "target":
 * false (a company a designated person owns, say) carries the note target=false, and the
 * entity's OpenSanctions `datasets` are kept as notes labelled "datasets".
 *
 * Memory: bounded by the longest line plus the cross-reference index (compact strings in an
 * arena, at most EMB_LIMIT_XREF_ENTRIES values) and the set of target ids. Relationship
 * entities (Ownership, Directorship, Family, Associate, ...) name their counterpart only by
 * id, which says nothing a screener can match on, so they are not kept.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"

#define CHUNK_BYTES   ((size_t)64 * 1024)
#define LOG_COMPONENT "ftm_json"

/* ------------------------------------------------------------ line reader */

typedef struct {
    emb__input *in;
    char *chunk;
    size_t pos, len;
    int eof;
    emb__buf line;
    int too_long; /* the current line went over EMB_LIMIT_RECORD_BYTES (rest dropped) */
    uint64_t no;  /* 1-based number of the current line */
    uint64_t next_no;
    uint64_t offset; /* byte offset where the current line starts */
    uint64_t consumed;
} line_reader;

static emb_status lines_init(line_reader *lr, emb__input *in)
{
    memset(lr, 0, sizeof(*lr));
    lr->in = in;
    lr->next_no = 1;
    emb__buf_init(&lr->line, EMB_LIMIT_RECORD_BYTES);
    lr->chunk = emb__malloc(CHUNK_BYTES);
    return lr->chunk ? EMB_OK : EMB_ENOMEM;
}

static void lines_free(line_reader *lr)
{
    emb__free(lr->chunk);
    emb__buf_free(&lr->line);
}

/* Next line without its "\n" or "\r\n"; *got is 0 at the end of input. */
static emb_status lines_next(line_reader *lr, int *got, emb_error *err)
{
    emb__buf_reset(&lr->line);
    lr->too_long = 0;
    lr->no = lr->next_no;
    lr->offset = lr->consumed;
    *got = 0;
    for (;;) {
        if (lr->pos == lr->len) {
            if (lr->eof)
                break;
            ssize_t n = emb__input_read(lr->in, lr->chunk, CHUNK_BYTES, err);
            if (n < 0) {
                if (err != NULL && err->line == 0)
                    emb__err_at(err, NULL, lr->no, 0, UINT64_MAX);
                return err && err->code != EMB_OK ? err->code : EMB_EIO;
            }
            if (n == 0) {
                lr->eof = 1;
                break;
            }
            lr->pos = 0;
            lr->len = (size_t)n;
        }
        const char *start = lr->chunk + lr->pos;
        const char *nl = memchr(start, '\n', lr->len - lr->pos);
        size_t take = nl ? (size_t)(nl - start) : lr->len - lr->pos;
        if (!lr->too_long) {
            emb_status rc = emb__buf_append(&lr->line, start, take);
            if (rc == EMB_ELIMIT)
                lr->too_long = 1;
            else if (rc != EMB_OK)
                return emb__err(err, rc, "out of memory");
        }
        size_t step = take + (nl ? 1 : 0);
        lr->pos += step;
        lr->consumed += step;
        if (nl) {
            lr->next_no++;
            *got = 1;
            break;
        }
    }
    if (!*got)
        *got = lr->consumed > lr->offset;
    if (lr->line.len && lr->line.ptr[lr->line.len - 1] == '\r')
        lr->line.ptr[--lr->line.len] = '\0';
    return EMB_OK;
}

static int line_blank(const line_reader *lr)
{
    for (size_t i = 0; i < lr->line.len; i++) {
        char c = lr->line.ptr[i];
        if (c != ' ' && c != '\t' && c != '\r')
            return 0;
    }
    return !lr->too_long;
}

/* ------------------------------------------------------------ JSON helpers */

/* Deepest nesting of objects and arrays in a JSON text (strings skipped). jansson has no
 * depth option, so a hostile line is measured before it is parsed. */
static size_t json_depth(const char *p, size_t n)
{
    size_t depth = 0, max = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max)
                max = depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return max;
}

static emb_status load_json(emb__pctx *ctx, const char *p, size_t n, json_t **out)
{
    *out = NULL;
    if (json_depth(p, n) > EMB_LIMIT_DEPTH)
        return emb__err(ctx->err, EMB_ELIMIT, "JSON nesting is deeper than the limit of %u",
                        EMB_LIMIT_DEPTH);
    json_error_t je;
    json_t *j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL) {
        emb_status code = json_error_code(&je) == json_error_invalid_utf8 ? EMB_EUTF8 : EMB_EPARSE;
        return emb__err(ctx->err, code, "invalid JSON at column %d: %s", je.column, je.text);
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return emb__err(ctx->err, EMB_EPARSE, "line is not a JSON object");
    }
    *out = j;
    return EMB_OK;
}

static emb_str jstr(const json_t *s)
{
    if (!json_is_string(s))
        return emb__str("", 0);
    return emb__str(json_string_value(s), json_string_length(s));
}

/* The values of a property (validated as a list of strings): count and i-th. */
static size_t prop_len(const json_t *props, const char *name)
{
    return json_array_size(json_object_get(props, name));
}

static emb_str prop_at(const json_t *props, const char *name, size_t i)
{
    return jstr(json_array_get(json_object_get(props, name), i));
}

typedef struct {
    emb_str id;
    emb_str schema;
    json_t *props; /* NULL when absent */
} ftm_head;

/* id, schema and properties of an entity line; every property must be a list of strings. */
static emb_status read_head(emb__pctx *ctx, json_t *j, ftm_head *h)
{
    json_t *id = json_object_get(j, "id");
    json_t *schema = json_object_get(j, "schema");
    h->id = jstr(id);
    h->schema = jstr(schema);
    h->props = json_object_get(j, "properties");
    if (!json_is_string(id) || h->id.len == 0)
        return emb__err(ctx->err, EMB_EPARSE, "entity has no \"id\" string");
    if (h->id.len > EMB_LIMIT_ID_BYTES)
        return emb__err(ctx->err, EMB_ELIMIT, "entity id is %zu bytes, over the limit of %u",
                        h->id.len, EMB_LIMIT_ID_BYTES);
    if (!json_is_string(schema) || h->schema.len == 0)
        return emb__err(ctx->err, EMB_EPARSE, "entity has no \"schema\" string");
    if (h->props == NULL)
        return EMB_OK;
    if (!json_is_object(h->props))
        return emb__err(ctx->err, EMB_EPARSE, "\"properties\" is not an object");
    for (void *it = json_object_iter(h->props); it; it = json_object_iter_next(h->props, it)) {
        const char *key = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        if (!json_is_array(v))
            return emb__err(ctx->err, EMB_EPARSE, "property '%.64s' is not a list", key);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (!json_is_string(json_array_get(v, i)))
                return emb__err(ctx->err, EMB_EPARSE, "property '%.64s' holds a non-string value",
                                key);
        }
    }
    return EMB_OK;
}

static int is_target_schema(emb_str name)
{
    emb_schema s = emb_schema_from_name(name.ptr, name.len);
    return s != EMB_SCHEMA_UNKNOWN && s != EMB_SCHEMA_THING && s != EMB_SCHEMA_VEHICLE;
}

/* ------------------------------------------------------------ cross-reference index */

typedef struct {
    emb_prop prop;
    emb_str value;
    emb_str qualifier;
    uint32_t next; /* index + 1 of the next item of the same key; 0 ends */
} xref_item;

typedef struct {
    uint32_t head, tail; /* index + 1 */
    emb_str key;
    uint64_t line; /* first line that referred to the key */
} xref_group;

/* Values waiting for the entity they belong to, keyed by that entity's id. */
typedef struct {
    emb__arena strings;
    emb__map map; /* key -> group index + 1 */
    xref_group *groups;
    size_t n_groups, cap_groups;
    xref_item *items;
    size_t n_items, cap_items;
} xref_index;

static void xref_init(xref_index *x)
{
    memset(x, 0, sizeof(*x));
    emb__map_init(&x->map);
}

static void xref_free(xref_index *x)
{
    emb__arena_free(&x->strings);
    emb__map_free(&x->map);
    emb__free(x->groups);
    emb__free(x->items);
}

static const xref_group *xref_get(const xref_index *x, emb_str key)
{
    uint64_t *g = emb__map_get(&x->map, key.ptr, key.len);
    return g && *g ? &x->groups[*g - 1] : NULL;
}

static emb_status xref_limit(emb_error *err, emb_status rc)
{
    if (rc == EMB_ELIMIT)
        return emb__err(err, rc, "more than %u cross-referenced values", EMB_LIMIT_XREF_ENTRIES);
    return emb__err(err, rc, "out of memory");
}

static emb_status xref_group_of(xref_index *x, emb_str key, uint64_t line, size_t *out,
                                emb_error *err)
{
    uint64_t *slot;
    int is_new;
    emb_status rc = emb__map_put(&x->map, key.ptr, key.len, &slot, &is_new);
    (void)is_new;
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    /* 0: a key whose group could not be made (a skipped record over the limit) */
    if (*slot != 0) {
        *out = (size_t)*slot - 1;
        return EMB_OK;
    }
    rc = emb__grow((void **)&x->groups, &x->cap_groups, sizeof(xref_group), x->n_groups + 1,
                   EMB_LIMIT_XREF_ENTRIES);
    if (rc != EMB_OK)
        return xref_limit(err, rc);
    char *k = emb__arena_strndup(&x->strings, key.ptr, key.len);
    if (k == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    xref_group *g = &x->groups[x->n_groups];
    memset(g, 0, sizeof(*g));
    g->key = emb__str(k, key.len);
    g->line = line;
    *slot = ++x->n_groups;
    *out = x->n_groups - 1;
    return EMB_OK;
}

static emb_str xref_copy(xref_index *x, emb_str s)
{
    char *p = emb__arena_strndup(&x->strings, s.ptr ? s.ptr : "", s.len);
    return emb__str(p, p ? s.len : 0);
}

/* Remember prop = value (qualifier) for the entity `key`. Blank values are not kept. */
static emb_status xref_add(xref_index *x, emb_str key, uint64_t line, emb_prop prop, emb_str value,
                           emb_str qualifier, emb_error *err)
{
    if (emb__str_blank(value))
        return EMB_OK;
    size_t gi = 0;
    emb_status rc = xref_group_of(x, key, line, &gi, err);
    if (rc != EMB_OK)
        return rc;
    rc = emb__grow((void **)&x->items, &x->cap_items, sizeof(xref_item), x->n_items + 1,
                   EMB_LIMIT_XREF_ENTRIES);
    if (rc != EMB_OK)
        return xref_limit(err, rc);
    xref_item *it = &x->items[x->n_items];
    it->prop = prop;
    it->value = xref_copy(x, value);
    it->qualifier = xref_copy(x, qualifier);
    it->next = 0;
    if (it->value.ptr == NULL || it->qualifier.ptr == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    uint32_t idx = (uint32_t)++x->n_items;
    xref_group *g = &x->groups[gi];
    if (g->tail)
        x->items[g->tail - 1].next = idx;
    else
        g->head = idx;
    g->tail = idx;
    return EMB_OK;
}

/* ------------------------------------------------------------ pass 1: secondaries */

typedef struct {
    emb__pctx *ctx;
    xref_index refs;  /* Sanction / Passport / Identification values by target id */
    xref_index addrs; /* Address lines by Address id */
    emb__map targets; /* ids of target entities seen */
    FILE *tmp;        /* raw lines of targets */
    line_reader lr;
    size_t missing_addresses; /* addressEntity ids not in the file */
    char last_seen[32];
} ftm_state;

typedef struct {
    const char *ftm;
    emb_prop prop;
    int qualified; /* carries the entity's qualifier */
} prop_pair;

/* Sanction properties kept on the sanctioned entity. Sanction.country is the sanctioning
 * country, not the target's: it qualifies the authority instead. */
static const prop_pair sanction_props[] = {
    {"authority", EMB_PROP_AUTHORITY, 1},
    {"program", EMB_PROP_PROGRAM, 0},
    {"programId", EMB_PROP_PROGRAM, 0},
    {"startDate", EMB_PROP_LISTING_DATE, 0},
    {"listingDate", EMB_PROP_LISTING_DATE, 0},
    {"reason", EMB_PROP_REASON, 0},
    {"summary", EMB_PROP_NOTES, 0},
    {"sourceUrl", EMB_PROP_SOURCE_URL, 0},
};

static const prop_pair id_props[] = {
    {"number", EMB_PROP_ID_NUMBER, 1},
    {"passportNumber", EMB_PROP_ID_NUMBER, 1},
};

static const prop_pair address_props[] = {
    {"full", EMB_PROP_ADDRESS, 0},
    {"country", EMB_PROP_COUNTRY, 0},
};

/* Remember the values of the listed properties of h for the entity `key`. `as` replaces each
 * pair's property unless it is EMB_PROP_MAX_. */
static emb_status index_values(ftm_state *st, xref_index *x, emb_str key, const ftm_head *h,
                               const prop_pair *pairs, size_t n_pairs, emb_prop as,
                               emb_str qualifier)
{
    for (size_t p = 0; p < n_pairs; p++) {
        emb_prop prop = as != EMB_PROP_MAX_ ? as : pairs[p].prop;
        emb_str q = pairs[p].qualified ? qualifier : emb__str("", 0);
        for (size_t i = 0; i < prop_len(h->props, pairs[p].ftm); i++) {
            emb_status rc = xref_add(x, key, st->lr.no, prop, prop_at(h->props, pairs[p].ftm, i), q,
                                     st->ctx->err);
            if (rc != EMB_OK)
                return rc;
        }
    }
    return EMB_OK;
}

/* The same for every entity that h's property `refs_prop` points at. */
static emb_status index_refs(ftm_state *st, const ftm_head *h, const char *refs_prop,
                             const prop_pair *pairs, size_t n_pairs, emb_prop as, emb_str qualifier)
{
    for (size_t i = 0; i < prop_len(h->props, refs_prop); i++) {
        emb_status rc = index_values(st, &st->refs, prop_at(h->props, refs_prop, i), h, pairs,
                                     n_pairs, as, qualifier);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

static emb_status index_sanction(ftm_state *st, const ftm_head *h)
{
    return index_refs(st, h, "entity", sanction_props, EMB_COUNTOF(sanction_props), EMB_PROP_MAX_,
                      prop_at(h->props, "country", 0));
}

/* Passport and Identification: the number, labelled with the document type and country. */
static emb_status index_identification(ftm_state *st, const ftm_head *h, emb_prop prop)
{
    emb_str type = prop_at(h->props, "type", 0);
    emb_str country = prop_at(h->props, "country", 0);
    char label[160];
    int n = snprintf(label, sizeof(label), "%.*s%s%.*s", (int)(type.len > 100 ? 100 : type.len),
                     type.ptr ? type.ptr : "", type.len && country.len ? ", " : "",
                     (int)(country.len > 40 ? 40 : country.len), country.ptr ? country.ptr : "");
    emb_str q = emb__str(label, n > 0 && (size_t)n < sizeof(label) ? (size_t)n : 0);
    return index_refs(st, h, "holder", id_props, EMB_COUNTOF(id_props), prop, q);
}

/* Address entities, by their own id: full text (the caption when no `full`) and country. */
static emb_status index_address(ftm_state *st, const ftm_head *h, json_t *j)
{
    emb_status rc = EMB_OK;
    if (prop_len(h->props, "full") == 0)
        rc = xref_add(&st->addrs, h->id, st->lr.no, EMB_PROP_ADDRESS,
                      jstr(json_object_get(j, "caption")), emb__str("", 0), st->ctx->err);
    if (rc == EMB_OK)
        rc = index_values(st, &st->addrs, h->id, h, address_props, EMB_COUNTOF(address_props),
                          EMB_PROP_MAX_, emb__str("", 0));
    return rc;
}

static emb_status write_u64(FILE *f, uint64_t v)
{
    return fwrite(&v, sizeof(v), 1, f) == 1 ? EMB_OK : EMB_EIO;
}

/* A target line goes to the temporary file as {line, offset, length, bytes}. */
static emb_status spool_target(ftm_state *st, const ftm_head *h)
{
    uint64_t *slot;
    int is_new;
    emb_status rc = emb__map_put(&st->targets, h->id.ptr, h->id.len, &slot, &is_new);
    if (rc != EMB_OK)
        return emb__err(st->ctx->err, rc, "out of memory");
    if (!is_new)
        return emb__err(st->ctx->err, EMB_EPARSE, "entity id first seen at line %llu is repeated",
                        (unsigned long long)*slot);
    *slot = st->lr.no;
    if (st->targets.count > EMB_LIMIT_XREF_ENTRIES)
        return emb__err(st->ctx->err, EMB_ELIMIT, "more than %u target entities",
                        EMB_LIMIT_XREF_ENTRIES);
    if (write_u64(st->tmp, st->lr.no) != EMB_OK || write_u64(st->tmp, st->lr.offset) != EMB_OK ||
        write_u64(st->tmp, st->lr.line.len) != EMB_OK ||
        fwrite(st->lr.line.ptr, 1, st->lr.line.len, st->tmp) != st->lr.line.len)
        return emb__err(st->ctx->err, EMB_EIO, "cannot write the temporary file");
    return EMB_OK;
}

static void note_last_seen(ftm_state *st, json_t *j)
{
    emb_str s = jstr(json_object_get(j, "last_seen"));
    if (s.len > 0 && s.len < sizeof(st->last_seen) &&
        strncmp(s.ptr, st->last_seen, sizeof(st->last_seen)) > 0) {
        memcpy(st->last_seen, s.ptr, s.len);
        st->last_seen[s.len] = '\0';
    }
}

/* Route one parsed line: spool a target, index a secondary, pass over anything else. */
static emb_status route(ftm_state *st, const ftm_head *h, json_t *j)
{
    if (is_target_schema(h->schema))
        return spool_target(st, h);
    if (emb__str_eq(h->schema, EMB_STR("Sanction")))
        return index_sanction(st, h);
    if (emb__str_eq(h->schema, EMB_STR("Passport")))
        return index_identification(st, h, EMB_PROP_PASSPORT_NUMBER);
    if (emb__str_eq(h->schema, EMB_STR("Identification")))
        return index_identification(st, h, EMB_PROP_ID_NUMBER);
    if (emb__str_eq(h->schema, EMB_STR("Address")))
        return index_address(st, h, j);
    return EMB_OK;
}

static emb_status pass1_line(ftm_state *st)
{
    const line_reader *lr = &st->lr;
    if (lr->too_long)
        return emb__err(st->ctx->err, EMB_ELIMIT, "line is longer than the limit of %u bytes",
                        EMB_LIMIT_RECORD_BYTES);
    json_t *j = NULL;
    ftm_head h;
    memset(&h, 0, sizeof(h));
    emb_status rc = load_json(st->ctx, lr->line.ptr, lr->line.len, &j);
    if (rc == EMB_OK)
        rc = read_head(st->ctx, j, &h);
    if (rc == EMB_OK) {
        note_last_seen(st, j);
        rc = route(st, &h, j);
    }
    /* the id points into j: copy it into the error before j goes */
    if (rc != EMB_OK)
        emb__err_record(st->ctx->err, h.id.ptr, h.id.len);
    json_decref(j);
    return rc;
}

static emb_status pass1(ftm_state *st)
{
    for (;;) {
        int got = 0;
        emb_status rc = lines_next(&st->lr, &got, st->ctx->err);
        if (rc != EMB_OK || !got)
            return rc;
        if (line_blank(&st->lr))
            continue;
        rc = pass1_line(st);
        if (rc != EMB_OK) {
            rc = emb__pctx_bad(st->ctx, rc, st->lr.no, st->lr.offset, NULL, 0);
            if (rc != EMB_OK)
                return rc;
        }
    }
}

/* Secondaries that point at an entity the file does not hold: reported, never fatal. */
static void report_missing(ftm_state *st)
{
    size_t missing = 0;
    const xref_group *first = NULL;
    for (size_t i = 0; i < st->refs.n_groups; i++) {
        const xref_group *g = &st->refs.groups[i];
        if (emb__map_get(&st->targets, g->key.ptr, g->key.len) != NULL)
            continue;
        if (first == NULL)
            first = g;
        missing++;
        emb__log(EMB_LOG_DEBUG, LOG_COMPONENT, "%s:%llu: refers to %.*s, not a target in the file",
                 emb__input_name(st->ctx->in), (unsigned long long)g->line, (int)g->key.len,
                 g->key.ptr);
    }
    if (missing)
        emb__log(EMB_LOG_WARNING, LOG_COMPONENT,
                 "%s: %zu referenced entities are not in the file (first: %.*s at line %llu)",
                 emb__input_name(st->ctx->in), missing, (int)first->key.len, first->key.ptr,
                 (unsigned long long)first->line);
}

/* ------------------------------------------------------------ pass 2: targets */

enum { MAP_IGNORE = 0, MAP_NAME, MAP_PROP, MAP_LABELLED, MAP_ADDRESS_ENTITY };

/*
 * FtM properties that are not ours under the same name. Name parts (firstName, lastName,
 * middleName, ...) are not kept: every list that gives them also gives the full names.
 * Properties not listed here and not one of emb_prop's names (createdAt, modifiedAt,
 * classification, education, ...) are not kept either.
 */
static const struct {
    const char *ftm;
    int how;
    int sub;
} ftm_map[] = {
    {"name", MAP_NAME, EMB_NAME_PRIMARY},
    {"alias", MAP_NAME, EMB_NAME_ALIAS},
    {"weakAlias", MAP_NAME, EMB_NAME_WEAK_ALIAS},
    {"previousName", MAP_NAME, EMB_NAME_PREVIOUS},
    {"abbreviation", MAP_NAME, EMB_NAME_WEAK_ALIAS},
    {"addressEntity", MAP_ADDRESS_ENTITY, 0},
    {"programId", MAP_PROP, EMB_PROP_PROGRAM},
    {"mainCountry", MAP_PROP, EMB_PROP_COUNTRY},
    {"uniqueEntityId", MAP_LABELLED, EMB_PROP_ID_NUMBER},
    {"permId", MAP_LABELLED, EMB_PROP_ID_NUMBER},
    {"dunsCode", MAP_LABELLED, EMB_PROP_ID_NUMBER},
    {"bikCode", MAP_LABELLED, EMB_PROP_ID_NUMBER},
    {"wikidataId", MAP_LABELLED, EMB_PROP_ID_NUMBER},
    {"vatCode", MAP_LABELLED, EMB_PROP_TAX_NUMBER},
    {"summary", MAP_LABELLED, EMB_PROP_NOTES},
    {"description", MAP_LABELLED, EMB_PROP_NOTES},
    {"status", MAP_LABELLED, EMB_PROP_NOTES},
    {"dissolutionDate", MAP_LABELLED, EMB_PROP_NOTES},
    {"pastFlags", MAP_LABELLED, EMB_PROP_NOTES},
    {"model", MAP_LABELLED, EMB_PROP_NOTES},
};

static emb_status add_by_prop(emb__pctx *ctx, emb_prop prop, emb_str v, emb_str q)
{
    if (emb__prop_is_country(prop))
        return emb__eb_country(&ctx->eb, prop, v, ctx->err);
    if (emb__prop_is_date(prop))
        return emb__eb_date(&ctx->eb, prop, v, EMB__DMY, ctx->err);
    return emb__eb_value(&ctx->eb, prop, v, q, ctx->err);
}

static emb_status attach(emb__pctx *ctx, const xref_index *x, const xref_group *g)
{
    for (uint32_t i = g ? g->head : 0; i != 0; i = x->items[i - 1].next) {
        const xref_item *it = &x->items[i - 1];
        emb_status rc = add_by_prop(ctx, it->prop, it->value, it->qualifier);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

static emb_status attach_address(ftm_state *st, emb_str id)
{
    const xref_group *g = xref_get(&st->addrs, id);
    if (g == NULL) {
        /* exports cut to one dataset keep links to addresses of other datasets */
        st->missing_addresses++;
        return EMB_OK;
    }
    return attach(st->ctx, &st->addrs, g);
}

static emb_status add_property(ftm_state *st, const char *key, json_t *values)
{
    emb__pctx *ctx = st->ctx;
    int how = MAP_PROP;
    int sub = (int)emb_prop_from_name(key, strlen(key));
    for (size_t m = 0; m < EMB_COUNTOF(ftm_map); m++) {
        if (strcmp(ftm_map[m].ftm, key) == 0) {
            how = ftm_map[m].how;
            sub = ftm_map[m].sub;
            break;
        }
    }
    if (how == MAP_IGNORE ||
        (how == MAP_PROP && (sub == EMB_PROP_MAX_ || sub == EMB_PROP_UNRESOLVED)))
        return EMB_OK;
    for (size_t i = 0; i < json_array_size(values); i++) {
        emb_str v = jstr(json_array_get(values, i));
        emb_status rc;
        if (how == MAP_NAME)
            rc = emb__eb_name(&ctx->eb, (emb_name_kind)sub, v, emb__str("", 0), ctx->err);
        else if (how == MAP_ADDRESS_ENTITY)
            rc = attach_address(st, v);
        else
            rc = add_by_prop(ctx, (emb_prop)sub, v,
                             how == MAP_LABELLED ? emb__str_cstr(key) : emb__str("", 0));
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

static emb_status build_target(ftm_state *st, json_t *j, const ftm_head *h, uint64_t line)
{
    emb__pctx *ctx = st->ctx;
    emb_status rc = emb__pctx_begin(ctx, h->id, line);
    if (rc != EMB_OK)
        return rc;
    emb__eb_schema(&ctx->eb, emb_schema_from_name(h->schema.ptr, h->schema.len));
    /* FtM's caption is the display name its exporter chose: it leads, so it is our caption */
    rc = emb__eb_name(&ctx->eb, EMB_NAME_PRIMARY, jstr(json_object_get(j, "caption")),
                      emb__str("", 0), ctx->err);
    for (void *it = json_object_iter(h->props); it && rc == EMB_OK;
         it = json_object_iter_next(h->props, it))
        rc = add_property(st, json_object_iter_key(it), json_object_iter_value(it));
    json_t *datasets = json_object_get(j, "datasets");
    for (size_t i = 0; i < json_array_size(datasets) && rc == EMB_OK; i++)
        rc = emb__eb_value(&ctx->eb, EMB_PROP_NOTES, jstr(json_array_get(datasets, i)),
                           EMB_STR("datasets"), ctx->err);
    if (rc == EMB_OK && json_is_false(json_object_get(j, "target")))
        rc = emb__eb_value(&ctx->eb, EMB_PROP_NOTES, EMB_STR("false"), EMB_STR("target"), ctx->err);
    if (rc == EMB_OK)
        rc = attach(ctx, &st->refs, xref_get(&st->refs, h->id));
    return rc;
}

static emb_status read_u64(FILE *f, uint64_t *v)
{
    return fread(v, sizeof(*v), 1, f) == 1 ? EMB_OK : EMB_EIO;
}

static emb_status pass2(ftm_state *st)
{
    emb__pctx *ctx = st->ctx;
    if (fflush(st->tmp) != 0 || fseek(st->tmp, 0, SEEK_SET) != 0)
        return emb__err(ctx->err, EMB_EIO, "cannot rewind the temporary file");
    emb__buf *b = &st->lr.line;
    for (;;) {
        uint64_t line, offset, len;
        if (read_u64(st->tmp, &line) != EMB_OK) {
            if (feof(st->tmp))
                return EMB_OK;
            return emb__err(ctx->err, EMB_EIO, "cannot read the temporary file");
        }
        emb__buf_reset(b);
        if (read_u64(st->tmp, &offset) != EMB_OK || read_u64(st->tmp, &len) != EMB_OK ||
            len > EMB_LIMIT_RECORD_BYTES)
            return emb__err(ctx->err, EMB_EIO, "cannot read the temporary file");
        while (b->len < len) {
            size_t want = len - b->len < CHUNK_BYTES ? (size_t)(len - b->len) : CHUNK_BYTES;
            if (fread(st->lr.chunk, 1, want, st->tmp) != want ||
                emb__buf_append(b, st->lr.chunk, want) != EMB_OK)
                return emb__err(ctx->err, EMB_EIO, "cannot read the temporary file");
        }
        json_t *j = NULL;
        ftm_head h;
        memset(&h, 0, sizeof(h));
        emb_status rc = load_json(ctx, b->ptr, b->len, &j);
        if (rc == EMB_OK)
            rc = read_head(ctx, j, &h);
        if (rc == EMB_OK)
            rc = build_target(st, j, &h, line);
        if (rc == EMB_OK) {
            rc = emb__pctx_emit(ctx);
            json_decref(j);
            if (rc != EMB_OK)
                return rc;
            continue;
        }
        rc = emb__pctx_bad(ctx, rc, line, offset, h.id.ptr, h.id.len);
        json_decref(j);
        if (rc != EMB_OK)
            return rc;
    }
}

emb_status emb__parse_ftm_json(emb__pctx *ctx)
{
    ftm_state st;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    xref_init(&st.refs);
    xref_init(&st.addrs);
    emb__map_init(&st.targets);
    emb_status rc = lines_init(&st.lr, ctx->in);
    if (rc != EMB_OK) {
        rc = emb__err(ctx->err, rc, "out of memory");
        goto out;
    }
    st.tmp = tmpfile();
    if (st.tmp == NULL) {
        rc = emb__err(ctx->err, EMB_EIO, "cannot create a temporary file");
        goto out;
    }
    rc = pass1(&st);
    if (rc != EMB_OK)
        goto out;
    report_missing(&st);
    rc = pass2(&st);
    if (st.missing_addresses)
        emb__log(EMB_LOG_INFO, LOG_COMPONENT,
                 "%s: %zu addressEntity links to addresses not in the file",
                 emb__input_name(ctx->in), st.missing_addresses);
    if (rc == EMB_OK && st.last_seen[0])
        emb__pctx_published(ctx, emb__str_cstr(st.last_seen));
out:
    if (st.tmp != NULL)
        fclose(st.tmp);
    lines_free(&st.lr);
    xref_free(&st.refs);
    xref_free(&st.addrs);
    emb__map_free(&st.targets);
    return rc;
}
