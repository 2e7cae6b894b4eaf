/*
 * translit: script detection and transliteration of non-Latin runs. The names come from the
 * lists: UN NAME_ORIGINAL_SCRIPT values, EU journal aliases (32014R0269, 32014R0833,
 * 32017R1509, 32019R0796, 32020R1998), variants/nomenklatura/putin_names.txt and
 * variants/watchman_cross_script_pairs.csv. Each expected string was checked against the
 * Latin name printed beside it on the list.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "unicode/translit.h"

/* 1 when s is words of [a-z0-9] separated by single spaces, without spaces at either end. */
static int is_clean(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ') {
            if (i == 0 || i + 1 == n || s[i + 1] == ' ')
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return 0;
        }
    }
    return 1;
}

/* Script of the first code point that is not Common. */
static emb__script run_script(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t w = emb__utf8_decode(p + i, n - i, &cp);
        i += w ? w : 1;
        emb__script s = emb__script_of(cp);
        if (s != EMB__SCRIPT_COMMON)
            return s;
    }
    return EMB__SCRIPT_COMMON;
}

/* Transliterate a NUL-terminated run into a fresh buffer; asserts success. */
static char *translit(emb__translit *t, const char *text)
{
    emb__buf b;
    emb__buf_init(&b, 1u << 24);
    size_t n = strlen(text);
    emb_status rc = emb__translit_run(t, run_script(text, n), emb__str(text, n), &b);
    cr_assert_eq(rc, EMB_OK, "'%s': status %d", text, rc);
    char *s = strdup(b.ptr != NULL ? b.ptr : "");
    emb__buf_free(&b);
    return s;
}

/* ------------------------------------------------------------ real names */

typedef struct {
    char script[12];
    char text[200];
    char want[160];
} name_case;

