/* Where configuration text comes from: files (each read once, within size
 * limits, checked for NUL bytes and invalid UTF-8), standard input, an
 * in-memory file set, a configuration directory, and .include globs. */
#include "conf/cf.h"
#include "util/utf8.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"

/* Where the file with this identity sits in ctx->byid (or the empty slot). */
static size_t byid_slot(struct cf_ctx *ctx, dev_t dev, ino_t ino, long mem)
{
	size_t mask = ctx->capbyid - 1;
	size_t i = (size_t)(((uint64_t)dev * 31 + (uint64_t)ino) * 0x9e3779b97f4a7c15ull >> 20) & mask;
	struct cf_file *f;

	if (mem >= 0)
		i = (size_t)mem & mask;
	for (; (f = ctx->byid[i]); i = (i + 1) & mask)
		if (mem >= 0 ? f->mem == mem : (f->mem < 0 && f->dev == dev && f->ino == ino))
			break;
	return i;
}

/* Remember f by its identity; grows the hash as needed. */
static void byid_add(struct cf_ctx *ctx, struct cf_file *f)
{
	if ((ctx->nfiles + 1) * 2 >= ctx->capbyid) {
		struct cf_file **old = ctx->byid;
		size_t oldcap = ctx->capbyid;

		ctx->capbyid = oldcap ? oldcap * 2 : 64;
		ctx->byid = xcalloc(ctx->capbyid, sizeof(*ctx->byid));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				ctx->byid[byid_slot(ctx, old[i]->dev, old[i]->ino, old[i]->mem)] = old[i];
		free(old);
	}
	ctx->byid[byid_slot(ctx, f->dev, f->ino, f->mem)] = f;
	ctx->files = xgrow(ctx->files, &ctx->capfiles, ctx->nfiles + 1, sizeof(*ctx->files));
	ctx->files[ctx->nfiles++] = f;
}

/* A new file record named path. */
static struct cf_file *file_new(struct cf_ctx *ctx, const char *path, const char *dir, dev_t dev,
				ino_t ino, long mem)
{
	struct cf_file *f = cf_zalloc(&ctx->arena, sizeof(*f));
	const char *slash = dir ? NULL : strrchr(path, '/');

	f->path = cf_strndup(&ctx->arena, path, strlen(path));
	f->dir = dir ? dir : slash ? cf_strndup(&ctx->arena, path, (size_t)(slash - path) + 1) : "";
	f->dev = dev;
	f->ino = ino;
	f->mem = mem;
	f->any_err = f->top_err = -1;
	byid_add(ctx, f);
	return f;
}

/* The line and column of buf + off. */
static void locate(const char *buf, size_t off, uint32_t *line, uint32_t *col)
{
	const char *ls = buf;

	*line = 1;
	for (const char *p = buf; p < buf + off; p++)
		if (*p == '\n') {
			(*line)++;
			ls = p + 1;
		}
	*col = (uint32_t)(buf + off - ls) + 1;
}

/* Length of the valid multi-byte UTF-8 sequence at s, or 0. */
size_t cf_utf8_seq(const unsigned char *s, size_t n)
{
	return utf8_seq(s, n);
}

/* Is the text free of NUL bytes and valid UTF-8? The first fault is reported. */
bool cf_utf8_check(struct cf_ctx *ctx, const char *path, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	struct cf_loc loc = { path, 0, 0 };

	for (size_t i = 0; i < len;) {
		size_t n;
		uint64_t w;

		/* Eight bytes at a time while each is 0x01-0x7f: the sum's
		 * top bit says the low seven are not all 0, w's that the
		 * byte is not ASCII. */
		if (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if ((((w & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) & ~w &
			     0x8080808080808080ull) == 0x8080808080808080ull) {
				i += 8;
				continue;
			}
		}
		if (s[i] >= 0x01 && s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] == 0) {
			locate(buf, i, &loc.line, &loc.col);
			cf_diag(ctx, DIAG_ERROR, &loc, "NUL byte in the file");
			return false;
		}
		n = cf_utf8_seq(s + i, len - i);
		if (n == 0) {
			locate(buf, i, &loc.line, &loc.col);
			cf_diag(ctx, DIAG_ERROR, &loc, "invalid UTF-8 (byte 0x%02x)", s[i]);
			return false;
		}
		i += n;
	}
	return true;
}

