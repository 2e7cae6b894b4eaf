/*
 * Double Metaphone after Lawrence Philips' description (C/C++ Users Journal, June 2000).
 *
 * The word's letters are copied into a buffer with PAD bytes on each side: NUL before the word
 * (nothing matches before the start) and spaces after it (the published rules test for a space
 * to mean "the word ends here"). Every look-behind and look-ahead of the rules stays within
 * PAD, so no test needs a bounds check.
 */
#include "metaphone.h"

#include <string.h>

#define PAD    8
#define KEYMAX EMB__METAPHONE_MAX

typedef struct {
    const char *w; /* letters; w[-PAD] .. w[n + PAD - 1] readable */
    int n;
    int last;
    int gap;   /* index of the first letter after a break inside the word, or -1 */
    int slavo; /* Slavic or Germanic spelling: w, k, cz or witz somewhere in the word */
    char *pri;
    char *alt;
    size_t np;
    size_t na;
} dm_state;

/* 1 for a, e, i, o, u, y: the vowels of the algorithm. */
static const unsigned char vowel_tab[256] = {
    ['a'] = 1, ['e'] = 1, ['i'] = 1, ['o'] = 1, ['u'] = 1, ['y'] = 1,
};

static inline int is_vowel(const dm_state *s, int p)
{
    return vowel_tab[(unsigned char)s->w[p]];
}

static inline int at_str(const dm_state *s, int p, const char *lit, size_t len)
{
    return memcmp(s->w + p, lit, len) == 0;
}

/* The letters lit start at position p (p may lie up to PAD outside the word). */
#define AT(p, lit) at_str(s, (p), (lit), sizeof(lit) - 1)

/* The letter at p is one of set (a NUL or pad byte never is). */
static inline int one_of(const dm_state *s, int p, const char *set)
{
    char c = s->w[p];
    return c >= 'a' && c <= 'z' && strchr(set, c) != NULL;
}

/* A word boundary lies just before position p: the end of the word or the caller's break. */
static inline int boundary(const dm_state *s, int p)
{
    return p >= s->n || p == s->gap;
}

/* The word starts with the separate particle lit ("van", "von", "san"). */
static inline int particle(const dm_state *s, const char *lit)
{
    return s->gap == 3 && at_str(s, 0, lit, 3);
}

static void add2(dm_state *s, const char *p, const char *a)
{
    for (; *p != '\0' && s->np < KEYMAX; p++)
        s->pri[s->np++] = *p;
    for (; *a != '\0' && s->na < KEYMAX; a++)
        s->alt[s->na++] = *a;
}

static inline void add(dm_state *s, const char *p)
{
    add2(s, p, p);
}

/* Step over the letter at cur and one more when it is the same letter doubled. */
static inline int skip_double(const dm_state *s, int cur, char c)
{
    return s->w[cur + 1] == c ? cur + 2 : cur + 1;
}

