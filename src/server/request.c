/*
 * A yente /match body into screening queries. yente's EntityMatchQuery: {"queries": {KEY:
 * {"id"?, "schema", "properties": {prop: str | [str...]}}}, "weights"?, "config"?}. Request
 * validation errors are 422 as yente's (FastAPI's) are; errors yente raises itself (unknown
 * schema, empty or oversized batch) are 400. Outside input: fuzzed by fuzz/fuzz_match_request.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

typedef struct strvec {
    const char **v;
    size_t n, cap;
} strvec;

static int push(strvec *s, const char *x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        const char **v = realloc(s->v, cap * sizeof(*v));
        if (v == NULL)
            return 0;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 1;
}

static int fail(char *detail, size_t cap, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *detail, size_t cap, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(detail, cap, fmt, ap);
    va_end(ap);
    if (n < 0 && cap > 0)
        detail[0] = '\0';
    return status;
}

typedef enum { P_DROP = 0, P_NAME, P_NAME_PART, P_DATE, P_COUNTRY, P_IDENT, P_KEEP } prop_use;

/* What a query property does: yente's examples use name, birthDate, nationality, country,
 * jurisdiction, registrationNumber, idNumber... */
static prop_use use_of(const char *prop, emb_prop *p)
{
    static const char *const name_props[] = {"name", "alias", "weakAlias", "previousName"};
    static const char *const name_parts[] = {"firstName", "secondName", "middleName", "lastName",
                                             "fatherName"};
    for (size_t i = 0; i < sizeof(name_props) / sizeof(name_props[0]); i++) {
        if (strcmp(prop, name_props[i]) == 0)
            return P_NAME;
    }
    for (size_t i = 0; i < sizeof(name_parts) / sizeof(name_parts[0]); i++) {
        if (strcmp(prop, name_parts[i]) == 0)
            return P_NAME_PART;
    }
    *p = emb_prop_from_name(prop, strlen(prop));
    switch (*p) {
    case EMB_PROP_BIRTH_DATE:
        return P_DATE;
    case EMB_PROP_NATIONALITY:
    case EMB_PROP_CITIZENSHIP:
    case EMB_PROP_COUNTRY:
    case EMB_PROP_JURISDICTION:
    case EMB_PROP_FLAG:
    case EMB_PROP_BIRTH_COUNTRY:
    case EMB_PROP_REGISTRATION_COUNTRY:
        return P_COUNTRY;
    case EMB_PROP_MAX_:
    case EMB_PROP_UNRESOLVED:
        return P_DROP;
    default:
        return emb_prop_is_identifier(*p) ? P_IDENT : P_KEEP;
    }
}

/* Schemata a query may name: FtM's matchable ones that lists hold. */
static int matchable(emb_schema s)
{
    return s != EMB_SCHEMA_UNKNOWN && s != EMB_SCHEMA_THING;
}

typedef struct parts {
    const char *first, *second, *middle, *last, *father;
} parts;

