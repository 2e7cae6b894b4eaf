/* Fuzz target: the us_csl_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_US_CSL_CSV
#include "fuzz_common.h"