ParameterizedTestParameters(translit, names)
{
    static name_case cases[] = {
        /* Cyrillic: BGN/PCGN Russian, Ukrainian BGN when the run has Ukrainian letters */
        {"Cyrillic", "Владимир Владимирович Путин", "vladimir vladimirovich putin"},
        {"Cyrillic", "Путин, Владимир Владимирович", "putin vladimir vladimirovich"},
        {"Cyrillic", "ПУ\u0301ТИН Влади\u0301мир Влади\u0301мирович",
         "putin vladimir vladimirovich"},
        {"Cyrillic", "В. В. Путин", "v v putin"},
        {"Cyrillic", "Президент Путин", "prezident putin"},
        {"Cyrillic", "ПУТІН володимир володимирович", "putin volodymyr volodymyrovych"},
        {"Cyrillic", "Путін Володимир Володимирович", "putin volodymyr volodymyrovych"},
        {"Cyrillic", "Уладзімір Уладзіміравіч Пуцін", "uladzimir uladzimiravich putsin"},
        {"Cyrillic", "Сергей", "sergey"},
        {"Cyrillic", "Алексей", "aleksey"},
        {"Cyrillic", "Евгений", "yevgeniy"},
        {"Cyrillic", "Ромашка", "romashka"},
        {"Cyrillic", "Олександр", "oleksandr"},
        {"Cyrillic", "ООО «ТАКО»", "ooo tako"},
        {"Cyrillic", "Умаров Доку Хаматович", "umarov doku khamatovich"},
        {"Cyrillic", "Абдурахманов Магомед Магомедзакирович",
         "abdurakhmanov magomed magomedzakirovich"},
        {"Cyrillic", "Ислам Сеит-Умарович Атабиев", "islam seit umarovich atabiyev"},
        {"Cyrillic", "Ахмед Ражапович Чатаев", "akhmed razhapovich chatayev"},
        {"Cyrillic", "Шамиль Магомедович Измайлов", "shamil magomedovich izmaylov"},
        {"Cyrillic", "Аслан Авгазарович Бютукаев", "aslan avgazarovich byutukayev"},
        {"Cyrillic", "Айрат Насимович Вахитов", "ayrat nasimovich vakhitov"},
        {"Cyrillic", "Катиба ат-Таухид валь-Джихад", "katiba at taukhid val dzhikhad"},
        {"Cyrillic", "Эмират Кавказ", "emirat kavkaz"},
        {"Cyrillic", "Дмитрий Медведев", "dmitriy medvedev"},
        {"Cyrillic", "Александр Петров", "aleksandr petrov"},
        {"Cyrillic", "СИН Гым Чхоль", "sin gym chkhol"},
        {"Cyrillic", "Ельцин Хрущёв", "yeltsin khrushchev"},
        {"Cyrillic", "Аляксандр Лукашэнка", "alyaksandr lukashenka"},
        {"Cyrillic", "Слободан Милошевић", "slobodan milosevic"},
        /* Greek (UNGEGN), Armenian, Georgian, Devanagari, Thai through ICU */
        {"Greek", "Βλαντίμιρ Βλαντίμιροβιτς Πούτιν", "vlantimir vlantimirovits poutin"},
        {"Greek", "Αλέξανδρος", "alexandros"},
        {"Greek", "Νικόλαος", "nikolaos"},
        {"Armenian", "Վլադիմիր Պուտին", "vladimir putin"},
        {"Armenian", "«ՏԱԿՈ» ՍՊԸ", "tako sp"},
        {"Georgian", "ვლადიმერ პუტინი", "vladimer putini"},
        {"Devanagari", "व्लादिमीर पुतिन", "vladimira putina"},
        {"Devanagari", "भ्लादिमिर पुटिन", "bhladimira putina"},
        {"Thai", "สมชาย", "smchay"},
        {"Thai", "บริษัท โซกุโซ่ จำกัด", "brisath so ku so cakad"},
        /* Hebrew and Arabic: consonants only, as ICU 72 writes them */
        {"Hebrew", "ולדימיר פוטין", "wldymyr pwtyn"},
        {"Hebrew", "משה שרביט", "msh srbyt"},
        {"Hebrew", "דניאלה וייס", "dnylh wyys"},
        {"Hebrew", "מאיר אטינגר", "myr tyngr"},
        {"Hebrew", "השומר יו״ש", "hswmr yws"},
        {"Hebrew", "רגבים", "rgbym"},
        {"Hebrew", "דוד", "dwd"},
        {"Arabic", "محمد", "mhmd"},
        {"Arabic", "فلاديمير فلاديميروفيتش بوتين", "fladymyr fladymyrwfytsh bwtyn"},
        {"Arabic", "ولادیمیر پوٹن", "wladymyr pwtn"},
        {"Arabic", "صدام حسين التكريتي", "sdam hsyn altkryty"},
        {"Arabic", "طارق عزيز", "tarq zyz"},
        {"Arabic", "حمزة أسامة محمد بن لادن", "hmza asama mhmd bn ladn"},
        {"Arabic", "ساجدة خير الله طلفاح", "sajda khyr allh tlfah"},
        {"Arabic", "عبد الله", "bd allh"},
        {"Arabic", "خالد محمود", "khald mhmwd"},
        {"Arabic", "عامر علی چوہدری", "amr ly chwhdry"},
        {"Arabic", "محمد عمر ځدران", "mhmd mr zdran"},
        {"Arabic", "طارق گیدڑ گروپ", "tarq gydr grwp"},
        {"Arabic", "سراج الدين جلال الدين حقانى", "sraj aldyn jlal aldyn hqany"},
        {"Arabic", "أيمن محمد ربيع الظواهري", "aymn mhmd rby alzwahry"},
        {"Arabic", "شرکت صنایع هوایی قدس", "shrkt snay hwayy qds"},
        {"Arabic", "١٢٣", "123"},
        /* Han: table pinyin, one syllable per character */
        {"Han", "陈诚", "chen cheng"},
        {"Han", "陳誠", "chen cheng"},
        {"Han", "吴海波", "wu hai bo"},
        {"Han", "吳", "wu"},
        {"Han", "安洵", "an xun"},
        {"Han", "四川安洵信息技术有限公司", "si chuan an xun xin xi ji shu you xian gong si"},
        {"Han", "信息技術", "xin xi ji shu"},
        {"Han", "吕", "lu"},
        {"Han", "弗拉基米尔·普京", "fu la ji mi er pu jing"},
        {"Han", "李晓翠", "li xiao cui"},
        {"Han", "周大创", "zhou da chuang"},
        {"Han", "朱海仑", "zhu hai lun"},
        {"Han", "习近平", "xi jin ping"},
        {"Han", "金正恩", "jin zheng en"},
        {"Han", "中國石油(香港)有限公司", "zhong guo shi you xiang gang you xian gong si"},
        {"Han", "长光卫星技术股份有限公司 (长光卫星)",
         "chang guang wei xing ji shu gu fen you xian gong si chang guang wei xing"},
        {"Han", "厦门林巴贺航空发动机股份有限公司",
         "xia men lin ba he hang kong fa dong ji gu fen you xian gong si"},
        {"Han", "新疆生产建设兵团公安局", "xin jiang sheng chan jian she bing tuan gong an ju"},
        {"Han", "深圳五力高科创新科技有限公司",
         "shen zhen wu li gao ke chuang xin ke ji you xian gong si"},
        {"Han", "康澤遠國際物流(香港)有限公司",
         "kang ze yuan guo ji wu liu xiang gang you xian gong si"},
        {"Han", "义乌市渡娘贸易商行", "yi wu shi du niang mao yi shang hang"},
        {"Han", "弥勒浩翔科技有限公司", "mi le hao xiang ke ji you xian gong si"},
        {"Han", "重庆", "chong qing"},
        {"Han", "\uF9A8\u4EA4", "ling jiao"}, /* compatibility ideograph U+F9A8 = 令 */
        /* Hangul: Revised Romanization per syllable block */
        {"Hangul", "김정은", "gim jeong eun"},
        {"Hangul", "김정일", "gim jeong il"},
        {"Hangul", "박근혜", "bak geun hye"},
        {"Hangul", "김영철", "gim yeong cheol"},
        {"Hangul", "리학철", "ri hak cheol"},
        {"Hangul", "량수니오", "ryang su ni o"},
        {"Hangul", "렴영", "ryeom yeong"},
        {"Hangul", "정경택", "jeong gyeong taek"},
        {"Hangul", "최경성", "choe gyeong seong"},
        {"Hangul", "조선인민군", "jo seon in min gun"},
        {"Hangul", "합장강무역회사", "hap jang gang mu yeok hoe sa"},
        {"Hangul", "블라디미르 푸틴", "beul ra di mi reu pu tin"},
        {"Hangul", "박지성", "bak ji seong"},
        {"Hangul", "\u1100\u1175\u11B7 \u110C\u1165\u11BC", "gim jeong"}, /* conjoining jamo */
        /* Kana: one word per run, long-vowel marks dropped */
        {"Kana", "ウラジーミル・プーチン", "urajimiru puchin"},
        {"Kana", "シンイチ", "shinichi"},
        {"Kana", "トーキョー", "tokyo"},
    };
    return cr_make_param_array(name_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(name_case *c, translit, names)
{
    size_t n = strlen(c->text);
    cr_assert_str_eq(emb__script_name(run_script(c->text, n)), c->script, "script of '%s'",
                     c->text);
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(8, &t), EMB_OK);
    char *got = translit(t, c->text);
    cr_expect_str_eq(got, c->want, "'%s'", c->text);
    free(got);
    emb__translit_free(t);
}

/* ------------------------------------------------------------ script detection */

typedef struct {
    uint32_t cp;
    int script;
} script_case;

ParameterizedTestParameters(translit, scripts)
{
    static script_case cases[] = {
        {'A', EMB__SCRIPT_LATIN},        {'z', EMB__SCRIPT_LATIN},
        {'1', EMB__SCRIPT_COMMON},       {' ', EMB__SCRIPT_COMMON},
        {'-', EMB__SCRIPT_COMMON},       {0xAA, EMB__SCRIPT_LATIN},
        {0xB7, EMB__SCRIPT_COMMON},      {0xD7, EMB__SCRIPT_COMMON},
        {0xE9, EMB__SCRIPT_LATIN},       {0x15E, EMB__SCRIPT_LATIN},
        {0x131, EMB__SCRIPT_LATIN},      {0x2B9, EMB__SCRIPT_COMMON},
        {0x301, EMB__SCRIPT_COMMON},     {0x1EA1, EMB__SCRIPT_LATIN},
        {0xFF26, EMB__SCRIPT_LATIN},     {0xFF10, EMB__SCRIPT_COMMON},
        {0x0414, EMB__SCRIPT_CYRILLIC},  {0x0456, EMB__SCRIPT_CYRILLIC},
        {0x0491, EMB__SCRIPT_CYRILLIC},  {0x045E, EMB__SCRIPT_CYRILLIC},
        {0x03A9, EMB__SCRIPT_GREEK},     {0x1F00, EMB__SCRIPT_GREEK},
        {0x0531, EMB__SCRIPT_ARMENIAN},  {0x10D0, EMB__SCRIPT_GEORGIAN},
        {0x0645, EMB__SCRIPT_ARABIC},    {0x06CC, EMB__SCRIPT_ARABIC},
        {0xFEE3, EMB__SCRIPT_ARABIC},    {0x0640, EMB__SCRIPT_COMMON},
        {0x064E, EMB__SCRIPT_COMMON},    {0x0661, EMB__SCRIPT_ARABIC},
        {0x05D0, EMB__SCRIPT_HEBREW},    {0x05B0, EMB__SCRIPT_HEBREW},
        {0x4E2D, EMB__SCRIPT_HAN},       {0x3400, EMB__SCRIPT_HAN},
        {0x20BB7, EMB__SCRIPT_HAN},      {0xF9A8, EMB__SCRIPT_HAN},
        {0x3005, EMB__SCRIPT_HAN},       {0x3042, EMB__SCRIPT_KANA},
        {0x30A2, EMB__SCRIPT_KANA},      {0x30FC, EMB__SCRIPT_KANA},
        {0xFF71, EMB__SCRIPT_KANA},      {0x30FB, EMB__SCRIPT_COMMON},
        {0x3000, EMB__SCRIPT_COMMON},    {0xD55C, EMB__SCRIPT_HANGUL},
        {0x3131, EMB__SCRIPT_HANGUL},    {0x1100, EMB__SCRIPT_HANGUL},
        {0x0E01, EMB__SCRIPT_THAI},      {0x0915, EMB__SCRIPT_DEVANAGARI},
        {0x1780, EMB__SCRIPT_OTHER},     {0x0C95, EMB__SCRIPT_OTHER},
        {0xE000, EMB__SCRIPT_OTHER},     {0x0378, EMB__SCRIPT_OTHER},
        {0xD800, EMB__SCRIPT_OTHER},     {0x110000, EMB__SCRIPT_OTHER},
        {0xFFFFFFFF, EMB__SCRIPT_OTHER}, {0x1F600, EMB__SCRIPT_COMMON},
    };
    return cr_make_param_array(script_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(script_case *c, translit, scripts)
{
    emb__script got = emb__script_of(c->cp);
    cr_assert_eq((int)got, c->script, "U+%04X: %s, want %s", (unsigned)c->cp, emb__script_name(got),
                 emb__script_name((emb__script)c->script));
}

Test(translit, script_names)
{
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_COMMON), "Common");
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_LATIN), "Latin");
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_CYRILLIC), "Cyrillic");
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_HAN), "Han");
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_OTHER), "Other");
    cr_assert_str_eq(emb__script_name(EMB__SCRIPT_MAX_), "Unknown");
    cr_assert_str_eq(emb__script_name((emb__script)-1), "Unknown");
    for (int s = 0; s < EMB__SCRIPT_MAX_; s++)
        cr_assert_str_neq(emb__script_name((emb__script)s), "Unknown");
}

