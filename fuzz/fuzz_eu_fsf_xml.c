/* Fuzz target: the eu_fsf_xml parser. */
#define FUZZ_FORMAT EMB_FORMAT_EU_FSF_XML
#include "fuzz_common.h"