static char *compose(const parts *p)
{
    const char *seq[] = {p->first, p->second, p->middle, p->father, p->last};
    size_t len = 0;
    for (size_t i = 0; i < 5; i++)
        len += seq[i] ? strlen(seq[i]) + 1 : 0;
    if (len == 0)
        return NULL;
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < 5; i++) {
        if (seq[i] == NULL || seq[i][0] == '\0')
            continue;
        if (n > 0)
            out[n++] = ' ';
        size_t l = strlen(seq[i]);
        memcpy(out + n, seq[i], l);
        n += l;
    }
    out[n] = '\0';
    if (n == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* One query of the batch. Returns 0 or an HTTP status with detail written. */
static int parse_query(const char *key, json_t *ex, srv_query *q, char *detail, size_t cap)
{
    q->key = key;
    if (!json_is_object(ex))
        return fail(detail, cap, 422, "queries.%s: must be an object", key);
    json_t *schema = json_object_get(ex, "schema");
    if (schema == NULL)
        return fail(detail, cap, 422, "queries.%s.schema: field required", key);
    if (!json_is_string(schema))
        return fail(detail, cap, 422, "queries.%s.schema: must be a string", key);
    const char *sname = json_string_value(schema);
    q->schema = emb_schema_from_name(sname, json_string_length(schema));
    if (q->schema == EMB_SCHEMA_UNKNOWN)
        return fail(detail, cap, 400, "Cannot parse example entity: unknown schema: %.64s", sname);
    if (!matchable(q->schema))
        return fail(detail, cap, 400, "Cannot parse example entity: schema %s is not matchable",
                    sname);
    json_t *id = json_object_get(ex, "id");
    if (id != NULL && !json_is_null(id) && !json_is_string(id))
        return fail(detail, cap, 422, "queries.%s.id: must be a string", key);
    json_t *props = json_object_get(ex, "properties");
    if (props == NULL)
        return fail(detail, cap, 422, "queries.%s.properties: field required", key);
    if (!json_is_object(props))
        return fail(detail, cap, 422, "queries.%s.properties: must be an object", key);

    json_t *echo_props = json_object();
    q->echo = json_object();
    if (q->echo == NULL || echo_props == NULL) {
        json_decref(echo_props);
        return fail(detail, cap, 500, "out of memory");
    }
    json_object_set_new(q->echo, "id", id != NULL ? json_incref(id) : json_null());
    json_object_set_new(q->echo, "schema", json_string(emb_schema_name(q->schema)));
    json_object_set_new(q->echo, "properties", echo_props);

    strvec names = {0}, dates = {0}, countries = {0}, idents = {0};
    parts np = {0};
    int status = 0;
    const char *prop;
    json_t *val;
    json_object_foreach(props, prop, val)
    {
        emb_prop p = EMB_PROP_MAX_;
        prop_use use = use_of(prop, &p);
        json_t *list = val;
        size_t n = 1;
        if (json_is_array(val)) {
            n = json_array_size(val);
        } else if (!json_is_string(val)) {
            status = fail(detail, cap, 422,
                          "queries.%s.properties.%.64s: must be a string or a list of strings", key,
                          prop);
            goto out;
        }
        if (n > SRV_MAX_VALUES) {
            status = fail(detail, cap, 400, "queries.%s.properties.%.64s: more than %d values", key,
                          prop, SRV_MAX_VALUES);
            goto out;
        }
        json_t *echo_vals = NULL;
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_is_array(list) ? json_array_get(list, i) : list;
            if (!json_is_string(v)) {
                status = fail(detail, cap, 422,
                              "queries.%s.properties.%.64s: values must be strings", key, prop);
                goto out;
            }
            const char *s = json_string_value(v);
            size_t len = json_string_length(v);
            if (strlen(s) != len) {
                status =
                    fail(detail, cap, 400,
                         "queries.%s.properties.%.64s: a value contains a NUL byte", key, prop);
                goto out;
            }
            if (len > SRV_MAX_NAME_BYTES) {
                status = fail(detail, cap, 400,
                              "queries.%s.properties.%.64s: a value is longer than %d bytes", key,
                              prop, SRV_MAX_NAME_BYTES);
                goto out;
            }
            if (use == P_DROP)
                continue;
            /* blank values carry nothing, as in FtM */
            size_t k = 0;
            while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
                k++;
            if (k == len)
                continue;
            const char *echo_text = s;
            int ok = 1;
            switch (use) {
            case P_NAME:
                ok = push(&names, s);
                break;
            case P_NAME_PART:
                if (strcmp(prop, "firstName") == 0 && np.first == NULL)
                    np.first = s;
                else if (strcmp(prop, "secondName") == 0 && np.second == NULL)
                    np.second = s;
                else if (strcmp(prop, "middleName") == 0 && np.middle == NULL)
                    np.middle = s;
                else if (strcmp(prop, "lastName") == 0 && np.last == NULL)
                    np.last = s;
                else if (strcmp(prop, "fatherName") == 0 && np.father == NULL)
                    np.father = s;
                break;
            case P_DATE:
                ok = push(&dates, s);
                break;
            case P_COUNTRY: {
                const char *code = emb_country_code(s, len);
                if (code != NULL)
                    echo_text = code;
                ok = push(&countries, echo_text);
                break;
            }
            case P_IDENT:
                ok = push(&idents, s);
                break;
            case P_KEEP:
            case P_DROP:
                break;
            }
            if (!ok) {
                status = fail(detail, cap, 500, "out of memory");
                goto out;
            }
            if (echo_vals == NULL) {
                echo_vals = json_array();
                if (echo_vals == NULL || json_object_set_new(echo_props, prop, echo_vals) != 0) {
                    status = fail(detail, cap, 500, "out of memory");
                    goto out;
                }
            }
            /* FtM keeps each value once */
            int dup = 0;
            size_t j;
            json_t *e;
            json_array_foreach(echo_vals, j, e)
            {
                if (strcmp(json_string_value(e), echo_text) == 0)
                    dup = 1;
            }
            if (!dup)
                json_array_append_new(echo_vals, json_string(echo_text));
        }
    }
    if (names.n == 0) {
        q->composed_name = compose(&np);
        if (q->composed_name != NULL && !push(&names, q->composed_name)) {
            status = fail(detail, cap, 500, "out of memory");
            goto out;
        }
    }
    if (names.n == 0) {
        status = fail(detail, cap, 400,
                      "Cannot parse example entity: queries.%s has no name (give `name`, or "
                      "`firstName` and `lastName`)",
                      key);
        goto out;
    }
out:
    q->names = names.v;
    q->n_names = names.n;
    q->dates = dates.v;
    q->n_dates = dates.n;
    q->countries = countries.v;
    q->n_countries = countries.n;
    q->identifiers = idents.v;
    q->n_identifiers = idents.n;
    return status;
}