/* ------------------------------------------------------------ cache */

Test(translit, cache_counts_hits_and_misses)
{
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(16, &t), EMB_OK);
    uint64_t hits = 9, misses = 9;
    emb__translit_stats(t, &hits, &misses);
    cr_assert_eq(hits, 0);
    cr_assert_eq(misses, 0);
    char *a = translit(t, "Владимир Путин");
    char *b = translit(t, "Владимир Путин");
    cr_assert_str_eq(a, "vladimir putin");
    cr_assert_str_eq(b, a, "a hit gives what the miss gave");
    emb__translit_stats(t, &hits, &misses);
    cr_assert_eq(hits, 1);
    cr_assert_eq(misses, 1);
    /* table scripts and punctuation-only runs never reach ICU */
    free(translit(t, "陈诚"));
    free(translit(t, "김정은"));
    free(translit(t, "«» ・ -"));
    emb__translit_stats(t, &hits, &misses);
    cr_assert_eq(hits, 1);
    cr_assert_eq(misses, 1);
    /* another name: one miss, then one hit */
    free(translit(t, "محمد"));
    free(translit(t, "محمد"));
    emb__translit_stats(t, &hits, &misses);
    cr_assert_eq(hits, 2);
    cr_assert_eq(misses, 2);
    free(a);
    free(b);
    emb__translit_free(t);
}

