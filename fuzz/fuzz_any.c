/* Fuzz target: format sniffing and every parser behind it. */
#define FUZZ_FORMAT EMB_FORMAT_UNKNOWN
#include "fuzz_common.h"
