/* embargo: sanctions screening from the command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char usage[] =
    "usage: embargo COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  inspect FILE...     sniff and parse list files; one JSON object per file\n"
    "  index build|info    build a snapshot from list files; show what one holds\n"
    "  screen NAME         screen a name against a snapshot\n"
    "  batch               screen every row of a CSV or JSON lines file (in parallel)\n"
    "  compare N1 N2       score two names against each other (or --pairs FILE.csv)\n"
    "  normalize TEXT      show every form and key of a name\n"
    "  serve               serve the yente-compatible HTTP API and a web page\n"
    "  update              download the official lists, record new versions, publish\n"
    "  versions            list the recorded list versions\n"
    "  diff OLD NEW        entities added, removed and changed between two list versions\n"
    "  monitor add|run|alerts  keep a portfolio of customers under continuous screening\n"
    "  decide ALERT D      record an analyst's decision on an alert\n"
    "  audit verify|export|replay  check, export or replay the audit trail\n"
    "  version             print the version\n"
    "\n"
    "Run `embargo COMMAND --help` for a command's options. Exit status: 0 ok, 1 error,\n"
    "2 usage.\n";

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_parse_score(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0 && v <= 1.0))
        return 0;
    *out = v;
    return 1;
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

const char *cli_split_dataset(const char *arg, char *ds, size_t cap, const char **dataset)
{
    *dataset = NULL;
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= cap)
        return arg;
    for (const char *p = arg; p < eq; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return arg;
    }
    /* a file whose name really contains '=' wins */
    struct stat st;
    if (stat(arg, &st) == 0)
        return arg;
    memcpy(ds, arg, (size_t)(eq - arg));
    ds[eq - arg] = '\0';
    *dataset = ds;
    return eq + 1;
}

void cli_print_error(FILE *f, const char *what, const emb_error *err)
{
    fprintf(f, "embargo: %s", err->source[0] ? err->source : what);
    if (err->line)
        fprintf(f, ":%llu", (unsigned long long)err->line);
    if (err->line && err->column)
        fprintf(f, ":%llu", (unsigned long long)err->column);
    fputs(": ", f);
    if (err->byte_offset != UINT64_MAX)
        fprintf(f, "(byte %llu) ", (unsigned long long)err->byte_offset);
    if (err->record_id[0])
        fprintf(f, "record %s: ", err->record_id);
    fprintf(f, "%s\n", err->msg[0] ? err->msg : emb_strerror(err->code));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (cli_is_help(cmd) || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("embargo %s\n", emb_version());
        return CLI_OK;
    }
    if (strcmp(cmd, "inspect") == 0)
        return cli_inspect(argc - 1, argv + 1);
    if (strcmp(cmd, "index") == 0)
        return cli_index(argc - 1, argv + 1);
    if (strcmp(cmd, "screen") == 0)
        return cli_screen(argc - 1, argv + 1);
    if (strcmp(cmd, "normalize") == 0)
        return cli_normalize(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return cli_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return cli_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cli_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "versions") == 0)
        return cli_versions(argc - 1, argv + 1);
    if (strcmp(cmd, "update") == 0)
        return cli_update(argc - 1, argv + 1);
    if (strcmp(cmd, "monitor") == 0)
        return cli_monitor(argc - 1, argv + 1);
    if (strcmp(cmd, "decide") == 0)
        return cli_decide(argc - 1, argv + 1);
    if (strcmp(cmd, "audit") == 0)
        return cli_audit(argc - 1, argv + 1);
    fprintf(stderr, "embargo: unknown command '%s'\n\n%s", cmd, usage);
    return CLI_USAGE;
}
