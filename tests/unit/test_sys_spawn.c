/* Unit tests for sys/spawn.c: starting a child (sharing our memory, or
 * forked), its exec error reported, a setup that fails, descriptors and
 * directory wired, waiting with a timeout, the report itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/proc.h"
#include "sys/spawn.h"
#include "util/mem.h"

/* Start argv (fork or not); 0 or -1 with e. */
static int start(char **argv, bool fork_, struct spawn_child *c, struct brig_err *e)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;

	o.argv = argv;
	o.fork = fork_;
	return spawn(&o, c, e);
}

/* No child left behind: every one was waited for. */
static void assert_no_child(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_exec_ok(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct brig_err e = { 0 };
	struct spawn_child c;

	(void)state;
	for (int f = 0; f < 2; f++) {
		assert_int_equal(start(argv, f, &c, &e), 0);
		assert_true(c.pid > 0);
		assert_int_equal(c.pidfd, -1);
		int st = spawn_wait(&c, -1, false);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 3);
	}
	assert_no_child();
}

static void test_exec_enoent(void **state)
{
	char *abs[] = { "/no/such/command", NULL };
	char *rel[] = { "brig-no-such-command", NULL };
	char *env[] = { "PATH=/nonexistent:/bin", NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;

	(void)state;
	for (int f = 0; f < 2; f++) {
		assert_int_equal(start(abs, f, &c, &e), -1);
		assert_int_equal(e.errnum, ENOENT);
		assert_string_equal(e.msg, "/no/such/command: No such file or directory");
		assert_int_equal(c.pid, -1);
	}
	/* Looked up on the PATH of the child's environment. */
	o.argv = rel;
	o.envp = env;
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_string_equal(e.msg, "brig-no-such-command: No such file or directory");
	assert_no_child();
}

static void test_exec_eacces_and_path(void **state)
{
	char dir[] = "/tmp/brig-spawn-XXXXXX";
	char *plain[] = { NULL, NULL };
	char *script[] = { "brig-script", "a b", NULL };
	char path[128], envpath[160];
	char *env[] = { envpath, NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	int fd, p[2], st;
	char buf[64] = "";

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Not executable at all (even root needs one x bit). */
	snprintf(path, sizeof(path), "%s/plain", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	plain[0] = path;
	assert_int_equal(start(plain, false, &c, &e), -1);
	assert_int_equal(e.errnum, EACCES);
	assert_string_equal(strchr(e.msg, ':'), ": Permission denied");
	/* A script without #! found on the environment's PATH runs under
	 * /bin/sh, as execvp runs it, with its arguments. */
	snprintf(path, sizeof(path), "%s/brig-script", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "echo \"$1\"\n", 10), 10);
	close(fd);
	snprintf(envpath, sizeof(envpath), "PATH=/nonexistent:%s", dir);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	o.argv = script;
	o.envp = env;
	o.fds[1] = p[1];
	o.nfds = 2;
	assert_int_equal(spawn(&o, &c, &e), 0);
	close(p[1]);
	assert_int_equal(read(p[0], buf, sizeof(buf) - 1), 4);
	assert_string_equal(buf, "a b\n");
	close(p[0]);
	st = spawn_wait(&c, -1, false);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/plain", dir);
	unlink(path);
	rmdir(dir);
	assert_no_child();
}

static int setup_fails(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	(void)x;
	return brig_err_set(e, EPERM, "joining %s", (const char *)arg);
}

static void test_setup_fails(void **state)
{
	char *argv[] = { "/bin/true", NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;

	(void)state;
	o.argv = argv;
	o.setup = setup_fails;
	o.arg = "the jail";
	o.pidfd = true;
	for (int f = 0; f < 2; f++) {
		o.fork = f;
		assert_int_equal(spawn(&o, &c, &e), -1);
		assert_int_equal(e.errnum, EPERM);
		assert_string_equal(e.msg, "joining the jail: Operation not permitted");
		assert_int_equal(c.pid, -1);
		assert_int_equal(c.pidfd, -1);
	}
	assert_no_child();
}

/* setup may change what is executed (a login shell, sys/enter.c). */
static int setup_redirects(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	static char *argv[] = { "-sh", "-c", "exit 5", NULL };

	(void)arg;
	(void)e;
	x->argv = argv;
	x->path = "/bin/sh";
	return 0;
}

static void test_fds_dir_setup(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "pwd; cat; echo err >&2", NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	char buf[128] = "";
	int p[2], st;
	ssize_t n, got = 0;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	o.argv = argv;
	o.fds[0] = SPAWN_FD_NULL;
	o.fds[1] = p[1];
	o.fds[2] = p[1];
	o.nfds = 3;
	o.dir = "/tmp";
	o.pidfd = true;
	assert_int_equal(spawn(&o, &c, &e), 0);
	assert_true(c.pidfd >= 0);
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	close(p[0]);
	assert_string_equal(buf, "/tmp\nerr\n");
	st = spawn_wait(&c, -1, false);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(c.pidfd);
	/* A directory that does not exist fails the spawn, named. */
	o.fds[1] = o.fds[2] = SPAWN_FD_KEEP;
	o.dir = "/no/such/dir";
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_string_equal(e.msg, "chdir /no/such/dir: No such file or directory");
	o.dir = NULL;
	o.setup = setup_redirects;
	o.pidfd = false;
	assert_int_equal(spawn(&o, &c, &e), 0);
	st = spawn_wait(&c, -1, false);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	assert_no_child();
}

/* The program as a descriptor (the reaper: brig's init, a memfd), it and
 * the report among the numbers the child's descriptors take. */
static void test_execfd_low(void **state)
{
	char *argv[] = { "true", NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	int st;

	(void)state;
	o.argv = argv;
	o.execfd = open("/bin/true", O_PATH | O_CLOEXEC);
	assert_true(o.execfd >= 0 && o.execfd < SPAWN_MAXFD - 2);
	for (size_t i = 0; i < SPAWN_MAXFD; i++)
		o.fds[i] = SPAWN_FD_NULL;
	o.nfds = SPAWN_MAXFD;
	o.close_others = true;
	assert_int_equal(spawn(&o, &c, &e), 0);
	st = spawn_wait(&c, -1, false);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(o.execfd);
	/* A failure is still reported when the report's number is taken. */
	o.execfd = -1;
	argv[0] = "/no/such/command";
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_string_equal(e.msg, "/no/such/command: No such file or directory");
	assert_no_child();
}

static void test_wait_timeout(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "sleep 600 & echo $!; wait", NULL };
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	struct pollfd pf = { .events = POLLIN };
	char buf[32] = "";
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	o.argv = argv;
	o.fds[1] = p[1];
	o.nfds = 2;
	o.setpgid = true;
	assert_int_equal(spawn(&o, &c, &e), 0);
	close(p[1]);
	assert_true(read(p[0], buf, sizeof(buf) - 1) > 0);
	close(p[0]);
	/* The background sleep, pinned before the kill. */
	pf.fd = (int)pidfd_open((pid_t)atoi(buf), 0);
	assert_true(pf.fd >= 0);
	assert_int_equal(spawn_wait(&c, 50, true), SPAWN_TIMEOUT);
	/* Waited for, and its whole group killed: the sleep has ended
	 * (else this poll would wait its ten minutes). */
	assert_no_child();
	assert_int_equal(poll(&pf, 1, -1), 1);
	close(pf.fd);
}

static int run_ok(void *arg, struct brig_err *e)
{
	(void)e;
	spawn_started();
	return *(const int *)arg;
}

static int run_fails(void *arg, struct brig_err *e)
{
	(void)arg;
	return brig_err_set(e, EEXIST, "nftables: changing table");
}

static int run_dies(void *arg, struct brig_err *e)
{
	(void)arg;
	(void)e;
	_exit(3);
}

static int run_killed(void *arg, struct brig_err *e)
{
	(void)arg;
	(void)e;
	kill(getpid(), SIGKILL);
	return 0;
}

/* Reports only once its parent has written to it: the parent's
 * spawn_begin() must have returned before. */
static int run_beside(void *arg, struct brig_err *e)
{
	struct pollfd pf = { .fd = *(const int *)arg, .events = POLLIN };
	char b;

	if (poll(&pf, 1, 5000) != 1 || read(pf.fd, &b, 1) != 1)
		return brig_err_set(e, 0, "no word from the parent");
	spawn_started();
	return 0;
}

static void test_run(void **state)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	int code = 7, st;

	(void)state;
	o.fork = true;
	o.run = run_ok;
	o.arg = &code;
	o.name = "worker";
	assert_int_equal(spawn(&o, &c, &e), 0);
	st = spawn_wait(&c, -1, false);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	o.run = run_fails;
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_int_equal(e.errnum, EEXIST);
	assert_string_equal(e.msg, "nftables: changing table: File exists");
	o.run = run_dies;
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_string_equal(e.msg, "worker: ended without reporting (exit status 3)");
	o.run = run_killed;
	assert_int_equal(spawn(&o, &c, &e), -1);
	assert_string_equal(e.msg, "worker: ended without reporting (killed by SIGKILL)");
	assert_int_equal(c.pid, -1);
	assert_no_child();
}

/* spawn_begin() returns while the child works; spawn_end() has its word. */
static void test_run_beside(void **state)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct brig_err e = { 0 };
	struct spawn_child c;
	int p[2], report, zero = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	o.fork = true;
	o.run = run_beside;
	o.fds[0] = p[0];	/* its only descriptor: it sees our close */
	o.nfds = 1;
	o.close_others = true;
	o.arg = &zero;
	o.name = "helper";
	report = spawn_begin(&o, &c, &e);
	assert_true(report >= 0);
	assert_true(c.pid > 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(spawn_end(&o, &c, report, &e), 0);
	assert_int_equal(spawn_wait(&c, -1, false), 0);
	/* Its failure, worded by it. */
	close(p[1]);
	report = spawn_begin(&o, &c, &e);
	assert_true(report >= 0);
	assert_int_equal(spawn_end(&o, &c, report, &e), -1);
	assert_string_equal(e.msg, "no word from the parent");
	assert_int_equal(c.pid, -1);
	close(p[0]);
	assert_no_child();
}

/* A child that ends once fd reads EOF (-1: at once; -2: after 50 ms);
 * other: the write end of fd's pipe, closed in the child. */
static pid_t child_until(int fd, int other)
{
	pid_t pid = fork();
	char b;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (other >= 0)
			close(other);
		if (fd == -2)
			usleep(50 * 1000);
		else if (fd >= 0)
			while (read(fd, &b, 1) > 0)
				;
		_exit(0);
	}
	return pid;
}

/* Until pid has ended (a zombie, not reaped). */
static void ended(pid_t pid)
{
	siginfo_t si;

	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
}

static bool reaped(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

/* proc_reap_later: one that has ended is reaped at once, one still
 * running at a later call once it has ended; with every place taken,
 * the next is waited for. */
static void test_reap_later(void **state)
{
	pid_t kept[16], a, b, last;
	int p[2];

	(void)state;
	a = child_until(-1, -1);
	ended(a);
	proc_reap_later(a);
	assert_true(reaped(a));

	assert_int_equal(pipe(p), 0);
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++) {
		kept[i] = child_until(p[0], p[1]);
		proc_reap_later(kept[i]);
		assert_int_equal(waitpid(kept[i], NULL, WNOHANG), 0);	/* ours, running */
	}
	last = child_until(-2, p[1]);	/* no room: waited for here */
	proc_reap_later(last);
	assert_true(reaped(last));
	close(p[0]);
	close(p[1]);
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		ended(kept[i]);
	b = child_until(-1, -1);
	ended(b);
	proc_reap_later(b);	/* reaps the kept ones too */
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		assert_true(reaped(kept[i]));
	assert_no_child();
}

static void test_report(void **state)
{
	struct brig_err e = { 0 }, sent = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	spawn_report(p[1], SPAWN_READY, NULL);
	brig_err_set(&sent, ENOSPC, "mount %s", "/tmp");
	spawn_report(p[1], SPAWN_STEP_SETUP, &sent);
	close(p[1]);
	assert_int_equal(spawn_read_report(p[0], &e), 1);
	assert_int_equal(spawn_read_report(p[0], &e), -1);
	assert_int_equal(e.errnum, ENOSPC);
	assert_string_equal(e.msg, "mount /tmp: No space left on device");
	assert_int_equal(spawn_read_report(p[0], &e), 0);
	close(p[0]);
}

/* The PATH walk both execvp's stand-in and brig-oci's check use: every
 * entry in order, an empty one (either end, or "::") as the working
 * directory, an entry too long for the buffer skipped. */
static void test_path_next(void **state)
{
	char *envp[] = { "HOME=/", "PATH=/a::/b:", NULL };
	char *none[] = { NULL };
	const char *want[] = { "/a/sh", "sh", "/b/sh", "sh" };
	const char *p = spawn_envp_path(envp);
	char buf[8], longp[] = "/very/long/dir:/c";
	size_t n = 0;

	(void)state;
	assert_string_equal(spawn_envp_path(none), "/bin:/usr/bin");
	while (spawn_path_next(&p, "sh", buf, sizeof(buf))) {
		assert_true(n < 4);
		assert_string_equal(buf, want[n++]);
	}
	assert_int_equal(n, 4);
	assert_null(p);
	p = longp;
	assert_true(spawn_path_next(&p, "sh", buf, sizeof(buf)));
	assert_string_equal(buf, "/c/sh");
	assert_false(spawn_path_next(&p, "sh", buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_ok),
		cmocka_unit_test(test_exec_enoent),
		cmocka_unit_test(test_exec_eacces_and_path),
		cmocka_unit_test(test_setup_fails),
		cmocka_unit_test(test_fds_dir_setup),
		cmocka_unit_test(test_execfd_low),
		cmocka_unit_test(test_wait_timeout),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_beside),
		cmocka_unit_test(test_reap_later),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_path_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
