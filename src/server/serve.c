/*
 * `embargo serve`: options, the libmicrohttpd daemon (internal thread pool on epoll), API
 * keys, body and connection caps, the access log, and signals (SIGHUP reloads the snapshot,
 * SIGINT/SIGTERM stop). Routes live in routes.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../cli/cli.h"
#include "server.h"

static const char help[] =
    "usage: embargo serve [--index FILE] [--listen ADDR:PORT] [--threads N]\n"
    "                     [--api-key-file FILE] [--log-queries] [--max-body BYTES]\n"
    "                     [--timeout SECONDS] [--max-connections N] [--max-per-ip N]\n"
    "                     [--require-fresh] [--max-age DATASET=DAYS]... [--audit]\n"
    "                     [--audit-queries] [--db FILE]\n"
    "\n"
    "Serve a snapshot over HTTP with OpenSanctions yente's API (POST /match/{dataset},\n"
    "GET /search/{dataset}, /entities/{id}, /catalog, /algorithms, /healthz, /readyz,\n"
    "/metrics) and a web page at /. SIGHUP or POST /updatez reloads the snapshot.\n"
    "\n"
    "  -i, --index FILE      snapshot (default $EMBARGO_INDEX, else\n"
    "                        ~/.local/share/embargo/default.emb); may appear later\n"
    "  --listen ADDR:PORT    address to bind (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --threads N           worker threads (default 2; 32 with --audit)\n"
    "  --api-key-file FILE   API keys, one per line: requests must send\n"
    "                        `Authorization: ApiKey KEY` (or Bearer KEY)\n"
    "  --log-queries         put the screened names in the access log (personal data)\n"
    "  --max-body BYTES      largest request body (default 1048576)\n"
    "  --timeout SECONDS     idle connection timeout (default 30)\n"
    "  --max-connections N   open connections in all (default 1024)\n"
    "  --max-per-ip N        open connections per client address (default 64)\n"
    "  --require-fresh       refuse /match and /search (503) while a list is stale;\n"
    "                        /readyz then answers 503 too\n"
    "  --max-age DATASET=DAYS  maximum age of a list (repeatable; DATASET may end in '*')\n"
    "  --audit               append a \"screening\" record to the store's audit trail for\n"
    "                        every POST /match; a request whose record cannot be written\n"
    "                        fails (500)\n"
    "  --audit-queries       keep the screened names and attributes in those records\n"
    "                        (personal data), so `embargo audit replay` can rerun them\n"
    "  --db FILE             store for the audit trail and the lists' fetch times (default\n"
    "                        $EMBARGO_HOME/embargo.db, else ~/.local/share/embargo/embargo.db;\n"
    "                        for freshness also embargo.db beside the snapshot)\n";

typedef struct config {
    const char *index;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    char addr_text[80];
    unsigned threads;
    size_t max_body;
    unsigned timeout;
    unsigned max_conn, max_per_ip;
    int log_queries;
    char **keys;
    size_t *key_lens;
    size_t n_keys;
} config;

static config cfg;

/* ---------------------------------------------------------------- options */

static int parse_listen(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s)
        return 0;
    long port;
    if (!cli_parse_long(colon + 1, 0, 65535, &port))
        return 0;
    char host[64];
    size_t hl = (size_t)(colon - s);
    if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl >= sizeof(host))
        return 0;
    memcpy(host, s, hl);
    host[hl] = '\0';
    memset(&cfg.addr, 0, sizeof(cfg.addr));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&cfg.addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&cfg.addr;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        cfg.addr_len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        cfg.addr_len = sizeof(*v6);
    } else {
        return 0;
    }
    return 1;
}

static void free_keys(void)
{
    for (size_t i = 0; i < cfg.n_keys; i++)
        free(cfg.keys[i]);
    free(cfg.keys);
    free(cfg.key_lens);
    cfg.keys = NULL;
    cfg.key_lens = NULL;
    cfg.n_keys = 0;
}

