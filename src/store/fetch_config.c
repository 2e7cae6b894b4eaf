/*
 * List sources: the built-in official publishers and the INI file that changes or adds to
 * them. The INI reader is small and strict (an unknown key is an error naming its line), as
 * a typo in a URL or a limit must not pass silently.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

#define CONFIG_MAX_BYTES (1u << 20)

static void source_defaults(emb_list_source *s)
{
    memset(s, 0, sizeof(*s));
    s->enabled = 1;
    s->max_age_days = 7;
    s->max_shrink = 0.5;
    s->max_bytes = 512ull << 20;
    s->connect_timeout = 30;
    s->timeout = 900;
    s->low_speed_limit = 1024;
    s->low_speed_time = 60;
}

static const struct {
    const char *name, *url, *dataset, *note;
    double max_age;
    int enabled;
} builtin[] = {
    {"us_ofac_sdn",
     "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
     "SDN_ENHANCED.XML",
     "us_ofac_sdn", "OFAC Specially Designated Nationals, Sanctions List Service enhanced XML", 3,
     1},
    {"us_ofac_cons",
     "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
     "CONS_ENHANCED.XML",
     "us_ofac_cons", "OFAC Consolidated (non-SDN) lists, Sanctions List Service enhanced XML", 3,
     1},
    {"gb_fcdo_sanctions", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
     "gb_fcdo_sanctions", "UK Sanctions List (FCDO) XML; Open Government Licence v3", 3, 1},
    {"eu_fsf",
     "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
     "content?token=dG9rZW4tMjAxNw",
     "eu_fsf", "EU Financial Sanctions File (FSF) XML 1.1", 7, 1},
    {"un_sc_sanctions", "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
     "un_sc_sanctions", "UN Security Council Consolidated List XML", 7, 1},
    {"opensanctions", "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
     "",
     "OpenSanctions consolidated sanctions (FtM JSON); data licensed CC BY-NC 4.0: "
     "commercial use needs a licence from OpenSanctions",
     7, 0},
};

void emb_lists_config_defaults(emb_lists_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < EMB_COUNTOF(builtin); i++) {
        emb_list_source *s = &cfg->sources[cfg->n_sources++];
        source_defaults(s);
        snprintf(s->name, sizeof(s->name), "%s", builtin[i].name);
        snprintf(s->url, sizeof(s->url), "%s", builtin[i].url);
        snprintf(s->dataset, sizeof(s->dataset), "%s", builtin[i].dataset);
        snprintf(s->note, sizeof(s->note), "%s", builtin[i].note);
        s->max_age_days = builtin[i].max_age;
        s->enabled = builtin[i].enabled;
    }
}

emb_list_source *emb_lists_config_find(emb_lists_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        if (strcmp(cfg->sources[i].name, name) == 0)
            return &cfg->sources[i];
    }
    return NULL;
}

/* A parse error at a line of the config file. */
#define BAD(err, name, line, ...)                                                                  \
    (emb__err((err), EMB_EPARSE, __VA_ARGS__), emb__err_at((err), (name), (line), 0, UINT64_MAX),  \
     EMB_EPARSE)

static int parse_num(const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (errno != 0 || end == v || *end != '\0' || !(d >= lo && d <= hi) || isnan(d))
        return 0;
    *out = d;
    return 1;
}