/* Room for n + 1 bytes in the reusable read buffer (the text is parsed,
 * then dropped: one buffer serves every file). */
static char *rbuf_room(struct cf_ctx *ctx, size_t n)
{
	if (n + 1 > ctx->caprbuf) {
		size_t cap = ctx->caprbuf ? ctx->caprbuf : 65536;

		while (cap < n + 1)
			cap *= 2;
		free(ctx->rbuf);
		ctx->rbuf = xmalloc(cap);
		ctx->caprbuf = cap;
	}
	return ctx->rbuf;
}

/* Read all of fd into *buf (ctx's read buffer, NUL-terminated), at most
 * CF_FILE_MAX bytes and within what is left of CF_TOTAL_MAX; a bigger file
 * is refused without being read whole. A regular file takes one read(2)
 * of its size as fstat told it (a short count is its end); a pipe (-f -)
 * is read until its end. Returns NULL or why it failed. */
static const char *read_all(struct cf_ctx *ctx, int fd, const struct stat *st, char **buf,
			    size_t *len)
{
	static char why[128];
	bool reg = S_ISREG(st->st_mode);
	size_t cap = reg ? (size_t)st->st_size : 65536;
	size_t n = 0;
	char *b;

	if (reg && (uint64_t)st->st_size > CF_FILE_MAX) {
		snprintf(why, sizeof(why), "file too large (%lld bytes, the limit is %u MiB)",
			 (long long)st->st_size, CF_FILE_MAX >> 20);
		return why;
	}
	b = rbuf_room(ctx, cap);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (reg || cap > CF_FILE_MAX)
				break;
			cap = cap * 2 > CF_FILE_MAX ? CF_FILE_MAX + (size_t)1 : cap * 2;
			if (cap + 1 > ctx->caprbuf) {
				char *nb = xmalloc(cap + 1);

				memcpy(nb, b, n);
				free(ctx->rbuf);
				ctx->rbuf = b = nb;
				ctx->caprbuf = cap + 1;
			}
		}
		r = RETRY_EINTR(read(fd, b + n, cap - n));
		if (r < 0)
			return strerror(errno);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > CF_FILE_MAX) {
		snprintf(why, sizeof(why), "file too large (over %u MiB)", CF_FILE_MAX >> 20);
		return why;
	}
	if (n > CF_TOTAL_MAX - ctx->total_bytes) {
		snprintf(why, sizeof(why), "configuration too large (all files together over %u MiB)",
			 CF_TOTAL_MAX >> 20);
		return why;
	}
	ctx->total_bytes += n;
	b[n] = '\0';
	*buf = b;
	*len = n;
	return NULL;
}

/* Check and parse a file's text; the text is not kept. Its errors are
 * its own (isolation). */
static void take_text(struct cf_ctx *ctx, struct cf_file *f, const char *buf, size_t len)
{
	struct cf_file *was = ctx->pfile;
	bool ok;

	ctx->pfile = f;
	ctx->pwhole = true;
	ok = cf_utf8_check(ctx, f->path, buf, len);
	ctx->pwhole = false;
	if (ok)
		cf_parse(ctx, f, buf, len);
	ctx->pfile = was;
}

/* The memory file named path, or -1. */
static long mem_find(const struct conf_source *src, const char *path)
{
	for (size_t i = 0; i < src->nmem; i++)
		if (src->mem[i].path && strcmp(src->mem[i].path, path) == 0)
			return (long)i;
	return -1;
}

/* Why a file cannot be read: at the .include that names it, or at the
 * file itself (a file named by the user or found in a directory). */
static void open_error(struct cf_ctx *ctx, const struct cf_loc *at, const char *path, const char *why)
{
	struct cf_loc self = { path, 0, 0 };

	if (at)
		cf_diag(ctx, DIAG_ERROR, at, "cannot include %s: %s", cf_q(ctx, path), why);
	else
		cf_diag(ctx, DIAG_ERROR, &self, "%s", why);
}

/* A memory file, read and parsed on first use. */
static struct cf_file *mem_get(struct cf_ctx *ctx, const char *path, const struct cf_loc *at)
{
	long m = mem_find(ctx->src, path);
	const struct conf_memfile *mf;
	struct cf_file *f;