/* One key per line; blank lines and lines starting with '#' are skipped. */
static int load_keys(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "embargo serve: %s: %s\n", path, strerror(errno));
        return 0;
    }
    char line[1024];
    int ok = 1;
    while (fgets(line, sizeof(line), f) != NULL) {
        size_t n = strlen(line);
        if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
            fprintf(stderr, "embargo serve: %s: a key is longer than %zu bytes\n", path,
                    sizeof(line) - 2);
            ok = 0;
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                         line[n - 1] == '\t'))
            line[--n] = '\0';
        size_t b = 0;
        while (b < n && (line[b] == ' ' || line[b] == '\t'))
            b++;
        if (b == n || line[b] == '#')
            continue;
        if (n - b < 16) {
            fprintf(stderr, "embargo serve: %s: keys must have at least 16 characters\n", path);
            ok = 0;
            break;
        }
        char **k = realloc(cfg.keys, (cfg.n_keys + 1) * sizeof(char *));
        if (k != NULL)
            cfg.keys = k;
        size_t *l = realloc(cfg.key_lens, (cfg.n_keys + 1) * sizeof(size_t));
        if (l != NULL)
            cfg.key_lens = l;
        char *dup = malloc(n - b + 1);
        if (k == NULL || l == NULL || dup == NULL) {
            free(dup);
            ok = 0;
            break;
        }
        memcpy(dup, line + b, n - b + 1);
        cfg.keys[cfg.n_keys] = dup;
        cfg.key_lens[cfg.n_keys++] = n - b;
    }
    fclose(f);
    if (ok && cfg.n_keys == 0) {
        fprintf(stderr, "embargo serve: %s holds no key\n", path);
        ok = 0;
    }
    return ok;
}

/* Compares every key in full whatever matches, so timing tells nothing about any key.
 * Returns which key matched (1-based), 0 when none. */
static int key_valid(const char *given, size_t len)
{
    int found = 0;
    for (size_t k = 0; k < cfg.n_keys; k++) {
        const unsigned char *a = (const unsigned char *)cfg.keys[k];
        size_t alen = cfg.key_lens[k];
        unsigned diff = (unsigned)(alen ^ len);
        for (size_t i = 0; i < alen; i++) {
            unsigned char g = i < len ? (unsigned char)given[i] : 0;
            diff |= (unsigned)(a[i] ^ g);
        }
        /* branch-free: keep k + 1 when this key matched */
        int hit = diff == 0;
        found |= (int)((unsigned)-hit & (unsigned)(k + 1));
    }
    return found;
}

/* ---------------------------------------------------------------- connections */

#define DISCARD_FACTOR 8

typedef struct conn {
    struct timespec start;
    char *body;
    size_t len, cap;
    int too_big;
    size_t discarded; /* bytes of a refused body read so far */
    char method[16];
    char path[256];
    unsigned status;
    size_t bytes;
    srv_route route;
    uint64_t n_queries, n_alerts;
    json_t *logged;
} conn;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The path as logged: printable ASCII kept, anything else %XX, so a log line stays one line
 * of valid JSON whatever the client sent. */
static void log_path(char *out, size_t cap, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < cap; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '%') {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
}

