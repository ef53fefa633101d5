/* A growable string. */
#ifndef BRIG_UTIL_STRBUF_H
#define BRIG_UTIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Return the string (never NULL) and reset sb; caller frees. */
char *sb_steal(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
