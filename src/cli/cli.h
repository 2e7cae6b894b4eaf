/*
 * The `embargo` program: one file per subcommand, all on the public API only
 * (include/embargo/embargo.h), as curl's tool uses only libcurl's.
 */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include <embargo/embargo.h>
#include <stdio.h>

/* Exit codes (DESIGN.md section 6). */
#define CLI_OK 0
#define CLI_ERROR 1
#define CLI_USAGE 2

int cli_inspect(int argc, char **argv);
int cli_index(int argc, char **argv);
int cli_screen(int argc, char **argv);
int cli_normalize(int argc, char **argv);

/* $EMBARGO_INDEX, else ~/.local/share/embargo/default.emb */
const char *cli_default_index(void);

/* The snapshot's identity and sources as JSON (jansson object; caller releases). */
struct json_t;
struct json_t *cli_index_json(const emb_index *idx);

/* "DATASET=PATH" -> dataset and path (dataset NULL when the argument is a plain path).
 * Writes into ds (cap bytes). */
const char *cli_split_dataset(const char *arg, char *ds, size_t cap, const char **dataset);

/* Print an error in one line: "embargo: FILE:LINE:COL: (byte N) record ID: message". */
void cli_print_error(FILE *f, const char *what, const emb_error *err);

/* 1 when the argument is -h or --help. */
int cli_is_help(const char *arg);

#endif
