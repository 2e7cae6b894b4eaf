/* Fuzz target: the uk_ofsi_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_UK_OFSI_CSV
#include "fuzz_common.h"
