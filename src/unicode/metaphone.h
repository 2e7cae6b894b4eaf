/*
 * metaphone: Double Metaphone phonetic keys (Lawrence Philips, C/C++ Users Journal, June 2000),
 * one word at a time, for the phonetic match key of each name token.
 *
 * Differences from the published algorithm, each chosen for name screening:
 *  - Keys hold up to EMB__METAPHONE_MAX (8) characters, not 4: with 4, "Abdelkader" and
 *    "Abdelkarim" (APTL) or "Aleksandrov" and "Aleksandr" would collide.
 *  - Only the first EMB__METAPHONE_LETTERS letters of a word are read; a real name token never
 *    comes close, and the bound keeps the cost of any input constant.
 *  - The epenthetic P of "mps"/"mpt" is dropped in the alternate key (primary keeps it), so that
 *    Thompson meets Thomson and Tomson, Simpson meets Simson.
 *  - A W starting a word before a consonant (Wladimir, Wlodzimierz) gives F in the alternate
 *    key, so that German and Polish spellings meet Vladimir.
 *  - Where the published code adds a space to the alternate key (a final J, Spanish LL as in
 *    "cabrillo"), nothing is added.
 * Rules that look at a word boundary ("San Jose", "Van ...", "Mac Gregor", a final "-ier") see
 * the end of the word, and the first break between letters when the caller passes a phrase.
 */
#ifndef EMB_METAPHONE_H
#define EMB_METAPHONE_H

#include "../core/core.h"

#define EMB__METAPHONE_MAX     8
#define EMB__METAPHONE_LETTERS 128

/*
 * Double Metaphone keys of one word given as lower-case ASCII letters (anything else in the
 * word is skipped; upper-case ASCII letters are read as lower case). Writes NUL-terminated
 * primary and alternate keys of at most EMB__METAPHONE_MAX characters; alternate equals primary
 * when the word has no alternate. Keys use the letters A F H J K L M N P R S T X and 0 (for
 * "th"); 'A' stands for any vowel at the start of the word. A word without letters gives two
 * empty keys. Thread-safe, no allocation. Returns the length of the primary key.
 */
size_t emb__double_metaphone(emb_str word, char primary[EMB__METAPHONE_MAX + 1],
                             char alternate[EMB__METAPHONE_MAX + 1]);

#endif
