/*
 * The public parse entry points: resolve a path (a folder means an OFAC CSV set), open the
 * input, sniff, run the format's parser, and keep the bookkeeping (counts, skipped records,
 * publication date) that every format shares.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ingest.h"

static const struct {
    const char *name;
    const char *dataset;
    emb_status (*parse)(emb__pctx *ctx);
} formats[EMB_FORMAT_MAX_] = {
    [EMB_FORMAT_UNKNOWN] = {"unknown", "", NULL},
    [EMB_FORMAT_OFAC_CSV] = {"ofac_csv", "us_ofac_sdn", emb__parse_ofac_csv},
    [EMB_FORMAT_OFAC_XML] = {"ofac_xml", "us_ofac_sdn", emb__parse_ofac_xml},
    [EMB_FORMAT_OFAC_ENHANCED_XML] = {"ofac_enhanced_xml", "us_ofac_sdn",
                                      emb__parse_ofac_enhanced},
    [EMB_FORMAT_UN_XML] = {"un_xml", "un_sc_sanctions", emb__parse_un_xml},
    [EMB_FORMAT_UK_XML] = {"uk_xml", "gb_fcdo_sanctions", emb__parse_uk_xml},
    [EMB_FORMAT_UK_OFSI_CSV] = {"uk_ofsi_csv", "gb_hmt_sanctions", emb__parse_uk_ofsi_csv},
    [EMB_FORMAT_EU_FSF_XML] = {"eu_fsf_xml", "eu_fsf", emb__parse_eu_fsf},
    [EMB_FORMAT_EU_JOURNAL_CSV] = {"eu_journal_csv", "eu_journal_sanctions",
                                   emb__parse_eu_journal},
    [EMB_FORMAT_FTM_JSON] = {"ftm_json", "opensanctions", emb__parse_ftm_json},
    [EMB_FORMAT_OS_SIMPLE_CSV] = {"os_simple_csv", "opensanctions", emb__parse_os_simple},
    [EMB_FORMAT_US_CSL_CSV] = {"us_csl_csv", "us_trade_csl", emb__parse_us_csl},
    [EMB_FORMAT_GENERIC_CSV] = {"generic_csv", "", emb__parse_generic_csv},
};

const char *emb_format_name(emb_format format)
{
    if ((unsigned)format >= EMB_FORMAT_MAX_)
        return "unknown";
    return formats[format].name;
}

const char *emb__format_default_dataset(emb_format f)
{
    if ((unsigned)f >= EMB_FORMAT_MAX_)
        return "";
    return formats[f].dataset;
}

/* ------------------------------------------------------------ shared parser bookkeeping */

emb_status emb__pctx_begin(emb__pctx *ctx, emb_str source_id, uint64_t line)
{
    emb_status rc = emb__eb_begin(&ctx->eb, emb__str_cstr(ctx->dataset), source_id, line, ctx->err);
    if (rc == EMB_OK)
        emb__err_record(ctx->err, source_id.ptr, source_id.len);
    return rc;
}

emb_status emb__pctx_emit(emb__pctx *ctx)
{
    emb_entity e;
    emb_status rc = emb__eb_finish(&ctx->eb, &e, ctx->err);
    if (rc != EMB_OK)
        return emb__pctx_bad(ctx, rc, ctx->eb.line, UINT64_MAX, ctx->eb.source_id.ptr,
                             ctx->eb.source_id.len);
    ctx->info->entities++;
    ctx->info->names += e.n_names;
    ctx->info->schemas[e.schema]++;
    if (ctx->on_entity != NULL && ctx->on_entity(ctx->ud, &e) != 0)
        return emb__err(ctx->err, EMB_ESTOPPED, "stopped by the entity callback");
    return EMB_OK;
}

