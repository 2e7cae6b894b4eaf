/* Fuzz target: the ofac_enhanced_xml parser. */
#define FUZZ_FORMAT EMB_FORMAT_OFAC_ENHANCED_XML
#include "fuzz_common.h"
