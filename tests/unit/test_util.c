/* Unit tests for util/: errors, strbuf, JSON writer, bounded reads, the
 * system chores (EINTR, whole reads and writes, atomic files, locks,
 * mkdir -p, paths beneath a root, brig's places, a call isolated in a
 * child). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/beneath.h"
#include "util/err.h"
#include "util/io.h"
#include "util/isolate.h"
#include "util/json.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/writefile.h"

static void test_err_chain(void **state)
{
	struct brig_err e = { 0 };

	(void)state;
	assert_int_equal(brig_err_set(&e, ENOENT, "creating veth `%s`", "epair_webb"), -1);
	brig_err_wrap(&e, "vnet");
	brig_err_wrap(&e, "%s: start", "web");
	assert_string_equal(e.msg, "web: start: vnet: creating veth `epair_webb`: No such file or directory");
	assert_int_equal(e.errnum, ENOENT);
}

static void test_err_truncates(void **state)
{
	struct brig_err e = { 0 };
	char big[4096];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	brig_err_set(&e, 0, "%s", big);
	brig_err_wrap(&e, "ctx");
	assert_int_equal(strlen(e.msg), BRIG_ERR_MAX - 1);
	assert_memory_equal(e.msg, "ctx: xxx", 8);
}

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 2000);
	s = sb_steal(&sb);
	assert_memory_equal(s, "0,1,2,", 6);
	free(s);
	s = sb_steal(&sb);
	assert_string_equal(s, "");
	free(s);
}

static void test_json(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	(void)state;
	json_init(&j, &sb, false);
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_key(&j, "name");
	json_str(&j, "we\"b\n\x01");
	json_key(&j, "params");
	json_obj_begin(&j);
	json_key(&j, "persist");
	json_bool(&j, true);
	json_key(&j, "ip4.addr");
	json_arr_begin(&j);
	json_str(&j, "10.1.1.1");
	json_str(&j, "10.1.1.2");
	json_str(&j, "x\\y");	/* escaped after a comma */
	json_str(&j, "");
	json_arr_end(&j);
	json_key(&j, "empty");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_int(&j, -3);
	json_arr_end(&j);
	assert_string_equal(sb.s, "[{\"name\":\"we\\\"b\\n\\u0001\",\"params\":{\"persist\":true,"
				  "\"ip4.addr\":[\"10.1.1.1\",\"10.1.1.2\",\"x\\\\y\",\"\"],\"empty\":[]}},-3]");
	sb_free(&sb);
}

static void test_json_utf8(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	json_quote(&sb, "caf\xc3\xa9 \xff \xed\xa0\x80");
	assert_string_equal(sb.s, "\"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd\\ufffd\"");
	sb_free(&sb);
}

/* Every byte at every place of the eight-byte steps: quoted as the
 * byte-by-byte rules say. */