static void completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    conn *c = *con_cls;
    if (c == NULL)
        return;
    *con_cls = NULL;
    double secs = since(&c->start);
    unsigned status = c->status;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && status == 0)
        status = 499; /* the client went away or timed out before an answer */
    srv_metrics_request(c->route, status, secs);
    char when[32], path[256 * 3 + 1];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    log_path(path, sizeof(path), c->path);
    char *names = NULL;
    if (c->logged != NULL)
        names = json_dumps(c->logged, JSON_COMPACT | JSON_ENSURE_ASCII);
    char extra[64] = "";
    if (c->n_queries > 0)
        snprintf(extra, sizeof(extra), ",\"queries\":%llu,\"alerts\":%llu",
                 (unsigned long long)c->n_queries, (unsigned long long)c->n_alerts);
    fprintf(stderr,
            "{\"time\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%u,"
            "\"duration_ms\":%.3f,\"bytes\":%zu%s%s%s}\n",
            when, c->method, path, status, secs * 1000.0, c->bytes, extra,
            names ? ",\"names\":" : "", names ? names : "");
    free(names);
    json_decref(c->logged);
    free(c->body);
    free(c);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    srv_call *call = cls;
    /* the caps on a URL (MHD's connection memory) bound this count */
    const char **k = realloc((void *)call->arg_keys, (call->n_args + 1) * sizeof(char *));
    if (k == NULL)
        return MHD_NO;
    call->arg_keys = k;
    const char **v = realloc((void *)call->arg_values, (call->n_args + 1) * sizeof(char *));
    if (v == NULL)
        return MHD_NO;
    call->arg_values = v;
    call->arg_keys[call->n_args] = key;
    call->arg_values[call->n_args++] = value;
    return MHD_YES;
}

/* Routes anyone may call: probes, metrics and the static page (which asks for a key itself). */
static int open_route(const char *path)
{
    return strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
           strcmp(path, "/metrics") == 0 || strcmp(path, "/") == 0 ||
           strcmp(path, "/app.js") == 0 || strcmp(path, "/app.css") == 0 ||
           strcmp(path, "/favicon.ico") == 0;
}

static int authorised(struct MHD_Connection *connection)
{
    const char *h = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
    if (h != NULL) {
        if (strncmp(h, "ApiKey ", 7) == 0 || strncmp(h, "Bearer ", 7) == 0)
            h += 7;
        else
            h = NULL;
    }
    if (h == NULL)
        h = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "api_key");
    if (h == NULL)
        h = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "token");
    return h != NULL ? key_valid(h, strlen(h)) : 0;
}

static enum MHD_Result send_reply(struct MHD_Connection *connection, conn *c, srv_reply *r,
                                  int head)
{
    struct MHD_Response *resp;
    if (head) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!r->is_static)
            free(r->body);
    } else if (r->is_static) {
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
        if (resp == NULL)
            free(r->body);
    }
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (c->route == ROUTE_PAGE) {
        MHD_add_response_header(resp, "Content-Security-Policy", srv_page_csp);
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "ApiKey");
    if (r->status == 405)
        MHD_add_response_header(resp, "Allow",
                                c->route == ROUTE_MATCH || c->route == ROUTE_UPDATEZ ? "POST"
                                                                                     : "GET, HEAD");
    c->status = r->status;
    c->bytes = head ? 0 : r->len;
    enum MHD_Result ret = MHD_queue_response(connection, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result refuse_too_big(struct MHD_Connection *connection, conn *c)
{
    srv_reply r = {0};
    char msg[96];
    snprintf(msg, sizeof(msg), "request body is larger than %zu bytes", cfg.max_body);
    srv_reply_error(&r, 413, msg);
    return send_reply(connection, c, &r, 0);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *connection, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    conn *c = *con_cls;
    if (c == NULL) {
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &c->start);
        log_path(c->method, sizeof(c->method), method);
        snprintf(c->path, sizeof(c->path), "%s", url);
        c->route = ROUTE_OTHER;
        const char *cl = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        if (cl != NULL) {
            char *end = NULL;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (errno != 0 || end == cl || v > cfg.max_body)
                c->too_big = 1;
            *con_cls = c;
            /* far too large to read and drop: answer now (before any 100 Continue) */
            if (c->too_big && (errno != 0 || v / DISCARD_FACTOR > cfg.max_body))
                return refuse_too_big(connection, c);
        }
        *con_cls = c;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        /*
         * A body over the cap is read and dropped, then answered 413: answering while the
         * client still sends makes the kernel reset the connection and the client may never
         * read the answer. Past DISCARD_FACTOR times the cap the client is cut off instead.
         */
        if (c->too_big || n > cfg.max_body - c->len) {
            if (!c->too_big) {
                c->too_big = 1;
                free(c->body);
                c->body = NULL;
                c->discarded = c->len;
                c->len = c->cap = 0;
            }
            c->discarded += n;
            if (c->discarded / DISCARD_FACTOR > cfg.max_body)
                return MHD_NO;
            return MHD_YES;
        }
        if (c->len + n > c->cap) {
            size_t cap = c->cap ? c->cap : 4096;
            while (cap < c->len + n)
                cap *= 2;
            if (cap > cfg.max_body)
                cap = cfg.max_body;
            char *b = realloc(c->body, cap);
            if (b == NULL)
                return MHD_NO;
            c->body = b;
            c->cap = cap;
        }
        memcpy(c->body + c->len, upload_data, n);
        c->len += n;
        return MHD_YES;
    }
    srv_reply r = {0};
    srv_call call = {.method = method,
                     .path = url,
                     .body = c->body,
                     .body_len = c->len,
                     .log_queries = cfg.log_queries,
                     .keys_configured = cfg.n_keys > 0,
                     .route = ROUTE_OTHER};
    if (c->too_big)
        return refuse_too_big(connection, c);
    int key_no = cfg.n_keys > 0 ? authorised(connection) : 0;
    if (cfg.n_keys > 0 && !open_route(url) && key_no == 0) {
        srv_reply_error(&r, 401, "Missing or invalid API key: send Authorization: ApiKey KEY");
    } else {
        call.key_no = key_no;
        call.authorised = 1;
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_arg, &call);
        srv_handle(&call, &r);
    }
    c->route = call.route;
    c->n_queries = call.n_queries;
    c->n_alerts = call.n_alerts;
    c->logged = call.logged;
    free((void *)call.arg_keys);
    free((void *)call.arg_values);
    if (call.route == ROUTE_MATCH && r.status == 200)
        srv_metrics_match(call.n_queries, call.n_alerts);
    return send_reply(connection, c, &r, strcmp(method, "HEAD") == 0);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
    fprintf(stderr, "embargo serve: http: %s\n", msg);
}

