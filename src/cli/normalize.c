/*
 * `embargo normalize [--json] TEXT`: every form and key of one name, so a user can see why
 * two names did or did not meet.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "usage: embargo normalize [--json] TEXT\n"
    "\n"
    "Show how embargo reads a name: the comparison form (folded, transliterated, legal forms\n"
    "made canonical), the name in its own script, every token with its kind and script, and\n"
    "the match keys (tokens, joined syllables, trigrams, Double Metaphone, consonant\n"
    "skeletons, initials).\n";

static json_t *jstr(emb_str s)
{
    return json_stringn(s.ptr, s.len);
}

int cli_normalize(int argc, char **argv)
{
    const char *text = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "embargo normalize: unknown option '%s'\n\n%s", argv[i], help);
            return CLI_USAGE;
        } else if (text == NULL) {
            text = argv[i];
        } else {
            fprintf(stderr, "embargo normalize: one TEXT only (quote a name with spaces)\n");
            return CLI_USAGE;
        }
    }
    if (text == NULL) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    emb_ctx *ctx = NULL;
    if (emb_ctx_new(&ctx) != EMB_OK) {
        fputs("embargo: out of memory\n", stderr);
        return CLI_ERROR;
    }
    emb_name_analysis a;
    emb_error err;
    int rc = CLI_OK;
    if (emb_name_analyze(ctx, text, strlen(text), &a, &err) != EMB_OK) {
        cli_print_error(stderr, "name", &err);
        emb_ctx_free(ctx);
        return CLI_ERROR;
    }
    if (as_json) {
        json_t *o = json_object();
        json_object_set_new(o, "input", json_string(text));
        json_object_set_new(o, "compare", jstr(a.compare));
        json_object_set_new(o, "original", jstr(a.original));
        json_t *toks = json_array();
        for (size_t i = 0; i < a.n_tokens; i++) {
            const emb_name_token *t = &a.tokens[i];
            json_t *j = json_object();
            json_object_set_new(j, "text", jstr(t->text));
            json_object_set_new(j, "kind", json_string(t->kind));
            json_object_set_new(j, "script", json_string(t->script));
            json_object_set_new(j, "transliterated", json_boolean(t->transliterated));
            json_object_set_new(j, "joined", json_boolean(t->joined));
            json_array_append_new(toks, j);
        }
        json_object_set_new(o, "tokens", toks);
        json_t *keys = json_object();
        for (size_t i = 0; i < a.n_keys; i++) {
            json_t *arr = json_object_get(keys, a.keys[i].kind);
            if (arr == NULL) {
                arr = json_array();
                json_object_set_new(keys, a.keys[i].kind, arr);
            }
            json_array_append_new(arr, jstr(a.keys[i].value));
        }
        json_object_set_new(o, "keys", keys);
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s != NULL)
            puts(s);
        free(s);
        json_decref(o);
    } else {
        printf("compare:  %.*s\n", (int)a.compare.len, a.compare.ptr);
        if (a.original.len)
            printf("original: %.*s\n", (int)a.original.len, a.original.ptr);
        printf("tokens:  ");
        for (size_t i = 0; i < a.n_tokens; i++) {
            const emb_name_token *t = &a.tokens[i];
            printf(" %.*s(%s%s%s%s)", (int)t->text.len, t->text.ptr, t->kind,
                   strcmp(t->script, "Latin") ? "," : "", strcmp(t->script, "Latin") ? t->script : "",
                   t->joined ? ",joined" : "");
        }
        printf("\n");
        const char *last = NULL;
        for (size_t i = 0; i < a.n_keys; i++) {
            if (last == NULL || strcmp(last, a.keys[i].kind) != 0) {
                printf("%s%-9s", last ? "\n" : "", a.keys[i].kind);
                last = a.keys[i].kind;
            }
            printf(" %.*s", (int)a.keys[i].value.len, a.keys[i].value.ptr);
        }
        printf("\n");
    }
    emb_ctx_free(ctx);
    return rc;
}
