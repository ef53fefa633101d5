/* Bump allocation for the configuration engine: everything a load makes
 * (syntax trees, resolved jails) is freed at once with the struct conf. */
#include "conf/cf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/mem.h"

/* Chunks grow from 4 KiB to 2 MiB: small loads stay small, big ones make
 * few mappings (each is a system call). */
#define CHUNK_MIN (4u << 10)
#define CHUNK_SIZE (2048u << 10)
#define BIG (CHUNK_SIZE / 4)
#define ALIGN 8u
#define HUGE_PAGE (2048u << 10)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

struct cf_chunk {
	struct cf_chunk *next;
	size_t size;		/* of the mapping */
	bool heap;		/* malloc()ed, not mapped */
	max_align_t data[];
};

static void *map_or_die(size_t size, int flags)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		fputs("brig: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* A chunk with room for at least size bytes (chunk_end() says how many),
 * its pages faulted in at once: the engine fills what it asks for, and
 * where page faults are dear (virtual machines: a fault of the guest may
 * also be one of the host) one call is far cheaper than a fault per page.
 * Chunks of 2 MiB and more are aligned huge pages where the kernel
 * allows (transparent_hugepage "madvise" or "always"): on the VM brig is
 * developed on, touching 8 MiB of small pages costs 15-30 ms, of huge
 * pages 1 ms. */
static struct cf_chunk *chunk_new(size_t size, bool heap)
{
	struct cf_chunk *c;
	char *p;

	if (size > SIZE_MAX / 2 - sizeof(struct cf_chunk) - HUGE_PAGE)
		abort();
	size += sizeof(struct cf_chunk);
	if (heap) {
		c = xmalloc(size);
		c->size = size;
		c->heap = true;
		return c;
	}
	if (size < HUGE_PAGE) {
		c = map_or_die(size, MAP_POPULATE);
		c->size = size;
		c->heap = false;
		return c;
	}
	/* Map a huge page more than needed, keep the aligned part. */
	size = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	p = map_or_die(size + HUGE_PAGE, 0);
	c = (struct cf_chunk *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if ((char *)c > p)
		munmap(p, (size_t)((char *)c - p));
	if ((char *)c + size < p + size + HUGE_PAGE)
		munmap((char *)c + size, (size_t)(p + size + HUGE_PAGE - ((char *)c + size)));
	madvise(c, size, MADV_HUGEPAGE);
	if (madvise(c, size, MADV_POPULATE_WRITE) < 0)
		memset(c, 0, size);	/* before Linux 5.14: fault it in now */
	c->size = size;
	c->heap = false;
	return c;
}

/* The end of c's room. */
static char *chunk_end(struct cf_chunk *c)
{
	return (char *)c + c->size;
}

/* Give a chunk back to the system. */
static void chunk_free(struct cf_chunk *c)
{
	if (c->heap)
		free(c);
	else
		munmap(c, c->size);
}

/* cf_alloc when the current chunk has no room (or none yet), or a big
 * block: a new chunk. */
void *cf_alloc_slow(struct cf_arena *a, size_t n)
{
	struct cf_chunk *c;
	void *p;

	if (n > SIZE_MAX - ALIGN)
		abort();
	n = n == 0 ? ALIGN : (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n > BIG) {
		/* Big blocks get a chunk of their own, linked behind the
		 * current one so that it keeps filling. */
		c = chunk_new(n, a->heap);
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

		/* Mappings of a power of two, header included. */
		while (size < n + sizeof(struct cf_chunk))
			size *= 2;
		c = chunk_new(size - sizeof(struct cf_chunk), a->heap);
		c->next = a->chunks;
		a->chunks = c;
		a->cur = (char *)c->data;
		a->end = chunk_end(c);
		a->next = size * 2 > CHUNK_SIZE ? CHUNK_SIZE : size * 2;
	}
	p = a->cur;
	a->cur += n;
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
