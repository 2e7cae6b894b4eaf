/* Fuzz target: the generic_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_GENERIC_CSV
#include "fuzz_common.h"