Test(translit, tiny_cache_stays_correct_under_eviction)
{
    static const char *const names[] = {
        "Владимир Путин",
        "محمد",
        "משה שרביט",
        "Αλέξανδρος",
        "Умаров Доку Хаматович",
        "طارق عزيز",
        "ウラジーミル・プーチン",
        "Эмират Кавказ",
        "Путін Володимир",
        "سراج الدين جلال الدين حقانى",
        "ვლადიმერ პუტინი",
        "𠮷",
        "Сергей",
    };
    emb__translit *cold = NULL, *tiny = NULL;
    cr_assert_eq(emb__translit_new(0, &cold), EMB_OK);
    cr_assert_eq(emb__translit_new(2, &tiny), EMB_OK);
    size_t n = sizeof(names) / sizeof(names[0]);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < n; i++) {
            /* alternate a repeat with a new name so both ways of the set see reuse */
            size_t k = (i % 2) ? i - 1 : i;
            char *want = translit(cold, names[k]);
            char *got = translit(tiny, names[k]);
            cr_assert_str_eq(got, want, "'%s' round %d", names[k], round);
            free(want);
            free(got);
        }
    }
    uint64_t hits, misses;
    emb__translit_stats(tiny, &hits, &misses);
    cr_assert_eq(hits + misses, 3 * n);
    cr_assert_gt(hits, 0, "a repeated name right after itself must hit");
    cr_assert_gt(misses, n / 2, "two entries cannot hold the whole stream");
    emb__translit_stats(cold, &hits, &misses);
    cr_assert_eq(hits, 0, "cache of 0 entries never hits");
    cr_assert_eq(misses, 3 * n);
    emb__translit_free(cold);
    emb__translit_free(tiny);
}