	if (m < 0) {
		open_error(ctx, at, path, strerror(ENOENT));
		return NULL;
	}
	if (ctx->capbyid && (f = ctx->byid[byid_slot(ctx, 0, 0, m)]))
		return f;
	mf = &ctx->src->mem[m];
	if (mf->len > CF_FILE_MAX || mf->len > CF_TOTAL_MAX - ctx->total_bytes) {
		open_error(ctx, at, path, "file too large");
		return NULL;
	}
	ctx->total_bytes += mf->len;
	f = file_new(ctx, path, NULL, 0, 0, m);
	take_text(ctx, f, mf->data ? mf->data : "", mf->data ? mf->len : 0);
	return f;
}

/* Close the files keep_open kept. */
static void close_kept(struct cf_ctx *ctx)
{
	close_fds(ctx->kept, ctx->nkept);
	ctx->nkept = 0;
}

/* A file of a listed folder read whole: closed with the next ones, by
 * close_fds (the folder's files are read one after the other, so their
 * descriptors are consecutive numbers). The two loops over a listing
 * close what is kept before they return. */
static void keep_open(struct cf_ctx *ctx, int fd)
{
	if (ctx->nkept == sizeof(ctx->kept) / sizeof(*ctx->kept))
		close_kept(ctx);
	ctx->kept[ctx->nkept++] = fd;
}

/* Open a configuration file name in the folder dfd without waiting; out
 * of descriptors, the kept ones are closed and it tries again (so that
 * keeping them never fails an open that would succeed without). */
static int open_conf(struct cf_ctx *ctx, int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 && errno == EMFILE && ctx->nkept) {
		close_kept(ctx);
		fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	return fd;
}

/* What a file that is not a regular file is, for a message. */
static const char *file_kind(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISSOCK(m) ? "a socket"
			     : "not a file";
}

/* The file name in the folder dfd (AT_FDCWD: path itself), known to the
 * user as path, read and parsed on first use. NULL if it cannot be read;
 * the error is reported at *at (the .include), or at the file itself when
 * at is NULL. dir, if not NULL, is path's folder with its slash, shared by
 * the files of one folder. "-" (not included) is standard input, which
 * may be a pipe; every other file must be a regular file (symbolic links
 * to one are followed): a FIFO would block the read for ever, a device
 * feed it without end. The open does not wait (O_NONBLOCK: a FIFO opens
 * at once, a device's open is never the one that blocks) and the type is
 * checked on the opened file, so a rename between the two changes nothing.
 * missing_ok: a file that does not exist is no error (and NULL). */
