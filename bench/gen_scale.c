/*
 * A synthetic list at scale for the screening benchmark: a generic CSV (id, schema, name,
 * alias, birthDate, country) of about N names made by recombining the parts of real listed
 * names. The names of a snapshot (the universe) are split into given names and surnames
 * (persons) and into words and legal forms (organisations), per script (Latin, Cyrillic), and
 * recombined with a fixed-seed generator: the same snapshot gives the same file every time.
 * Persons about 60%, companies about 40%, some with aliases, birth dates and countries.
 *
 * Usage: gen_scale SNAPSHOT OUT.csv [--names N] [--seed N]      (default 5,000,000 names)
 */
#include <embargo/embargo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rng.h"

/* ---------------------------------------------------------------- utilities */

/* 1 with probability pct/100 */
static int chance(unsigned pct)
{
    return rnd_below(100) < pct;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "gen_scale: out of memory\n");
        exit(1);
    }
    return p;
}

/* A pool of words: one arena of NUL-terminated strings, with repeats (frequent parts are
 * drawn more often, as in real lists). */
typedef struct {
    char *text;
    size_t len, cap;
    size_t *at;
    size_t n, n_cap;
} pool;

static void pool_add(pool *p, const char *s, size_t n)
{
    if (p->len + n + 1 > p->cap) {
        p->cap = (p->len + n + 1) * 2;
        p->text = xrealloc(p->text, p->cap);
    }
    if (p->n == p->n_cap) {
        p->n_cap = p->n_cap ? p->n_cap * 2 : 1024;
        p->at = xrealloc(p->at, p->n_cap * sizeof(size_t));
    }
    p->at[p->n++] = p->len;
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len++] = '\0';
}

static const char *pool_pick(const pool *p)
{
    return p->text + p->at[rnd_below(p->n)];
}

enum { LATIN, CYRILLIC, SCRIPTS };

typedef struct {
    pool given, surname, word, legal;
} pools;

static pools g_pools[SCRIPTS];

/* ---------------------------------------------------------------- splitting names */

/* Script of a name: LATIN when ASCII-only or Latin with diacritics, CYRILLIC when it holds
 * Cyrillic letters (U+0400-U+04FF: lead bytes 0xD0-0xD3), -1 for anything else. */
static int script_of(emb_str s)
{
    int cyr = 0, other = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80 || (c & 0xC0) == 0x80)
            continue;
        if (c >= 0xD0 && c <= 0xD3)
            cyr = 1;
        else if (c >= 0xC3 && c <= 0xC9)
            ; /* Latin-1 supplement and Latin Extended */
        else
            other = 1;
    }
    return other ? -1 : cyr ? CYRILLIC : LATIN;
}

static int is_trim(char c)
{
    return c == ',' || c == ';' || c == ':' || c == '"' || c == '\'' || c == '(' || c == ')';
}

/* Tokens of a name, trimmed of punctuation; tokens with digits, quotes, semicolons or
 * guillemets are left out (they would need quoting, or are not name parts). */
static size_t tokens(emb_str s, emb_str *tok, int *comma_after, size_t max)
{
    size_t n = 0, i = 0;
    while (i < s.len && n < max) {
        while (i < s.len && s.ptr[i] == ' ')
            i++;
        size_t a = i;
        while (i < s.len && s.ptr[i] != ' ')
            i++;
        size_t b = i;
        int comma = b > a && s.ptr[b - 1] == ',';
        while (a < b && is_trim(s.ptr[a]))
            a++;
        while (b > a && (is_trim(s.ptr[b - 1]) || s.ptr[b - 1] == '.'))
            b--;
        if (b - a < 2)
            continue;
        int ok = 1;
        for (size_t k = a; k < b && ok; k++) {
            char c = s.ptr[k];
            ok = !(c >= '0' && c <= '9') && c != '"' && c != ';' && c != ',' &&
                 (unsigned char)c != 0xC2; /* « » and other Latin-1 punctuation */
        }
        if (!ok)
            continue;
        comma_after[n] = comma;
        tok[n++] = (emb_str){s.ptr + a, b - a};
    }
    return n;
}

static int all_upper_ascii(emb_str t)
{
    int letters = 0;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        letters += c >= 'A' && c <= 'Z';
    }
    return letters > 1;
}

static const char *const g_legal_latin[] = {
    "LLC", "LTD", "LIMITED", "INC", "CORP", "CORPORATION", "JSC", "OJSC", "PJSC", "CJSC", "OOO",
    "AO", "PAO", "ZAO", "GMBH", "AG", "SA", "SRL", "BV", "FZE", "FZCO", "LLP", "PLC", "SAS",
    "SARL", "CO", "COMPANY", "SPA", "OU", "AS", "DOO", "TOO", "LTDA", "PTE", "FZ-LLC",
};
static const char *const g_legal_cyr[] = {
    "ООО", "АО", "ПАО", "ЗАО", "ОАО", "ТОВ", "ИП", "ФГУП", "АНО", "НАО",
};

