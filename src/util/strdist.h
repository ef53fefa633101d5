/* How far apart two names are, for "did you mean" hints. */
#ifndef BRIG_UTIL_STRDIST_H
#define BRIG_UTIL_STRDIST_H

#include <stddef.h>

/* Edit distance with transpositions (optimal string alignment), capped:
 * anything above max is max + 1. */
size_t str_distance(const char *a, const char *b, size_t max);
/* The largest distance still worth a hint for a word of length len. */
size_t str_hint_max(size_t len);

#endif
