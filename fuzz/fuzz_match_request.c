/*
 * Fuzz target: the HTTP server's /match body parser (src/server/request.c), which reads a
 * client's JSON before anything else does. Whatever the input, it either fails with a 4xx/5xx
 * status and a message, or yields 1..100 queries that each have a known schema, at least one
 * name within the length cap and an echo object; and it never leaks.
 */
#include <stdlib.h>
#include <string.h>

#include "server/request.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    srv_request req;
    char detail[512];
    detail[0] = '\0';
    int st = srv_request_parse((const char *)data, size, &req, detail, sizeof(detail));
    if (st != 0) {
        if (st < 400 || st > 599 || detail[0] == '\0')
            abort();
    } else {
        if (req.n_queries == 0 || req.n_queries > SRV_MAX_BATCH)
            abort();
        for (size_t i = 0; i < req.n_queries; i++) {
            const srv_query *q = &req.queries[i];
            if (q->schema == EMB_SCHEMA_UNKNOWN || q->n_names == 0 || q->echo == NULL ||
                q->key == NULL)
                abort();
            for (size_t k = 0; k < q->n_names; k++) {
                if (q->names[k] == NULL || strlen(q->names[k]) > 5 * SRV_MAX_NAME_BYTES + 4)
                    abort();
            }
        }
    }
    srv_request_free(&req);
    return 0;
}