static int is_legal(emb_str t, int script)
{
    char up[32];
    if (t.len >= sizeof(up))
        return 0;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        up[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    up[t.len] = '\0';
    if (script == CYRILLIC) {
        for (size_t k = 0; k < sizeof(g_legal_cyr) / sizeof(g_legal_cyr[0]); k++) {
            if (strcmp(up, g_legal_cyr[k]) == 0)
                return 1;
        }
        return 0;
    }
    for (size_t k = 0; k < sizeof(g_legal_latin) / sizeof(g_legal_latin[0]); k++) {
        if (strcmp(up, g_legal_latin[k]) == 0)
            return 1;
    }
    return 0;
}

static void split_person(emb_str name, int script)
{
    emb_str tok[32];
    int comma[32];
    size_t n = tokens(name, tok, comma, 32);
    if (n < 2)
        return;
    pools *p = &g_pools[script];
    size_t cut = n; /* tokens before cut are surnames when the name has "SURNAME, Given" */
    for (size_t i = 0; i + 1 < n; i++) {
        if (comma[i]) {
            cut = i + 1;
            break;
        }
    }
    int upper_any = 0, lower_any = 0;
    for (size_t i = 0; i < n; i++) {
        if (all_upper_ascii(tok[i]))
            upper_any = 1;
        else
            lower_any = 1;
    }
    for (size_t i = 0; i < n; i++) {
        int surname;
        if (cut < n)
            surname = i < cut;
        else if (upper_any && lower_any) /* "Sergey Viktorovich LAVROV" */
            surname = all_upper_ascii(tok[i]);
        else
            surname = i == n - 1;
        pool_add(surname ? &p->surname : &p->given, tok[i].ptr, tok[i].len);
    }
}

static void split_org(emb_str name, int script)
{
    emb_str tok[32];
    int comma[32];
    size_t n = tokens(name, tok, comma, 32);
    pools *p = &g_pools[script];
    for (size_t i = 0; i < n; i++) {
        if ((i == 0 || i == n - 1) && is_legal(tok[i], script))
            pool_add(&p->legal, tok[i].ptr, tok[i].len);
        else
            pool_add(&p->word, tok[i].ptr, tok[i].len);
    }
}

/* ---------------------------------------------------------------- generating */

typedef struct {
    char p[1024];
    size_t n;
} line;

static void put(line *l, const char *s)
{
    size_t n = strlen(s);
    if (l->n + n + 1 >= sizeof(l->p))
        return; /* a generated name stays far below this */
    memcpy(l->p + l->n, s, n);
    l->n += n;
    l->p[l->n] = '\0';
}

static void person_name(line *l, int script, const char *surname, int inverted)
{
    const pools *p = &g_pools[script];
    const char *given = pool_pick(&p->given);
    const char *middle = chance(35) ? pool_pick(&p->given) : NULL;
    const char *surname2 = chance(8) ? pool_pick(&p->surname) : NULL;
    if (inverted) {
        put(l, surname);
        if (surname2) {
            put(l, " ");
            put(l, surname2);
        }
        put(l, ", ");
    }
    put(l, given);
    if (middle) {
        put(l, " ");
        put(l, middle);
    }
    if (!inverted) {
        put(l, " ");
        put(l, surname);
        if (surname2) {
            put(l, " ");
            put(l, surname2);
        }
    }
}

static void org_name(line *l, int script, const char *const *core, size_t n_core)
{
    const pools *p = &g_pools[script];
    int legal = p->legal.n > 0 && chance(70);
    const char *form = legal ? pool_pick(&p->legal) : NULL;
    if (form && script == CYRILLIC) {
        put(l, form);
        put(l, " ");
    }
    for (size_t i = 0; i < n_core; i++) {
        if (i)
            put(l, " ");
        put(l, core[i]);
    }
    if (form && script == LATIN) {
        put(l, " ");
        put(l, form);
    }
}

static const char *const g_countries[] = {
    "ru", "ir", "kp", "sy", "cn", "ve", "by", "ua", "af", "iq", "lb", "ye", "ae", "tr", "cy",
    "gb", "us", "de", "fr", "it", "es", "nl", "ch", "hk", "sg", "in", "pk", "kz", "ge", "am",
};

static void usage(void)
{
    fprintf(stderr, "usage: gen_scale SNAPSHOT OUT.csv [--names N] [--seed N]\n");
    exit(2);
}

static long num_arg(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < 1) {
        fprintf(stderr, "gen_scale: '%s' is not a positive number\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *snap = NULL, *out = NULL;
    size_t target = 5000000;
    uint64_t seed = 20260302;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--names") == 0 && i + 1 < argc)
            target = (size_t)num_arg(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = (uint64_t)num_arg(argv[++i]);
        else if (argv[i][0] == '-')
            usage();
        else if (snap == NULL)
            snap = argv[i];
        else if (out == NULL)
            out = argv[i];
        else
            usage();
    }
    if (out == NULL)
        usage();
    g_rng = seed;

    emb_index *idx;
    emb_ctx *ctx;
    emb_error err;
    if (emb_index_open(snap, &idx, &err) != EMB_OK) {
        fprintf(stderr, "gen_scale: %s: %s\n", snap, err.msg);
        return 1;
    }
    if (emb_ctx_new(&ctx) != EMB_OK)
        return 1;
    size_t count = emb_index_entity_count(idx);
    for (size_t i = 0; i < count; i++) {
        emb_entity e;
        if (emb_index_entity(idx, ctx, i, &e) != EMB_OK)
            continue;
        int person = e.schema == EMB_SCHEMA_PERSON;
        int org = emb_schema_is_a(e.schema, EMB_SCHEMA_LEGAL_ENTITY) && !person;
        if (!person && !org)
            continue; /* vessels and aircraft: their names are not people's or firms' */
        for (size_t k = 0; k < e.n_names; k++) {
            if (e.names[k].kind == EMB_NAME_WEAK_ALIAS)
                continue;
            int script = script_of(e.names[k].value);
            if (script < 0)
                continue;
            if (person)
                split_person(e.names[k].value, script);
            else
                split_org(e.names[k].value, script);
        }
    }
    emb_ctx_free(ctx);
    emb_index_close(idx);
    for (int s = 0; s < SCRIPTS; s++) {
        const pools *p = &g_pools[s];
        fprintf(stderr, "gen_scale: %s parts: %zu given names, %zu surnames, %zu organisation "
                "words, %zu legal forms\n", s == LATIN ? "Latin" : "Cyrillic", p->given.n,
                p->surname.n, p->word.n, p->legal.n);
    }
    const pools *lat = &g_pools[LATIN];
    if (lat->given.n == 0 || lat->surname.n == 0 || lat->word.n == 0) {
        fprintf(stderr, "gen_scale: %s has too few names to recombine\n", snap);
        return 1;
    }
    int cyr_ok = g_pools[CYRILLIC].given.n && g_pools[CYRILLIC].surname.n &&
                 g_pools[CYRILLIC].word.n;

    FILE *f = fopen(out, "w");
    if (f == NULL) {
        fprintf(stderr, "gen_scale: %s: %s\n", out, strerror(errno));
        return 1;
    }
    fputs("id,schema,name,alias,birthDate,country\n", f);
    size_t names = 0, entities = 0, persons = 0;
    while (names < target) {
        int script = cyr_ok && chance(4) ? CYRILLIC : LATIN;
        int person = chance(60);
        line name = {.n = 0}, alias = {.n = 0};
        size_t n_alias = chance(person ? 25 : 20) ? (chance(30) ? 2 : 1) : 0;
        if (person) {
            const char *surname = pool_pick(&g_pools[script].surname);
            person_name(&name, script, surname, chance(20));
            /* an alias keeps the surname: the same person under another given name */
            for (size_t a = 0; a < n_alias; a++) {
                if (a)
                    put(&alias, "; ");
                person_name(&alias, script, surname, chance(50));
            }
        } else {
            const char *core[3];
            size_t n_core = 1 + rnd_below(3);
            for (size_t c = 0; c < n_core; c++)
                core[c] = pool_pick(&g_pools[script].word);
            org_name(&name, script, core, n_core);
            /* an alias: the same words with another legal form, or one word more */
            for (size_t a = 0; a < n_alias; a++) {
                if (a)
                    put(&alias, "; ");
                const char *more[4] = {core[0], n_core > 1 ? core[1] : NULL,
                                       n_core > 2 ? core[2] : NULL, NULL};
                size_t n_more = n_core;
                if (chance(50))
                    more[n_more++] = pool_pick(&g_pools[script].word);
                org_name(&alias, script, more, n_more);
            }
        }
        char birth[48] = "";
        if (person && chance(50)) {
            int y = 1940 + (int)rnd_below(61), m = 1 + (int)rnd_below(12), d = 1 + (int)rnd_below(28);
            int w = chance(50) ? snprintf(birth, sizeof(birth), "%d", y)
                               : snprintf(birth, sizeof(birth), "%d-%02d-%02d", y, m, d);
            if (w < 0 || (size_t)w >= sizeof(birth))
                birth[0] = '\0';
        }
        const char *country = chance(70) ? g_countries[rnd_below(sizeof(g_countries) /
                                                                 sizeof(g_countries[0]))] : "";
        fprintf(f, "s%08zu,%s,\"%s\",%s%s%s,%s,%s\n", entities, person ? "Person" : "Company",
                name.p, alias.n ? "\"" : "", alias.p, alias.n ? "\"" : "", birth, country);
        entities++;
        persons += (size_t)person;
        names += 1 + n_alias;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "gen_scale: %s: %s\n", out, strerror(errno));
        return 1;
    }
    fprintf(stderr, "gen_scale: wrote %s: %zu entities (%zu persons, %zu companies), %zu names\n",
            out, entities, persons, entities - persons, names);
    for (int s = 0; s < SCRIPTS; s++) {
        free(g_pools[s].given.text);
        free(g_pools[s].given.at);
        free(g_pools[s].surname.text);
        free(g_pools[s].surname.at);
        free(g_pools[s].word.text);
        free(g_pools[s].word.at);
        free(g_pools[s].legal.text);
        free(g_pools[s].legal.at);
    }
    return 0;
}