emb_status emb__pctx_bad(emb__pctx *ctx, emb_status rc, uint64_t line, uint64_t offset,
                         const char *id, size_t id_len)
{
    if (ctx->err != NULL) {
        if (ctx->err->code != rc)
            emb__err(ctx->err, rc, "%s", emb_strerror(rc));
        emb__err_at(ctx->err, emb__input_name(ctx->in), line, 0, offset);
        if (id != NULL && id_len > 0)
            emb__err_record(ctx->err, id, id_len);
    }
    /* running out of memory or reading past a broken input is never a bad *record* */
    if (!ctx->opts->skip_bad || rc == EMB_ENOMEM || rc == EMB_EIO || rc == EMB_ECORRUPT ||
        rc == EMB_ESTOPPED)
        return rc;
    ctx->info->skipped++;
    if (ctx->opts->on_skip != NULL) {
        emb_error tmp;
        emb__err_clear(&tmp);
        const emb_error *why = ctx->err;
        if (why == NULL) {
            emb__err(&tmp, rc, "%s", emb_strerror(rc));
            emb__err_at(&tmp, emb__input_name(ctx->in), line, 0, offset);
            why = &tmp;
        }
        ctx->opts->on_skip(ctx->opts->skip_ud, why);
    }
    emb__err_clear(ctx->err);
    return EMB_OK;
}

void emb__pctx_published(emb__pctx *ctx, emb_str date_text)
{
    char d[EMB__DATE_MAX_OUT][11];
    emb__date_order order = EMB__DMY;
    /* OFAC's sdnList writes MM/DD/YYYY */
    if (ctx->info->format == EMB_FORMAT_OFAC_XML)
        order = EMB__MDY;
    if (emb__date_parse(date_text, order, d, 1) == 1)
        snprintf(ctx->info->published, sizeof(ctx->info->published), "%s", d[0]);
}

/* ------------------------------------------------------------ entry points */

static void set_dataset(emb__pctx *ctx, emb_format f, const char *name)
{
    const char *ds = ctx->opts->dataset;
    char stem[64];
    if (ds == NULL || ds[0] == '\0')
        ds = formats[f].dataset;
    if (ds[0] == '\0') {
        /* a user's list without DATASET=: the file name without folders and extensions */
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        size_t n = 0;
        for (; base[n] != '\0' && base[n] != '.' && n + 1 < sizeof(stem); n++) {
            char c = base[n];
            stem[n] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            if (!((stem[n] >= 'a' && stem[n] <= 'z') || (stem[n] >= '0' && stem[n] <= '9')))
                stem[n] = '_';
        }
        stem[n] = '\0';
        ds = n ? stem : "user_list";
    }
    snprintf(ctx->dataset, sizeof(ctx->dataset), "%s", ds);
}

static int valid_dataset(const char *ds)
{
    size_t n = strlen(ds);
    if (n == 0 || n >= 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = ds[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static emb_status run(emb__input *in, const emb_parse_opts *opts, emb_entity_fn on_entity,
                      void *ud, emb_source_info *info, emb_error *err)
{
    emb_parse_opts defaults;
    memset(&defaults, 0, sizeof(defaults));
    if (opts == NULL)
        opts = &defaults;
    if (opts->dataset != NULL && opts->dataset[0] != '\0' && !valid_dataset(opts->dataset))
        return emb__err(err, EMB_EINVAL,
                        "dataset name '%s' must be 1-63 characters of a-z, 0-9, _ and -",
                        opts->dataset);
    emb_format f = opts->format;
    if (f == EMB_FORMAT_UNKNOWN) {
        size_t hlen = 0;
        const char *head = emb__input_peek(in, &hlen, err);
        if (head == NULL)
            return err ? err->code : EMB_EIO;
        f = emb__sniff(head, hlen);
        if (f == EMB_FORMAT_UNKNOWN) {
            emb__err(err, EMB_EFORMAT, "%s", hlen ? emb__sniff_hint(head, hlen) : "file is empty");
            emb__err_at(err, emb__input_name(in), 1, 1, 0);
            return EMB_EFORMAT;
        }
    }
    if ((unsigned)f >= EMB_FORMAT_MAX_ || formats[f].parse == NULL)
        return emb__err(err, EMB_EINVAL, "unknown format");
    emb__pctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.in = in;
    ctx.opts = opts;
    ctx.on_entity = on_entity;
    ctx.ud = ud;
    ctx.info = info;
    ctx.err = err;
    emb__eb_init(&ctx.eb);
    info->format = f;
    set_dataset(&ctx, f, emb__input_name(in));
    emb_status rc = formats[f].parse(&ctx);
    snprintf(info->dataset, sizeof(info->dataset), "%s", ctx.dataset);
    info->bytes = emb__input_offset(in);
    emb__eb_free(&ctx.eb);
    if (rc != EMB_OK && err != NULL && err->source[0] == '\0')
        emb__err_at(err, emb__input_name(in), 0, 0, UINT64_MAX);
    return rc;
}

/* In a folder, the primary file of an OFAC CSV set (SDN.CSV or CONS_PRIM.CSV). */
static emb_status find_primary(const char *dir, char *out, size_t cap, emb_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        emb__err(err, EMB_EIO, "cannot open folder");
        emb__err_at(err, dir, 0, 0, UINT64_MAX);
        return EMB_EIO;
    }
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcasecmp(e->d_name, "sdn.csv") == 0 || strcasecmp(e->d_name, "cons_prim.csv") == 0) {
            int n = snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = n > 0 && (size_t)n < cap;
            break;
        }
    }
    closedir(d);
    if (!found) {
        emb__err(err, EMB_ENOTFOUND, "folder holds no SDN.CSV or CONS_PRIM.CSV");
        emb__err_at(err, dir, 0, 0, UINT64_MAX);
        return EMB_ENOTFOUND;
    }
    return EMB_OK;
}

