/* `embargo decide ALERT true_match|false_positive --by NAME --reason TEXT`. */
#include <stdlib.h>
#include <string.h>

#include <embargo/store.h>

#include "cli.h"

static const char help[] =
    "usage: embargo decide ALERT true_match|false_positive --by NAME --reason TEXT\n"
    "                      [--db FILE]\n"
    "\n"
    "Record an analyst's decision on an alert (its number as `monitor run` and\n"
    "`monitor alerts` print it). A false positive keeps that customer and entity from\n"
    "alerting again until the customer's data or the entity's names change. Every\n"
    "decision is kept, with an audit record; the latest one counts.\n"
    "\n"
    "  --by NAME      who decided (required)\n"
    "  --reason TEXT  why (required)\n"
    "  --db FILE      the store (default $EMBARGO_HOME/embargo.db)\n";

int cli_decide(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *reason = NULL, *pos[2] = {NULL, NULL};
    int n_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(s)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if (strcmp(s, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(s, "--by") == 0 && has) {
            by = argv[++i];
        } else if (strcmp(s, "--reason") == 0 && has) {
            reason = argv[++i];
        } else if (s[0] != '-' && n_pos < 2) {
            pos[n_pos++] = s;
        } else {
            fprintf(stderr, "embargo decide: unknown option or argument '%s'\n\n%s", s, help);
            return CLI_USAGE;
        }
    }
    long alert = 0;
    if (n_pos != 2 || !cli_parse_long(pos[0], 1, 0x7fffffffL, &alert) ||
        (strcmp(pos[1], "true_match") != 0 && strcmp(pos[1], "false_positive") != 0)) {
        fprintf(stderr,
                "embargo decide: give an alert number and true_match or "
                "false_positive\n\n%s",
                help);
        return CLI_USAGE;
    }
    if (by == NULL || by[0] == '\0' || reason == NULL || reason[0] == '\0') {
        fprintf(stderr, "embargo decide: --by and --reason are required\n\n%s", help);
        return CLI_USAGE;
    }
    emb_store *st = NULL;
    emb_error err;
    if (emb_store_open(db, &st, &err) != EMB_OK) {
        cli_print_error(stderr, db != NULL ? db : emb_store_default_path(), &err);
        return CLI_ERROR;
    }
    int64_t seq = 0;
    int rc = CLI_OK;
    if (emb_monitor_decide(st, alert, pos[1], by, reason, &seq, &err) != EMB_OK) {
        cli_print_error(stderr, "decide", &err);
        rc = CLI_ERROR;
    } else {
        printf("alert %ld: %s by %s (audit record %lld)\n", alert, pos[1], by, (long long)seq);
    }
    emb_store_close(st);
    return rc;
}
