/* Fuzz target: the ofac_xml parser. */
#define FUZZ_FORMAT EMB_FORMAT_OFAC_XML
#include "fuzz_common.h"
