/* core: arena, capped buffer, slices, map, errors; unicode: UTF-8 validation. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "unicode/unicode.h"

Test(core, arena_alignment_and_reset)
{
    emb__arena a = {0};
    char *p1 = emb__arena_alloc(&a, 3);
    char *p2 = emb__arena_alloc(&a, 5);
    cr_assert_not_null(p1);
    cr_assert_eq(((uintptr_t)p2) % 16, 0);
    cr_assert_geq(p2 - p1, 16);
    /* a request larger than a chunk gets a chunk of its own */
    char *big = emb__arena_alloc(&a, 200 * 1024);
    cr_assert_not_null(big);
    memset(big, 'x', 200 * 1024);
    emb__arena_reset(&a);
    cr_assert_eq(a.used, 0);
    cr_assert_geq(a.total, 200 * 1024, "the largest chunk is kept for reuse");
    char *s = emb__arena_strndup(&a, "abcdef", 3);
    cr_assert_str_eq(s, "abc");
    emb__arena_free(&a);
    cr_assert_null(a.head);
}

Test(core, buf_cap_is_enforced)
{
    emb__buf b;
    emb__buf_init(&b, 8);
    cr_assert_eq(emb__buf_append(&b, "12345", 5), EMB_OK);
    cr_assert_eq(emb__buf_append(&b, "678", 3), EMB_OK);
    cr_assert_eq(emb__buf_append(&b, "9", 1), EMB_ELIMIT);
    cr_assert_eq(b.len, 8, "a refused append leaves the buffer as it was");
    cr_assert_str_eq(b.ptr, "12345678");
    emb__buf_reset(&b);
    cr_assert_eq(emb__buf_printf(&b, "%d-%s", 42, "x"), EMB_OK);
    cr_assert_str_eq(b.ptr, "42-x");
    emb__buf_free(&b);
}

Test(core, str_helpers)
{
    emb_str t = emb__str_trim(emb__str_cstr(" \t\xC2\xA0 abc \xC2\xA0\r\n"));
    cr_assert_eq(t.len, 3);
    cr_assert(memcmp(t.ptr, "abc", 3) == 0);
    cr_assert(emb__str_blank(emb__str_cstr("-0- ")));
    cr_assert(emb__str_blank(emb__str_cstr("   ")));
    cr_assert_not(emb__str_blank(emb__str_cstr("0")));
    cr_assert(emb__str_ieq(emb__str_cstr("CeLeX"), "celex"));
    uint64_t v = 0;
    cr_assert(emb__str_to_u64(emb__str_cstr("18446744073709551615"), &v));
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_not(emb__str_to_u64(emb__str_cstr("18446744073709551616"), &v), "overflow");
    cr_assert_not(emb__str_to_u64(emb__str_cstr("12a"), &v));
    cr_assert_eq(emb__str_ifind(emb__str_cstr("Date of Birth"), "BIRTH"), 8);
}

Test(core, map_put_get_grow)
{
    emb__map m;
    emb__map_init(&m);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof(key), "k%d", i);
        uint64_t *slot;
        int is_new = 0;
        cr_assert_eq(emb__map_put(&m, key, (size_t)n, &slot, &is_new), EMB_OK);
        cr_assert(is_new);
        *slot = (uint64_t)i * 3;
    }
    cr_assert_eq(m.count, 5000);
    uint64_t *v = emb__map_get(&m, "k4321", 5);
    cr_assert_not_null(v);
    cr_assert_eq(*v, 4321u * 3);
    cr_assert_null(emb__map_get(&m, "k5000", 5));
    uint64_t *slot;
    int is_new = 1;
    cr_assert_eq(emb__map_put(&m, "k7", 2, &slot, &is_new), EMB_OK);
    cr_assert_not(is_new);
    cr_assert_eq(*slot, 21);
    emb__map_free(&m);
}

Test(core, error_keeps_place)
{
    emb_error err;
    emb__err_clear(&err);
    cr_assert_eq(err.byte_offset, UINT64_MAX);
    emb__err_at(&err, "list.csv", 12, 3, 400);
    emb__err_record(&err, "QDi.017", 7);
    cr_assert_eq(emb__err(&err, EMB_EPARSE, "bad %s", "thing"), EMB_EPARSE);
    cr_assert_str_eq(err.msg, "bad thing");
    cr_assert_str_eq(err.source, "list.csv");
    cr_assert_eq(err.line, 12);
    cr_assert_eq(err.byte_offset, 400);
    cr_assert_str_eq(err.record_id, "QDi.017");
    cr_assert_str_eq(emb_strerror(EMB_EUTF8), "invalid UTF-8");
    cr_assert_str_eq(emb_strerror((emb_status)999), "unknown status");
}