static void test_json_every_byte(void **state)
{
	(void)state;
	for (int c = 1; c < 256; c++) {
		for (int k = 0; k < 18; k++) {
			struct strbuf sb = STRBUF_INIT;
			char in[19], want[40], esc[8];

			memset(in, 'a', 18);
			in[18] = '\0';
			in[k] = (char)c;
			if (c == '"' || c == '\\')
				snprintf(esc, sizeof(esc), "\\%c", c);
			else if (c == '\n' || c == '\t' || c == '\r')
				snprintf(esc, sizeof(esc), "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
			else if (c < 0x20 || c == 0x7f)
				snprintf(esc, sizeof(esc), "\\u%04x", c);
			else if (c >= 0x80)
				snprintf(esc, sizeof(esc), "\\ufffd");
			else
				snprintf(esc, sizeof(esc), "%c", c);
			snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", k, in, esc, 17 - k, in + k + 1);
			json_quote(&sb, in);
			assert_string_equal(sb.s, want);
			sb_free(&sb);
		}
	}
}

/* read_bounded: regular files up to the bound, everything else refused
 * with what it is; nothing waits on a FIFO. */
static void test_read_bounded(void **state)
{
	char dir[] = "/tmp/brig-test-read.XXXXXX", p[128];
	struct brig_err e = { 0 };
	char *text;
	size_t len;
	int root, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	root = open(dir, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	snprintf(p, sizeof(p), "%s/ten", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(read_bounded(root, "ten", READ_BENEATH, 10, &text, &len, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(text, "0123456789");
	free(text);
	assert_int_equal(read_bounded(root, "/ten", READ_BENEATH, 9, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/ten: 10 bytes, more than the 9 allowed");
	snprintf(p, sizeof(p), "%s/sparse", dir);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(ftruncate(fd, 2LL << 30), 0);
	close(fd);
	assert_int_equal(read_bounded(root, "sparse", READ_AT, 1 << 20, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "sparse: 2147483648 bytes, more than the 1048576 allowed");
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(read_bounded(root, "fifo", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "fifo: a FIFO, not a regular file");
	assert_int_equal(read_bounded(root, ".", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, ".: a directory, not a regular file");
	assert_int_equal(read_bounded(AT_FDCWD, "/dev/zero", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/dev/zero: a character device, not a regular file");
	/* A symlink: not followed where it is read; refused beneath a root. */
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("ten", p), 0);
	assert_int_equal(read_bounded(root, "link", READ_AT, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "link: a symlink, not a regular file");
	assert_int_equal(read_bounded(root, "link", READ_PATH, 100, &text, NULL, &e), 0);
	assert_string_equal(text, "0123456789");
	free(text);
	snprintf(p, sizeof(p), "%s/fifolink", dir);
	assert_int_equal(symlink("fifo", p), 0);
	assert_int_equal(read_bounded(root, "fifolink", READ_PATH, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "fifolink: a FIFO, not a regular file");
	assert_int_equal(read_bounded(root, "link", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/link: a symlink, not a regular file");
	assert_int_equal(read_bounded(root, "../ten", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_int_equal(read_bounded(root, "missing", READ_BENEATH, 100, &text, NULL, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	/* Files of /proc say they are empty: read to the end all the same,
	 * and still bounded. */
	assert_int_equal(read_bounded(AT_FDCWD, "/proc/self/status", READ_AT, 1 << 20, &text, NULL, &e), 0);
	assert_non_null(strstr(text, "Name:"));
	free(text);
	assert_int_equal(read_bounded(AT_FDCWD, "/proc/self/status", READ_AT, 16, &text, NULL, &e), -1);
	assert_string_equal(e.msg, "/proc/self/status: more than the 16 bytes allowed");
	close(root);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* ---- EINTR and short transfers: a child interrupts us, deterministically,
 * while we are blocked in a system call. */

static volatile sig_atomic_t hits;
static int note_fd = -1;	/* the handler tells the child it ran */

static void on_usr1(int sig)
{
	char c = 'n';

	(void)sig;
	hits++;
	if (write(note_fd, &c, 1) < 0)
		hits += 100;
}

/* Child: wait until pid is blocked in system call sysno (its
 * /proc/PID/syscall names it only while blocked), then SIGUSR1 it and
 * wait for its handler to have run. */
static void child_interrupt(pid_t pid, long sysno, int note_in)
{
	char path[64], line[256], c;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (;;) {
		FILE *f = fopen(path, "re");
		long nr = -1;

		if (f && fgets(line, sizeof(line), f))
			nr = strtol(line, NULL, 10);
		if (f)
			fclose(f);
		if (nr == sysno && strcmp(line, "running\n"))
			break;
		usleep(1000);
	}
	kill(pid, SIGUSR1);
	if (read(note_in, &c, 1) != 1)
		_exit(3);
}

/* SIGUSR1 without SA_RESTART, a data pipe and a child that interrupts
 * our next system call sysno once we block in it; in the child (0
 * returned) that has happened already. */
static pid_t interrupter(int note[2], int data[2], long sysno)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	pid_t child;

	assert_int_equal(pipe(note), 0);
	assert_int_equal(pipe(data), 0);
	note_fd = note[1];
	hits = 0;
	assert_int_equal(sigaction(SIGUSR1, &sa, NULL), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		child_interrupt(getppid(), sysno, note[0]);
	return child;
}

static void interrupt_end(int note[2], pid_t child)
{
	int st;

	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	signal(SIGUSR1, SIG_DFL);
	close(note[0]);
	close(note[1]);
}

/* RETRY_EINTR: a read a signal interrupts is made again; without it the
 * same read fails with EINTR (so the setup does interrupt). */
static void test_retry_eintr(void **state)
{
	int note[2], data[2];
	char c = 0;
	pid_t child;

	(void)state;
	for (int round = 0; round < 2; round++) {
		child = interrupter(note, data, SYS_read);
		if (child == 0)
			_exit(write(data[1], "y", 1) == 1 ? 0 : 4);
		if (round == 0) {
			assert_int_equal(read(data[0], &c, 1), -1);
			assert_int_equal(errno, EINTR);
		} else {
			assert_int_equal(RETRY_EINTR(read(data[0], &c, 1)), 1);
			assert_int_equal(c, 'y');
		}
		assert_int_equal(hits, 1);
		interrupt_end(note, child);
		close(data[0]);
		close(data[1]);
	}
}

/* write_all through a pipe whose reader is slower than the writer and a
 * signal that cuts a write short: all of it arrives, in order. A plain
 * write() in the same setup does come back short. read_full reads it
 * back across as many reads as the pipe needs. */
static void test_write_all_short(void **state)
{
	const size_t len = 1 << 20;
	char *buf = xmalloc(len);
	int note[2], data[2];
	pid_t child;

	(void)state;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 7 + i / 4093);
	for (int round = 0; round < 2; round++) {
		child = interrupter(note, data, SYS_write);
		if (child == 0) {
			char *got = xmalloc(len);
			ssize_t n;

			close(data[1]);
			n = read_full(data[0], got, len);
			if (round == 0)	/* what the short write wrote, then EOF */
				_exit(n > 0 && (size_t)n < len && !memcmp(got, buf, (size_t)n) ? 0 : 5);
			_exit(n == (ssize_t)len && !memcmp(got, buf, len) ? 0 : 6);
		}
		close(data[0]);
		if (round == 0) {
			ssize_t n = write(data[1], buf, len);

			assert_true(n > 0 && (size_t)n < len);
		} else {
			assert_int_equal(write_all(data[1], buf, len), 0);
		}
		close(data[1]);
		assert_int_equal(hits, 1);
		interrupt_end(note, child);
	}
	free(buf);
}

/* read_to_end and pwrite_all on a file. */
static void test_read_to_end(void **state)
{
	char path[] = "/tmp/brig-test-io.XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(pwrite_all(fd, "world", 5, 6), 0);
	assert_int_equal(pwrite_all(fd, "hello ", 6, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);	/* pwrite: no offset moved */
	sb_adds(&sb, ">");
	assert_int_equal(read_to_end(fd, &sb), 0);
	assert_string_equal(sb.s, ">hello world");
	assert_int_equal(pwrite_all(fd, "x", 1, -1), -1);
	assert_int_equal(errno, EINVAL);
	close(fd);
	assert_int_equal(read_to_end(fd, &sb), -1);
	assert_int_equal(errno, EBADF);
	sb_free(&sb);
}

/* A temporary directory for one test; rm_dir removes it. */
static void make_dir(char *dir)
{
	assert_non_null(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
	cleanup_free char *cmd = xasprintf("rm -rf %s", dir);

	assert_int_equal(system(cmd), 0);
}

/* The file's content, "" if none. */
static char *content(int dirfd, const char *name)
{
	struct brig_err e;
	char *text = NULL;

	if (read_bounded(dirfd, name, READ_PATH, 1 << 20, &text, NULL, &e) < 0)
		return xstrdup("");
	return text;
}

/* Only name in dir (no temporary file left beside it). */
static void only_entry(const char *dir, const char *name)
{
	cleanup_free char *cmd = xasprintf("test \"$(ls -A %s)\" = %s", dir, name);

	assert_int_equal(system(cmd), 0);
}

/* write_atomic_at: the new file whole, or (when the write fails, or the
 * writer dies half-way) the old one whole; exact mode; never through a
 * symlink at the name or at the temporary name. */
static void test_write_atomic(void **state)
{
	char dir[] = "/tmp/brig-test-atomic.XXXXXX";
	struct brig_err e = { 0 };
	struct rlimit old, small = { 4096, 4096 };
	struct atomic_file f;
	char *big = xcalloc(1, 8192);
	cleanup_free char *tmp = NULL, *victim = NULL, *p = NULL;
	struct stat st;
	int dfd, st_;
	pid_t child;

	(void)state;
	make_dir(dir);
	dfd = open(dir, O_PATH | O_DIRECTORY);
	assert_int_equal(write_atomic_at(dfd, "f", "old", 3, 0640, true, &e), 0);
	assert_int_equal(fstatat(dfd, "f", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(p = content(dfd, "f"));
	p = content(dfd, "f");
	assert_string_equal(p, "old");
	only_entry(dir, "f");

	/* A write that fails (the file size limit): the old file stays. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	small.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(write_atomic_at(dfd, "f", big, 8192, 0640, true, &e), -1);
	assert_int_equal(e.errnum, EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	free(p);
	p = content(dfd, "f");
	assert_string_equal(p, "old");
	only_entry(dir, "f");

	/* A writer that dies half-way: the old file stays. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (atomic_begin(&f, dfd, "f", 0600, &e) < 0 || write(f.fd, "ne", 2) != 2)
			_exit(1);
		_exit(0);	/* no commit */
	}
	assert_int_equal(waitpid(child, &st_, 0), child);
	assert_int_equal(WEXITSTATUS(st_), 0);
	free(p);
	p = content(dfd, "f");
	assert_string_equal(p, "old");
	/* What it left, atomic_sweep removes: temporary files of f alone. */
	free(p);
	p = xasprintf("f.brig-%d", (int)child);
	assert_int_equal(faccessat(dfd, p, F_OK, 0), 0);
	assert_int_equal(mkdirat(dfd, "keep", 0700), 0);
	assert_int_equal(close(openat(dfd, "keep/fx.brig-1", O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(close(openat(dfd, "keep/f.brig-", O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(close(openat(dfd, "keep/f.brig-1x", O_CREAT | O_WRONLY, 0600)), 0);
	assert_int_equal(close(openat(dfd, "keep/f.brig-12", O_CREAT | O_WRONLY, 0600)), 0);
	free(tmp);
	tmp = xasprintf("%s/keep", dir);
	atomic_sweep(tmp, "f");
	assert_int_equal(faccessat(dfd, "keep/f.brig-12", F_OK, 0), -1);
	assert_int_equal(faccessat(dfd, "keep/fx.brig-1", F_OK, 0), 0);
	assert_int_equal(faccessat(dfd, "keep/f.brig-", F_OK, 0), 0);
	assert_int_equal(faccessat(dfd, "keep/f.brig-1x", F_OK, 0), 0);
	atomic_sweep(dir, "f");
	assert_int_equal(faccessat(dfd, p, F_OK, 0), -1);
	free(p);
	p = content(dfd, "f");
	assert_string_equal(p, "old");
	free(tmp);

	/* A symlink at the name is replaced; one at this process's temporary
	 * name does not redirect the write. */
	victim = xasprintf("%s/victim", dir);
	tmp = xasprintf("f.brig-%d", (int)getpid());
	assert_int_equal(symlinkat(victim, dfd, tmp), 0);
	assert_int_equal(write_atomic_at(dfd, "f", "new", 3, 0600, false, &e), 0);
	free(p);
	p = content(dfd, "f");
	assert_string_equal(p, "new");
	assert_int_equal(access(victim, F_OK), -1);
	assert_int_equal(symlinkat(victim, dfd, "g"), 0);
	assert_int_equal(write_atomic_at(dfd, "g", "gg", 2, 0600, false, &e), 0);
	assert_int_equal(fstatat(dfd, "g", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(access(victim, F_OK), -1);

	/* A path (AT_FDCWD), as brig's own records are written. */
	free(p);
	p = xasprintf("%s/rec", dir);
	assert_int_equal(write_atomic(p, "r", 1, true, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(write_atomic("/nonexistent/x", "r", 1, true, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	free(big);
	close(dfd);
	rm_dir(dir);
}

/* mkdirp: what exists stays, what is missing is made (parents 0755, the
 * last as asked); a file on the way is an error naming it. */
static void test_mkdirp(void **state)
{
	char dir[] = "/tmp/brig-test-mkdirp.XXXXXX";
	cleanup_free char *a = NULL, *abc = NULL, *file = NULL, *through = NULL;
	struct brig_err e = { 0 };
	struct stat st;
	int fd;

	(void)state;
	make_dir(dir);
	a = xasprintf("%s/a", dir);
	abc = xasprintf("%s/a/b/c", dir);
	assert_int_equal(mkdir(a, 0711), 0);
	umask(022);
	assert_int_equal(mkdirp(abc, 0700, &e), 0);	/* partial: a exists */
	assert_int_equal(stat(abc, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0711);	/* left as it was */
	assert_int_equal(mkdirp(abc, 0755, &e), 0);	/* all there */
	assert_int_equal(mkdirp(dir, 0755, &e), 0);
	assert_int_equal(mkdirp("/", 0755, &e), 0);
	file = xasprintf("%s/a/file", dir);
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	close(fd);
	through = xasprintf("%s/a/file/x/y", dir);
	assert_int_equal(mkdirp(through, 0755, &e), -1);
	assert_int_equal(e.errnum, ENOTDIR);
	assert_non_null(strstr(e.msg, "`file`"));
	assert_int_equal(mkdirp(file, 0755, &e), -1);
	/* Relative to a directory, and opened. */
	fd = open(dir, O_PATH | O_DIRECTORY);
	int sub = mkdirp_open(fd, "a/./d/e/", 0700, MKDIRP_FOLLOW, &e);

	assert_true(sub >= 0);
	assert_int_equal(mkdirat(sub, "opened-for-reading", 0700), 0);
	close(sub);
	close(fd);
	rm_dir(dir);
}

/* Beneath a root: ".." and symlinks that lead out are refused, by
 * beneath_open (openat2 and the walk without it) and by mkdirp_open. */
static void test_beneath(void **state)
{
	char dir[] = "/tmp/brig-test-beneath.XXXXXX";
	cleanup_free char *root = NULL, *out = NULL, *l1 = NULL, *l2 = NULL, *in = NULL;
	struct brig_err e = { 0 };
	int rfd, fd;

	(void)state;
	make_dir(dir);
	root = xasprintf("%s/root", dir);
	out = xasprintf("%s/outside", dir);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	in = xasprintf("%s/inside", root);
	assert_int_equal(mkdir(in, 0755), 0);
	l1 = xasprintf("%s/abs", root);
	l2 = xasprintf("%s/rel", root);
	assert_int_equal(symlink(out, l1), 0);
	assert_int_equal(symlink("../outside", l2), 0);
	rfd = open(root, O_PATH | O_DIRECTORY);
	for (int walk = 0; walk < 2; walk++) {
		if (walk)
			setenv("BRIG_NO_OPENAT2", "1", 1);
		fd = beneath_open(rfd, "/inside", O_RDONLY | O_DIRECTORY, &e);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(beneath_open(rfd, "../outside", O_RDONLY | O_DIRECTORY, &e), -1);
		assert_non_null(strstr(e.msg, "\"..\" refused"));
		assert_int_equal(beneath_open(rfd, "inside/../../outside", O_RDONLY, &e), -1);
		assert_int_equal(beneath_open(rfd, "abs", O_RDONLY | O_DIRECTORY, &e), -1);
		assert_non_null(strstr(e.msg, "symlink"));
		assert_int_equal(beneath_open(rfd, "rel/x", O_RDONLY, &e), -1);
		assert_non_null(strstr(e.msg, "symlink"));
		unsetenv("BRIG_NO_OPENAT2");
	}
	assert_int_equal(mkdirp_open(rfd, "abs/made", 0755, MKDIRP_BENEATH, &e), -1);
	assert_non_null(strstr(e.msg, "symlink"));
	assert_int_equal(mkdirp_open(rfd, "rel", 0755, MKDIRP_BENEATH, &e), -1);
	assert_int_equal(mkdirp_open(rfd, "inside/../../outside/made", 0755, MKDIRP_BENEATH, &e), -1);
	assert_non_null(strstr(e.msg, "\"..\""));
	fd = mkdirp_open(rfd, "inside/made/deeper", 0755, MKDIRP_BENEATH, &e);
	assert_true(fd >= 0);
	close(fd);
	/* Nothing was made outside. */
	cleanup_free char *cmd = xasprintf("test -z \"$(ls -A %s)\"", out);

	assert_int_equal(system(cmd), 0);
	close(rfd);
	rm_dir(dir);
}

/* lock_open: a second holder waits and gives up (naming the holder, told
 * once after a second), or stops at once when cancel_fd is readable. */
static int notices;
static pid_t noticed;

static void on_notice(void *arg, pid_t holder)
{
	assert_string_equal(arg, "who");
	notices++;
	noticed = holder;
}

static void test_lock(void **state)
{
	char path[] = "/tmp/brig-test-lock.XXXXXX";
	struct lock_wait w = { .max_ms = 0, .cancel_fd = -1 };
	struct brig_err e = { 0 };
	int tmp = mkstemp(path), fd, again, cancel[2];
	pid_t holder = -1;

	(void)state;
	assert_true(tmp >= 0);
	close(tmp);
	fd = lock_open(AT_FDCWD, path, LOCK_EX, NULL, NULL, &e);
	assert_true(fd >= 0);
	assert_int_equal(lock_holder(fd), getpid());
	/* Another open file description conflicts, even in this process. */
	assert_int_equal(lock_open(AT_FDCWD, path, LOCK_SH, &w, &holder, &e), -1);
	assert_int_equal(e.errnum, EWOULDBLOCK);
	assert_int_equal(holder, getpid());
	w = (struct lock_wait){ .max_ms = 1200, .cancel_fd = -1, .notice = on_notice, .arg = "who" };
	assert_int_equal(lock_open(AT_FDCWD, path, LOCK_EX, &w, NULL, &e), -1);
	assert_int_equal(e.errnum, EWOULDBLOCK);
	assert_int_equal(notices, 1);
	assert_int_equal(noticed, getpid());
	assert_int_equal(pipe(cancel), 0);
	assert_int_equal(write(cancel[1], "x", 1), 1);
	w = (struct lock_wait){ .max_ms = 86400000, .cancel_fd = cancel[0] };
	assert_int_equal(lock_open(AT_FDCWD, path, LOCK_EX, &w, NULL, &e), -1);
	assert_int_equal(e.errnum, EINTR);
	close(cancel[0]);
	close(cancel[1]);
	close(fd);
	again = lock_open(AT_FDCWD, path, LOCK_EX, &w, NULL, &e);
	assert_true(again >= 0);
	close(again);
	assert_int_equal(lock_open(AT_FDCWD, "/nonexistent/lock", LOCK_EX, NULL, NULL, &e), -1);
	assert_int_equal(e.errnum, ENOENT);
	unlink(path);
}

/* isolate_call's children: one returns, one dies after saying something
 * (a crash, as libfyaml's), one never returns (wall time), one spins
 * (CPU time). */
static void says_and_returns(void *arg, int fd)
{
	*(int *)arg = 1;	/* the child's copy: the parent's stays 0 */
	assert_int_equal(write_all(fd, "fine", 4), 0);
}

static void says_and_dies(void *arg, int fd)
{
	(void)arg;
	assert_int_equal(write_all(fd, "1:2: error: bad", 15), 0);
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
}

static void never_returns(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	pause();
}

static void spins(void *arg, int fd)
{
	volatile unsigned long n = 0;

	(void)arg;
	(void)fd;
	for (;;)
		n++;
}

static void test_isolate(void **state)
{
	struct strbuf said = STRBUF_INIT;
	int touched = 0;

	(void)state;
	assert_int_equal(isolate_call(says_and_returns, &touched, 5, 10000, &said), ISOLATE_DONE);
	assert_string_equal(said.s, "fine");
	assert_int_equal(said.len, 4);
	assert_int_equal(touched, 0);
	sb_reset(&said);
	assert_int_equal(isolate_call(says_and_dies, NULL, 5, 10000, &said), ISOLATE_DIED);
	assert_string_equal(said.s, "1:2: error: bad");
	sb_reset(&said);
	assert_int_equal(isolate_call(never_returns, NULL, 5, 200, &said), ISOLATE_LATE);
	assert_int_equal(said.len, 0);
	assert_int_equal(isolate_call(spins, NULL, 1, 10000, &said), ISOLATE_LATE);
	sb_free(&said);
}

/* brig's places: the variable when set and not empty, else the default. */
static void test_paths(void **state)
{
	(void)state;
	unsetenv("BRIG_RUNDIR");
	setenv("BRIG_STOREDIR", "", 1);
	unsetenv("BRIG_CONFDIR");
	unsetenv("BRIG_LOGDIR");
	assert_string_equal(brig_rundir(), "/run/brig");
	assert_true(brig_rundir_is_default());
	assert_string_equal(brig_storedir(), "/var/lib/brig");
	assert_string_equal(brig_confdir(), "/etc/brig");
	assert_string_equal(brig_logdir(), "/var/log/brig");
	setenv("BRIG_RUNDIR", "/tmp/r", 1);
	setenv("BRIG_STOREDIR", "/tmp/s", 1);
	setenv("BRIG_CONFDIR", "/tmp/c", 1);
	setenv("BRIG_LOGDIR", "/tmp/l", 1);
	assert_string_equal(brig_rundir(), "/tmp/r");
	assert_false(brig_rundir_is_default());
	assert_string_equal(brig_storedir(), "/tmp/s");
	assert_string_equal(brig_confdir(), "/tmp/c");
	assert_string_equal(brig_logdir(), "/tmp/l");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_chain),
		cmocka_unit_test(test_err_truncates),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_json_every_byte),
		cmocka_unit_test(test_read_bounded),
		cmocka_unit_test(test_retry_eintr),
		cmocka_unit_test(test_write_all_short),
		cmocka_unit_test(test_read_to_end),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_mkdirp),
		cmocka_unit_test(test_beneath),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_isolate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