int srv_request_parse(const char *body, size_t len, srv_request *req, char *detail,
                      size_t detail_cap)
{
    memset(req, 0, sizeof(*req));
    if (len == 0)
        return fail(detail, detail_cap, 422, "request body is empty: a JSON object is required");
    json_error_t jerr;
    req->body = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (req->body == NULL)
        return fail(detail, detail_cap, 422, "invalid JSON body at line %d, column %d: %s",
                    jerr.line, jerr.column, jerr.text);
    if (!json_is_object(req->body))
        return fail(detail, detail_cap, 422, "request body must be a JSON object");
    json_t *queries = json_object_get(req->body, "queries");
    if (queries == NULL)
        return fail(detail, detail_cap, 422, "queries: field required");
    if (!json_is_object(queries))
        return fail(detail, detail_cap, 422, "queries: must be an object of named queries");
    json_t *w = json_object_get(req->body, "weights");
    if (w != NULL && !json_is_object(w))
        return fail(detail, detail_cap, 422, "weights: must be an object");
    size_t n = json_object_size(queries);
    if (n > SRV_MAX_BATCH)
        return fail(detail, detail_cap, 400, "Too many queries in one batch (limit: %d)",
                    SRV_MAX_BATCH);
    req->queries = calloc(n ? n : 1, sizeof(srv_query));
    if (req->queries == NULL)
        return fail(detail, detail_cap, 500, "out of memory");
    const char *key;
    json_t *ex;
    json_object_foreach(queries, key, ex)
    {
        /* yente skips a query given as null */
        if (json_is_null(ex))
            continue;
        int st = parse_query(key, ex, &req->queries[req->n_queries++], detail, detail_cap);
        if (st != 0)
            return st;
    }
    if (req->n_queries == 0)
        return fail(detail, detail_cap, 400, "No queries provided.");
    return 0;
}

void srv_request_free(srv_request *req)
{
    for (size_t i = 0; i < req->n_queries; i++) {
        srv_query *q = &req->queries[i];
        free((void *)q->names);
        free((void *)q->dates);
        free((void *)q->countries);
        free((void *)q->identifiers);
        free(q->composed_name);
        json_decref(q->echo);
    }
    free(req->queries);
    json_decref(req->body);
    memset(req, 0, sizeof(*req));
}
