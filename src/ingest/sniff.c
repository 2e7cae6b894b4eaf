/*
 * Format sniffing from content, never from the file name: the root element of XML, the first
 * key of JSON lines, the header (or the shape of the first row) of CSV.
 */
#include <string.h>

#include "ingest.h"

/* Local name of the root element: skips the XML declaration, comments, PIs and a DOCTYPE. */
static emb_str xml_root(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] != '<') {
            i++;
            continue;
        }
        if (i + 4 <= n && memcmp(p + i, "<!--", 4) == 0) {
            const char *end = NULL;
            for (size_t k = i + 4; k + 3 <= n; k++) {
                if (memcmp(p + k, "-->", 3) == 0) {
                    end = p + k;
                    break;
                }
            }
            if (end == NULL)
                return emb__str("", 0);
            i = (size_t)(end - p) + 3;
            continue;
        }
        if (i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '!')) {
            i += 2;
            continue;
        }
        size_t s = i + 1, e = s;
        while (e < n && p[e] != ' ' && p[e] != '>' && p[e] != '/' && p[e] != '\t' &&
               p[e] != '\r' && p[e] != '\n')
            e++;
        for (size_t k = s; k < e; k++) {
            if (p[k] == ':')
                s = k + 1;
        }
        return emb__str(p + s, e - s);
    }
    return emb__str("", 0);
}

/* Split the first line of CSV text into at most max fields (quotes honoured). */
static size_t first_row(const char *p, size_t n, emb_str *f, size_t max, size_t *line_end)
{
    size_t k = 0, i = 0, start = 0;
    int quoted = 0;
    while (i <= n && k < max) {
        char c = i < n ? p[i] : '\n';
        if (quoted) {
            if (c == '"')
                quoted = 0;
        } else if (c == '"') {
            quoted = 1;
        } else if (c == ',' || c == '\n' || c == '\r') {
            emb_str s = emb__str_trim(emb__str(p + start, i - start));
            if (s.len >= 2 && s.ptr[0] == '"' && s.ptr[s.len - 1] == '"')
                s = emb__str(s.ptr + 1, s.len - 2);
            f[k++] = emb__str_trim(s);
            start = i + 1;
            if (c != ',')
                break;
        }
        i++;
    }
    if (line_end)
        *line_end = i;
    return k;
}

static int has_col(const emb_str *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (emb__str_ieq(f[i], name))
            return 1;
    }
    return 0;
}

static int all_digits(emb_str s)
{
    uint64_t v;
    return emb__str_to_u64(s, &v);
}

/* Column names that make a header a user's list of names. */
static const char *const name_columns[] = {"name", "fullname", "entityname", "caption",
                                           "primaryname", "names"};

/* Header word folded as user_csv.c folds it: lower case, letters and digits only. */
static int folded_eq(emb_str s, const char *key)
{
    size_t k = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            continue;
        if (key[k] != c)
            return 0;
        k++;
    }
    return key[k] == '\0';
}

emb_format emb__sniff(const char *head, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
        (unsigned char)head[2] == 0xBF)
        i = 3;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    const char *p = head + i;
    size_t n = len - i;
    if (n == 0)
        return EMB_FORMAT_UNKNOWN;
    if (p[0] == '<') {
        emb_str root = xml_root(p, n);
        if (emb__str_ieq(root, "sdnList"))
            return EMB_FORMAT_OFAC_XML;
        if (emb__str_ieq(root, "sanctionsData"))
            return EMB_FORMAT_OFAC_ENHANCED_XML;
        if (emb__str_ieq(root, "CONSOLIDATED_LIST"))
            return EMB_FORMAT_UN_XML;
        if (emb__str_ieq(root, "Designations"))
            return EMB_FORMAT_UK_XML;
        if (emb__str_ieq(root, "export") && emb__str_ifind(emb__str(p, n), "sanctionEntity") >= 0)
            return EMB_FORMAT_EU_FSF_XML;
        return EMB_FORMAT_UNKNOWN;
    }
    if (p[0] == '{') {
        emb_str line = emb__str(p, n);
        if (emb__str_ifind(line, "\"schema\"") >= 0 && emb__str_ifind(line, "\"properties\"") >= 0)
            return EMB_FORMAT_FTM_JSON;
        return EMB_FORMAT_UNKNOWN;
    }
    emb_str f[64];
    size_t end = 0;
    size_t nf = first_row(p, n, f, EMB_COUNTOF(f), &end);
    if (nf == 0)
        return EMB_FORMAT_UNKNOWN;
    if (emb__str_ieq(f[0], "Last Updated") ||
        (has_col(f, nf, "Group ID") && has_col(f, nf, "Name 6") && has_col(f, nf, "Group Type")))
        return EMB_FORMAT_UK_OFSI_CSV;
    if ((has_col(f, nf, "celex") || has_col(f, nf, "amendmentCelex")) && has_col(f, nf, "recordId"))
        return EMB_FORMAT_EU_JOURNAL_CSV;
    if (has_col(f, nf, "id") && has_col(f, nf, "schema") && has_col(f, nf, "aliases") &&
        has_col(f, nf, "first_seen"))
        return EMB_FORMAT_OS_SIMPLE_CSV;
    if (has_col(f, nf, "entity_number") && has_col(f, nf, "source") && has_col(f, nf, "alt_names"))
        return EMB_FORMAT_US_CSL_CSV;
    /* OFAC legacy SDN.CSV / CONS_PRIM.CSV: no header, 12 columns, ent_num first */
    if (nf == 12 && all_digits(f[0]))
        return EMB_FORMAT_OFAC_CSV;
    for (size_t k = 0; k < EMB_COUNTOF(name_columns); k++) {
        for (size_t c = 0; c < nf; c++) {
            if (folded_eq(f[c], name_columns[k]))
                return EMB_FORMAT_GENERIC_CSV;
        }
    }
    return EMB_FORMAT_UNKNOWN;
}

/* A hint for files that are part of a format but not parseable alone. */
const char *emb__sniff_hint(const char *head, size_t len)
{
    emb_str f[16];
    size_t nf = first_row(head, len, f, EMB_COUNTOF(f), NULL);
    if (nf >= 2 && all_digits(f[0]) && all_digits(f[1]) && (nf == 5 || nf == 6))
        return "this looks like an OFAC ADD.CSV or ALT.CSV companion file: pass SDN.CSV "
               "(or CONS_PRIM.CSV), or the folder that holds the set";
    if (nf == 2 && all_digits(f[0]))
        return "this looks like an OFAC SDN_COMMENTS.CSV companion file: pass SDN.CSV, or the "
               "folder that holds the set";
    return "not a list format embargo knows (see docs/FORMATS.md); a list of your own needs a "
           "CSV header with a `name` column";
}