/* Set one key of a source (or of the defaults, when s is the defaults record). */
static emb_status set_key(emb_list_source *s, int is_defaults, const char *k, const char *v,
                          const char *name, uint64_t line, emb_error *err)
{
    double d;
    if (!is_defaults && strcmp(k, "url") == 0) {
        if (strlen(v) >= sizeof(s->url) || v[0] == '\0')
            return BAD(err, name, line, "url is empty or too long");
        snprintf(s->url, sizeof(s->url), "%s", v);
    } else if (!is_defaults && strcmp(k, "dataset") == 0) {
        if (v[0] != '\0' && !emb__valid_source_name(v))
            return BAD(err, name, line, "dataset '%.64s' must be a-z, 0-9, _ and -", v);
        snprintf(s->dataset, sizeof(s->dataset), "%s", v);
    } else if (!is_defaults && strcmp(k, "note") == 0) {
        snprintf(s->note, sizeof(s->note), "%s", v);
    } else if (strcmp(k, "enabled") == 0) {
        if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
            s->enabled = 1;
        else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
            s->enabled = 0;
        else
            return BAD(err, name, line, "enabled takes yes or no, not '%.40s'", v);
    } else if (strcmp(k, "max_age_days") == 0) {
        if (!parse_num(v, 0.001, 3650, &d))
            return BAD(err, name, line, "max_age_days takes 0.001..3650, not '%.40s'", v);
        s->max_age_days = d;
    } else if (strcmp(k, "max_shrink") == 0) {
        if (!parse_num(v, 0.001, 1, &d))
            return BAD(err, name, line, "max_shrink takes 0.001..1 (1: no check), not '%.40s'", v);
        s->max_shrink = d;
    } else if (strcmp(k, "max_bytes") == 0) {
        if (!parse_num(v, 1024, 64.0 * 1024 * 1024 * 1024, &d))
            return BAD(err, name, line, "max_bytes takes 1024..64 GiB, not '%.40s'", v);
        s->max_bytes = (uint64_t)d;
    } else {
        long *dst = strcmp(k, "connect_timeout") == 0   ? &s->connect_timeout
                    : strcmp(k, "timeout") == 0         ? &s->timeout
                    : strcmp(k, "low_speed_limit") == 0 ? &s->low_speed_limit
                    : strcmp(k, "low_speed_time") == 0  ? &s->low_speed_time
                                                        : NULL;
        if (dst == NULL)
            return BAD(err, name, line, "unknown key '%.64s'", k);
        if (!parse_num(v, 1, 86400.0 * 7, &d) || d != floor(d))
            return BAD(err, name, line, "%s takes a whole number 1..604800", k);
        *dst = (long)d;
    }
    return EMB_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* A limit set in [defaults] applies to every source that does not set it itself: the
 * file is read twice, defaults first. */
static emb_status parse_pass(emb_lists_config *cfg, const char *text, size_t len, const char *name,
                             int pass, emb_list_source *defs, int *touched, emb_error *err)
{
    char line[4096];
    uint64_t lineno = 0;
    size_t i = 0;
    emb_list_source *cur = NULL;
    int in_defaults = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        lineno++;
        size_t n = j - i;
        if (n >= sizeof(line))
            return BAD(err, name, lineno, "line longer than %d bytes", 4095);
        memcpy(line, text + i, n);
        line[n] = '\0';
        i = j + 1;
        if (memchr(line, '\0', n) != NULL)
            return BAD(err, name, lineno, "NUL byte in the file");
        char *l = trim(line);
        if (l[0] == '\0' || l[0] == '#' || l[0] == ';')
            continue;
        if (l[0] == '[') {
            char *end = strchr(l, ']');
            if (end == NULL || trim(end + 1)[0] != '\0')
                return BAD(err, name, lineno, "malformed section header");
            *end = '\0';
            char *sec = trim(l + 1);
            in_defaults = 0;
            cur = NULL;
            if (strcmp(sec, "defaults") == 0) {
                in_defaults = 1;
            } else if (strncmp(sec, "source", 6) == 0 && (sec[6] == ' ' || sec[6] == '\t')) {
                char *sname = trim(sec + 7);
                if (!emb__valid_source_name(sname))
                    return BAD(err, name, lineno,
                               "source name '%.64s' must be 1-63 characters of a-z, 0-9, _, -",
                               sname);
                cur = emb_lists_config_find(cfg, sname);
                if (cur == NULL) {
                    if (cfg->n_sources == EMB_LISTS_MAX_SOURCES)
                        return BAD(err, name, lineno, "more than %d sources",
                                   EMB_LISTS_MAX_SOURCES);
                    cur = &cfg->sources[cfg->n_sources++];
                    *cur = *defs;
                    snprintf(cur->name, sizeof(cur->name), "%s", sname);
                    cur->url[0] = '\0';
                    touched[cur - cfg->sources] = 1;
                }
            } else {
                return BAD(err, name, lineno, "unknown section [%.64s]", sec);
            }
            continue;
        }
        char *eq = strchr(l, '=');
        if (eq == NULL)
            return BAD(err, name, lineno, "expected KEY = VALUE");
        *eq = '\0';
        /* a comment may follow a value after white space (" # ..."); '#' inside a URL is not
           preceded by one */
        for (char *c = eq + 1; *c; c++) {
            if ((*c == '#' || *c == ';') && (c[-1] == ' ' || c[-1] == '\t')) {
                *c = '\0';
                break;
            }
        }
        char *k = trim(l), *v = trim(eq + 1);
        if (in_defaults) {
            if (pass == 0) {
                emb_status s = set_key(defs, 1, k, v, name, lineno, err);
                if (s != EMB_OK)
                    return s;
            }
        } else if (cur == NULL) {
            return BAD(err, name, lineno, "key '%.64s' outside a section", k);
        } else if (pass == 1) {
            emb_status s = set_key(cur, 0, k, v, name, lineno, err);
            if (s != EMB_OK)
                return s;
        }
    }
    return EMB_OK;
}

