/* One error convention for all of brig.
 *
 * A fallible function returns -1 (or NULL) and fills a struct brig_err.
 * Callers add context on the way up with brig_err_wrap(), so the message
 * reads outermost-first: "web: start: vnet: creating veth `epair_webb`: File
 * exists". Only the cli layer prints errors. */
#ifndef BRIG_UTIL_ERR_H
#define BRIG_UTIL_ERR_H

#include <stddef.h>

#define BRIG_ERR_MAX 2048

struct brig_err {
	int errnum;		/* errno of the root cause, 0 if none */
	char msg[BRIG_ERR_MAX];	/* full message, context first */
};

/* Set the error; when errnum != 0 ": strerror(errnum)" is appended. Returns -1. */
int brig_err_set(struct brig_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix existing message with "context: ". Returns -1. */
int brig_err_wrap(struct brig_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear an error. */
void brig_err_clear(struct brig_err *e);

#endif
