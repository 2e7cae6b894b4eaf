/* Fuzz target: the eu_journal_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_EU_JOURNAL_CSV
#include "fuzz_common.h"
