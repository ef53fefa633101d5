/* Bump allocation for the configuration engine: everything a load makes
 * (syntax trees, resolved jails) is freed at once with the struct conf. */
#include "conf/cf.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "util/mem.h"

/* Chunks grow from 4 KiB to 1 MiB: small loads stay small, big ones make
 * few mappings (each is a system call). */
#define CHUNK_MIN (4u << 10)
#define CHUNK_SIZE (1024u << 10)
#define BIG (CHUNK_SIZE / 4)
#define ALIGN 8u

struct cf_chunk {
	struct cf_chunk *next;
	size_t size;		/* of the mapping */
	max_align_t data[];
};

/* A chunk with room for size bytes: its own mapping, its pages faulted in
 * at once (MAP_POPULATE). Where page faults are dear (virtual machines)
 * that halves what memory costs; and the engine fills what it asks for. */
static struct cf_chunk *chunk_new(size_t size)
{
	struct cf_chunk *c;

	if (size > SIZE_MAX - sizeof(struct cf_chunk) - 4096)
		abort();
	size += sizeof(struct cf_chunk);
	c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (c == MAP_FAILED) {
		fputs("brig: out of memory\n", stderr);
		abort();
	}
	c->size = size;
	return c;
}

/* Give a chunk back to the system. */
static void chunk_free(struct cf_chunk *c)
{
	munmap(c, c->size);
}

/* n bytes, 8-aligned (all the engine needs), uninitialised. */
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
		size_t size = a->next < CHUNK_MIN ? CHUNK_MIN : a->next;

		while (size < n)
			size *= 2;
		c = chunk_new(size);
		c->next = a->chunks;
		a->chunks = c;
		a->cur = (char *)c->data;
		a->end = a->cur + size;
		a->next = size * 2 > CHUNK_SIZE ? CHUNK_SIZE : size * 2;
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
		chunk_free(c);
	}
	a->chunks = NULL;
	a->cur = a->end = NULL;
	a->next = 0;
}

/* Free all but the current chunk and start filling it again: scratch
 * memory reused for every jail without a malloc each time. */
void cf_arena_rewind(struct cf_arena *a)
{
	struct cf_chunk *keep = a->cur ? a->chunks : NULL, *c, *next;

	for (c = keep ? keep->next : a->chunks; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	a->chunks = keep;
	if (keep) {
		keep->next = NULL;
		a->cur = (char *)keep->data;	/* a->end stays: the chunk's end */
	}
}
