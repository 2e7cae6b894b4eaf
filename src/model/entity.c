/*
 * Entity builder: the single gate through which every parser's values enter the model, so
 * trimming, UTF-8 checks, limits, deduplication and date/country normalisation happen once.
 */
#include <string.h>

#include "../unicode/unicode.h"
#include "model.h"

void emb__eb_init(emb__eb *b)
{
    memset(b, 0, sizeof(*b));
}

void emb__eb_free(emb__eb *b)
{
    emb__arena_free(&b->arena);
    emb__free(b->names);
    emb__free(b->values);
    memset(b, 0, sizeof(*b));
}

static emb_str copy(emb__eb *b, emb_str s)
{
    char *p = emb__arena_strndup(&b->arena, s.ptr ? s.ptr : "", s.len);
    return emb__str(p, p ? s.len : 0);
}

emb_status emb__eb_begin(emb__eb *b, emb_str dataset, emb_str source_id, uint64_t line,
                         emb_error *err)
{
    emb__arena_reset(&b->arena);
    b->n_names = 0;
    b->n_values = 0;
    b->schema = EMB_SCHEMA_UNKNOWN;
    b->id = emb__str("", 0);
    b->line = line;
    b->open = 1;
    source_id = emb__str_trim(source_id);
    if (source_id.len > EMB_LIMIT_ID_BYTES)
        return emb__err(err, EMB_ELIMIT, "source id is %zu bytes, over the limit of %u",
                        source_id.len, EMB_LIMIT_ID_BYTES);
    b->dataset = copy(b, dataset);
    b->source_id = copy(b, source_id);
    if (b->dataset.ptr == NULL || b->source_id.ptr == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

void emb__eb_schema(emb__eb *b, emb_schema schema)
{
    b->schema = schema;
}

emb_status emb__eb_set_source_id(emb__eb *b, emb_str source_id, emb_error *err)
{
    source_id = emb__str_trim(source_id);
    if (source_id.len > EMB_LIMIT_ID_BYTES)
        return emb__err(err, EMB_ELIMIT, "source id is %zu bytes, over the limit of %u",
                        source_id.len, EMB_LIMIT_ID_BYTES);
    b->source_id = copy(b, source_id);
    return b->source_id.ptr ? EMB_OK : emb__err(err, EMB_ENOMEM, "out of memory");
}

emb_status emb__eb_set_id(emb__eb *b, emb_str id, emb_error *err)
{
    if (id.len == 0 || id.len > EMB_LIMIT_ID_BYTES)
        return emb__err(err, EMB_ELIMIT, "entity id of %zu bytes is empty or over the limit", id.len);
    b->id = copy(b, id);
    return b->id.ptr ? EMB_OK : emb__err(err, EMB_ENOMEM, "out of memory");
}

static emb_status check_utf8(emb_str s, emb_error *err, const char *what)
{
    size_t bad = 0;
    if (!emb__utf8_valid(s.ptr, s.len, &bad))
        return emb__err(err, EMB_EUTF8, "invalid UTF-8 in %s at byte %zu of the value", what,
                        bad);
    return EMB_OK;
}

/* Trim and fold runs of whitespace (incl. newlines inside XML text) to one space. */
static emb_str fold_space(emb__eb *b, emb_str s)
{
    s = emb__str_trim(s);
    int needs = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '\n' || c == '\r' || c == '\t' || (c == ' ' && i + 1 < s.len && s.ptr[i + 1] == ' ')) {
            needs = 1;
            break;
        }
    }
    if (!needs)
        return s;
    char *p = emb__arena_alloc(&b->arena, s.len + 1);
    if (p == NULL)
        return emb__str(NULL, 0);
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = 1;
            continue;
        }
        if (space && n > 0)
            p[n++] = ' ';
        space = 0;
        p[n++] = c;
    }
    p[n] = '\0';
    return emb__str(p, n);
}

/* One entry per distinct name, with the strongest kind it was published under. */
static const int kind_rank[EMB_NAME_KIND_MAX_] = {
    [EMB_NAME_PRIMARY] = 0,         [EMB_NAME_ORIGINAL_SCRIPT] = 1, [EMB_NAME_ALIAS] = 2,
    [EMB_NAME_PREVIOUS] = 3,        [EMB_NAME_WEAK_ALIAS] = 4,
};

