/* Fuzz target: the ftm_json parser. */
#define FUZZ_FORMAT EMB_FORMAT_FTM_JSON
#include "fuzz_common.h"
