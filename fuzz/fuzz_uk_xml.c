/* Fuzz target: the uk_xml parser. */
#define FUZZ_FORMAT EMB_FORMAT_UK_XML
#include "fuzz_common.h"