emb_status emb_parse_file(const char *path, const emb_parse_opts *opts, emb_entity_fn on_entity,
                          void *ud, emb_source_info *info, emb_error *err)
{
    emb__err_clear(err);
    emb_source_info local;
    if (info == NULL)
        info = &local;
    memset(info, 0, sizeof(*info));
    if (path == NULL)
        return emb__err(err, EMB_EINVAL, "no path given");
    char primary[4096];
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        emb_status rc = find_primary(path, primary, sizeof(primary), err);
        if (rc != EMB_OK)
            return rc;
        path = primary;
    }
    emb__input *in = NULL;
    emb_status rc = emb__input_open_file(path, &in, err);
    if (rc != EMB_OK)
        return rc;
    rc = run(in, opts, on_entity, ud, info, err);
    emb__input_close(in);
    return rc;
}

emb_status emb_parse_buffer(const void *data, size_t len, const char *name,
                            const emb_parse_opts *opts, emb_entity_fn on_entity, void *ud,
                            emb_source_info *info, emb_error *err)
{
    emb__err_clear(err);
    emb_source_info local;
    if (info == NULL)
        info = &local;
    memset(info, 0, sizeof(*info));
    emb__input *in = NULL;
    emb_status rc = emb__input_open_mem(data, len, name ? name : "(memory)", &in, err);
    if (rc != EMB_OK)
        return rc;
    rc = run(in, opts, on_entity, ud, info, err);
    emb__input_close(in);
    return rc;
}

emb_status emb_sniff_file(const char *path, emb_format *format, emb_error *err)
{
    emb__err_clear(err);
    *format = EMB_FORMAT_UNKNOWN;
    char primary[4096];
    struct stat st;
    if (path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        emb_status rc = find_primary(path, primary, sizeof(primary), err);
        if (rc != EMB_OK)
            return rc;
        path = primary;
    }
    emb__input *in = NULL;
    emb_status rc = emb__input_open_file(path, &in, err);
    if (rc != EMB_OK)
        return rc;
    size_t hlen = 0;
    const char *head = emb__input_peek(in, &hlen, err);
    if (head == NULL) {
        rc = err ? err->code : EMB_EIO;
    } else {
        *format = emb__sniff(head, hlen);
        if (*format == EMB_FORMAT_UNKNOWN) {
            emb__err(err, EMB_EFORMAT, "%s", hlen ? emb__sniff_hint(head, hlen) : "file is empty");
            emb__err_at(err, emb__input_name(in), 1, 1, 0);
            rc = EMB_EFORMAT;
        }
    }
    emb__input_close(in);
    return rc;
}