static int do_c(dm_state *s, int cur)
{
    /* Germanic "ach" as in "bacher", "macher" but not "bachelor"-like i/e endings */
    if (cur > 1 && !is_vowel(s, cur - 2) && AT(cur - 1, "ach") && s->w[cur + 2] != 'i' &&
        (s->w[cur + 2] != 'e' || AT(cur - 2, "bacher") || AT(cur - 2, "macher"))) {
        add(s, "K");
        return cur + 2;
    }
    if (cur == 0 && AT(cur, "caesar")) {
        add(s, "S");
        return cur + 2;
    }
    if (AT(cur, "chia")) { /* chianti */
        add(s, "K");
        return cur + 2;
    }
    if (AT(cur, "ch")) {
        if (cur > 0 && AT(cur, "chae")) { /* michael */
            add2(s, "K", "X");
            return cur + 2;
        }
        /* Greek roots at the start: chemistry, chorus, character */
        if (cur == 0 &&
            (AT(cur + 1, "harac") || AT(cur + 1, "haris") || AT(cur + 1, "hor") ||
             AT(cur + 1, "hym") || AT(cur + 1, "hia") || AT(cur + 1, "hem")) &&
            !AT(0, "chore")) {
            add(s, "K");
            return cur + 2;
        }
        /* Germanic and Greek ch sounding as k: orchestra, architect, orchid, Christ, Schneider */
        if (particle(s, "van") || particle(s, "von") || AT(0, "sch") || AT(cur - 2, "orches") ||
            AT(cur - 2, "archit") || AT(cur - 2, "orchid") || one_of(s, cur + 2, "ts") ||
            ((one_of(s, cur - 1, "aoue") || cur == 0) &&
             (one_of(s, cur + 2, "lrnmbhfvw") || boundary(s, cur + 2)))) {
            add(s, "K");
        } else if (cur > 0) {
            if (AT(0, "mc")) /* McHugh */
                add(s, "K");
            else
                add2(s, "X", "K");
        } else {
            add(s, "X");
        }
        return cur + 2;
    }
    if (AT(cur, "cz") && !AT(cur - 2, "wicz")) { /* czerny */
        add2(s, "S", "X");
        return cur + 2;
    }
    if (AT(cur + 1, "cia")) { /* focaccia */
        add(s, "X");
        return cur + 3;
    }
    /* double c, but not the c of "Mc" in McClellan */
    if (AT(cur, "cc") && !(cur == 1 && s->w[0] == 'm')) {
        if (one_of(s, cur + 2, "ieh") && !AT(cur + 2, "hu")) {
            /* accident, accede, succeed; but bacci, bertucci, bellocchio */
            if ((cur == 1 && s->w[0] == 'a') || AT(cur - 1, "uccee") || AT(cur - 1, "ucces"))
                add(s, "KS");
            else
                add(s, "X");
            return cur + 3;
        }
        add(s, "K"); /* Pierce's rule: bacchus */
        return cur + 2;
    }
    if (AT(cur, "ck") || AT(cur, "cg") || AT(cur, "cq")) {
        add(s, "K");
        return cur + 2;
    }
    if (AT(cur, "ci") || AT(cur, "ce") || AT(cur, "cy")) {
        if (AT(cur, "cio") || AT(cur, "cie") || AT(cur, "cia")) /* Italian */
            add2(s, "S", "X");
        else
            add(s, "S");
        return cur + 2;
    }
    add(s, "K");
    /* "Mac Caffrey", "Mac Gregor": the first letter after the break is absorbed */
    if (s->gap == cur + 1 && one_of(s, cur + 1, "cqg"))
        return cur + 2;
    if (one_of(s, cur + 1, "ckq") && !AT(cur + 1, "ce") && !AT(cur + 1, "ci"))
        return cur + 2;
    return cur + 1;
}

static int do_g(dm_state *s, int cur)
{
    const char *w = s->w;
    if (w[cur + 1] == 'h') {
        if (cur > 0 && !is_vowel(s, cur - 1)) {
            add(s, "K");
            return cur + 2;
        }
        if (cur == 0) { /* ghislane, ghiradelli; ghost */
            add(s, w[cur + 2] == 'i' ? "J" : "K");
            return cur + 2;
        }
        /* Parker's rule: silent in hugh, bough, broughton */
        if ((cur > 1 && one_of(s, cur - 2, "bhd")) || (cur > 2 && one_of(s, cur - 3, "bhd")) ||
            (cur > 3 && one_of(s, cur - 4, "bh")))
            return cur + 2;
        /* laugh, McLaughlin, cough, gough, rough, tough */
        if (cur > 2 && w[cur - 1] == 'u' && one_of(s, cur - 3, "cglrt"))
            add(s, "F");
        else if (cur > 0 && w[cur - 1] != 'i')
            add(s, "K");
        return cur + 2;
    }
    if (w[cur + 1] == 'n') {
        if (cur == 1 && is_vowel(s, 0) && !s->slavo)
            add2(s, "KN", "N");
        else if (!AT(cur + 2, "ey") && !s->slavo) /* not cagney */
            add2(s, "N", "KN");
        else
            add(s, "KN");
        return cur + 2;
    }
    if (AT(cur + 1, "li") && !s->slavo) { /* tagliaro */
        add2(s, "KL", "L");
        return cur + 2;
    }
    /* -ges-, -gep-, -gel-, -gie- at the start */
    if (cur == 0 &&
        (w[cur + 1] == 'y' || AT(cur + 1, "es") || AT(cur + 1, "ep") || AT(cur + 1, "eb") ||
         AT(cur + 1, "el") || AT(cur + 1, "ey") || AT(cur + 1, "ib") || AT(cur + 1, "il") ||
         AT(cur + 1, "in") || AT(cur + 1, "ie") || AT(cur + 1, "ei") || AT(cur + 1, "er"))) {
        add2(s, "K", "J");
        return cur + 2;
    }
    /* -ger-, -gy- but not danger, ranger, manger, nor after e/i, nor -rgy/-ogy */
    if ((AT(cur + 1, "er") || w[cur + 1] == 'y') && !AT(0, "danger") && !AT(0, "ranger") &&
        !AT(0, "manger") && !one_of(s, cur - 1, "ei") && !AT(cur - 1, "rgy") &&
        !AT(cur - 1, "ogy")) {
        add2(s, "K", "J");
        return cur + 2;
    }
    /* Italian: biaggi */
    if (one_of(s, cur + 1, "eiy") || AT(cur - 1, "aggi") || AT(cur - 1, "oggi")) {
        if (particle(s, "van") || particle(s, "von") || AT(0, "sch") || AT(cur + 1, "et"))
            add(s, "K"); /* Germanic */
        else if (AT(cur + 1, "ier") && boundary(s, cur + 4))
            add(s, "J"); /* French -ier is always soft */
        else
            add2(s, "J", "K");
        return cur + 2;
    }
    add(s, "K");
    return skip_double(s, cur, 'g');
}