typedef struct {
    char bytes[16];
    size_t len;
    int valid;
    size_t bad;
} utf8_case;

ParameterizedTestParameters(unicode, utf8_validation)
{
    static utf8_case cases[] = {
        {"abc", 3, 1, 0},
        {"\xC3\xA9t\xC3\xA9", 5, 1, 0},          /* été */
        {"\xE5\xAE\x89\xE6\xB4\xB5", 6, 1, 0},   /* 安洵 */
        {"\xF0\x9F\x98\x80", 4, 1, 0},           /* emoji, 4 bytes */
        {"ab\xC0\xAF", 4, 0, 2},                 /* overlong '/' */
        {"a\xED\xA0\x80", 4, 0, 1},              /* surrogate U+D800 */
        {"\xF4\x90\x80\x80", 4, 0, 0},           /* above U+10FFFF */
        {"abc\xE5\xAE", 5, 0, 3},                /* truncated sequence */
        {"x\x80y", 3, 0, 1},                     /* stray continuation */
        {"\xFF", 1, 0, 0},
    };
    return cr_make_param_array(utf8_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(utf8_case *c, unicode, utf8_validation)
{
    size_t bad = 999;
    int ok = emb__utf8_valid(c->bytes, c->len, &bad);
    cr_assert_eq(ok, c->valid, "case %zu bytes", c->len);
    if (!c->valid)
        cr_assert_eq(bad, c->bad);
}

Test(unicode, non_latin_detection)
{
    cr_assert_not(emb__has_non_latin(emb__str_cstr("Şahin Öztürk, Co. Ltd.")));
    cr_assert(emb__has_non_latin(emb__str_cstr("四川安洵信息技术有限公司")));
    cr_assert(emb__has_non_latin(emb__str_cstr("Владимир Путин")));
    cr_assert(emb__has_non_latin(emb__str_cstr("محسن حجتی")));
}

Test(core, sha256_known_answers)
{
    static const struct {
        const char *in;
        const char *hex;
    } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        emb__sha256 s;
        emb__sha256_init(&s);
        /* feed in uneven pieces to exercise the buffering */
        const char *p = cases[i].in;
        size_t n = strlen(p);
        emb__sha256_update(&s, p, n / 3);
        emb__sha256_update(&s, p + n / 3, n - n / 3);
        char hex[65];
        emb__sha256_hex(&s, hex);
        cr_assert_str_eq(hex, cases[i].hex);
    }
    /* one million 'a' */
    emb__sha256 s;
    emb__sha256_init(&s);
    char a[1000];
    memset(a, 'a', sizeof(a));
    for (int i = 0; i < 1000; i++)
        emb__sha256_update(&s, a, sizeof(a));
    char hex[65];
    emb__sha256_hex(&s, hex);
    cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Plain dynamic-programming Levenshtein distance: the reference for the bit-parallel one. */
static size_t slow_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

Test(core, edit_distance_matches_the_table)
{
    cr_assert_eq(emb__edit_distance(emb__str_cstr("kitten"), emb__str_cstr("sitting"), 5), 3);
    cr_assert_eq(emb__edit_distance(emb__str_cstr("kitten"), emb__str_cstr("sitting"), 2), 3,
                 "over the cap: cap + 1");
    cr_assert_eq(emb__edit_distance(emb__str_cstr(""), emb__str_cstr("abc"), 5), 3);
    cr_assert_eq(emb__edit_distance(emb__str_cstr("maduro"), emb__str_cstr("maduro"), 0), 0);
    /* random pairs over a small alphabet, so that near and far pairs both occur */
    uint32_t seed = 12345;
    char a[31], b[31];
    for (int round = 0; round < 20000; round++) {
        size_t la = 0, lb = 0;
        seed = seed * 1103515245u + 12345u;
        la = (seed >> 16) % 31;
        seed = seed * 1103515245u + 12345u;
        lb = (seed >> 16) % 31;
        for (size_t i = 0; i < la; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = (char)('a' + (seed >> 16) % 4);
        }
        /* b: often an edited copy of a */
        for (size_t i = 0; i < lb; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = i < la && (seed >> 16) % 5 != 0 ? a[i] : (char)('a' + (seed >> 20) % 4);
        }
        size_t want = slow_distance(a, la, b, lb);
        for (size_t cap = 0; cap < 6; cap++) {
            size_t got = emb__edit_distance(emb__str(a, la), emb__str(b, lb), cap);
            cr_assert_eq(got, want <= cap ? want : cap + 1, "'%.*s' '%.*s' cap %zu: %zu, want %zu",
                         (int)la, a, (int)lb, b, cap, got, want);
        }
    }
}