/* 1 when slice s points into the caller's text (so it must be copied before keeping). */
static int in_range(emb_str s, emb_str within)
{
    return s.ptr >= within.ptr && s.ptr <= within.ptr + within.len;
}

emb_status emb__eb_name(emb__eb *b, emb_name_kind kind, emb_str value, emb_str lang,
                        emb_error *err)
{
    if ((unsigned)kind >= EMB_NAME_KIND_MAX_)
        return emb__err(err, EMB_EINVAL, "unknown name kind");
    if (value.len == 0 || emb__str_blank(value))
        return EMB_OK;
    emb_status rc = check_utf8(value, err, "a name");
    if (rc != EMB_OK)
        return rc;
    emb_str v = fold_space(b, value);
    if (v.ptr == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    if (v.len > EMB_LIMIT_NAME_BYTES)
        return emb__err(err, EMB_ELIMIT, "a name is %zu bytes, over the limit of %u", v.len,
                        EMB_LIMIT_NAME_BYTES);
    for (size_t i = 0; i < b->n_names; i++) {
        emb_name *n = &b->names[i];
        if (emb__str_eq(n->value, v)) {
            if (kind_rank[kind] < kind_rank[n->kind])
                n->kind = kind;
            return EMB_OK;
        }
    }
    if (b->n_names >= EMB_LIMIT_NAMES)
        return emb__err(err, EMB_ELIMIT, "record has more than %u names", EMB_LIMIT_NAMES);
    rc = emb__grow((void **)&b->names, &b->cap_names, sizeof(emb_name), b->n_names + 1,
                   EMB_LIMIT_NAMES);
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    emb_name *n = &b->names[b->n_names++];
    n->value = in_range(v, value) ? copy(b, v) : v;
    n->kind = kind;
    n->lang = lang.len ? copy(b, emb__str_trim(lang)) : emb__str("", 0);
    if (n->value.ptr == NULL || n->lang.ptr == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

static emb_status add_value(emb__eb *b, emb_prop prop, emb_str v, emb_str q, emb_error *err)
{
    for (size_t i = 0; i < b->n_values; i++) {
        emb_value *x = &b->values[i];
        if (x->prop == prop && emb__str_eq(x->value, v) && emb__str_eq(x->qualifier, q))
            return EMB_OK;
    }
    emb_status rc = emb__grow((void **)&b->values, &b->cap_values, sizeof(emb_value),
                              b->n_values + 1, EMB_LIMIT_VALUES);
    if (rc == EMB_ELIMIT)
        return emb__err(err, rc, "record has more than %u attribute values", EMB_LIMIT_VALUES);
    if (rc != EMB_OK)
        return emb__err(err, rc, "out of memory");
    emb_value *x = &b->values[b->n_values++];
    x->prop = prop;
    x->value = copy(b, v);
    x->qualifier = copy(b, q);
    if (x->value.ptr == NULL || x->qualifier.ptr == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

emb_status emb__eb_value(emb__eb *b, emb_prop prop, emb_str value, emb_str qualifier,
                         emb_error *err)
{
    if ((unsigned)prop >= EMB_PROP_MAX_)
        return emb__err(err, EMB_EINVAL, "unknown property");
    if (value.len == 0 || emb__str_blank(value))
        return EMB_OK;
    emb_status rc = check_utf8(value, err, emb_prop_name(prop));
    if (rc == EMB_OK && qualifier.len)
        rc = check_utf8(qualifier, err, "a qualifier");
    if (rc != EMB_OK)
        return rc;
    emb_str v = fold_space(b, value);
    emb_str q = fold_space(b, qualifier);
    if (v.ptr == NULL || (qualifier.len && q.ptr == NULL))
        return emb__err(err, EMB_ENOMEM, "out of memory");
    if (v.len > EMB_LIMIT_FIELD_BYTES)
        return emb__err(err, EMB_ELIMIT, "%s value is %zu bytes, over the limit of %u",
                        emb_prop_name(prop), v.len, EMB_LIMIT_FIELD_BYTES);
    if (q.ptr == NULL)
        q = emb__str("", 0);
    return add_value(b, prop, v, q, err);
}

/* Words around a country that do not change which country it is. */
static const char *const country_noise[] = {"allegedly", "assumed", "possibly", "presumed",
                                            "probably", "reportedly", "of the", "of",
                                            "by birth", "citizen", "citizenship", "national"};

/* Strip "(...)" asides, enumerators like "(a)"/"a)", qualifier words and "since 1990". */
static emb_str clean_country(emb_str s, char *buf, size_t cap)
{
    size_t n = 0;
    int depth = 0;
    for (size_t i = 0; i < s.len && n + 1 < cap; i++) {
        char c = s.ptr[i];
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        else if (c == ')' && n <= 2)
            n = 0; /* "a) Syrian" */
        else if (depth == 0)
            buf[n++] = c;
    }
    emb_str t = emb__str_trim(emb__str(buf, n));
    for (int again = 1; again;) {
        again = 0;
        for (size_t k = 0; k < EMB_COUNTOF(country_noise); k++) {
            size_t w = strlen(country_noise[k]);
            if (t.len > w + 1 && emb__str_istarts(t, country_noise[k]) && t.ptr[w] == ' ') {
                t = emb__str_trim(emb__str(t.ptr + w, t.len - w));
                again = 1;
            }
            if (t.len > w + 1 && t.ptr[t.len - w - 1] == ' ' &&
                emb__str_ieq(emb__str(t.ptr + t.len - w, w), country_noise[k])) {
                t = emb__str_trim(emb__str(t.ptr, t.len - w - 1));
                again = 1;
            }
        }
    }
    long since = emb__str_ifind(t, " since ");
    if (since > 0)
        t = emb__str_trim(emb__str(t.ptr, (size_t)since));
    return t;
}

/* A separator between alternatives: , ; / and the words "and", "or", "and/or". Returns its
 * length at i, 0 when none. */
static size_t country_sep(emb_str s, size_t i)
{
    char c = s.ptr[i];
    if (c == ',' || c == ';' || c == '/' || c == '.')
        return 1;
    /* enumerators between alternatives: "(a) Jordanian (b) American", "a) Syrian b) ..." */
    if (i > 0 && c == '(' && i + 2 < s.len && s.ptr[i + 2] == ')')
        return 3;
    if (i > 0 && c == ' ' && i + 2 < s.len && s.ptr[i + 2] == ')' && s.ptr[i + 1] != '(')
        return 3;
    static const char *const words[] = {" and/or ", " and ", " or "};
    for (size_t k = 0; k < EMB_COUNTOF(words); k++) {
        size_t w = strlen(words[k]);
        if (i + w <= s.len && emb__str_ieq(emb__str(s.ptr + i, w), words[k]))
            return w;
    }
    return 0;
}

emb_status emb__eb_country(emb__eb *b, emb_prop prop, emb_str text, emb_error *err)
{
    text = emb__str_trim(text);
    if (emb__str_blank(text))
        return EMB_OK;
    const char *code = emb__country_code(text);
    if (code != NULL)
        return add_value(b, prop, emb__str_cstr(code), emb__str("", 0), err);
    /* "Ukrainian, Russian", "(a) German, (b) Moroccan", "Syrian (presumed)": each part that
     * names a country is taken; when some part does not, the text is also kept as published */
    char buf[256];
    int all = text.len < sizeof(buf);
    size_t start = 0, found = 0;
    for (size_t i = 0; all && i <= text.len;) {
        size_t w = i < text.len ? country_sep(text, i) : 1;
        if (w == 0) {
            i++;
            continue;
        }
        emb_str part = clean_country(emb__str(text.ptr + start, i - start), buf, sizeof(buf));
        if (part.len > 0) {
            const char *c = emb__country_code(part);
            if (c == NULL) {
                all = 0;
            } else {
                emb_status rc = add_value(b, prop, emb__str_cstr(c), emb__str("", 0), err);
                if (rc != EMB_OK)
                    return rc;
                found++;
            }
        }
        i += w;
        start = i;
    }
    if (all && found > 0)
        return EMB_OK;
    return emb__eb_value(b, EMB_PROP_UNRESOLVED, text, emb__str_cstr(emb_prop_name(prop)), err);
}

emb_status emb__eb_date(emb__eb *b, emb_prop prop, emb_str text, emb__date_order order,
                        emb_error *err)
{
    text = emb__str_trim(text);
    if (emb__str_blank(text))
        return EMB_OK;
    char dates[EMB__DATE_MAX_OUT][11];
    size_t n = emb__date_parse(text, order, dates, EMB__DATE_MAX_OUT);
    if (n == 0) {
        /* "(a) 30.12.1960, (b) 13.12.1960": alternatives, each a date of its own */
        size_t start = 0;
        for (size_t i = 0; i <= text.len && n < EMB__DATE_MAX_OUT; i++) {
            if (i < text.len && text.ptr[i] != ',' && text.ptr[i] != ';')
                continue;
            size_t k = emb__date_parse(emb__str(text.ptr + start, i - start), order, dates + n,
                                       EMB__DATE_MAX_OUT - n);
            if (k == 0) {
                n = 0;
                break;
            }
            n += k;
            start = i + 1;
        }
    }
    if (n == 0)
        return emb__eb_value(b, EMB_PROP_UNRESOLVED, text, emb__str_cstr(emb_prop_name(prop)),
                             err);
    for (size_t i = 0; i < n; i++) {
        emb_status rc = add_value(b, prop, emb__str_cstr(dates[i]), emb__str("", 0), err);
        if (rc != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

emb_status emb__eb_names_split(emb__eb *b, emb_name_kind kind, emb_str text, char sep,
                               emb_error *err)
{
    size_t start = 0;
    for (size_t i = 0; i <= text.len; i++) {
        if (i < text.len && text.ptr[i] != sep)
            continue;
        emb_status rc =
            emb__eb_name(b, kind, emb__str(text.ptr + start, i - start), emb__str("", 0), err);
        if (rc != EMB_OK)
            return rc;
        start = i + 1;
    }
    return EMB_OK;
}

int emb__eb_has_name(const emb__eb *b)
{
    return b->n_names > 0;
}

emb_status emb__eb_finish(emb__eb *b, emb_entity *out, emb_error *err)
{
    if (!b->open)
        return emb__err(err, EMB_EINVAL, "no record started");
    b->open = 0;
    if (b->source_id.len == 0)
        return emb__err(err, EMB_EPARSE, "record has no source identifier");
    if (b->schema == EMB_SCHEMA_UNKNOWN)
        return emb__err(err, EMB_EPARSE, "record has no known schema");
    if (b->n_names == 0)
        return emb__err(err, EMB_EPARSE, "record has no name");
    /* the caption is the first primary name; failing that, the first Latin-script name */
    size_t cap = b->n_names;
    for (size_t i = 0; i < b->n_names && cap == b->n_names; i++) {
        if (b->names[i].kind == EMB_NAME_PRIMARY)
            cap = i;
    }
    if (cap == b->n_names) {
        for (size_t i = 0; i < b->n_names && cap == b->n_names; i++) {
            if (b->names[i].kind != EMB_NAME_ORIGINAL_SCRIPT)
                cap = i;
        }
        if (cap == b->n_names)
            cap = 0;
        b->names[cap].kind = EMB_NAME_PRIMARY;
    }
    memset(out, 0, sizeof(*out));
    if (b->id.len) {
        out->id = b->id;
    } else {
        size_t idlen = b->dataset.len + 1 + b->source_id.len;
        char *id = emb__arena_alloc(&b->arena, idlen + 1);
        if (id == NULL)
            return emb__err(err, EMB_ENOMEM, "out of memory");
        memcpy(id, b->dataset.ptr, b->dataset.len);
        id[b->dataset.len] = '-';
        memcpy(id + b->dataset.len + 1, b->source_id.ptr, b->source_id.len);
        id[idlen] = '\0';
        out->id = emb__str(id, idlen);
    }
    out->dataset = b->dataset;
    out->source_id = b->source_id;
    out->caption = b->names[cap].value;
    out->schema = b->schema;
    out->names = b->names;
    out->n_names = b->n_names;
    out->values = b->values;
    out->n_values = b->n_values;
    out->line = b->line;
    return EMB_OK;
}