emb_status emb_lists_config_parse(emb_lists_config *cfg, const char *text, size_t len,
                                  const char *name, emb_error *err)
{
    emb__err_clear(err);
    if (len > CONFIG_MAX_BYTES)
        return emb__err(err, EMB_ELIMIT, "config file over 1 MiB");
    emb_list_source defs;
    source_defaults(&defs);
    int touched[EMB_LISTS_MAX_SOURCES] = {0};
    emb_lists_config *work = emb__malloc(sizeof(*work));
    if (work == NULL)
        return emb__err(err, EMB_ENOMEM, "out of memory");
    *work = *cfg;
    emb_status s = parse_pass(work, text, len, name, 0, &defs, touched, err);
    if (s == EMB_OK) {
        /* [defaults] limits go to every source before its own keys are applied */
        for (size_t i = 0; i < work->n_sources; i++) {
            emb_list_source *src = &work->sources[i];
            src->max_shrink = defs.max_shrink;
            src->max_bytes = defs.max_bytes;
            src->connect_timeout = defs.connect_timeout;
            src->timeout = defs.timeout;
            src->low_speed_limit = defs.low_speed_limit;
            src->low_speed_time = defs.low_speed_time;
        }
        s = parse_pass(work, text, len, name, 1, &defs, touched, err);
    }
    for (size_t i = 0; s == EMB_OK && i < work->n_sources; i++) {
        if (work->sources[i].url[0] == '\0') {
            s = emb__err(err, EMB_EPARSE, "source '%s' has no url", work->sources[i].name);
            emb__err_at(err, name, 0, 0, UINT64_MAX);
        }
    }
    if (s == EMB_OK)
        *cfg = *work;
    emb__free(work);
    return s;
}

emb_status emb_lists_config_load(emb_lists_config *cfg, const char *path, emb_error *err)
{
    emb__err_clear(err);
    emb_lists_config_defaults(cfg);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return emb__errno(err, path, "open config");
    char *buf = emb__malloc(CONFIG_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return emb__err(err, EMB_ENOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
    int rerr = ferror(f);
    fclose(f);
    emb_status s;
    if (rerr)
        s = emb__errno(err, path, "read config");
    else
        s = emb_lists_config_parse(cfg, buf, n, path, err);
    emb__free(buf);
    return s;
}