static int do_j(dm_state *s, int cur)
{
    const char *w = s->w;
    /* Spanish: Jose, San Jacinto */
    if (AT(cur, "jose") || particle(s, "san")) {
        if ((cur == 0 && boundary(s, cur + 4)) || particle(s, "san"))
            add(s, "H");
        else
            add2(s, "J", "H");
        return cur + 1;
    }
    if (cur == 0) {
        add2(s, "J", "A"); /* Yankelovich / Jankelowicz */
    } else if (is_vowel(s, cur - 1) && !s->slavo && (w[cur + 1] == 'a' || w[cur + 1] == 'o')) {
        add2(s, "J", "H"); /* Spanish bajador */
    } else if (cur == s->last) {
        add2(s, "J", "");
    } else if (!one_of(s, cur + 1, "ltksnmbz") && !one_of(s, cur - 1, "skl")) {
        add(s, "J");
    }
    return skip_double(s, cur, 'j');
}

static int do_s(dm_state *s, int cur)
{
    const char *w = s->w;
    if (AT(cur - 1, "isl") || AT(cur - 1, "ysl")) /* island, isle, carlisle */
        return cur + 1;
    if (cur == 0 && AT(cur, "sugar")) {
        add2(s, "X", "S");
        return cur + 1;
    }
    if (AT(cur, "sh")) {
        /* Germanic compounds: -heim, -hoek, -holm, -holz */
        if (AT(cur + 1, "heim") || AT(cur + 1, "hoek") || AT(cur + 1, "holm") ||
            AT(cur + 1, "holz"))
            add(s, "S");
        else
            add(s, "X");
        return cur + 2;
    }
    if (AT(cur, "sio") || AT(cur, "sia")) { /* Italian and Armenian */
        if (!s->slavo)
            add2(s, "S", "X");
        else
            add(s, "S");
        return cur + 3;
    }
    /* Smith meets Schmidt, Snider meets Schneider; Slavic -sz- */
    if ((cur == 0 && one_of(s, cur + 1, "mnlw")) || w[cur + 1] == 'z') {
        add2(s, "S", "X");
        return w[cur + 1] == 'z' ? cur + 2 : cur + 1;
    }
    if (AT(cur, "sc")) {
        if (w[cur + 2] == 'h') { /* Schlesinger's rule */
            if (AT(cur + 3, "oo") || AT(cur + 3, "er") || AT(cur + 3, "en") || AT(cur + 3, "uy") ||
                AT(cur + 3, "ed") || AT(cur + 3, "em")) {
                /* Dutch: school, schooner; schermerhorn, schenker */
                if (AT(cur + 3, "er") || AT(cur + 3, "en"))
                    add2(s, "X", "SK");
                else
                    add(s, "SK");
            } else if (cur == 0 && !is_vowel(s, 3) && w[3] != 'w') {
                add2(s, "X", "S");
            } else {
                add(s, "X");
            }
            return cur + 3;
        }
        if (one_of(s, cur + 2, "iey"))
            add(s, "S");
        else
            add(s, "SK");
        return cur + 3;
    }
    /* French final s: resnais, artois */
    if (cur == s->last && (AT(cur - 2, "ai") || AT(cur - 2, "oi")))
        add2(s, "", "S");
    else
        add(s, "S");
    return one_of(s, cur + 1, "sz") ? cur + 2 : cur + 1;
}

