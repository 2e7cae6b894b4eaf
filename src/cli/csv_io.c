/*
 * Files for the CLI's own inputs and outputs: a small RFC 4180 CSV reader and writer (the
 * library's reader is internal to it), and outputs that appear whole or not at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* ---------------------------------------------------------------- output files */

int cli_out_open(cli_out *o, const char *path, const char *cmd)
{
    memset(o, 0, sizeof(*o));
    o->path = path;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    size_t cap = strlen(path) + sizeof(".tmp.XXXXXX");
    o->tmp = malloc(cap);
    if (o->tmp == NULL) {
        fprintf(stderr, "embargo %s: out of memory\n", cmd);
        return -1;
    }
    int n = snprintf(o->tmp, cap, "%s.tmp.XXXXXX", path);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "embargo %s: output path too long: %s\n", cmd, path);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* beside the destination, so the final rename stays within one file system */
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "embargo %s: cannot create a file beside %s: %s\n", cmd, path,
                strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file private; give it the mode a plain fopen would */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    o->f = fdopen(fd, "w");
    if (o->f == NULL) {
        fprintf(stderr, "embargo %s: %s: %s\n", cmd, o->tmp, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int cli_out_commit(cli_out *o, const char *cmd)
{
    if (o->tmp == NULL) {
        if (fflush(o->f) != 0 || ferror(o->f)) {
            fprintf(stderr, "embargo %s: cannot write the output: %s\n", cmd, strerror(errno));
            return -1;
        }
        return 0;
    }
    int failed = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
    int saved = errno;
    if (fclose(o->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    o->f = NULL;
    if (!failed && rename(o->tmp, o->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        fprintf(stderr, "embargo %s: cannot write %s: %s\n", cmd, o->path, strerror(saved));
        unlink(o->tmp);
    }
    free(o->tmp);
    o->tmp = NULL;
    return failed ? -1 : 0;
}

void cli_out_abort(cli_out *o)
{
    if (o->tmp != NULL) {
        if (o->f != NULL)
            fclose(o->f);
        unlink(o->tmp);
        free(o->tmp);
    } else if (o->f != NULL) {
        fflush(o->f);
    }
    memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------------- CSV reader */

void cli_csv_init(cli_csv *r, FILE *f)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->line = 1;
}

void cli_csv_free(cli_csv *r)
{
    free(r->buf);
    free(r->offs);
    free((void *)r->fields);
    memset(r, 0, sizeof(*r));
}

int cli_input_start(FILE *f, uint64_t *line)
{
    *line = 1;
    int c = getc(f);
    if (c == 0xEF) {
        /* a UTF-8 byte order mark, as spreadsheet programs write */
        int b2 = getc(f);
        int b3 = getc(f);
        if (b2 != 0xBB || b3 != 0xBF)
            return CLI_START_BAD;
        c = getc(f);
    }
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (c == '\n')
            (*line)++;
        c = getc(f);
    }
    if (c == EOF)
        return EOF;
    if (ungetc(c, f) == EOF)
        return CLI_START_BAD;
    return c;
}

/* Store one byte of the current field; a record over the cap is still read, not stored. */
static int put_byte(cli_csv *r, int c, const char **bad)
{
    if (r->len + 1 >= CLI_CSV_MAX_RECORD) {
        if (*bad == NULL)
            *bad = "record is over the limit of 1 MiB";
        return 0;
    }
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        char *p = realloc(r->buf, cap);
        if (p == NULL)
            return -1;
        r->buf = p;
        r->cap = cap;
    }
    r->buf[r->len++] = (char)c;
    return 0;
}

static int end_field(cli_csv *r, size_t *start, const char **bad)
{
    if (r->n_fields >= CLI_CSV_MAX_FIELDS) {
        if (*bad == NULL)
            *bad = "record has more than 1024 fields";
        r->len = *start;
        return 0;
    }
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        char *p = realloc(r->buf, cap);
        if (p == NULL)
            return -1;
        r->buf = p;
        r->cap = cap;
    }
    r->buf[r->len++] = '\0';
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
        size_t *p = realloc(r->offs, cap * sizeof(*p));
        if (p == NULL)
            return -1;
        r->offs = p;
        r->cap_fields = cap;
    }
    r->offs[r->n_fields++] = *start;
    *start = r->len;
    return 0;
}

enum { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/* Read one record; `blank` is set for an empty line. */
static int read_record(cli_csv *r, char *msg, size_t cap, int *blank)
{
    const char *bad = NULL;
    size_t start = 0;
    int st = AT_START, rc = 0, quoted = 0;
    r->len = 0;
    r->n_fields = 0;
    int c = getc(r->f);
    if (c == EOF)
        return ferror(r->f) ? CLI_CSV_FATAL : CLI_CSV_END;
    r->rec_line = r->line;
    for (;; c = getc(r->f)) {
        if (c == EOF) {
            if (ferror(r->f))
                return CLI_CSV_FATAL;
            if (st == QUOTED && bad == NULL)
                bad = "a quoted field is not closed before the end of the file";
            rc = end_field(r, &start, &bad);
            break;
        }
        if (c == '\n')
            r->line++;
        if (c == '\0') {
            if (bad == NULL)
                bad = "record holds a NUL byte";
            continue;
        }
        int eol = 0;
        if (c == '\r' && st != QUOTED) {
            /* CRLF ends a record; a lone CR is kept as text */
            int next = getc(r->f);
            if (next == '\n') {
                r->line++;
                eol = 1;
            } else if (next != EOF) {
                ungetc(next, r->f);
            }
        } else if (c == '\n' && st != QUOTED) {
            eol = 1;
        }
        if (eol) {
            rc = end_field(r, &start, &bad);
            break;
        }
        if (st == AT_START) {
            if (c == '"') {
                st = QUOTED;
                quoted = 1;
                continue;
            }
            st = UNQUOTED;
        }
        switch (st) {
        case UNQUOTED:
            if (c == ',') {
                rc = end_field(r, &start, &bad);
                st = AT_START;
            } else {
                if (c == '"' && bad == NULL)
                    bad = "a quote inside an unquoted field (quote the field, double the quote)";
                rc = put_byte(r, c, &bad);
            }
            break;
        case QUOTED:
            if (c == '"')
                st = QUOTE_IN_QUOTED;
            else
                rc = put_byte(r, c, &bad);
            break;
        default: /* QUOTE_IN_QUOTED: a doubled quote, or the field's end */
            if (c == '"') {
                rc = put_byte(r, c, &bad);
                st = QUOTED;
            } else if (c == ',') {
                rc = end_field(r, &start, &bad);
                st = AT_START;
            } else {
                if (bad == NULL)
                    bad = "text after a closing quote";
                rc = put_byte(r, c, &bad);
                st = UNQUOTED;
            }
            break;
        }
        if (rc != 0)
            return CLI_CSV_FATAL;
    }
    if (rc != 0)
        return CLI_CSV_FATAL;
    const char **fields =
        realloc((void *)r->fields, (r->n_fields ? r->n_fields : 1) * sizeof(*fields));
    if (fields == NULL)
        return CLI_CSV_FATAL;
    r->fields = fields;
    for (size_t i = 0; i < r->n_fields; i++)
        r->fields[i] = r->buf + r->offs[i];
    *blank = r->n_fields == 1 && !quoted && r->buf[0] == '\0';
    if (bad != NULL) {
        snprintf(msg, cap, "%s", bad);
        return CLI_CSV_BAD;
    }
    return CLI_CSV_OK;
}

int cli_csv_read(cli_csv *r, char *msg, size_t cap)
{
    for (;;) {
        int blank = 0;
        int rc = read_record(r, msg, cap, &blank);
        if (rc != CLI_CSV_OK || !blank)
            return rc;
    }
}

int cli_csv_header_is(const char *field, const char *want)
{
    field += strspn(field, " \t");
    size_t n = strlen(want);
    for (size_t i = 0; i < n; i++) {
        char c = field[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != want[i])
            return 0;
    }
    return field[n + strspn(field + n, " \t")] == '\0';
}

/* ---------------------------------------------------------------- CSV writer */

int cli_csv_put(FILE *f, const char *field, int sep)
{
    if (sep && putc(',', f) == EOF)
        return -1;
    if (strpbrk(field, ",\"\r\n") == NULL)
        return fputs(field, f) < 0 ? -1 : 0;
    if (putc('"', f) == EOF)
        return -1;
    for (const char *p = field; *p != '\0'; p++) {
        if (*p == '"' && putc('"', f) == EOF)
            return -1;
        if (putc(*p, f) == EOF)
            return -1;
    }
    return putc('"', f) == EOF ? -1 : 0;
}
