/* UTF-8: the one decoder of a sequence brig uses (conf's values, compose
 * files). */
#ifndef BRIG_UTIL_UTF8_H
#define BRIG_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the valid multi-byte sequence at s (n bytes left), or 0. */
size_t utf8_seq(const unsigned char *s, size_t n);
/* Whether the n bytes at s are valid UTF-8 without NUL; *bad: the offset
 * of the first fault. */
bool utf8_valid(const char *s, size_t n, size_t *bad);

#endif