static struct cf_file *file_get_at(struct cf_ctx *ctx, int dfd, const char *name,
				   const char *path, const char *dir, const struct cf_loc *at,
				   bool missing_ok)
{
	bool in = strcmp(path, "-") == 0 && !at;
	struct cf_file *f = NULL;
	const char *why;
	struct stat st;
	size_t len = 0;
	char *buf = NULL;
	int fd;

	if (ctx->src->mem)
		return mem_get(ctx, path, at);
	if (in)
		path = "<stdin>";
	fd = in ? STDIN_FILENO : open_conf(ctx, dfd, name);
	if (fd < 0) {
		if (!(missing_ok && errno == ENOENT))
			open_error(ctx, at, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		open_error(ctx, at, path, strerror(errno));
		goto out;
	}
	if (in ? S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		char kind[64];

		snprintf(kind, sizeof(kind), "not a regular file (%s)", file_kind(st.st_mode));
		open_error(ctx, at, path, kind);
		goto out;
	}
	if (!in && ctx->capbyid && (f = ctx->byid[byid_slot(ctx, st.st_dev, st.st_ino, -1)]))
		goto out;
	if ((why = read_all(ctx, fd, &st, &buf, &len))) {
		open_error(ctx, at, path, why);
		goto out;
	}
	f = file_new(ctx, path, dir, st.st_dev, st.st_ino, -1);
	if (in)
		f->dir = "";
	take_text(ctx, f, buf, len);
out:
	if (!in)
		close(fd);
	return f;
}

/* A listed file whose text was read (len bytes at b, NUL-terminated):
 * parsed, unless it is one read already (a hard link). */
static struct cf_file *file_from_text(struct cf_ctx *ctx, const char *path, const char *dir,
				      dev_t dev, ino_t ino, const char *b, size_t len,
				      const struct cf_loc *at)
{
	struct cf_file *f;

	if (ctx->capbyid && (f = ctx->byid[byid_slot(ctx, dev, ino, -1)]))
		return f;
	if (len > CF_TOTAL_MAX - ctx->total_bytes) {
		char why[96];

		snprintf(why, sizeof(why),
			 "configuration too large (all files together over %u MiB)", CF_TOTAL_MAX >> 20);
		open_error(ctx, at, path, why);
		return NULL;
	}
	ctx->total_bytes += len;
	f = file_new(ctx, path, dir, dev, ino, -1);
	take_text(ctx, f, b, len);
	return f;
}

/* A file the folder listing says is a regular file: as file_get_at, but
 * without an fstat when one read tells all. The file is opened without
 * waiting and read once into a buffer of at least 64 KiB: a shorter count
 * is the end of a regular file, a full buffer (a large file, or a device
 * put there since the listing) is checked with fstat as file_get_at does.
 * So a FIFO or a device swapped in after the listing (by whoever may
 * write the folder) never blocks the read nor feeds it without end. Its
 * identity is the listing's (dev of the folder, inode number), which the
 * caller has checked is fstat's on this file system. */
static struct cf_file *file_get_listed(struct cf_ctx *ctx, int dfd, const char *name,
				       const char *path, const char *dir, dev_t dev, ino_t ino,
				       const struct cf_loc *at)
{
	struct cf_file *f = NULL;
	size_t cap;
	ssize_t r;
	char *b;
	int fd;

	if (ctx->capbyid && (f = ctx->byid[byid_slot(ctx, dev, ino, -1)]))
		return f;	/* a hard link to a file read already */
	fd = open_conf(ctx, dfd, name);
	if (fd < 0) {
		open_error(ctx, at, path, strerror(errno));
		return NULL;
	}
	b = rbuf_room(ctx, 65535);
	cap = ctx->caprbuf - 1;
	r = RETRY_EINTR(read(fd, b, cap));
	if (r < 0 || (size_t)r == cap) {
		/* An error (a directory: say what it is) or more to read. */
		close(fd);
		return file_get_at(ctx, dfd, name, path, dir, at, false);
	}
	keep_open(ctx, fd);
	return file_from_text(ctx, path, dir, dev, ino, b, (size_t)r, at);
}

static struct cf_file *file_get(struct cf_ctx *ctx, const char *path, const struct cf_loc *at)
{
	return file_get_at(ctx, AT_FDCWD, path, path, NULL, at, false);
}

/* Read and parse a file named by the user or found in a directory. */
struct cf_file *cf_load_root(struct cf_ctx *ctx, const char *path)
{
	return file_get(ctx, path, NULL);
}

struct cf_file *cf_load_text(struct cf_ctx *ctx, const struct conf_memfile *m)
{
	struct cf_file *f;

	if (m->len > CF_FILE_MAX || m->len > CF_TOTAL_MAX - ctx->total_bytes) {
		open_error(ctx, NULL, m->path, "file too large");
		return NULL;
	}
	ctx->total_bytes += m->len;
	f = file_new(ctx, m->path, NULL, 0, 0, -1);
	take_text(ctx, f, m->data, m->len);
	return f;
}

/* glob(3)'s idea of a pattern: it has an unescaped *, ? or [. */
static bool has_magic(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == '*' || *s == '?' || *s == '[')
			return true;
	}
	return false;
}

/* Add f to the include's targets. */
static void inc_add(struct cf_ctx *ctx, struct cf_include *inc, struct cf_file *from,
		    struct cf_file *f, size_t *cap)
{
	struct cf_file **v;

	if (!f)
		return;
	if (f != from)
		f->included = true;
	if (inc->nfiles == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		v = cf_alloc(&ctx->arena, *cap * sizeof(*v));
		if (inc->nfiles)
			memcpy(v, inc->files, inc->nfiles * sizeof(*v));
		inc->files = v;
	}
	inc->files[inc->nfiles++] = f;
}

/* qsort order of strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The memory files matching a pattern, in name order. */
static void mem_glob(struct cf_ctx *ctx, struct cf_include *inc, const struct cf_loc *at,
		     struct cf_file *from, const char *pat, size_t *cap)
{
	const char **names = xcalloc(ctx->src->nmem + 1, sizeof(*names));
	size_t k = 0;

