/* Fuzz target: the un_xml parser. */
#define FUZZ_FORMAT EMB_FORMAT_UN_XML
#include "fuzz_common.h"