/* ---------------------------------------------------------------- main */

int cli_serve(int argc, char **argv)
{
    memset(&cfg, 0, sizeof(cfg));
    cfg.index = cli_default_index();
    cfg.threads = 2;
    cfg.max_body = SRV_DEFAULT_BODY;
    cfg.timeout = 30;
    cfg.max_conn = 1024;
    cfg.max_per_ip = 64;
    const char *listen = "127.0.0.1:8080", *key_file = NULL, *db = NULL;
    int audit = 0, audit_queries = 0, threads_given = 0;
    static cli_fresh fresh; /* large: not on the stack */
    memset(&fresh, 0, sizeof(fresh));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        long v;
        int taken = cli_fresh_option(&fresh, "serve", argc, argv, &i);
        if (taken < 0)
            return CLI_USAGE;
        if (taken > 0)
            continue;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return CLI_OK;
        } else if ((strcmp(a, "-i") == 0 || strcmp(a, "--index") == 0) && has) {
            cfg.index = argv[++i];
        } else if (strcmp(a, "--listen") == 0 && has) {
            listen = argv[++i];
        } else if (strcmp(a, "--api-key-file") == 0 && has) {
            key_file = argv[++i];
        } else if (strcmp(a, "--log-queries") == 0) {
            cfg.log_queries = 1;
        } else if (strcmp(a, "--audit") == 0) {
            audit = 1;
        } else if (strcmp(a, "--audit-queries") == 0) {
            audit_queries = 1;
        } else if (strcmp(a, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(a, "--threads") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 256, &v))
                goto bad_value;
            cfg.threads = (unsigned)v;
            threads_given = 1;
        } else if (strcmp(a, "--max-body") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1024, 1L << 30, &v))
                goto bad_value;
            cfg.max_body = (size_t)v;
        } else if (strcmp(a, "--timeout") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 3600, &v))
                goto bad_value;
            cfg.timeout = (unsigned)v;
        } else if (strcmp(a, "--max-connections") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 65536, &v))
                goto bad_value;
            cfg.max_conn = (unsigned)v;
        } else if (strcmp(a, "--max-per-ip") == 0 && has) {
            if (!cli_parse_long(argv[++i], 1, 65536, &v))
                goto bad_value;
            cfg.max_per_ip = (unsigned)v;
        } else {
            fprintf(stderr, "embargo serve: unknown option '%s'\n\n%s", a, help);
            return CLI_USAGE;
        }
        continue;
    bad_value:
        fprintf(stderr, "embargo serve: bad value for %s\n", a);
        return CLI_USAGE;
    }
    if (audit_queries && !audit) {
        fprintf(stderr, "embargo serve: --audit-queries needs --audit\n");
        return CLI_USAGE;
    }
    fresh.db = db;
    srv_fresh_configure(&fresh);
    /* a request waits for its audit record's commit on its worker thread: more workers let
     * more records share one commit (docs/SERVER.md) */
    if (audit && !threads_given)
        cfg.threads = 32;
    srv_audit_configure(audit, audit_queries, db);
    if (!parse_listen(listen)) {
        fprintf(stderr, "embargo serve: --listen takes ADDR:PORT (127.0.0.1:8080, [::1]:0)\n");
        return CLI_USAGE;
    }
    if (key_file != NULL && !load_keys(key_file)) {
        free_keys();
        return CLI_ERROR;
    }
    if (!srv_thread_ctx_init()) {
        free_keys();
        fputs("embargo serve: cannot create thread state\n", stderr);
        return CLI_ERROR;
    }
    /* blocked from here on (the worker threads inherit the mask), so a SIGHUP during the
       first load is not fatal and only sigwait below sees these signals */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv_snap_set_path(cfg.index);
    emb_error err;
    char why[SRV_PATH_MAX + EMB_ERROR_MSG_MAX + 64];
    if (!srv_audit_ready(why, sizeof(why)))
        /* keep running: every /match fails (500) until the store can be written */
        fprintf(stderr, "embargo serve: %s\n", why);
    if (srv_reload(cfg.index, &err) != EMB_OK)
        /* keep running: /readyz says 503 until a reload (SIGHUP, /updatez) finds a snapshot */
        fprintf(stderr, "embargo serve: no snapshot yet: %s: %s\n",
                err.source[0] ? err.source : cfg.index, err.msg);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (cfg.addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&cfg.addr, MHD_OPTION_THREAD_POOL_SIZE,
        cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT, cfg.timeout, MHD_OPTION_CONNECTION_LIMIT,
        cfg.max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg.max_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "embargo serve: cannot listen on %s: %s\n", listen,
                errno ? strerror(errno) : "libmicrohttpd refused the options");
        srv_snap_shutdown();
        srv_fresh_shutdown();
        srv_audit_shutdown();
        free_keys();
        return CLI_ERROR;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info != NULL ? info->port : 0;
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (cfg.addr.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&cfg.addr)->sin6_addr, host, sizeof(host));
        printf("embargo: listening on http://[%s]:%u\n", host, port);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&cfg.addr)->sin_addr, host, sizeof(host));
        printf("embargo: listening on http://%s:%u\n", host, port);
    }
    fflush(stdout);

    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            emb_status rc = srv_reload(NULL, &err);
            if (rc == EMB_OK)
                fprintf(stderr, "embargo serve: reloaded the snapshot\n");
            else
                fprintf(stderr,
                        "embargo serve: reload refused, the previous snapshot keeps "
                        "serving: %s: %s\n",
                        err.source[0] ? err.source : "snapshot", err.msg);
            continue;
        }
        break;
    }
    fprintf(stderr, "embargo serve: stopping\n");
    MHD_stop_daemon(d);
    srv_snap_shutdown();
    srv_fresh_shutdown();
    srv_audit_shutdown();
    free_keys();
    return CLI_OK;
}