	for (size_t i = 0; i < ctx->src->nmem; i++)
		if (ctx->src->mem[i].path &&
		    fnmatch(pat, ctx->src->mem[i].path, FNM_PATHNAME | FNM_PERIOD) == 0)
			names[k++] = ctx->src->mem[i].path;
	qsort(names, k, sizeof(*names), cmp_str);
	for (size_t i = 0; i < k; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			inc_add(ctx, inc, from, file_get(ctx, names[i], at), cap);
	free(names);
}

static long list_conf(int dfd, const char *pat, struct cf_dent **names, char **pool);

/* Can the glob pattern pat in the folder st use jail.conf.d's listing,
 * that is, is it that folder, and is every name pat can match in it (a
 * name ending in ".conf", not a dot file)? */
static bool listed_conf(const struct cf_ctx *ctx, const struct stat *st, const char *pat)
{
	size_t len = strlen(pat);

	return ctx->confd.v && st->st_dev == ctx->confd.dev && st->st_ino == ctx->confd.ino &&
	       pat[0] != '.' && !strchr(pat, '\\') && len >= 5 &&
	       memcmp(pat + len - 5, ".conf", 5) == 0;
}

/* A glob whose magic is all in its last component (".../jail.conf.d/
 * *.conf", FreeBSD's habit), as glob(3) would expand it: one listing of
 * the folder, fnmatch(3), the matches in strcmp order (glob's, in the C
 * locale brig runs in), each named folder + name as glob names it. A
 * match the listing calls a regular file is found by its identity (dev of
 * the folder, inode number) among the files read already (jail.conf.d's,
 * when jail.conf includes them all), without a system call, once the
 * first one's fstat showed that the listing's identity is fstat's; one
 * not read yet is opened relative to the folder and read as the files of
 * jail.conf.d are; anything else as file_get does. A folder that cannot
 * be read matches nothing, as with glob(3). false: not such a glob
 * (glob(3) does it). */
static bool glob_listed(struct cf_ctx *ctx, struct cf_include *inc, const struct cf_loc *at,
			struct cf_file *from, const char *full, size_t *cap)
{
	const char *slash = strrchr(full, '/');
	size_t plen = slash ? (size_t)(slash - full) + 1 : 0;
	struct strbuf path = STRBUF_INIT;
	struct cf_dent *v = NULL;
	char *pool = NULL, *dir;
	int trust = -1, dfd;
	struct stat dst;
	long n;

	if (!full[plen] || memchr(full, '\\', plen) || strstr(full, "//"))
		return false;
	for (size_t i = 0; i < plen; i++)
		if (full[i] == '*' || full[i] == '?' || full[i] == '[')
			return false;
	dir = cf_strndup(&ctx->arena, full, plen);
	dfd = open(plen ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return true;
	if (fstat(dfd, &dst) < 0) {
		n = -1;
	} else if (listed_conf(ctx, &dst, full + plen)) {
		/* jail.conf.d, listed a moment ago: its matches. */
		v = xcalloc(ctx->confd.n + 1, sizeof(*v));
		n = 0;
		for (size_t i = 0; i < ctx->confd.n; i++)
			if (fnmatch(full + plen, ctx->confd.v[i].name, FNM_PERIOD) == 0)
				v[n++] = ctx->confd.v[i];
	} else {
		n = list_conf(dfd, full + plen, &v, &pool);
	}
	for (long i = 0; i < n; i++) {
		bool reg = v[i].type == DT_REG;
		struct cf_file *f;

		sb_reset(&path);
		sb_addn(&path, dir, plen);
		sb_adds(&path, v[i].name);
		if (reg && trust == 1)
			f = file_get_listed(ctx, dfd, v[i].name, path.s, dir, dst.st_dev, v[i].ino,
					    at);
		else
			f = file_get_at(ctx, dfd, v[i].name, path.s, dir, at, false);
		if (f && reg && trust < 0)
			trust = f->dev == dst.st_dev && f->ino == v[i].ino;
		inc_add(ctx, inc, from, f, cap);
	}
	close_kept(ctx);
	close(dfd);
	sb_free(&path);
	free(v);
	free(pool);
	return true;
}

/* The file a plain (not glob) include names. The same name included from
 * many places (a template in every jail block) is opened once. */
static struct cf_file *inc_file(struct cf_ctx *ctx, const char *path, const struct cf_loc *at)
{
	struct cf_name *key = cf_name_get(ctx, path, strlen(path));

