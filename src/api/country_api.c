/* emb_country_code: the country table the parsers use, for programs normalising queries. */
#include <string.h>

#include "../model/model.h"

const char *emb_country_code(const char *text, size_t len)
{
    if (text == NULL)
        return NULL;
    return emb__country_code(emb__str(text, len));
}
