/* Bump allocation for the configuration engine: everything a load makes
 * (syntax trees, resolved jails) is freed at once with the struct conf. */
#include "conf/cf.h"

#include <string.h>

#include "util/mem.h"

#define CHUNK_SIZE (256u << 10)
#define BIG (CHUNK_SIZE / 4)
#define ALIGN 16u

struct cf_chunk {
	struct cf_chunk *next;
	max_align_t data[];
};

/* A chunk with room for size bytes. */
static struct cf_chunk *chunk_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct cf_chunk))
		abort();
	return xmalloc(sizeof(struct cf_chunk) + size);
}

/* n bytes, 16-aligned, uninitialised. */
void *cf_alloc(struct cf_arena *a, size_t n)
{
	struct cf_chunk *c;
	void *p;

	if (n > SIZE_MAX - ALIGN)
		abort();
	n = n == 0 ? ALIGN : (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n > BIG) {
		/* Big blocks get a chunk of their own, linked behind the
		 * current one so that it keeps filling. */
		c = chunk_new(n);
		if (a->chunks) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = NULL;
			a->chunks = c;
		}
		return c->data;
	}
	if (a->cur == NULL || (size_t)(a->end - a->cur) < n) {
		c = chunk_new(CHUNK_SIZE);
		c->next = a->chunks;
		a->chunks = c;
		a->cur = (char *)c->data;
		a->end = a->cur + CHUNK_SIZE;
	}
	p = a->cur;
	a->cur += n;
	return p;
}

/* n zeroed bytes. */
void *cf_zalloc(struct cf_arena *a, size_t n)
{
	return memset(cf_alloc(a, n), 0, n);
}

/* A NUL-terminated copy of s[0..n). */
char *cf_strndup(struct cf_arena *a, const char *s, size_t n)
{
	char *p = cf_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Free every chunk; the arena is empty and usable again. */
void cf_arena_free(struct cf_arena *a)
{
	struct cf_chunk *c = a->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->cur = a->end = NULL;
}

/* Free all but the current chunk and start filling it again: scratch
 * memory reused for every jail without a malloc each time. */
void cf_arena_rewind(struct cf_arena *a)
{
	struct cf_chunk *keep = a->cur ? a->chunks : NULL, *c, *next;

	for (c = keep ? keep->next : a->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = keep;
	if (keep) {
		keep->next = NULL;
		a->cur = (char *)keep->data;
		a->end = a->cur + CHUNK_SIZE;
	}
}