Test(translit, cache_size_limit)
{
    emb__translit *t = (emb__translit *)1;
    cr_assert_eq(emb__translit_new((size_t)EMB__TRANSLIT_MAX_CACHE + 1, &t), EMB_ELIMIT);
    cr_assert_null(t);
    cr_assert_eq(emb__translit_new(SIZE_MAX, &t), EMB_ELIMIT);
    cr_assert_eq(emb__translit_new(4, NULL), EMB_EINVAL);
    emb__translit_free(NULL);
    uint64_t h = 1, m = 1;
    emb__translit_stats(NULL, &h, &m);
    cr_assert_eq(h + m, 0);
}

/* ------------------------------------------------------------ output joining */

Test(translit, appends_after_existing_words)
{
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(4, &t), EMB_OK);
    emb__buf b;
    emb__buf_init(&b, 1024);
    cr_assert_eq(emb__buf_append(&b, "ooo", 3), EMB_OK);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_CYRILLIC, emb__str_cstr("Ромашка"), &b), EMB_OK);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HAN, emb__str_cstr("四川"), &b), EMB_OK);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HANGUL, emb__str_cstr("김"), &b), EMB_OK);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_COMMON, emb__str_cstr("« »"), &b), EMB_OK);
    cr_assert_str_eq(b.ptr, "ooo romashka si chuan gim");
    /* a buffer ending in a space gets no second one */
    cr_assert_eq(emb__buf_append(&b, " ", 1), EMB_OK);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_ARABIC, emb__str_cstr("محمد"), &b), EMB_OK);
    cr_assert_str_eq(b.ptr, "ooo romashka si chuan gim mhmd");
    emb__buf_free(&b);
    emb__translit_free(t);
}

