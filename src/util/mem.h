/* Allocation that cannot fail (abort on OOM) and cleanup helpers. */
#ifndef BRIG_UTIL_MEM_H
#define BRIG_UTIL_MEM_H

#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (nmemb elements of size) so index `need` fits; doubles capacity *cap. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))

/* Hand ownership out of a cleanup variable: `return TAKE_PTR(p);`. */
#define TAKE_PTR(p) ({ __typeof__(p) take_tmp_ = (p); (p) = NULL; take_tmp_; })
#define TAKE_FD(fd) ({ int take_fd_ = (fd); (fd) = -1; take_fd_; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
