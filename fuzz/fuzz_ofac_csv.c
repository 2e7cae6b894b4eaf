/* Fuzz target: the ofac_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_OFAC_CSV
#include "fuzz_common.h"
