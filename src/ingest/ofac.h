/*
 * OFAC legacy CSV set: what the primary-file parser (ofac_csv.c) shares with the reader of
 * the packed Remarks field (ofac_remarks.c).
 */
#ifndef EMB_INGEST_OFAC_H
#define EMB_INGEST_OFAC_H

#include "ingest.h"

/*
 * Turn one Remarks field of SDN.CSV / CONS_PRIM.CSV (`DOB 19 Jun 1951; POB Giza, Egypt;
 * Passport 1084010 (Egypt); a.k.a. 'ABU X'; ...`) into names and values of the record begun
 * in eb. Text the reader does not structure is kept as notes.
 */
emb_status emb__ofac_remarks(emb__eb *eb, emb_str remarks, emb_error *err);

#endif
