/* A second reader for a large jail.conf.d: while the loader reads and
 * parses the folder's files in name order, a thread opens and reads two
 * of every three of them ahead, so that the file system's share of the work
 * (an open, a read and a close per file: most of the time of 10,000 small
 * files) is spread over two CPUs. The thread only reads: it neither
 * parses, reports nor touches the load's context; a file it cannot take
 * whole in one read of less than 64 KiB (an error, a large file, anything
 * else) is left to the loader, which reads it as if there were no thread.
 * Each file is claimed by one side: a file the reader has not started
 * when the loader comes to it is the loader's (so a reader that gets no
 * CPU, on a busy machine, costs little more than its creation); the
 * loader waits only for a file the reader is reading at that moment.
 * Like the loader's own fast path, it reads only files the listing says
 * are regular, opened without waiting (O_NONBLOCK).
 *
 * The thread is joined before the load returns: brig is single-threaded
 * again when it starts jails. (Right after a join the kernel may still be
 * tearing the thread down; the calls that need a single-threaded caller,
 * setns(2) into a user or mount namespace and unshare(2) of a user
 * namespace, brig makes only in processes it forks or clones, never in
 * the one that loaded the configuration.) */
#include "conf/cf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"

/* A file's slot: PENDING, then READING and TAKEN or LEFT (the reader's),
 * or LOADER (the loader claimed it first). */
enum { PENDING, READING, TAKEN, LEFT, LOADER };
enum { CHUNK = 65536, BLOCK = 1 << 20, BATCH = 32, SPIN = 200 };

size_t cf_prefetch_min = CF_PREFETCH_MIN;

struct slot {
	_Atomic uint32_t state;
	uint32_t len;
	char *text;		/* in one of the reader's blocks, NUL-terminated */
};

/* The reader's texts, packed in blocks of 1 MiB. */
struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

struct cf_prefetch {
	int dfd;
	const struct cf_dent *v;
	size_t from, n;
	struct slot *slots;	/* per entry from .. n */
	_Atomic size_t waiting;	/* the entry the loader sleeps on, or SIZE_MAX */
	_Atomic size_t at;	/* the entry the loader is at */
	_Atomic bool stop;
	size_t total;		/* bytes read: the reader stops at CF_TOTAL_MAX */
	struct block *blocks;	/* the reader's; freed by cf_prefetch_end */
	pthread_t tid;
};

static bool mine(const struct cf_prefetch *p, size_t i)
{
	return (i - p->from) % 3 != 0 && p->v[i].type == DT_REG;
}

static void done(struct cf_prefetch *p, size_t i, uint32_t state)
{
	atomic_store(&p->slots[i - p->from].state, state);
	if (atomic_load(&p->waiting) == i)
		syscall(SYS_futex, &p->slots[i - p->from].state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Room for n bytes in the reader's blocks, or NULL. */
static char *room(struct cf_prefetch *p, size_t n)
{
	struct block *b = p->blocks;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK ? n : BLOCK;

		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		b->next = p->blocks;
		b->used = 0;
		b->cap = cap;
		p->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static void *reader(void *arg)
{
	struct cf_prefetch *p = arg;
	char *chunk = malloc(CHUNK);
	int fds[BATCH];
	size_t nfds = 0;
	bool own;

	/* A table of file descriptors of its own (a copy: dfd stays open in
	 * it): the two threads' opens and closes then do not contend for
	 * one table, and each thread's reads take the kernel's path for a
	 * table nobody else uses (no reference counting of the file). If
	 * it fails, the shared table serves. In a table of its own, the
	 * files read are closed BATCH at a time, by one system call (a
	 * system call's entry and exit are a large part of a small file's
	 * cost: ~0.7 us each on a virtual machine with the kernel's
	 * mitigations); in the shared one, each at once, so that the
	 * loader never meets a limit of open files the reader's hold. */
	own = unshare(CLONE_FILES) == 0;
	for (size_t i = p->from; i < p->n; i++) {
		uint32_t pending = PENDING;
		size_t at = atomic_load(&p->at);
		struct slot *s;
		ssize_t r = -1;
		int fd;

		if (i < at)	/* behind the loader: catch up */
			i = at;
		if (i >= p->n)
			break;
		s = &p->slots[i - p->from];
		if (!mine(p, i) || !atomic_compare_exchange_strong(&s->state, &pending, READING))
			continue;
		if (!chunk || atomic_load(&p->stop) || p->total > CF_TOTAL_MAX) {
			done(p, i, LEFT);
			continue;
		}
		fd = openat(p->dfd, p->v[i].name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd >= 0) {
			r = RETRY_EINTR(read(fd, chunk, CHUNK - 1));
			if (own)
				fds[nfds++] = fd;
			else
				close(fd);
			if (nfds == BATCH) {
				close_fds(fds, nfds);
				nfds = 0;
			}
		}
		if (r < 0 || r == CHUNK - 1 || !(s->text = room(p, (size_t)r + 1))) {
			done(p, i, LEFT);
			continue;
		}
		memcpy(s->text, chunk, (size_t)r);
		s->text[r] = '\0';
		s->len = (uint32_t)r;
		p->total += (size_t)r;
		done(p, i, TAKEN);
	}
	close_fds(fds, nfds);
	free(chunk);
	return NULL;
}

struct cf_prefetch *cf_prefetch_start(int dfd, const struct cf_dent *v, size_t from, size_t n)
{
	struct cf_prefetch *p;

	if (n - from < cf_prefetch_min || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->dfd = dfd;
	p->v = v;
	p->from = from;
	p->n = n;
	p->slots = xcalloc(n - from, sizeof(*p->slots));
	atomic_store(&p->waiting, SIZE_MAX);
	atomic_store(&p->at, from);
	if (pthread_create(&p->tid, NULL, reader, p) != 0) {
		free(p->slots);
		free(p);
		return NULL;
	}
	return p;
}

/* A pause in a wait on the CPU (the other thread gets the core's share). */
static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

bool cf_prefetch_take(struct cf_prefetch *p, size_t i, const char **text, size_t *len)
{
	uint32_t st = PENDING;
	struct slot *s;

	if (!p || i < p->from || i >= p->n)
		return false;
	atomic_store(&p->at, i + 1);
	s = &p->slots[i - p->from];
	if (!mine(p, i) || atomic_compare_exchange_strong(&s->state, &st, LOADER))
		return false;	/* not the reader's, or not started: the loader's */
	/* The file is being read: it takes a few microseconds, less than a
	 * sleep and a wake-up (two system calls and two switches), so wait
	 * a little on the CPU first (SPIN pauses: ~17 us on the development
	 * VM, where a pause takes ~83 ns; a reader that lost its CPU costs
	 * no more than that before the futex). */
	for (int k = 0; k < SPIN && st == READING; k++) {
		relax();
		st = atomic_load(&s->state);
	}
	if (st == READING) {
		atomic_store(&p->waiting, i);
		while ((st = atomic_load(&s->state)) == READING)
			syscall(SYS_futex, &s->state, FUTEX_WAIT_PRIVATE, READING, NULL, NULL, 0);
		atomic_store(&p->waiting, SIZE_MAX);
	}
	if (st != TAKEN)
		return false;
	*text = s->text;
	*len = s->len;
	return true;
}

void cf_prefetch_end(struct cf_prefetch *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->tid, NULL);
	while (p->blocks) {
		struct block *b = p->blocks;

		p->blocks = b->next;
		free(b);
	}
	free(p->slots);
	free(p);
}
