/*
 * Fuzz target: the list sources config (INI) parser. Any input either parses, leaving every
 * source with a valid name and a URL, or fails with EMB_EPARSE/EMB_ELIMIT and a message,
 * leaving the config as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <embargo/store.h>

#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_lists_config cfg, before;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    emb_lists_config_defaults(&cfg);
    before = cfg;
    emb_error err;
    emb_status s = emb_lists_config_parse(&cfg, (const char *)data, size, "fuzz.ini", &err);
    if (s == EMB_OK) {
        if (cfg.n_sources > EMB_LISTS_MAX_SOURCES)
            abort();
        for (size_t i = 0; i < cfg.n_sources; i++) {
            const emb_list_source *src = &cfg.sources[i];
            size_t n = strnlen(src->name, sizeof(src->name));
            if (n == 0 || n == sizeof(src->name) || src->url[0] == '\0' ||
                strnlen(src->url, sizeof(src->url)) == sizeof(src->url))
                abort();
            if (!(src->max_shrink > 0 && src->max_shrink <= 1) || src->max_age_days <= 0)
                abort();
        }
    } else {
        if ((s != EMB_EPARSE && s != EMB_ELIMIT) || err.msg[0] == '\0')
            abort();
        if (memcmp(&cfg, &before, sizeof(cfg)) != 0)
            abort();
    }
    return 0;
}
