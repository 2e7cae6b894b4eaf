/* Fuzz target: the os_simple_csv parser. */
#define FUZZ_FORMAT EMB_FORMAT_OS_SIMPLE_CSV
#include "fuzz_common.h"
