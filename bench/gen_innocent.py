#!/usr/bin/python3
"""Generate realistic innocent customer names (people and companies) in many locales and
scripts, to measure how many raise an alert against a snapshot. Uses Debian's
python3-fake-factory (Faker). Seeded, so the same file comes out every time.

    /usr/bin/python3 bench/gen_innocent.py [COUNT] > build/innocent_names.txt

One name per line with its schema after a tab: a bank knows a person from a company.
"""
import random
import sys

from faker import Faker

# (locale, share): Latin-script markets first, then the scripts screening must handle
LOCALES = [
    ("en_US", 14), ("en_GB", 6), ("de_DE", 6), ("fr_FR", 6), ("es_ES", 5), ("es_MX", 4),
    ("it_IT", 4), ("pt_BR", 4), ("nl_NL", 3), ("pl_PL", 3), ("tr_TR", 3), ("ro_RO", 2),
    ("cs_CZ", 2), ("hu_HU", 2), ("sv_SE", 2), ("fi_FI", 1), ("id_ID", 2), ("hi_IN", 2),
    ("ru_RU", 6), ("uk_UA", 3), ("bg_BG", 1), ("el_GR", 2), ("zh_CN", 5), ("zh_TW", 1),
    ("ja_JP", 2), ("ko_KR", 2), ("ar_SA", 2), ("ar_EG", 1), ("fa_IR", 2), ("he_IL", 1),
    ("th_TH", 1), ("ka_GE", 1),
]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rng = random.Random(42)
    fakers = {}
    for loc, _ in LOCALES:
        f = Faker(loc)
        f.seed_instance(rng.randrange(1 << 30))
        fakers[loc] = f
    weights = [w for _, w in LOCALES]
    seen = set()
    out = sys.stdout
    while len(seen) < count:
        loc = rng.choices([l for l, _ in LOCALES], weights)[0]
        f = fakers[loc]
        if rng.random() < 0.75:
            # first and last name only: titles ("Frau", "B.Eng.") are not part of a name
            name, schema = "%s %s" % (f.first_name(), f.last_name()), "Person"
        else:
            name, schema = f.company(), "Company"
        name = " ".join(name.split())
        if name and name not in seen:
            seen.add(name)
            out.write("%s\t%s\n" % (name, schema))


if __name__ == "__main__":
    main()