	if (!key->file)
		key->file = file_get(ctx, path, at);
	return key->file;
}

/* Resolve one .include: relative names against the including file's
 * folder; a glob may match nothing, a plain name must exist. */
static void expand_one(struct cf_ctx *ctx, struct cf_file *from, struct cf_node *n)
{
	struct cf_include *inc = n->include.inc;
	const struct cf_loc *at = &n->include.loc;
	size_t cap = 0;

	inc->expanded = true;
	for (size_t i = 0; i < inc->npats; i++) {
		const char *pat = inc->pats[i];
		const char *full;

		sb_reset(&ctx->path);
		if (pat[0] != '/')
			sb_adds(&ctx->path, from->dir);
		sb_adds(&ctx->path, pat);
		full = ctx->path.s;

		if (!has_magic(full)) {
			inc_add(ctx, inc, from, inc_file(ctx, full, at), &cap);
		} else if (ctx->src->mem) {
			mem_glob(ctx, inc, at, from, full, &cap);
		} else if (!glob_listed(ctx, inc, at, from, full, &cap)) {
			glob_t g;
			int r = glob(full, 0, NULL, &g);

			if (r == 0)
				for (size_t k = 0; k < g.gl_pathc; k++)
					inc_add(ctx, inc, from, file_get(ctx, g.gl_pathv[k], at), &cap);
			else if (r != GLOB_NOMATCH)
				cf_diag(ctx, DIAG_ERROR, at, "%s: cannot expand the pattern", full);
			globfree(&g);
		}
	}
}

/* Expand the .include nodes under items (also inside jail blocks). */
static void scan_items(struct cf_ctx *ctx, struct cf_file *from, struct cf_node **items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cf_node *node = items[i];

		if (node->kind == CF_N_INCLUDE && !node->include.inc->expanded)
			expand_one(ctx, from, node);
		else if (node->kind == CF_N_BLOCK)
			scan_items(ctx, from, node->block.items, node->block.n);
	}
}

/* Expand every .include of every file read, reading the files they name. */
void cf_expand_includes(struct cf_ctx *ctx)
{
	/* ctx->files grows while this runs: every file read is scanned. */
	for (size_t i = 0; i < ctx->nfiles; i++) {
		struct cf_file *f = ctx->files[i];

		if (!f->scanned) {
			f->scanned = true;
			ctx->pfile = f;
			scan_items(ctx, f, f->items, f->nitems);
			ctx->pfile = NULL;
		}
	}
}

/* A jail.conf.d file that could not be read: for cf_taint_phantoms. */
static void unread_add(struct cf_ctx *ctx, const char *path, int32_t err)
{
	ctx->unread = xgrow(ctx->unread, &ctx->capunread, ctx->nunread + 1, sizeof(*ctx->unread));
	ctx->unread[ctx->nunread].path = cf_strndup(&ctx->arena, path, strlen(path));
	ctx->unread[ctx->nunread++].err = err;
}

/* qsort order of entries by name. */
static int cmp_dent(const void *a, const void *b)
{
	return strcmp(((const struct cf_dent *)a)->name, ((const struct cf_dent *)b)->name);
}

/* The ".conf" files of the open folder dfd (no dot file), or with pat the
 * entries fnmatch(3) matches as glob(3) does (FNM_PERIOD), in name order:
 * getdents64(2) into one large buffer, the names packed in *pool (both
 * malloc'd). Returns how many, or -1 (errno) if the folder cannot be read. */
static long list_conf(int dfd, const char *pat, struct cf_dent **names, char **pool)
{
	enum { DBUF = 256 << 10 };
	char *dbuf = xmalloc(DBUF), *p = NULL;
	size_t n = 0, cap = 0, used = 0, pcap = 0;
	struct cf_dent *v = NULL;
	long r;

	while ((r = syscall(SYS_getdents64, dfd, dbuf, DBUF)) > 0) {
		for (long off = 0; off < r;) {
			const struct dirent64 *de = (const struct dirent64 *)(dbuf + off);
			size_t len = strlen(de->d_name);

			off += de->d_reclen;
			if (pat ? fnmatch(pat, de->d_name, FNM_PERIOD) != 0
				: de->d_name[0] == '.' || len < 6 ||
					  memcmp(de->d_name + len - 5, ".conf", 5) != 0)
				continue;
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			p = xgrow(p, &pcap, used + len + 1, 1);
			memcpy(p + used, de->d_name, len + 1);
			/* The name as an offset until the pool stops moving. */
			v[n++] = (struct cf_dent){ (char *)used, (ino_t)de->d_ino, de->d_type };
			used += len + 1;
		}
	}
	free(dbuf);
	if (r < 0) {
		int e = errno;

		free(v);
		free(p);
		errno = e;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		v[i].name = p + (size_t)v[i].name;
	if (n)
		qsort(v, n, sizeof(*v), cmp_dent);
	*names = v;
	*pool = p;
	return (long)n;
}

void (*cf_listed_hook)(int dfd);

/* Read DIR/BASE.conf and the .conf files of DIR/BASE.conf.d (see cf.h).
 * The files of BASE.conf.d are opened relative to the folder (one path
 * step each, not the whole path again). */
struct cf_file **cf_confdir_files(struct cf_ctx *ctx, const char *dir, const char *base,
				  struct cf_file **main, size_t *nroots)
{
	char *top = xasprintf("%s/%s.conf", dir, base);
	char *sub = xasprintf("%s/%s.conf.d", dir, base);
	struct cf_loc at = { sub, 0, 0 };
	struct cf_file **roots = NULL;
	struct strbuf path = STRBUF_INIT;
	struct cf_dent *names = NULL;
	char *pool = NULL;
	const char *subdir;
	struct stat dst;
	int trust = -1;	/* do the listing's inode numbers match fstat's? */
	struct cf_prefetch *pre = NULL;
	bool tried = false;	/* the second reader, once trust is known */
	size_t k = 0;
	long n = 0;
	int dfd;

	/* Unreadable, it has no jails to mark: isolated, the others load. */
	ctx->root_pending = true;
	*main = file_get_at(ctx, AT_FDCWD, top, top, NULL, NULL, true);
	ctx->root_pending = false;

	dfd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && errno != ENOENT)
		cf_diag(ctx, DIAG_ERROR, &at, "%s", strerror(errno));
	if (dfd >= 0 && (n = list_conf(dfd, NULL, &names, &pool)) < 0) {
		cf_diag(ctx, DIAG_ERROR, &at, "%s", strerror(errno));
		n = 0;
	}
	if (n > 0 && cf_listed_hook)
		cf_listed_hook(dfd);

	subdir = cf_strndup(&ctx->arena, sub, strlen(sub) + 1);
	((char *)subdir)[strlen(sub)] = '/';
	roots = xcalloc((size_t)n + 1, sizeof(*roots));
	for (long i = 0; i < n; i++) {
		struct cf_file *f;

		bool reg = names[i].type == DT_REG;

		sb_reset(&path);
		sb_adds(&path, subdir);
		sb_adds(&path, names[i].name);
		ctx->root_pending = true;
		ctx->root_err = -1;
		const char *text;
		size_t len;

		if (cf_prefetch_take(pre, (size_t)i, &text, &len))
			f = file_from_text(ctx, path.s, subdir, dst.st_dev, names[i].ino, text, len,
					   NULL);
		else if (reg && trust == 1)
			f = file_get_listed(ctx, dfd, names[i].name, path.s, subdir, dst.st_dev,
					    names[i].ino, NULL);
		else
			f = file_get_at(ctx, dfd, names[i].name, path.s, subdir, NULL, false);
		ctx->root_pending = false;
		/* The first regular file tells whether the listing's identity
		 * of a file is fstat's (not so on some overlay file systems):
		 * only then may the others skip their fstat. */
		if (f && reg && trust < 0)
			trust = fstat(dfd, &dst) == 0 && f->dev == dst.st_dev && f->ino == names[i].ino;
		if (trust == 1 && !tried) {
			tried = true;
			pre = cf_prefetch_start(dfd, names, (size_t)i + 1, (size_t)n);
		}
		if (f)
			roots[k++] = f;
		else if (ctx->root_err >= 0)
			unread_add(ctx, path.s, ctx->root_err);
	}
	cf_prefetch_end(pre);
	close_kept(ctx);
	if (n > 0 && fstat(dfd, &dst) == 0) {
		/* Kept for a glob of this folder (jail.conf's .include). */
		ctx->confd = (struct cf_listing){ names, pool, (size_t)n, dst.st_dev, dst.st_ino };
		names = NULL;
		pool = NULL;
	}
	if (dfd >= 0)
		close(dfd);
	sb_free(&path);
	free(names);
	free(pool);
	free(top);
	free(sub);
	*nroots = k;
	return roots;
}