Test(translit, digits_and_ascii_inside_runs)
{
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(4, &t), EMB_OK);
    char *a = translit(t, "深圳5G高科");
    cr_assert_str_eq(a, "shen zhen 5g gao ke");
    char *b = translit(t, "ООО \"Ромашка-2\"");
    cr_assert_str_eq(b, "ooo romashka 2");
    char *c = translit(t, "조선 1호");
    cr_assert_str_eq(c, "jo seon 1 ho");
    free(a);
    free(b);
    free(c);
    emb__translit_free(t);
}

/* ------------------------------------------------------------ bad input */

Test(translit, bad_input_never_crashes)
{
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(2, &t), EMB_OK);
    emb__buf b;
    emb__buf_init(&b, 1u << 24);
    static const char *const odd[] = {
        "",
        " ",
        "-",
        "«»",
        "・",
        "\xE3\x80\x80",
        "\xCC\x81",
        "\xD9\x80\xD9\x80",
        "\xE1\x84\x80",
        "\xE1\x85\xA1",
        "\xE3\x84\xB1",
        "\xF0\x9F\x98\x80",
        "\xEE\x80\x80",
        "\xEF\xBF\xBF",
        "\xF4\x8F\xBF\xBF",
        "ー",
        "ッ",
        "\xE2\x80\x8B",
    };
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        for (int s = 0; s < EMB__SCRIPT_MAX_; s++) {
            emb__buf_reset(&b);
            emb_status rc = emb__translit_run(t, (emb__script)s, emb__str_cstr(odd[i]), &b);
            cr_assert_eq(rc, EMB_OK, "odd input %zu, script %d", i, s);
            cr_assert(is_clean(b.ptr ? b.ptr : "", b.len), "odd input %zu: '%s'", i, b.ptr);
        }
    }
    /* NUL bytes are valid UTF-8 and separate nothing special */
    emb__buf_reset(&b);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_CYRILLIC, emb__str("Пу\0тин", 11), &b), EMB_OK);
    cr_assert(is_clean(b.ptr, b.len), "'%s'", b.ptr);
    /* invalid UTF-8 is refused before anything runs */
    static const char *const bad[] = {"\xFF", "\xD0", "\xC0\xAF", "\xED\xA0\x80", "Пу\xD1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        emb__buf_reset(&b);
        for (int s = 0; s < EMB__SCRIPT_MAX_; s++) {
            emb_status rc = emb__translit_run(t, (emb__script)s, emb__str_cstr(bad[i]), &b);
            cr_assert_eq(rc, EMB_EUTF8, "bad input %zu", i);
        }
        cr_assert_eq(b.len, 0);
    }
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HAN, emb__str(NULL, 3), &b), EMB_EINVAL);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HAN, emb__str(NULL, 0), &b), EMB_OK);
    cr_assert_eq(emb__translit_run(NULL, EMB__SCRIPT_HAN, emb__str_cstr("x"), &b), EMB_EINVAL);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HAN, emb__str_cstr("x"), NULL), EMB_EINVAL);
    cr_assert_eq(emb__translit_run(t, (emb__script)99, emb__str_cstr("Путин"), &b), EMB_OK);
    /* a small output cap is an error, not an overrun */
    emb__buf small;
    emb__buf_init(&small, 4);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_CYRILLIC, emb__str_cstr("Владимир"), &small),
                 EMB_ELIMIT);
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_HAN, emb__str_cstr("四川安洵"), &small),
                 EMB_ELIMIT);
    emb__buf_free(&small);
    emb__buf_free(&b);
    emb__translit_free(t);
}