static int do_w(dm_state *s, int cur)
{
    if (AT(cur, "wr")) {
        add(s, "R");
        return cur + 2;
    }
    if (cur == 0 && (is_vowel(s, cur + 1) || AT(cur, "wh"))) {
        if (is_vowel(s, cur + 1))
            add2(s, "A", "F"); /* Wasserman meets Vasserman */
        else
            add(s, "A"); /* Womo meets Uomo */
    } else if (cur == 0 && s->w[1] >= 'a' && s->w[1] <= 'z') {
        add2(s, "", "F"); /* German and Polish spellings: Wladimir meets Vladimir */
    }
    /* Arnow meets Arnoff; Polish -ewski */
    if ((cur == s->last && is_vowel(s, cur - 1)) || AT(cur - 1, "ewski") || AT(cur - 1, "ewsky") ||
        AT(cur - 1, "owski") || AT(cur - 1, "owsky") || AT(0, "sch")) {
        add2(s, "", "F");
        return cur + 1;
    }
    if (AT(cur, "wicz") || AT(cur, "witz")) { /* Polish filipowicz */
        add2(s, "TS", "FX");
        return cur + 4;
    }
    return cur + 1;
}

/* One step of the main loop at letter cur; returns the next position. */
static int step(dm_state *s, int cur)
{
    const char *w = s->w;
    switch (w[cur]) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
        if (cur == 0)
            add(s, "A");
        return cur + 1;
    case 'b':
        add(s, "P");
        return skip_double(s, cur, 'b');
    case 'c':
        return do_c(s, cur);
    case 'd':
        if (AT(cur, "dg")) {
            if (one_of(s, cur + 2, "iey")) { /* edge */
                add(s, "J");
                return cur + 3;
            }
            add(s, "TK"); /* edgar */
            return cur + 2;
        }
        add(s, "T");
        return (AT(cur, "dt") || AT(cur, "dd")) ? cur + 2 : cur + 1;
    case 'f':
        add(s, "F");
        return skip_double(s, cur, 'f');
    case 'g':
        return do_g(s, cur);
    case 'h':
        /* kept only at the start or between vowels, and then before a vowel */
        if ((cur == 0 || is_vowel(s, cur - 1)) && is_vowel(s, cur + 1)) {
            add(s, "H");
            return cur + 2;
        }
        return cur + 1;
    case 'j':
        return do_j(s, cur);
    case 'k':
        add(s, "K");
        return skip_double(s, cur, 'k');
    case 'l':
        if (w[cur + 1] == 'l') {
            /* Spanish ll: cabrillo, gallegos */
            if ((cur == s->n - 3 &&
                 (AT(cur - 1, "illo") || AT(cur - 1, "illa") || AT(cur - 1, "alle"))) ||
                ((AT(s->last - 1, "as") || AT(s->last - 1, "os") || one_of(s, s->last, "ao")) &&
                 AT(cur - 1, "alle"))) {
                add2(s, "L", "");
                return cur + 2;
            }
            add(s, "L");
            return cur + 2;
        }
        add(s, "L");
        return cur + 1;
    case 'm':
        add(s, "M");
        /* silent b of dumb, thumb, plumber */
        if ((AT(cur - 1, "umb") && (cur + 1 == s->last || AT(cur + 2, "er"))) || w[cur + 1] == 'm')
            return cur + 2;
        return cur + 1;
    case 'n':
        add(s, "N");
        return skip_double(s, cur, 'n');
    case 'p':
        if (w[cur + 1] == 'h') {
            add(s, "F");
            return cur + 2;
        }
        /* Thompson, Simpson: the p between m and s/t is often not written */
        if (cur > 0 && w[cur - 1] == 'm' && one_of(s, cur + 1, "st"))
            add2(s, "P", "");
        else
            add(s, "P");
        /* campbell, raspberry */
        return one_of(s, cur + 1, "pb") ? cur + 2 : cur + 1;
    case 'q':
        add(s, "K");
        return skip_double(s, cur, 'q');
    case 'r':
        /* French final r (rogier), but not Germanic hochmeier */
        if (cur == s->last && !s->slavo && AT(cur - 2, "ie") && !AT(cur - 4, "me") &&
            !AT(cur - 4, "ma"))
            add2(s, "", "R");
        else
            add(s, "R");
        return skip_double(s, cur, 'r');
    case 's':
        return do_s(s, cur);
    case 't':
        if (AT(cur, "tion")) {
            add(s, "X");
            return cur + 3;
        }
        if (AT(cur, "tia") || AT(cur, "tch")) {
            add(s, "X");
            return cur + 3;
        }
        if (AT(cur, "th") || AT(cur, "tth")) {
            /* Thomas, Thames, and Germanic names keep a plain t */
            if (AT(cur + 2, "om") || AT(cur + 2, "am") || particle(s, "van") ||
                particle(s, "von") || AT(0, "sch"))
                add(s, "T");
            else
                add2(s, "0", "T");
            return cur + 2;
        }
        add(s, "T");
        return one_of(s, cur + 1, "td") ? cur + 2 : cur + 1;
    case 'v':
        add(s, "F");
        return skip_double(s, cur, 'v');
    case 'w':
        return do_w(s, cur);
    case 'x':
        /* French final x: breaux */
        if (!(cur == s->last &&
              (AT(cur - 3, "iau") || AT(cur - 3, "eau") || AT(cur - 2, "au") || AT(cur - 2, "ou"))))
            add(s, "KS");
        return one_of(s, cur + 1, "cx") ? cur + 2 : cur + 1;
    case 'z':
        if (w[cur + 1] == 'h') { /* Chinese pinyin: zhao, zhang */
            add(s, "J");
            return cur + 2;
        }
        if (AT(cur + 1, "zo") || AT(cur + 1, "zi") || AT(cur + 1, "za") ||
            (s->slavo && cur > 0 && w[cur - 1] != 't'))
            add2(s, "S", "TS");
        else
            add(s, "S");
        return skip_double(s, cur, 'z');
    default:
        return cur + 1;
    }
}

static int slavo_germanic(const char *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (w[i] == 'w' || w[i] == 'k' || (w[i] == 'c' && w[i + 1] == 'z'))
            return 1;
    }
    return 0; /* "witz" holds a w, so the w test covers it */
}

size_t emb__double_metaphone(emb_str word, char primary[EMB__METAPHONE_MAX + 1],
                             char alternate[EMB__METAPHONE_MAX + 1])
{
    char buf[PAD + EMB__METAPHONE_LETTERS + PAD];
    char *w = buf + PAD;
    int n = 0;
    int gap = -1;
    int broken = 0;

    memset(buf, 0, PAD);
    for (size_t i = 0; i < word.len && n < EMB__METAPHONE_LETTERS; i++) {
        unsigned char c = (unsigned char)word.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (c >= 'a' && c <= 'z') {
            if (broken && gap < 0)
                gap = n;
            w[n++] = (char)c;
        } else if (n > 0) {
            broken = 1;
        }
    }
    memset(w + n, ' ', PAD);

    dm_state st = {
        .w = w,
        .n = n,
        .last = n - 1,
        .gap = gap,
        .slavo = slavo_germanic(w, n),
        .pri = primary,
        .alt = alternate,
    };
    dm_state *s = &st;
    int cur = 0;

    if (n > 0) {
        /* silent first letter: gnostic, knight, pneumatic, wright, psychology */
        if (AT(0, "gn") || AT(0, "kn") || AT(0, "pn") || AT(0, "wr") || AT(0, "ps"))
            cur = 1;
        if (w[0] == 'x') { /* Xavier sounds as Zavier */
            add(s, "S");
            cur = 1;
        }
    }
    while (cur < n && (st.np < KEYMAX || st.na < KEYMAX))
        cur = step(s, cur);
    primary[st.np] = '\0';
    alternate[st.na] = '\0';
    return st.np;
}