/* Fill n bytes (at most) with repeats of unit and return the length used. */
static size_t fill(char *p, size_t n, const char *unit)
{
    size_t u = strlen(unit), len = 0;
    while (len + u <= n) {
        memcpy(p + len, unit, u);
        len += u;
    }
    return len;
}

Test(translit, long_runs)
{
    static const struct {
        int script;
        const char *unit;
        const char *starts;
    } runs[] = {
        {EMB__SCRIPT_CYRILLIC, "Путин ", "putin putin "},
        {EMB__SCRIPT_HAN, "四川安洵", "si chuan an xun si "},
        {EMB__SCRIPT_HANGUL, "김정은", "gim jeong eun gim "},
        {EMB__SCRIPT_ARABIC, "محمد", "mhmdmhmd"},
        {EMB__SCRIPT_HAN, "𠮷", ""},
        {EMB__SCRIPT_KANA, "ー", ""},
    };
    size_t cap = 64 * 1024;
    char *text = malloc(EMB__TRANSLIT_MAX_RUN + 16);
    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(2, &t), EMB_OK);
    emb__buf b;
    emb__buf_init(&b, 1u << 24);
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        size_t n = fill(text, cap, runs[i].unit);
        emb__buf_reset(&b);
        emb_status rc = emb__translit_run(t, (emb__script)runs[i].script, emb__str(text, n), &b);
        cr_assert_eq(rc, EMB_OK, "run %zu", i);
        cr_assert(is_clean(b.ptr ? b.ptr : "", b.len), "run %zu", i);
        cr_assert(b.len >= strlen(runs[i].starts), "run %zu", i);
        cr_assert(b.len == 0 || memcmp(b.ptr, runs[i].starts, strlen(runs[i].starts)) == 0,
                  "run %zu starts '%.40s'", i, b.ptr);
    }
    size_t n = fill(text, EMB__TRANSLIT_MAX_RUN + 16, "ab");
    cr_assert_eq(emb__translit_run(t, EMB__SCRIPT_CYRILLIC, emb__str(text, n), &b), EMB_ELIMIT);
    emb__buf_free(&b);
    emb__translit_free(t);
    free(text);
}

/* ------------------------------------------------------------ every UN original-script name */

Test(translit, un_original_script_names)
{
    const char *path = test_data("un/UN_consolidated_2026-02-27.xml");
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *xml = malloc((size_t)size + 1);
    cr_assert_eq(fread(xml, 1, (size_t)size, f), (size_t)size);
    xml[size] = '\0';
    fclose(f);

    emb__translit *t = NULL;
    cr_assert_eq(emb__translit_new(256, &t), EMB_OK);
    emb__buf b;
    emb__buf_init(&b, 1u << 20);
    static const char open_tag[] = "<NAME_ORIGINAL_SCRIPT>";
    size_t count = 0, by_script[EMB__SCRIPT_MAX_] = {0};
    for (char *p = strstr(xml, open_tag); p != NULL; p = strstr(p, open_tag)) {
        p += sizeof(open_tag) - 1;
        char *end = strstr(p, "</NAME_ORIGINAL_SCRIPT>");
        cr_assert_not_null(end);
        emb_str name = emb__str(p, (size_t)(end - p));
        emb__script s = run_script(name.ptr, name.len);
        emb__buf_reset(&b);
        cr_assert_eq(emb__translit_run(t, s, name, &b), EMB_OK, "%.*s", (int)name.len, name.ptr);
        cr_assert(b.len > 0 && is_clean(b.ptr, b.len), "%.*s -> '%s'", (int)name.len, name.ptr,
                  b.ptr);
        by_script[s]++;
        count++;
    }
    cr_assert_eq(count, 378, "the manifest counts 378 original-script names");
    cr_assert_gt(by_script[EMB__SCRIPT_ARABIC], 300);
    cr_assert_geq(by_script[EMB__SCRIPT_CYRILLIC], 11);
    emb__buf_free(&b);
    emb__translit_free(t);
    free(xml);
}
